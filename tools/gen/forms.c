/* forms.c - the four document types laid out as the printed forms are,
 * two editions of each hộ tịch form, recording every printed line and
 * each field's value (normalised) and text (as printed). */
#include "gen.h"

#include <ctype.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#define LEFT 20.0
#define RIGHT 190.0
#define BODY_PT 12.5

/* The current forms' security background: fine lines in a light green
 * (1) or pink (2), wave bands across the sheet and a rosette at its
 * centre, drawn under the print. */
static void guilloche(cairo_t *cr, int colour)
{
	cairo_save(cr);
	if (colour == 2)
		cairo_set_source_rgb(cr, 0.96, 0.74, 0.82);
	else
		cairo_set_source_rgb(cr, 0.66, 0.86, 0.70);
	cairo_set_line_width(cr, 0.12);
	/* bands of sine waves, each a little out of phase with the last */
	for (int band = 0; band < 30; band++)
		for (int k = 0; k < 6; k++) {
			double y0 = 10 + band * 9.5, ph = k * 0.5 + band * 0.3;
			cairo_move_to(cr, 0, y0);
			for (double x = 0; x <= PAGE_W; x += 0.8)
				cairo_line_to(cr, x, y0 + 2.2 * sin(x / 7.0 + ph) +
					      1.1 * sin(x / 2.9 - ph));
			cairo_stroke(cr);
		}
	/* a rosette: an epitrochoid of many loops */
	double cx = PAGE_W / 2, cy = PAGE_H / 2;
	for (int ring = 0; ring < 4; ring++) {
		double R = 30 + ring * 14, r = 4 + ring, d = 7 + ring * 2;
		cairo_move_to(cr, cx + R + r - d, cy);
		for (double t = 0; t <= 2 * M_PI * r; t += 0.01)
			cairo_line_to(cr, cx + (R + r) * cos(t / r * 1.0) - d * cos((R + r) / r * t / r),
				      cy + (R + r) * sin(t / r * 1.0) - d * sin((R + r) / r * t / r));
		cairo_stroke(cr);
	}
	cairo_restore(cr);
}

void page_begin(page *p, const conditions *c)
{
	int w = (int)(PAGE_W / 25.4 * c->dpi + 0.5);
	int h = (int)(PAGE_H / 25.4 * c->dpi + 0.5);
	cairo_font_options_t *fo = cairo_font_options_create();

	p->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	p->cr = cairo_create(p->surface);
	cairo_set_source_rgb(p->cr, 1, 1, 1);
	cairo_paint(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_scale(p->cr, c->dpi / 25.4, c->dpi / 25.4);
	if (c->guilloche)
		guilloche(p->cr, c->guilloche);
	/* unhinted outlines: the same glyph shapes at every resolution */
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairo_set_font_options(p->cr, fo);
	cairo_font_options_destroy(fo);
	p->lines = json_array();
	p->label_font = "Liberation Serif";
	p->value_font = c->typewriter ? "Liberation Mono"
			: c->mixed_font ? "DejaVu Sans" : "Liberation Serif";
	p->seal_colour = c->seal_colour;
	p->y = 15;
}

void page_end(page *p)
{
	cairo_destroy(p->cr);
	p->cr = NULL;
}

/* Draws text with its top-left (or top-centre / top-right) at x,y; wraps
 * at width mm when width > 0. Visual lines go to *lines when not NULL
 * (an array of strings). Returns the height in mm. */
double draw(page *p, double x, double y, const char *family,
		   const char *style, double pt, const char *text, int align,
		   double width, json_t *lines, double *advance)
{
	PangoLayout *lay = pango_cairo_create_layout(p->cr);
	PangoFontDescription *fd;
	char desc[128];
	int w, h;

	/* user units are millimetres: glyph positions must not be rounded
	 * to whole units, or words run together */
	pango_cairo_context_set_resolution(pango_layout_get_context(lay), 25.4);
	pango_context_set_round_glyph_positions(pango_layout_get_context(lay), FALSE);
	pango_layout_context_changed(lay);
	snprintf(desc, sizeof(desc), "%s %s %.1f", family, style, pt);
	fd = pango_font_description_from_string(desc);
	pango_layout_set_font_description(lay, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(lay, text, -1);
	if (width > 0) {
		pango_layout_set_width(lay, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(lay, PANGO_WRAP_WORD);
	}
	pango_layout_get_size(lay, &w, &h);
	if (align == 1)
		x -= w / (2.0 * PANGO_SCALE);
	else if (align == 2)
		x -= (double)w / PANGO_SCALE;
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, lay);
	if (lines) {
		for (int i = 0; i < pango_layout_get_line_count(lay); i++) {
			PangoLayoutLine *l = pango_layout_get_line_readonly(lay, i);
			int n = l->length;
			while (n > 0 && text[l->start_index + n - 1] == ' ')
				n--;
			json_array_append_new(lines, json_stringn(
				text + l->start_index, (size_t)n));
		}
	}
	if (advance)
		*advance = (double)w / PANGO_SCALE;
	g_object_unref(lay);
	return (double)h / PANGO_SCALE;
}

static void line_add(page *p, const char *s)
{
	json_array_append_new(p->lines, json_string(s));
}

/* Centred text on its own line(s), recorded. */
double centred(page *p, double x, double y, const char *style,
		      double pt, const char *text)
{
	return draw(p, x, y, p->label_font, style, pt, text, 1, 0, p->lines,
		    NULL);
}

/* A row: labels and values side by side, recorded as one printed line
 * (plus the continuation lines of a value that wraps). */
typedef struct row {
	page *p;
	char line[1024];
	double x, h;
	json_t *more;
	int dotted;
} row;

static void row_begin(row *r, page *p, int dotted)
{
	r->p = p;
	r->line[0] = '\0';
	r->x = LEFT;
	r->h = 0;
	r->more = json_array();
	r->dotted = dotted;
}

static void row_append(row *r, const char *s)
{
	size_t n = strlen(r->line);

	snprintf(r->line + n, sizeof(r->line) - n, "%s%s", n ? " " : "", s);
}

static void row_label(row *r, double x, const char *label)
{
	double adv, h;

	if (x > 0)
		r->x = x;
	h = draw(r->p, r->x, r->p->y, r->p->label_font, "", BODY_PT, label, 0,
		 0, NULL, &adv);
	r->h = h > r->h ? h : r->h;
	r->x += adv + 1.8;
	row_append(r, label);
}

/* The value after the label; up to `until` mm (RIGHT when 0). */
static void row_value(row *r, const char *value, double until)
{
	json_t *vl = json_array();
	double width = (until > 0 ? until : RIGHT) - r->x, h, adv;
	double pt = strstr(r->p->value_font, "Mono") ? BODY_PT - 1.5 : BODY_PT;

	if (r->dotted) {
		/* the fill-in dots of older forms, under the written value */
		cairo_t *cr = r->p->cr;
		cairo_new_path(cr);
		for (double x = r->x - 1; x < (until > 0 ? until : RIGHT) - 1; x += 1.2) {
			cairo_arc(cr, x, r->p->y + 5.6, 0.14, 0, 6.3);
			cairo_fill(cr);
		}
	}
	h = draw(r->p, r->x + (r->dotted ? 2 : 0), r->p->y, r->p->value_font,
		 "", pt, value, 0, width - (r->dotted ? 2 : 0), vl, &adv);
	r->h = h > r->h ? h : r->h;
	row_append(r, json_string_value(json_array_get(vl, 0)));
	for (size_t i = 1; i < json_array_size(vl); i++)
		json_array_append(r->more, json_array_get(vl, i));
	json_decref(vl);
	r->x += adv + 6;
}

static void row_end(row *r, double gap)
{
	line_add(r->p, r->line);
	json_array_extend(r->p->lines, r->more);
	json_decref(r->more);
	r->p->y += (r->h > 6 ? r->h : 6) + gap;
}

/* One labelled field on a row of its own. */
static void field(page *p, const char *label, const char *value, int dotted)
{
	row r;

	row_begin(&r, p, dotted);
	row_label(&r, 0, label);
	row_value(&r, value, 0);
	row_end(&r, 1.6);
}

void set_field(json_t *gt, const char *name, const char *value,
		      const char *printed)
{
	json_object_set_new(json_object_get(gt, "fields"), name,
			    json_string(value));
	json_object_set_new(json_object_get(gt, "printed"), name,
			    json_string(printed ? printed : value));
}

/* The left header (issuing office, number, book) and the national motto
 * on the right, as on every hộ tịch form. */
static void header(page *p, const char *ward, const char *district,
		   const char *so, const char *quyen, int old)
{
	char w[256], d[256], l1[520], l2[300];
	double y = p->y;

	upper(ward, w, sizeof(w));
	upper(district, d, sizeof(d));
	centred(p, 55, y, "", 12, "ỦY BAN NHÂN DÂN");
	if (old) {
		snprintf(l1, sizeof(l1), "%s", w);
		centred(p, 55, y + 6, "Bold", 12, l1);
		snprintf(l2, sizeof(l2), "%s", d);
		centred(p, 55, y + 12, "Bold", 12, l2);
	} else {
		snprintf(l1, sizeof(l1), "%s, %s", w, d);
		draw(p, 55, y + 6, p->label_font, "Bold", 11, l1, 1, 80,
		     p->lines, NULL);
	}
	centred(p, 140, y, "Bold", 12, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	centred(p, 140, y + 6, "Bold", 12.5, "Độc lập - Tự do - Hạnh phúc");
	cairo_set_line_width(p->cr, 0.3);
	cairo_new_path(p->cr);
	cairo_move_to(p->cr, 115, y + 12.6);
	cairo_line_to(p->cr, 165, y + 12.6);
	cairo_stroke(p->cr);
	p->y = y + 22;
	{
		row r;
		row_begin(&r, p, 0);
		row_label(&r, 28, "Số:");
		row_value(&r, so, 90);
		row_end(&r, 0.5);
		row_begin(&r, p, 0);
		row_label(&r, 28, "Quyển số:");
		row_value(&r, quyen, 90);
		row_end(&r, 4);
	}
}

static void title(page *p, const char *t, const char *sub)
{
	p->y += centred(p, PAGE_W / 2, p->y, "Bold", 17, t) + 1;
	if (sub)
		p->y += centred(p, PAGE_W / 2, p->y, "Italic", 12, sub);
	p->y += 6;
}

/* A red seal with a star, drawn over the left of the signature (under
 * seal-colour a denser red or blue one, its rings thicker). */
static void stamp(page *p, double cx, double cy)
{
	cairo_t *cr = p->cr;

	cairo_save(cr);
	cairo_new_path(cr);
	if (p->seal_colour == 2)
		cairo_set_source_rgba(cr, 0.12, 0.2, 0.75, 0.9);
	else if (p->seal_colour == 1)
		cairo_set_source_rgba(cr, 0.88, 0.1, 0.12, 0.9);
	else
		cairo_set_source_rgba(cr, 0.85, 0.15, 0.15, 0.75);
	cairo_set_line_width(cr, p->seal_colour ? 1.4 : 0.8);
	cairo_arc(cr, cx, cy, 17, 0, 6.2832);
	cairo_stroke(cr);
	cairo_arc(cr, cx, cy, 12, 0, 6.2832);
	cairo_stroke(cr);
	for (int i = 0; i < 5; i++) {
		double a = -1.5708 + i * 2 * 6.2832 / 5;
		if (i == 0)
			cairo_move_to(cr, cx + 6 * cos(a), cy + 6 * sin(a));
		else
			cairo_line_to(cr, cx + 6 * cos(a), cy + 6 * sin(a));
	}
	cairo_close_path(cr);
	cairo_fill(cr);
	cairo_restore(cr);
}

void signature(page *p, rng *r, const char *who, const char *note,
		      const char *name)
{
	double x = 140, y = p->y + 4;
	cairo_t *cr = p->cr;

	y += centred(p, x, y, "Bold", 12, who);
	if (note)
		y += centred(p, x, y, "Italic", 10.5, note);
	/* seal-colour: lower and further right, over the signer's name */
	if (p->seal_colour)
		stamp(p, x - 8, y + 27);
	else
		stamp(p, x - 16, y + 20);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.35);
	cairo_set_line_width(cr, 0.45);
	cairo_new_path(cr);
	cairo_move_to(cr, x - 12, y + 20);
	for (int i = 0; i < 5; i++)
		cairo_rel_curve_to(cr, rng_real(r, 2, 5), rng_real(r, -9, -4),
				   rng_real(r, 4, 7), rng_real(r, 4, 9),
				   rng_real(r, 4, 7), rng_real(r, -3, 2));
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	centred(p, x, y + 32, "Bold", 12, name);
	p->y = y + 40;
}

void fmt_date(rng *r, const date *d, char *out, size_t len, int old)
{
	if (old && rng_int(r, 0, 1))
		snprintf(out, len, "%d-%d-%d", d->d, d->m, d->y);
	else if (rng_int(r, 0, 3) == 0)
		snprintf(out, len, "%02d.%02d.%04d", d->d, d->m, d->y);
	else
		snprintf(out, len, "%02d/%02d/%04d", d->d, d->m, d->y);
}


void who_draw(rng *r, int female, int y0, int y1, int caps, struct who *w)
{
	char name[160];

	w->female = female;
	person_name(r, female, name, sizeof(name));
	if (caps)
		upper(name, w->name, sizeof(w->name));
	else
		snprintf(w->name, sizeof(w->name), "%s", name);
	place(r, w->ward, w->district, w->province, sizeof(w->ward));
	date_random(r, y0, y1, &w->born);
}

static void make_person(rng *r, int female, int y0, int y1, int caps,
			const conditions *c, struct who *w)
{
	static const char *const streets[] = { "Lê Lợi", "Nguyễn Huệ",
		"Trần Hưng Đạo", "Hai Bà Trưng", "Nguyễn Đình Chiểu",
		"Lý Thường Kiệt", "Phan Chu Trinh", "Điện Biên Phủ" };

	who_draw(r, female, y0, y1, caps, w);
	if (c->wrap)
		snprintf(w->addr, sizeof(w->addr), "Số %d/%d đường %s, Khu "
			 "phố %d, %s, %s, %s", rng_int(r, 1, 300),
			 rng_int(r, 1, 30), PICK(r, streets), rng_int(r, 1, 9),
			 w->ward, w->district, w->province);
	else
		snprintf(w->addr, sizeof(w->addr), "%s, %s, %s", w->ward,
			 w->district, w->province);
}

/* The official who signs: a man or a woman. */
void official(rng *r, char *out, size_t len)
{
	person_name(r, rng_int(r, 0, 1), out, len);
}

/* A parent on a birth certificate: name, year of birth with ethnicity
 * and nationality, and residence. */
static void parent(page *pg, const char *label, const struct who *w, int old)
{
	char year[16];
	row rw;

	field(pg, label, w->name, old);
	snprintf(year, sizeof(year), "%d", w->born.y);
	row_begin(&rw, pg, old);
	row_label(&rw, 0, "Năm sinh:");
	row_value(&rw, year, 70);
	row_label(&rw, 70, "Dân tộc:");
	row_value(&rw, "Kinh", 125);
	row_label(&rw, 125, "Quốc tịch:");
	row_value(&rw, "Việt Nam", 0);
	row_end(&rw, 1.6);
	field(pg, old ? "Nơi thường trú/tạm trú:" : "Nơi cư trú:", w->addr, old);
}

/* Giấy khai sinh, the current edition (2016 on) and the older one. */
static int khai_sinh(rng *r, const char *edition, const conditions *c,
		     page *pg, json_t *gt)
{
	int old = !strcmp(edition, "old");
	struct who child, me, cha;
	char so[64], quyen[64], buf[600], iso[16], d1[64], words[300];
	char noi_sinh[600], que[600], noi_dk[600], signer[160];
	const char *eth = rng_pick(r, ethnicities, n_ethnicities);
	date dk;
	row rw;

	make_person(r, rng_int(r, 0, 1), old ? 1960 : 1990, old ? 1995 : 2024,
		    !old, c, &child);
	make_person(r, 1, child.born.y - 40, child.born.y - 18, !old, c, &me);
	make_person(r, 0, child.born.y - 45, child.born.y - 19, !old, c, &cha);
	dk = child.born;
	dk.d += rng_int(r, 1, 25);
	if (dk.d > 28) {
		dk.d -= 28;
		if (++dk.m > 12) {
			dk.m = 1;
			dk.y++;
		}
	}
	if (old) {
		snprintf(so, sizeof(so), "%d", rng_int(r, 1, 400));
		snprintf(quyen, sizeof(quyen), "%02d/%d", rng_int(r, 1, 5), dk.y);
	} else {
		snprintf(so, sizeof(so), "%d/%d", rng_int(r, 1, 900), dk.y);
		snprintf(quyen, sizeof(quyen), "%02d", rng_int(r, 1, 9));
	}
	if (rng_int(r, 0, 2))
		snprintf(noi_sinh, sizeof(noi_sinh), "%s", child.addr);
	else
		snprintf(noi_sinh, sizeof(noi_sinh), "Bệnh viện Đa khoa %s, %s",
			 child.district, child.province);
	snprintf(que, sizeof(que), "%s, %s", cha.district, cha.province);
	snprintf(noi_dk, sizeof(noi_dk), "Ủy ban nhân dân %s, %s, %s",
		 child.ward, child.district, child.province);
	official(r, signer, sizeof(signer));

	page_begin(pg, c);
	header(pg, child.ward, child.district, so, quyen, old);
	title(pg, "GIẤY KHAI SINH", old ? NULL : "(Bản chính)");
	set_field(gt, "so", so, NULL);
	set_field(gt, "quyen_so", quyen, NULL);
	field(pg, old ? "Họ và tên:" : "Họ, chữ đệm, tên:", child.name, old);
	set_field(gt, "ho_ten", child.name, NULL);
	fmt_date(r, &child.born, d1, sizeof(d1), old);
	date_iso(&child.born, iso, sizeof(iso));
	set_field(gt, "ngay_sinh", iso, d1);
	if (old) {
		field(pg, "Nam hay nữ:", child.female ? "Nữ" : "Nam", 1);
		field(pg, "Ngày, tháng, năm sinh:", d1, 1);
	} else {
		date_words(r, &child.born, words, sizeof(words));
		field(pg, "Ngày, tháng, năm sinh:", d1, 0);
		snprintf(buf, sizeof(buf), "%s", words);
		field(pg, "ghi bằng chữ:", buf, 0);
		json_object_set_new(json_object_get(gt, "printed"),
				    "ngay_sinh_chu", json_string(words));
		row_begin(&rw, pg, 0);
		row_label(&rw, 0, "Giới tính:");
		row_value(&rw, child.female ? "Nữ" : "Nam", 80);
		row_label(&rw, 80, "Dân tộc:");
		row_value(&rw, eth, 135);
		row_label(&rw, 135, "Quốc tịch:");
		row_value(&rw, "Việt Nam", 0);
		row_end(&rw, 1.6);
	}
	set_field(gt, "gioi_tinh", child.female ? "Nữ" : "Nam", NULL);
	field(pg, "Nơi sinh:", noi_sinh, old);
	set_field(gt, "noi_sinh", noi_sinh, NULL);
	if (old) {
		row_begin(&rw, pg, 1);
		row_label(&rw, 0, "Dân tộc:");
		row_value(&rw, eth, 100);
		row_label(&rw, 100, "Quốc tịch:");
		row_value(&rw, "Việt Nam", 0);
		row_end(&rw, 1.6);
	}
	set_field(gt, "dan_toc", eth, NULL);
	set_field(gt, "quoc_tich", "Việt Nam", NULL);
	field(pg, "Quê quán:", que, old);
	set_field(gt, "que_quan", que, NULL);
	if (!old) {
		snprintf(buf, sizeof(buf), "0%02d%d%02d%06d", rng_int(r, 1, 96),
			 child.female ? (child.born.y >= 2000 ? 3 : 1)
				      : (child.born.y >= 2000 ? 2 : 0),
			 child.born.y % 100, rng_int(r, 0, 999999));
		field(pg, "Số định danh cá nhân:", buf, 0);
	}
	parent(pg, old ? "Họ và tên mẹ:" : "Họ, chữ đệm, tên người mẹ:", &me, old);
	set_field(gt, "ho_ten_me", me.name, NULL);
	parent(pg, old ? "Họ và tên cha:" : "Họ, chữ đệm, tên người cha:", &cha, old);
	set_field(gt, "ho_ten_cha", cha.name, NULL);
	set_field(gt, "noi_dang_ky", noi_dk, NULL);
	date_iso(&dk, iso, sizeof(iso));
	if (old) {
		snprintf(buf, sizeof(buf), "ngày %d tháng %d năm %d", dk.d,
			 dk.m, dk.y);
		set_field(gt, "ngay_dang_ky", iso, buf);
		field(pg, "Nơi đăng ký:", noi_dk, 1);
		row_begin(&rw, pg, 0);
		row_label(&rw, 0, "Đăng ký");
		row_value(&rw, buf, 0);
		row_end(&rw, 2);
		signature(pg, r, "T/M ỦY BAN NHÂN DÂN", "CHỦ TỊCH", signer);
	} else {
		field(pg, "Nơi đăng ký khai sinh:", noi_dk, 0);
		fmt_date(r, &dk, d1, sizeof(d1), 0);
		set_field(gt, "ngay_dang_ky", iso, d1);
		field(pg, "Ngày, tháng, năm đăng ký:", d1, 0);
		signature(pg, r, "NGƯỜI KÝ GIẤY KHAI SINH",
			  "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)",
			  signer);
	}
	page_end(pg);
	return 1;
}

/* Giấy chứng nhận kết hôn: husband's and wife's details. */
static int ket_hon(rng *r, const char *edition, const conditions *c,
		   page *pg, json_t *gt)
{
	int old = !strcmp(edition, "old");
	struct who chong, vo;
	char so[64], quyen[64], d1[64], d2[64], iso[16], noi_dk[600];
	char signer[160], buf[300];
	date dk;
	row rw;

	make_person(r, 0, old ? 1940 : 1970, old ? 1975 : 2000, !old, c, &chong);
	make_person(r, 1, chong.born.y - 3, chong.born.y + 6, !old, c, &vo);
	date_random(r, chong.born.y + 20, chong.born.y + 30, &dk);
	if (dk.y > 2025)
		dk.y = 2025;
	snprintf(so, sizeof(so), old ? "%d" : "%d/%d", rng_int(r, 1, 300), dk.y);
	snprintf(quyen, sizeof(quyen), old ? "%02d/%d" : "%02d",
		 rng_int(r, 1, 5), dk.y);
	snprintf(noi_dk, sizeof(noi_dk), "Ủy ban nhân dân %s, %s, %s",
		 vo.ward, vo.district, vo.province);
	official(r, signer, sizeof(signer));

	page_begin(pg, c);
	header(pg, vo.ward, vo.district, so, quyen, old);
	title(pg, "GIẤY CHỨNG NHẬN KẾT HÔN", NULL);
	set_field(gt, "so", so, NULL);
	set_field(gt, "quyen_so", quyen, NULL);
	for (int k = 0; k < 2; k++) {
		struct who *w = k ? &vo : &chong;
		fmt_date(r, &w->born, k ? d2 : d1, sizeof(d1), old);
		if (old)
			field(pg, k ? "Họ và tên vợ:" : "Họ và tên chồng:",
			      w->name, 1);
		else
			field(pg, k ? "Họ, chữ đệm, tên vợ:"
				    : "Họ, chữ đệm, tên chồng:", w->name, 0);
		field(pg, "Ngày, tháng, năm sinh:", k ? d2 : d1, old);
		row_begin(&rw, pg, old);
		row_label(&rw, 0, "Dân tộc:");
		row_value(&rw, rng_pick(r, ethnicities, n_ethnicities), 100);
		row_label(&rw, 100, "Quốc tịch:");
		row_value(&rw, "Việt Nam", 0);
		row_end(&rw, 1.6);
		field(pg, old ? "Nơi thường trú/tạm trú:" : "Nơi cư trú:",
		      w->addr, old);
		if (!old) {
			snprintf(buf, sizeof(buf), "CCCD số 0%02d%d%02d%06d",
				 rng_int(r, 1, 96), k, w->born.y % 100,
				 rng_int(r, 0, 999999));
			field(pg, "Giấy tờ tùy thân:", buf, 0);
		}
		pg->y += 3;
	}
	date_iso(&chong.born, iso, sizeof(iso));
	set_field(gt, "ho_ten_chong", chong.name, NULL);
	set_field(gt, "ngay_sinh_chong", iso, d1);
	date_iso(&vo.born, iso, sizeof(iso));
	set_field(gt, "ho_ten_vo", vo.name, NULL);
	set_field(gt, "ngay_sinh_vo", iso, d2);
	field(pg, old ? "Nơi đăng ký:" : "Nơi đăng ký kết hôn:", noi_dk, old);
	set_field(gt, "noi_dang_ky", noi_dk, NULL);
	fmt_date(r, &dk, d1, sizeof(d1), old);
	date_iso(&dk, iso, sizeof(iso));
	set_field(gt, "ngay_dang_ky", iso, d1);
	field(pg, old ? "Ngày đăng ký:" : "Ngày, tháng, năm đăng ký:", d1, old);
	signature(pg, r, old ? "T/M ỦY BAN NHÂN DÂN" : "NGƯỜI KÝ GIẤY CHỨNG NHẬN",
		  old ? "CHỦ TỊCH" : "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)",
		  signer);
	page_end(pg);
	return 1;
}

/* Trích lục khai tử: who died, when and where. */
static int khai_tu(rng *r, const char *edition, const conditions *c,
		   page *pg, json_t *gt)
{
	int old = !strcmp(edition, "old");
	static const char *const causes[] = { "Bệnh già", "Bệnh tim",
		"Tai nạn giao thông", "Ung thư", "Đột quỵ", "Bệnh phổi" };
	struct who p;
	char so[64], quyen[64], d1[64], iso[16], noi_dk[600], noi_chet[600];
	char signer[160], buf[300];
	date chet, dk;
	row rw;

	make_person(r, rng_int(r, 0, 1), 1910, 1960, !old, c, &p);
	date_random(r, old ? 1975 : 2000, old ? 1999 : 2025, &chet);
	dk = chet;
	dk.d = dk.d > 20 ? 28 : dk.d + rng_int(r, 1, 7);
	snprintf(so, sizeof(so), old ? "%d" : "%d/%d", rng_int(r, 1, 300), dk.y);
	snprintf(quyen, sizeof(quyen), old ? "%02d/%d" : "%02d",
		 rng_int(r, 1, 5), dk.y);
	snprintf(noi_dk, sizeof(noi_dk), "Ủy ban nhân dân %s, %s, %s",
		 p.ward, p.district, p.province);
	if (rng_int(r, 0, 1))
		snprintf(noi_chet, sizeof(noi_chet), "%s", p.addr);
	else
		snprintf(noi_chet, sizeof(noi_chet), "Bệnh viện Đa khoa %s",
			 p.province);
	official(r, signer, sizeof(signer));

	page_begin(pg, c);
	header(pg, p.ward, p.district, so, quyen, old);
	title(pg, "TRÍCH LỤC KHAI TỬ", "(Bản chính)");
	set_field(gt, "so", so, NULL);
	set_field(gt, "quyen_so", quyen, NULL);
	field(pg, old ? "Họ và tên:" : "Họ, chữ đệm, tên:", p.name, old);
	set_field(gt, "ho_ten", p.name, NULL);
	fmt_date(r, &p.born, d1, sizeof(d1), old);
	date_iso(&p.born, iso, sizeof(iso));
	set_field(gt, "ngay_sinh", iso, d1);
	field(pg, old ? "Sinh ngày:" : "Ngày, tháng, năm sinh:", d1, old);
	row_begin(&rw, pg, old);
	row_label(&rw, 0, "Giới tính:");
	row_value(&rw, p.female ? "Nữ" : "Nam", 80);
	row_label(&rw, 80, "Dân tộc:");
	row_value(&rw, rng_pick(r, ethnicities, n_ethnicities), 135);
	row_label(&rw, 135, "Quốc tịch:");
	row_value(&rw, "Việt Nam", 0);
	row_end(&rw, 1.6);
	set_field(gt, "gioi_tinh", p.female ? "Nữ" : "Nam", NULL);
	field(pg, old ? "Nơi thường trú/tạm trú cuối cùng:"
		      : "Nơi cư trú cuối cùng:", p.addr, old);
	fmt_date(r, &chet, d1, sizeof(d1), old);
	date_iso(&chet, iso, sizeof(iso));
	snprintf(buf, sizeof(buf), "%02d giờ %02d phút, ngày %s",
		 rng_int(r, 0, 23), rng_int(r, 0, 59), d1);
	field(pg, "Đã chết vào lúc:", buf, old);
	set_field(gt, "ngay_chet", iso, d1);
	field(pg, "Nơi chết:", noi_chet, old);
	set_field(gt, "noi_chet", noi_chet, NULL);
	field(pg, "Nguyên nhân chết:", PICK(r, causes), old);
	field(pg, old ? "Nơi đăng ký:" : "Nơi đăng ký khai tử:", noi_dk, old);
	set_field(gt, "noi_dang_ky", noi_dk, NULL);
	fmt_date(r, &dk, d1, sizeof(d1), old);
	date_iso(&dk, iso, sizeof(iso));
	set_field(gt, "ngay_dang_ky", iso, d1);
	field(pg, old ? "Ngày đăng ký:" : "Ngày, tháng, năm đăng ký:", d1, old);
	signature(pg, r, old ? "T/M ỦY BAN NHÂN DÂN" : "NGƯỜI KÝ TRÍCH LỤC",
		  old ? "CHỦ TỊCH" : "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)",
		  signer);
	page_end(pg);
	return 1;
}

/* Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở...: owners on
 * page 1, the parcel and the house on page 2. */
static int gcn(rng *r, const conditions *c, page pg[2], json_t *gt)
{
	static const char *const series[] = { "BX", "BK", "CH", "CS", "DA",
		"BT", "AP", "CE" };
	static const char *const muc_dich[] = { "Đất ở tại đô thị",
		"Đất ở tại nông thôn", "Đất trồng cây lâu năm", "Đất trồng lúa" };
	static const char *const nguon[] = {
		"Nhà nước giao đất có thu tiền sử dụng đất",
		"Công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất",
		"Nhận chuyển nhượng quyền sử dụng đất",
		"Nhận thừa kế quyền sử dụng đất" };
	struct who a, b;
	char serial[32], vao_so[32], thua[16], to[16], area[32], area_p[64];
	char buf[700], iso[16], words[300], owners_line[2][300], signer[160];
	const char *md;
	json_t *owners = json_array();
	int two = rng_int(r, 0, 2) != 0, whole, tenth;
	date cap;
	row rw;

	make_person(r, 0, 1940, 1985, 1, c, &a);
	make_person(r, 1, a.born.y - 4, a.born.y + 6, 1, c, &b);
	date_random(r, 2005, 2024, &cap);
	snprintf(serial, sizeof(serial), "%s %06d", PICK(r, series),
		 rng_int(r, 0, 999999));
	snprintf(vao_so, sizeof(vao_so), "%s%05d", rng_int(r, 0, 1) ? "CH" : "CS",
		 rng_int(r, 1, 99999));
	snprintf(thua, sizeof(thua), "%d", rng_int(r, 1, 1500));
	snprintf(to, sizeof(to), "%d", rng_int(r, 1, 120));
	whole = rng_int(r, 30, 480);
	tenth = rng_int(r, 0, 9);
	snprintf(area, sizeof(area), "%d.%d", whole, tenth);
	snprintf(area_p, sizeof(area_p), "%d,%d m²", whole, tenth);
	md = PICK(r, muc_dich);
	official(r, signer, sizeof(signer));

	page_begin(&pg[0], c);
	pg[0].y = 22;
	centred(&pg[0], PAGE_W / 2, pg[0].y, "Bold", 13,
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	centred(&pg[0], PAGE_W / 2, pg[0].y + 6.5, "Bold", 13,
		"Độc lập - Tự do - Hạnh phúc");
	pg[0].y += 30;
	pg[0].y += centred(&pg[0], PAGE_W / 2, pg[0].y, "Bold", 20,
			   "GIẤY CHỨNG NHẬN") + 2;
	pg[0].y += centred(&pg[0], PAGE_W / 2, pg[0].y, "Bold", 13,
			   "QUYỀN SỬ DỤNG ĐẤT") + 1;
	pg[0].y += centred(&pg[0], PAGE_W / 2, pg[0].y, "Bold", 13,
			   "QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT") + 14;
	draw(&pg[0], LEFT, pg[0].y, pg[0].label_font, "Bold", BODY_PT,
	     "I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền "
	     "với đất", 0, RIGHT - LEFT, pg[0].lines, NULL);
	pg[0].y += 16;
	for (int k = 0; k < (two ? 2 : 1); k++) {
		struct who *w = k ? &b : &a;
		snprintf(owners_line[k], sizeof(owners_line[k]),
			 "%s, sinh năm %d, CMND số %09d", w->name, w->born.y,
			 rng_int(r, 10000000, 399999999));
		field(&pg[0], k ? "Bà:" : "Ông:", owners_line[k], 0);
		field(&pg[0], "Địa chỉ thường trú:", w->addr, 0);
		json_array_append_new(owners, json_string(w->name));
		pg[0].y += 2;
	}
	json_object_set_new(json_object_get(gt, "fields"), "chu_su_dung", owners);
	json_object_set_new(json_object_get(gt, "printed"), "chu_su_dung",
			    json_string(a.name));
	pg[0].y = 250;
	row_begin(&rw, &pg[0], 0);
	row_label(&rw, 120, "Số phát hành:");
	row_value(&rw, serial, 0);
	row_end(&rw, 0);
	set_field(gt, "so_phat_hanh", serial, NULL);
	page_end(&pg[0]);

	page_begin(&pg[1], c);
	pg[1].y = 20;
	draw(&pg[1], LEFT, pg[1].y, pg[1].label_font, "Bold", BODY_PT,
	     "II. Thửa đất, nhà ở và tài sản khác gắn liền với đất", 0, 0,
	     pg[1].lines, NULL);
	pg[1].y += 9;
	draw(&pg[1], LEFT, pg[1].y, pg[1].label_font, "Bold", BODY_PT,
	     "1. Thửa đất:", 0, 0, pg[1].lines, NULL);
	pg[1].y += 8;
	row_begin(&rw, &pg[1], 0);
	row_label(&rw, 0, "a) Thửa đất số:");
	row_value(&rw, thua, 100);
	row_label(&rw, 100, "b) Tờ bản đồ số:");
	row_value(&rw, to, 0);
	row_end(&rw, 1.6);
	set_field(gt, "thua_dat_so", thua, NULL);
	set_field(gt, "to_ban_do_so", to, NULL);
	field(&pg[1], "c) Địa chỉ:", a.addr, 0);
	set_field(gt, "dia_chi", a.addr, NULL);
	number_words(r, whole, words, sizeof(words));
	words[0] = (char)toupper((unsigned char)words[0]); /* all start in ASCII */
	snprintf(buf, sizeof(buf), "%s (Bằng chữ: %s%s%s mét vuông)", area_p,
		 words, tenth ? " phẩy " : "", tenth ? digit_words[tenth] : "");
	field(&pg[1], "d) Diện tích:", buf, 0);
	set_field(gt, "dien_tich", area, area_p);
	field(&pg[1], "đ) Hình thức sử dụng:", "Sử dụng riêng", 0);
	field(&pg[1], "e) Mục đích sử dụng:", md, 0);
	set_field(gt, "muc_dich_su_dung", md, NULL);
	if (strstr(md, "Đất ở"))
		snprintf(buf, sizeof(buf), "Lâu dài");
	else
		snprintf(buf, sizeof(buf), "Đến ngày %02d/%02d/%d", cap.d,
			 cap.m, cap.y + 50);
	field(&pg[1], "g) Thời hạn sử dụng:", buf, 0);
	set_field(gt, "thoi_han_su_dung", buf, NULL);
	snprintf(buf, sizeof(buf), "%s", PICK(r, nguon));
	field(&pg[1], "h) Nguồn gốc sử dụng:", buf, 0);
	set_field(gt, "nguon_goc_su_dung", buf, NULL);
	pg[1].y += 4;
	draw(&pg[1], LEFT, pg[1].y, pg[1].label_font, "Bold", BODY_PT,
	     "2. Nhà ở:", 0, 0, pg[1].lines, NULL);
	pg[1].y += 8;
	snprintf(buf, sizeof(buf), "Nhà ở riêng lẻ, %d tầng, diện tích xây "
		 "dựng %d m²", rng_int(r, 1, 4), whole * 7 / 10);
	field(&pg[1], "Loại nhà ở:", buf, 0);
	pg[1].y += 8;
	date_iso(&cap, iso, sizeof(iso));
	snprintf(buf, sizeof(buf), "%s, ngày %d tháng %d năm %d", a.district,
		 cap.d, cap.m, cap.y);
	draw(&pg[1], 140, pg[1].y, pg[1].label_font, "Italic", BODY_PT, buf, 1,
	     0, pg[1].lines, NULL);
	snprintf(buf, sizeof(buf), "ngày %d tháng %d năm %d", cap.d, cap.m,
		 cap.y);
	set_field(gt, "ngay_cap", iso, buf);
	pg[1].y += 8;
	signature(&pg[1], r, "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", signer);
	pg[1].y += 6;
	row_begin(&rw, &pg[1], 0);
	row_label(&rw, 0, "Số vào sổ cấp GCN:");
	row_value(&rw, vao_so, 0);
	row_end(&rw, 0);
	set_field(gt, "so_vao_so", vao_so, NULL);
	page_end(&pg[1]);
	return 2;
}

int form_render(rng *r, const char *type, const char *edition,
		const conditions *c, page pages[2], json_t *gt)
{
	if (!strcmp(type, "khai-sinh"))
		return khai_sinh(r, edition, c, &pages[0], gt);
	if (!strcmp(type, "ket-hon"))
		return ket_hon(r, edition, c, &pages[0], gt);
	if (!strcmp(type, "khai-tu"))
		return khai_tu(r, edition, c, &pages[0], gt);
	if (!strcmp(type, "gcn"))
		return gcn(r, c, pages, gt);
	return 0;
}
