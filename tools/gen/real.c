/* real.c - the real editions of the four types, each record drawn with
 * a layout of its own: margins, column positions, fonts and sizes, the
 * space between rows, whether a long value wraps at the left margin (as
 * the printed forms do) or under itself, which optional lines appear,
 * whether units are printed small inside an address. Nothing a field
 * reader could learn from one drawing is fixed here, so that a corpus
 * drawn this way measures reading the forms, not this generator. */
#include "gen.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef struct layout {
	double left, right, pt, gap;
	const char *font;
	int margin_wrap; /* a long value wraps at the left margin */
	int small_units; /* "phường Hàng Bông, quận Hoàn Kiếm" */
	int dotted;      /* the fill-in dots of the older forms */
} layout;

static void layout_pick(rng *r, int old, const conditions *c, layout *l)
{
	static const char *const fonts[] = { "Liberation Serif", "DejaVu Serif",
					     "Liberation Sans", "DejaVu Sans" };

	l->left = rng_real(r, 14, 28);
	l->right = PAGE_W - rng_real(r, 12, 24);
	l->pt = rng_real(r, 11, 13.5);
	l->gap = rng_real(r, 0.6, 3.2);
	l->font = c->typewriter ? "Liberation Mono" : PICK(r, fonts);
	l->margin_wrap = rng_int(r, 0, 4) != 0;
	l->small_units = rng_int(r, 0, 2) == 0;
	l->dotted = old && rng_int(r, 0, 1);
}

/* One printed row: up to four label/value pairs at their columns (x
 * mm; 0: right after the previous pair). A single pair's long value
 * wraps, at the margin or under itself as the layout says; its visual
 * lines are recorded as printed. */
static void row(page *p, const layout *l, int n, const char *const *label,
		const char *const *value, const double *col)
{
	char line[2048] = "";
	double x = l->left, h = 0, adv;
	size_t len = 0;

	if (n == 1 && l->margin_wrap) {
		char text[2048];
		snprintf(text, sizeof(text), "%s %s", label[0], value[0]);
		h = draw(p, l->left, p->y, l->font, "", l->pt, text, 0,
			 l->right - l->left, p->lines, NULL);
		p->y += (h > 5 ? h : 5) + l->gap;
		return;
	}
	json_t *more = json_array();
	for (int i = 0; i < n; i++) {
		json_t *vl = json_array();
		double hl, hv;
		if (col[i] > x)
			x = col[i];
		hl = draw(p, x, p->y, l->font, "", l->pt, label[i], 0, 0, NULL, &adv);
		x += adv + 1.8;
		if (l->dotted) {
			cairo_new_path(p->cr);
			for (double d = x - 1; d < (i + 1 < n && col[i + 1] > 0 ? col[i + 1] : l->right) - 1; d += 1.2) {
				cairo_arc(p->cr, d, p->y + l->pt * 0.45, 0.13, 0, 6.3);
				cairo_fill(p->cr);
			}
		}
		/* the last value of a row wraps under itself */
		hv = draw(p, x, p->y, l->font, "", l->pt, value[i], 0,
			  i == n - 1 ? l->right - x : 0, vl, &adv);
		const char *first = json_string_value(json_array_get(vl, 0));
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s%s%s",
					len ? " " : "", label[i],
					first && *first ? " " : "", first ? first : "");
		for (size_t k = 1; k < json_array_size(vl); k++)
			json_array_append(more, json_array_get(vl, k));
		json_decref(vl);
		x += adv + 5;
		h = hl > h ? hl : h;
		h = hv > h ? hv : h;
	}
	json_array_append_new(p->lines, json_string(line));
	json_array_extend(p->lines, more);
	json_decref(more);
	p->y += (h > 5 ? h : 5) + l->gap;
}

static void row1(page *p, const layout *l, const char *label, const char *value)
{
	double col = 0;

	row(p, l, 1, &label, &value, &col);
}

/* Labels that the form prints on one line: on one line at columns of
 * this record's own, or one under the other. */
static void row_n(page *p, rng *r, const layout *l, int n,
		  const char *const *label, const char *const *value)
{
	double col[4] = { l->left };
	double w = l->right - l->left;

	if (rng_int(r, 0, 5) == 0) {
		for (int i = 0; i < n; i++)
			row1(p, l, label[i], value[i]);
		return;
	}
	for (int i = 1; i < n; i++)
		col[i] = l->left + w * (i / (double)n + rng_real(r, -0.04, 0.06));
	row(p, l, n, label, value, col);
}

/* A unit's prefix printed small inside an address, when the layout
 * does so ("Phường 5" -> "phường 5"). */
static void unit_case(const layout *l, char *s)
{
	static const char *const units[] = { "Phường ", "Quận ", "Huyện ", "Xã ",
		"Thị trấn ", "Thành phố ", "Tỉnh ", "Thị xã " };

	if (!l->small_units)
		return;
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++)
		for (char *p = s; (p = strstr(p, units[i]));) {
			if (p != s)
				*p = (char)tolower((unsigned char)*p);
			p += strlen(units[i]);
		}
}


static void person(rng *r, const layout *l, int female, int y0, int y1,
		   int caps, struct who *w)
{
	static const char *const streets[] = { "Lê Lợi", "Nguyễn Huệ",
		"Trần Hưng Đạo", "Hai Bà Trưng", "Nguyễn Đình Chiểu", "Tràng Thi",
		"Lý Thường Kiệt", "Phan Chu Trinh", "Điện Biên Phủ", "Hoàng Cầu" };
	who_draw(r, female, y0, y1, caps, w);
	switch (rng_int(r, 0, 2)) {
	case 0:
		snprintf(w->addr, sizeof(w->addr), "%s, %s, %s", w->ward,
			 w->district, w->province);
		break;
	case 1:
		snprintf(w->addr, sizeof(w->addr), "Số %d đường %s, %s, %s, %s",
			 rng_int(r, 1, 300), PICK(r, streets), w->ward, w->district,
			 w->province);
		break;
	default:
		snprintf(w->addr, sizeof(w->addr), "Số %d/%d ngõ %d phố %s, tổ "
			 "dân phố %d, %s, %s, %s", rng_int(r, 1, 99), rng_int(r, 1, 30),
			 rng_int(r, 2, 200), PICK(r, streets), rng_int(r, 1, 25),
			 w->ward, w->district, w->province);
	}
	unit_case(l, w->addr);
}

static void id_number(rng *r, const struct who *w, char *out, size_t len)
{
	snprintf(out, len, "0%02d%d%02d%06d", rng_int(r, 1, 96),
		 w->female ? (w->born.y >= 2000 ? 3 : 1) : (w->born.y >= 2000 ? 2 : 0),
		 w->born.y % 100, rng_int(r, 0, 999999));
}

/* The issuing office and the motto; the number line of the edition. */
static void office(page *p, const layout *l, const struct who *w)
{
	char ward[160];
	double mid = (l->left + l->right) / 2, y = p->y;

	upper(w->ward, ward, sizeof(ward));
	centred(p, l->left + 35, y, "", l->pt, "ỦY BAN NHÂN DÂN");
	centred(p, l->left + 35, y + l->pt * 0.5, "Bold", l->pt, ward);
	centred(p, mid + 45, y, "Bold", l->pt, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	centred(p, mid + 45, y + l->pt * 0.5, "Bold", l->pt, "Độc lập - Tự do - Hạnh phúc");
	p->y = y + l->pt * 1.3;
}

static void title(page *p, rng *r, const layout *l, const char *t,
		  const char *sub)
{
	double mid = (l->left + l->right) / 2;

	p->y += rng_real(r, 3, 9);
	p->y += centred(p, mid, p->y, "Bold", l->pt + rng_real(r, 3, 6), t) + 1;
	if (sub)
		p->y += centred(p, mid, p->y, "Italic", l->pt - 0.5, sub);
	p->y += rng_real(r, 3, 8);
}

static void date_dmy(const date *d, char *out, size_t len)
{
	snprintf(out, len, "%02d/%02d/%04d", d->d, d->m, d->y);
}

static void plus_days(date *d, int n)
{
	d->d += n;
	while (d->d > 28) {
		d->d -= 28;
		if (++d->m > 12) {
			d->m = 1;
			d->y++;
		}
	}
}

/* The signature block that closes a hộ tịch page: the older forms' T/M
 * Ủy ban nhân dân and Chủ tịch, the current ones' who signs; the page is
 * done. Returns its page count. */
static int sign_off(page *pg, rng *r, int old, const char *who,
		    const char *signer)
{
	pg->y += rng_real(r, 2, 10);
	signature(pg, r, old ? "T/M ỦY BAN NHÂN DÂN" : who,
		  old ? "CHỦ TỊCH" : "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)",
		  signer);
	page_end(pg);
	return 1;
}

/* Giấy khai sinh (three editions) and Trích lục khai sinh. */
static int khai_sinh(rng *r, const char *ed, const conditions *c, page *pg,
		     json_t *gt)
{
	int old = !strcmp(ed, "truoc-2016"), extract = !strcmp(ed, "trich-luc");
	int y0 = old ? 1965 : !strcmp(ed, "tt15-2015") ? 2016 : 2021;
	int y1 = old ? 2014 : !strcmp(ed, "tt15-2015") ? 2019 : 2024;
	struct who child, me, cha;
	char so[64], quyen[64], iso[16], d1[64], words[300], noi_sinh[700];
	char que[400], noi_dk[600], signer[160], id[32], buf[700];
	const char *eth = rng_pick(r, ethnicities, n_ethnicities);
	layout l;
	date dk;

	layout_pick(r, old, c, &l);
	person(r, &l, rng_int(r, 0, 1), y0, y1, !old, &child);
	person(r, &l, 1, child.born.y - 40, child.born.y - 18, !old, &me);
	person(r, &l, 0, child.born.y - 45, child.born.y - 19, !old, &cha);
	dk = child.born;
	plus_days(&dk, rng_int(r, 1, 25));
	snprintf(so, sizeof(so), old ? "%d" : "%d/%d", rng_int(r, 1, 400), dk.y);
	snprintf(quyen, sizeof(quyen), "%02d/%d", rng_int(r, 1, 5), dk.y);
	if (rng_int(r, 0, 2))
		snprintf(noi_sinh, sizeof(noi_sinh), "%s", child.addr);
	else {
		snprintf(noi_sinh, sizeof(noi_sinh), "Bệnh viện Đa khoa %s, %s",
			 child.district, child.province);
		unit_case(&l, noi_sinh);
	}
	snprintf(que, sizeof(que), "%s, %s", cha.district, cha.province);
	unit_case(&l, que);
	snprintf(noi_dk, sizeof(noi_dk), "Ủy ban nhân dân %s, %s, %s",
		 child.ward, child.district, child.province);
	unit_case(&l, noi_dk);
	official(r, signer, sizeof(signer));

	page_begin(pg, c);
	pg->y = rng_real(r, 10, 22);
	office(pg, &l, &child);
	if (extract) {
		/* the extract's own number, place and date on one line */
		date is = dk;
		char ward[128], *sp;
		plus_days(&is, rng_int(r, 1, 27));
		is.y += rng_int(r, 0, 3);
		if (is.y > 2025)
			is.y = 2025;
		snprintf(ward, sizeof(ward), "%s", child.ward);
		sp = strchr(ward, ' ');
		if (sp && !strncmp(ward, "Thị", 3))
			sp = strchr(sp + 1, ' ');
		snprintf(buf, sizeof(buf), "%d/TLKS-BS", rng_int(r, 1, 900));
		const char *lab[2] = { "Số:", sp ? sp + 1 : ward };
		char when[96];
		snprintf(when, sizeof(when), "ngày %d tháng %d năm %d", is.d, is.m, is.y);
		char place_date[300];
		snprintf(place_date, sizeof(place_date), "%s, %s", sp ? sp + 1 : ward, when);
		const char *lv[2] = { buf, "" };
		double col[2] = { l.left, l.left + (l.right - l.left) * rng_real(r, 0.45, 0.55) };
		lab[1] = place_date;
		row(pg, &l, 2, lab, lv, col);
		title(pg, r, &l, "TRÍCH LỤC KHAI SINH", rng_int(r, 0, 1) ? "(BẢN SAO)" : "(Bản chính)");
	} else {
		row1(pg, &l, "Số:", so);
		if (old)
			row1(pg, &l, "Quyển số:", quyen);
		title(pg, r, &l, "GIẤY KHAI SINH", old ? NULL : "(Bản chính)");
	}
	row1(pg, &l, old ? "Họ và tên:" : "Họ, chữ đệm, tên:", child.name);
	set_field(gt, "ho_ten", child.name, NULL);
	date_dmy(&child.born, d1, sizeof(d1));
	date_iso(&child.born, iso, sizeof(iso));
	set_field(gt, "ngay_sinh", iso, d1);
	if (old) {
		row1(pg, &l, "Nam hay nữ:", child.female ? "Nữ" : "Nam");
		row1(pg, &l, "Ngày, tháng, năm sinh:", d1);
	} else {
		date_words(r, &child.born, words, sizeof(words));
		const char *lab[2] = { "Ngày, tháng, năm sinh:", "ghi bằng chữ:" };
		const char *val[2] = { d1, words };
		if (rng_int(r, 0, 1))
			row_n(pg, r, &l, 2, lab, val);
		else {
			row1(pg, &l, lab[0], d1);
			row1(pg, &l, lab[1], words);
		}
		const char *lab3[3] = { "Giới tính:", "Dân tộc:", "Quốc tịch:" };
		const char *val3[3] = { child.female ? "Nữ" : "Nam", eth, "Việt Nam" };
		row_n(pg, r, &l, 3, lab3, val3);
	}
	set_field(gt, "gioi_tinh", child.female ? "Nữ" : "Nam", NULL);
	row1(pg, &l, "Nơi sinh:", noi_sinh);
	set_field(gt, "noi_sinh", noi_sinh, NULL);
	if (old) {
		const char *lab[2] = { "Dân tộc:", "Quốc tịch:" };
		const char *val[2] = { eth, "Việt Nam" };
		row_n(pg, r, &l, 2, lab, val);
	}
	set_field(gt, "dan_toc", eth, NULL);
	set_field(gt, "quoc_tich", "Việt Nam", NULL);
	row1(pg, &l, "Quê quán:", que);
	set_field(gt, "que_quan", que, NULL);
	if (!old) {
		id_number(r, &child, id, sizeof(id));
		row1(pg, &l, "Số định danh cá nhân:", id);
		set_field(gt, "so_dinh_danh", id, NULL);
	}
	for (int k = 0; k < 2; k++) {
		struct who *w = k ? &cha : &me;
		char year[16];
		row1(pg, &l, old ? (k ? "Họ và tên cha:" : "Họ và tên mẹ:")
				 : (k ? "Họ, chữ đệm, tên người cha:"
				      : "Họ, chữ đệm, tên người mẹ:"), w->name);
		set_field(gt, k ? "ho_ten_cha" : "ho_ten_me", w->name, NULL);
		if (extract)
			continue;
		snprintf(year, sizeof(year), "%d", w->born.y);
		const char *lab[3] = { "Năm sinh:", "Dân tộc:", "Quốc tịch:" };
		const char *val[3] = { year, "Kinh", "Việt Nam" };
		row_n(pg, r, &l, 3, lab, val);
		row1(pg, &l, old ? "Nơi thường trú/tạm trú:" : "Nơi cư trú:", w->addr);
	}
	if (!old && !extract && rng_int(r, 0, 1)) {
		row1(pg, &l, "Họ, chữ đệm, tên người đi khai sinh:", cha.name);
		id_number(r, &cha, id, sizeof(id));
		snprintf(buf, sizeof(buf), "Căn cước công dân số %s", id);
		row1(pg, &l, "Giấy tờ tùy thân:", buf);
	}
	set_field(gt, "noi_dang_ky", noi_dk, NULL);
	date_iso(&dk, iso, sizeof(iso));
	if (extract) {
		snprintf(so, sizeof(so), "%d", rng_int(r, 1, 400));
		row1(pg, &l, "Đăng ký khai sinh tại:", noi_dk);
		snprintf(d1, sizeof(d1), "%02d/%d/%d", dk.d, dk.m, dk.y);
		const char *lab[2] = { "Số:", "ngày:" };
		const char *val[2] = { so, d1 };
		double col[2] = { l.left, 0 };
		row(pg, &l, 2, lab, val, col);
		set_field(gt, "ngay_dang_ky", iso, d1);
	} else if (old) {
		snprintf(buf, sizeof(buf), "ngày %d tháng %d năm %d", dk.d, dk.m, dk.y);
		row1(pg, &l, "Nơi đăng ký:", noi_dk);
		row1(pg, &l, "Đăng ký ngày", buf + 5);
		set_field(gt, "ngay_dang_ky", iso, buf);
	} else {
		row1(pg, &l, "Nơi đăng ký khai sinh:", noi_dk);
		fmt_date(r, &dk, d1, sizeof(d1), 0);
		row1(pg, &l, "Ngày, tháng, năm đăng ký:", d1);
		set_field(gt, "ngay_dang_ky", iso, d1);
	}
	set_field(gt, "so", so, NULL);
	if (old)
		set_field(gt, "quyen_so", quyen, NULL);
	return sign_off(pg, r, old, extract ? "NGƯỜI KÝ TRÍCH LỤC"
				       : "NGƯỜI KÝ GIẤY KHAI SINH", signer);
}

/* One row of the spouses' details side by side: the husband's label and
 * value in the left column, the wife's in the right, a long value
 * wrapping inside its own column; the lines recorded as printed, the
 * left column's part of each line first. */
static void spouse_row(page *p, const layout *l, const char *const label[2],
		       const char *const value[2])
{
	double mid = (l->left + l->right) / 2, h = 0;
	json_t *vl[2];

	for (int k = 0; k < 2; k++) {
		char text[2048];
		double x0 = k ? mid + 2 : l->left, x1 = k ? l->right : mid - 3;
		snprintf(text, sizeof(text), "%s %s", label[k], value[k]);
		vl[k] = json_array();
		double hk = draw(p, x0, p->y, l->font, "", l->pt, text, 0, x1 - x0, vl[k], NULL);
		h = hk > h ? hk : h;
	}
	size_t n = json_array_size(vl[0]) > json_array_size(vl[1]) ? json_array_size(vl[0])
								    : json_array_size(vl[1]);
	for (size_t i = 0; i < n; i++) {
		const char *a = json_string_value(json_array_get(vl[0], i));
		const char *b = json_string_value(json_array_get(vl[1], i));
		char line[2048];
		snprintf(line, sizeof(line), "%s%s%s", a ? a : "", a && b ? " " : "", b ? b : "");
		json_array_append_new(p->lines, json_string(line));
	}
	json_decref(vl[0]);
	json_decref(vl[1]);
	p->y += (h > 5 ? h : 5) + l->gap;
}

/* The current form's spouses side by side, in two columns under their
 * headings: name, date of birth, ethnicity and nationality, residence,
 * identity paper, a row each. */
static void spouses_side_by_side(page *pg, rng *r, const layout *l, struct who w[2],
				 char d[2][64], json_t *gt)
{
	char id[2][32], paper[2][64], iso[16];
	const char *eth[2];
	double mid = (l->left + l->right) / 2;

	for (int k = 0; k < 2; k++) {
		fmt_date(r, &w[k].born, d[k], sizeof(d[k]), 0);
		eth[k] = rng_pick(r, ethnicities, n_ethnicities);
		id_number(r, &w[k], id[k], sizeof(id[k]));
		snprintf(paper[k], sizeof(paper[k]), "CCCD số %s", id[k]);
	}
	centred(pg, (l->left + mid) / 2, pg->y, "Bold", l->pt, "Thông tin người chồng");
	pg->y += centred(pg, (mid + l->right) / 2, pg->y, "Bold", l->pt, "Thông tin người vợ") + l->gap;
	const char *lab[5][2] = {
		{ "Họ, chữ đệm, tên chồng:", "Họ, chữ đệm, tên vợ:" },
		{ "Ngày, tháng, năm sinh:", "Ngày, tháng, năm sinh:" },
		{ "Dân tộc:", "Dân tộc:" },
		{ "Nơi cư trú:", "Nơi cư trú:" },
		{ "Giấy tờ tùy thân:", "Giấy tờ tùy thân:" },
	};
	const char *val[5][2] = {
		{ w[0].name, w[1].name }, { d[0], d[1] }, { eth[0], eth[1] },
		{ w[0].addr, w[1].addr }, { paper[0], paper[1] },
	};
	for (int i = 0; i < 5; i++)
		spouse_row(pg, l, lab[i], val[i]);
	for (int k = 0; k < 2; k++) {
		date_iso(&w[k].born, iso, sizeof(iso));
		set_field(gt, k ? "ho_ten_vo" : "ho_ten_chong", w[k].name, NULL);
		set_field(gt, k ? "ngay_sinh_vo" : "ngay_sinh_chong", iso, d[k]);
	}
	pg->y += rng_real(r, 0, 4);
}

/* Giấy chứng nhận kết hôn: the husband's and the wife's details in turn,
 * or side by side. */
static int ket_hon(rng *r, const char *ed, const conditions *c, page *pg,
		   json_t *gt)
{
	int old = !strcmp(ed, "truoc-2016");
	struct who w[2];
	char so[64], quyen[64], d[2][64], iso[16], noi_dk[600], signer[160], buf[300];
	layout l;
	date dk;

	layout_pick(r, old, c, &l);
	person(r, &l, 0, old ? 1940 : 1970, old ? 1990 : 2003, !old, &w[0]);
	person(r, &l, 1, w[0].born.y - 3, w[0].born.y + 6, !old, &w[1]);
	date_random(r, w[0].born.y + 20, w[0].born.y + 30, &dk);
	if (old && dk.y > 2015)
		dk.y = 2015;
	if (!old && dk.y < 2016)
		dk.y = 2016 + rng_int(r, 0, 8);
	if (dk.y > 2025)
		dk.y = 2025;
	snprintf(so, sizeof(so), old ? "%d" : "%d/%d", rng_int(r, 1, 300), dk.y);
	snprintf(quyen, sizeof(quyen), "%02d/%d", rng_int(r, 1, 5), dk.y);
	snprintf(noi_dk, sizeof(noi_dk), "Ủy ban nhân dân %s, %s, %s",
		 w[1].ward, w[1].district, w[1].province);
	unit_case(&l, noi_dk);
	official(r, signer, sizeof(signer));

	page_begin(pg, c);
	pg->y = rng_real(r, 10, 22);
	office(pg, &l, &w[1]);
	if (old) {
		const char *lab[2] = { "Số:", "Quyển số:" };
		const char *val[2] = { so, quyen };
		row_n(pg, r, &l, 2, lab, val);
		set_field(gt, "quyen_so", quyen, NULL);
	} else {
		row1(pg, &l, "Số:", so);
	}
	set_field(gt, "so", so, NULL);
	title(pg, r, &l, "GIẤY CHỨNG NHẬN KẾT HÔN", NULL);
	/* older prints worded the date and the address shorter; the
	 * current form may set the spouses side by side */
	int short_words = old && rng_int(r, 0, 1), two_columns = !old && rng_int(r, 0, 1);
	if (two_columns) {
		spouses_side_by_side(pg, r, &l, w, d, gt);
	} else {
		for (int k = 0; k < 2; k++) {
			fmt_date(r, &w[k].born, d[k], sizeof(d[k]), old);
			row1(pg, &l, old ? (k ? "Họ và tên vợ:" : "Họ và tên chồng:")
					 : (k ? "Họ, chữ đệm, tên vợ:" : "Họ, chữ đệm, tên chồng:"),
			     w[k].name);
			row1(pg, &l, short_words ? "Sinh ngày:" : "Ngày, tháng, năm sinh:", d[k]);
			const char *lab[2] = { "Dân tộc:", "Quốc tịch:" };
			const char *val[2] = { rng_pick(r, ethnicities, n_ethnicities), "Việt Nam" };
			row_n(pg, r, &l, 2, lab, val);
			row1(pg, &l, short_words ? "Nơi thường trú:" : old ? "Nơi thường trú/tạm trú:"
			     : "Nơi cư trú:", w[k].addr);
			if (!old) {
				char id[32];
				id_number(r, &w[k], id, sizeof(id));
				snprintf(buf, sizeof(buf), "CCCD số %s", id);
				row1(pg, &l, "Giấy tờ tùy thân:", buf);
			}
			pg->y += rng_real(r, 0, 4);
			date_iso(&w[k].born, iso, sizeof(iso));
			set_field(gt, k ? "ho_ten_vo" : "ho_ten_chong", w[k].name, NULL);
			set_field(gt, k ? "ngay_sinh_vo" : "ngay_sinh_chong", iso, d[k]);
		}
	}
	row1(pg, &l, old ? "Nơi đăng ký:" : "Nơi đăng ký kết hôn:", noi_dk);
	set_field(gt, "noi_dang_ky", noi_dk, NULL);
	fmt_date(r, &dk, d[0], sizeof(d[0]), old);
	date_iso(&dk, iso, sizeof(iso));
	row1(pg, &l, old ? "Ngày đăng ký:" : "Ngày, tháng, năm đăng ký:", d[0]);
	set_field(gt, "ngay_dang_ky", iso, d[0]);
	return sign_off(pg, r, old, "NGƯỜI KÝ GIẤY CHỨNG NHẬN", signer);
}

/* Trích lục khai tử, the current one and the older one. */
static int khai_tu(rng *r, const char *ed, const conditions *c, page *pg,
		   json_t *gt)
{
	int old = !strcmp(ed, "truoc-2016");
	static const char *const causes[] = { "Bệnh già", "Bệnh tim",
		"Tai nạn giao thông", "Ung thư", "Đột quỵ", "Bệnh phổi" };
	struct who p;
	char so[64], quyen[64], d1[64], iso[16], noi_dk[600], noi_chet[700];
	char signer[160], buf[300], id[32];
	layout l;
	date chet, dk;

	layout_pick(r, old, c, &l);
	person(r, &l, rng_int(r, 0, 1), 1915, 1965, !old, &p);
	date_random(r, old ? 1980 : 2016, old ? 2014 : 2024, &chet);
	dk = chet;
	plus_days(&dk, rng_int(r, 1, 9));
	snprintf(so, sizeof(so), old ? "%d" : "%d/%d", rng_int(r, 1, 300), dk.y);
	snprintf(quyen, sizeof(quyen), "%02d/%d", rng_int(r, 1, 5), dk.y);
	snprintf(noi_dk, sizeof(noi_dk), "Ủy ban nhân dân %s, %s, %s",
		 p.ward, p.district, p.province);
	unit_case(&l, noi_dk);
	if (rng_int(r, 0, 1))
		snprintf(noi_chet, sizeof(noi_chet), "%s", p.addr);
	else {
		snprintf(noi_chet, sizeof(noi_chet), "Bệnh viện Đa khoa %s", p.province);
		unit_case(&l, noi_chet);
	}
	official(r, signer, sizeof(signer));

	page_begin(pg, c);
	pg->y = rng_real(r, 10, 22);
	office(pg, &l, &p);
	row1(pg, &l, "Số:", so);
	set_field(gt, "so", so, NULL);
	if (old) {
		row1(pg, &l, "Quyển số:", quyen);
		set_field(gt, "quyen_so", quyen, NULL);
	}
	title(pg, r, &l, "TRÍCH LỤC KHAI TỬ", rng_int(r, 0, 1) ? "(Bản chính)" : "(BẢN SAO)");
	row1(pg, &l, old ? "Họ và tên:" : "Họ, chữ đệm, tên:", p.name);
	set_field(gt, "ho_ten", p.name, NULL);
	fmt_date(r, &p.born, d1, sizeof(d1), old);
	date_iso(&p.born, iso, sizeof(iso));
	set_field(gt, "ngay_sinh", iso, d1);
	row1(pg, &l, old ? "Sinh ngày:" : "Ngày, tháng, năm sinh:", d1);
	const char *lab3[3] = { "Giới tính:", "Dân tộc:", "Quốc tịch:" };
	const char *val3[3] = { p.female ? "Nữ" : "Nam",
				rng_pick(r, ethnicities, n_ethnicities), "Việt Nam" };
	row_n(pg, r, &l, 3, lab3, val3);
	set_field(gt, "gioi_tinh", p.female ? "Nữ" : "Nam", NULL);
	if (!old) {
		id_number(r, &p, id, sizeof(id));
		row1(pg, &l, "Số định danh cá nhân:", id);
		set_field(gt, "so_dinh_danh", id, NULL);
	}
	row1(pg, &l, old ? "Nơi thường trú/tạm trú cuối cùng:" : "Nơi cư trú cuối cùng:", p.addr);
	fmt_date(r, &chet, d1, sizeof(d1), old);
	date_iso(&chet, iso, sizeof(iso));
	snprintf(buf, sizeof(buf), "%02d giờ %02d phút, ngày %s", rng_int(r, 0, 23),
		 rng_int(r, 0, 59), d1);
	row1(pg, &l, "Đã chết vào lúc:", buf);
	set_field(gt, "ngay_chet", iso, d1);
	row1(pg, &l, "Nơi chết:", noi_chet);
	set_field(gt, "noi_chet", noi_chet, NULL);
	if (rng_int(r, 0, 3))
		row1(pg, &l, "Nguyên nhân chết:", PICK(r, causes));
	row1(pg, &l, old ? "Nơi đăng ký:" : "Nơi đăng ký khai tử:", noi_dk);
	set_field(gt, "noi_dang_ky", noi_dk, NULL);
	fmt_date(r, &dk, d1, sizeof(d1), old);
	date_iso(&dk, iso, sizeof(iso));
	row1(pg, &l, old ? "Ngày đăng ký:" : "Ngày, tháng, năm đăng ký:", d1);
	set_field(gt, "ngay_dang_ky", iso, d1);
	return sign_off(pg, r, old, "NGƯỜI KÝ TRÍCH LỤC", signer);
}

/* The land certificate of Thông tư 23/2014/TT-BTNMT: the cover with its
 * title, the serial alone under it and the owners; the parcel and the
 * house on the next page. */
static int gcn(rng *r, const conditions *c, page pg[2], json_t *gt)
{
	static const char *const series[] = { "BX", "BK", "CH", "CS", "DA", "BT", "AP", "CE" };
	static const char *const muc_dich[] = { "Đất ở tại đô thị", "Đất ở tại nông thôn",
		"Đất trồng cây lâu năm", "Đất trồng lúa" };
	static const char *const nguon[] = {
		"Nhà nước giao đất có thu tiền sử dụng đất",
		"Công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất",
		"Nhận chuyển nhượng quyền sử dụng đất", "Nhận thừa kế quyền sử dụng đất" };
	struct who own[2];
	char serial[32], vao_so[32], thua[16], to[16], area[32], area_p[64];
	char buf[2600], iso[16], words[300], signer[160];
	json_t *owners = json_array(), *details = json_array();
	int two = rng_int(r, 0, 2) != 0, whole = rng_int(r, 30, 480), tenth = rng_int(r, 0, 9);
	const char *md = PICK(r, muc_dich);
	layout l;
	date cap;

	layout_pick(r, 0, c, &l);
	person(r, &l, 0, 1940, 1990, 1, &own[0]);
	person(r, &l, 1, own[0].born.y - 4, own[0].born.y + 6, 1, &own[1]);
	date_random(r, 2015, 2024, &cap);
	snprintf(serial, sizeof(serial), "%s %06d", PICK(r, series), rng_int(r, 0, 999999));
	snprintf(vao_so, sizeof(vao_so), "%s%05d", rng_int(r, 0, 1) ? "CH" : "CS",
		 rng_int(r, 1, 99999));
	snprintf(thua, sizeof(thua), "%d", rng_int(r, 1, 1500));
	snprintf(to, sizeof(to), "%d", rng_int(r, 1, 120));
	snprintf(area, sizeof(area), "%d.%d", whole, tenth);
	snprintf(area_p, sizeof(area_p), "%d,%d m²", whole, tenth);
	official(r, signer, sizeof(signer));

	double mid = (l.left + l.right) / 2;
	page_begin(&pg[0], c);
	pg[0].y = rng_real(r, 15, 30);
	centred(&pg[0], mid, pg[0].y, "Bold", l.pt, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	centred(&pg[0], mid, pg[0].y + l.pt * 0.5, "Bold", l.pt, "Độc lập - Tự do - Hạnh phúc");
	pg[0].y += rng_real(r, 18, 35);
	pg[0].y += centred(&pg[0], mid, pg[0].y, "Bold", l.pt + 7, "GIẤY CHỨNG NHẬN") + 2;
	pg[0].y += draw(&pg[0], mid, pg[0].y, l.font, "Bold", l.pt, "QUYỀN SỬ DỤNG ĐẤT, "
			"QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT", 1,
			l.right - l.left - 20, pg[0].lines, NULL) + rng_real(r, 4, 12);
	pg[0].y += centred(&pg[0], mid, pg[0].y, "Bold", l.pt + 2, serial) + rng_real(r, 8, 20);
	set_field(gt, "so_phat_hanh", serial, NULL);
	pg[0].y += draw(&pg[0], l.left, pg[0].y, l.font, "Bold", l.pt,
			"I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất",
			0, l.right - l.left, pg[0].lines, NULL) + 4;
	int inline_details = rng_int(r, 0, 2) == 0;
	for (int k = 0; k < (two ? 2 : 1); k++) {
		struct who *w = &own[k];
		char year[16], id[32], doc[48];
		id_number(r, w, id, sizeof(id));
		snprintf(year, sizeof(year), "%d", w->born.y);
		if (inline_details) {
			/* older printings: "NAME, sinh năm 1960, CMND số ..." */
			id[9] = '\0';
			snprintf(buf, sizeof(buf), "%s, sinh năm %s, CMND số %s", w->name, year, id);
			row1(&pg[0], &l, k ? "Bà:" : "Ông:", buf);
			snprintf(doc, sizeof(doc), "CMND số %s", id);
		} else {
			const char *lab[3] = { k ? "Bà:" : "Ông:", "Năm sinh:", "CCCD số:" };
			const char *val[3] = { w->name, year, id };
			double col[3] = { l.left, l.left + (l.right - l.left) * rng_real(r, 0.42, 0.5),
					  l.left + (l.right - l.left) * rng_real(r, 0.6, 0.66) };
			row(&pg[0], &l, 3, lab, val, col);
			snprintf(doc, sizeof(doc), "CCCD số %s", id);
		}
		row1(&pg[0], &l, "Địa chỉ thường trú:", w->addr);
		json_array_append_new(owners, json_string(w->name));
		json_array_append_new(details, json_pack("{s:s, s:s, s:s}", "ho_ten", w->name,
							 "nam_sinh", year, "giay_to", doc));
		pg[0].y += rng_real(r, 0, 3);
	}
	json_object_set_new(json_object_get(gt, "fields"), "chu_su_dung", owners);
	json_object_set_new(json_object_get(gt, "fields"), "chu_su_dung_chi_tiet", details);
	json_object_set_new(json_object_get(gt, "printed"), "chu_su_dung",
			    json_string(own[0].name));
	page_end(&pg[0]);

	page_begin(&pg[1], c);
	pg[1].y = rng_real(r, 12, 25);
	pg[1].y += draw(&pg[1], l.left, pg[1].y, l.font, "Bold", l.pt,
			"II. Thửa đất, nhà ở và tài sản khác gắn liền với đất", 0, 0,
			pg[1].lines, NULL) + 3;
	pg[1].y += draw(&pg[1], l.left, pg[1].y, l.font, "Bold", l.pt, "1. Thửa đất:", 0, 0,
			pg[1].lines, NULL) + 2;
	{
		const char *lab[2] = { "a) Thửa đất số:", "b) Tờ bản đồ số:" };
		const char *val[2] = { thua, to };
		row_n(&pg[1], r, &l, 2, lab, val);
	}
	set_field(gt, "thua_dat_so", thua, NULL);
	set_field(gt, "to_ban_do_so", to, NULL);
	row1(&pg[1], &l, "c) Địa chỉ:", own[0].addr);
	set_field(gt, "dia_chi", own[0].addr, NULL);
	number_words(r, whole, words, sizeof(words));
	words[0] = (char)toupper((unsigned char)words[0]);
	snprintf(buf, sizeof(buf), "%s (Bằng chữ: %s%s%s mét vuông)", area_p, words,
		 tenth ? " phẩy " : "", tenth ? digit_words[tenth] : "");
	row1(&pg[1], &l, "d) Diện tích:", buf);
	set_field(gt, "dien_tich", area, area_p);
	row1(&pg[1], &l, "đ) Hình thức sử dụng:", two ? "Sử dụng chung" : "Sử dụng riêng");
	row1(&pg[1], &l, "e) Mục đích sử dụng:", md);
	set_field(gt, "muc_dich_su_dung", md, NULL);
	if (strstr(md, "Đất ở"))
		snprintf(buf, sizeof(buf), "Lâu dài");
	else
		snprintf(buf, sizeof(buf), "Đến ngày %02d/%02d/%d", cap.d, cap.m, cap.y + 50);
	row1(&pg[1], &l, "g) Thời hạn sử dụng:", buf);
	set_field(gt, "thoi_han_su_dung", buf, NULL);
	snprintf(buf, sizeof(buf), "%s", PICK(r, nguon));
	row1(&pg[1], &l, "h) Nguồn gốc sử dụng:", buf);
	set_field(gt, "nguon_goc_su_dung", buf, NULL);
	pg[1].y += rng_real(r, 2, 6);
	pg[1].y += draw(&pg[1], l.left, pg[1].y, l.font, "Bold", l.pt, "2. Nhà ở:", 0, 0,
			pg[1].lines, NULL) + 2;
	snprintf(buf, sizeof(buf), "Nhà ở riêng lẻ, %d tầng", rng_int(r, 1, 4));
	row1(&pg[1], &l, "Loại nhà ở:", buf);
	snprintf(buf, sizeof(buf), "%d m²", whole * 7 / 10);
	row1(&pg[1], &l, "Diện tích xây dựng:", buf);
	pg[1].y += rng_real(r, 4, 12);
	date_iso(&cap, iso, sizeof(iso));
	snprintf(buf, sizeof(buf), "%s, ngày %d tháng %d năm %d", own[0].district, cap.d,
		 cap.m, cap.y);
	draw(&pg[1], mid + 35, pg[1].y, l.font, "Italic", l.pt, buf, 1, 0, pg[1].lines, NULL);
	snprintf(buf, sizeof(buf), "ngày %d tháng %d năm %d", cap.d, cap.m, cap.y);
	set_field(gt, "ngay_cap", iso, buf);
	pg[1].y += 8;
	signature(&pg[1], r, "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", signer);
	pg[1].y += rng_real(r, 2, 8);
	row1(&pg[1], &l, "Số vào sổ cấp GCN:", vao_so);
	set_field(gt, "so_vao_so", vao_so, NULL);
	page_end(&pg[1]);
	return 2;
}

int form_render_real(rng *r, const char *type, const char *edition,
		     const conditions *c, page pages[2], json_t *gt)
{
	static const char *const ks[] = { "tt04-2020", "tt15-2015", "truoc-2016", "trich-luc" };
	static const char *const kh[] = { "tt04-2020", "truoc-2016" };
	static const char *const kt[] = { "trich-luc", "truoc-2016" };
	int n = 0;

	/* the edition asked for, else one of the type's at random */
	if (!strcmp(type, "khai-sinh")) {
		edition = edition ? edition : PICK(r, ks);
		n = khai_sinh(r, edition, c, &pages[0], gt);
	} else if (!strcmp(type, "ket-hon")) {
		edition = edition ? edition : PICK(r, kh);
		n = ket_hon(r, edition, c, &pages[0], gt);
	} else if (!strcmp(type, "khai-tu")) {
		edition = edition ? edition : PICK(r, kt);
		n = khai_tu(r, edition, c, &pages[0], gt);
	} else if (!strcmp(type, "gcn")) {
		edition = "tt23-2014";
		n = gcn(r, c, pages, gt);
	}
	if (n)
		json_object_set_new(gt, "edition", json_string(edition));
	return n;
}
