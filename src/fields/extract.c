/* extract.c - a record's fields from its OCR words: rebuild the printed
 * lines from the word boxes, find every printed label of the record's
 * type on each line (field labels and the others: headings, the labels
 * of details no field keeps), cut each value from its label to the next
 * label or the line's end, follow it onto the next lines until one that
 * begins with a label or a heading, and normalise it by its kind
 * (values.c). When two readings of a value disagree, both are kept and
 * the field doubted. */
#include "fields.h"
#include "internal.h"

#include "../sh/sh.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define MAX_LINE 1024
#define MAX_WORDS 96

typedef struct match {
	const rule_field *f;
	int start, end, dist, label;
	size_t label_len;
	int loose; /* a short label found away from the line's start */
} match;

#define MAX_MATCHES 16

/* A printed line: its text and, per word, where it starts in the text,
 * its left edge on the page and its confidence; the labels found on it,
 * once (a value's continuation asks of the next line what the line's
 * own turn asks again). */
typedef struct line {
	char text[MAX_LINE];
	folded f; /* text folded once, for every label to be found in */
	int nwords, page, width;
	int top, height; /* of the line's tallest word, pixels */
	int off[MAX_WORDS], x[MAX_WORDS];
	int x1[MAX_WORDS], y0[MAX_WORDS], y1[MAX_WORDS]; /* right, top, bottom */
	double conf[MAX_WORDS];
	match m[MAX_MATCHES]; /* in the order printed */
	int nm;
} line;

/* Lines of all pages in reading order, from the words' line numbers. */
static line *lines_of(json_t *pages, int *count)
{
	int cap = 256, n = 0;
	line *v = calloc((size_t)cap, sizeof(*v));
	json_t *pg, *w;
	size_t pi, wi;

	json_array_foreach(pages, pi, pg) {
		int cur = -1, width = (int)json_integer_value(json_object_get(pg, "width"));
		json_array_foreach(json_object_get(pg, "words"), wi, w) {
			int l = (int)json_integer_value(json_object_get(w, "l"));
			const char *t = json_string_value(json_object_get(w, "t"));
			line *ln;
			size_t len;
			if (!v || !t)
				break;
			if (l != cur || n == 0) {
				if (n == cap) {
					line *nv = realloc(v, (size_t)(cap *= 2) * sizeof(*v));
					if (!nv)
						break;
					v = nv;
				}
				memset(&v[n], 0, sizeof(v[n]));
				v[n].page = (int)pi;
				v[n].width = width > 0 ? width : 2480;
				n++;
				cur = l;
			}
			ln = &v[n - 1];
			len = strlen(ln->text);
			if (ln->nwords == MAX_WORDS || len + strlen(t) + 2 >= MAX_LINE)
				continue;
			ln->off[ln->nwords] = (int)(len + (len ? 1 : 0));
			json_t *b = json_object_get(w, "b");
			int wy = (int)json_integer_value(json_array_get(b, 1));
			int wh = (int)json_integer_value(json_array_get(b, 3));
			ln->x[ln->nwords] = (int)json_integer_value(json_array_get(b, 0));
			ln->x1[ln->nwords] = ln->x[ln->nwords] +
				(int)json_integer_value(json_array_get(b, 2));
			ln->y0[ln->nwords] = wy;
			ln->y1[ln->nwords] = wy + wh;
			if (!ln->nwords || wy < ln->top)
				ln->top = wy;
			if (wh > ln->height)
				ln->height = wh;
			ln->conf[ln->nwords] = json_number_value(json_object_get(w, "c"));
			ln->nwords++;
			snprintf(ln->text + len, MAX_LINE - len, "%s%s", len ? " " : "", t);
		}
	}
	for (int i = 0; v && i < n; i++)
		fields_fold_line(v[i].text, &v[i].f);
	*count = v ? n : 0;
	return v;
}

/* Whether match a (the jth) beats match b (the ith) where they overlap:
 * the longer label wins ("Nơi đăng ký khai sinh" over "Nơi đăng ký"),
 * then the closer reading, then the first found. */
static int overlap_wins(const match *a, int j, const match *b, int i)
{
	if (a->start >= b->end || b->start >= a->end)
		return 0;
	if (a->label_len != b->label_len)
		return a->label_len > b->label_len;
	if (a->dist != b->dist)
		return a->dist < b->dist;
	return j < i;
}

/* Whether the n bytes at s are label as printed, case aside (a colon
 * after it allowed). */
static int printed_as(const char *s, int n, const char *label)
{
	char buf[128], *a, *b;
	int same;

	while (n > 0 && (s[n - 1] == ':' || isspace((unsigned char)s[n - 1])))
		n--;
	if (n <= 0 || n >= (int)sizeof(buf))
		return 0;
	memcpy(buf, s, (size_t)n);
	buf[n] = 0;
	a = fields_lower(buf);
	b = fields_lower(label);
	same = a && b && !strcmp(a, b);
	free(a);
	free(b);
	return same;
}

/* Whether no letter or digit comes before byte s of text (a list
 * letter's bracket may: ") Thời hạn"). */
static int at_line_start(const char *text, int s)
{
	for (int i = 0; i < s; i++)
		if (isalnum((unsigned char)text[i]) || (unsigned char)text[i] >= 0x80)
			return 0;
	return 1;
}

/* Whether the short label at [s, e) of text, at the line's start and
 * without its colon, stands as a label all the same: a speck read in
 * the colon's place ("Ông' NGÔ TRỌNG TRUNG"), or a name in capitals
 * right after it ("Ông ĐINH HỮU DŨNG": no sentence starts so). */
static int colon_lost(const char *text, int s, int e)
{
	const char *p = text + s;
	int upper = 0;

	while (p < text + e && (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80))
		p++;
	if (*p && strchr(";'.,`", *p))
		return 1;
	while (*p == ' ')
		p++;
	for (const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)p; *u && *u != ' ';) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(u, -1, &c);
		if (k <= 0 || !utf8proc_isupper(c))
			return 0;
		upper++;
		u += k;
	}
	return upper >= 2;
}

/* Every label of the type on one line, overlaps resolved. Short labels
 * ("Số", "Ông", "ngày") count at the line's start with their colon, or
 * alone on their line. */
static int matches_on(const rule_type *t, const line *ln, match *out, int max)
{
	match all[64];
	int n = 0, k = 0;

	for (int i = 0; i < t->nfields; i++)
		for (int j = 0; j < t->field[i].nlabels && n < 64; j++) {
			const char *lab = t->field[i].folded[j];
			size_t fl = strlen(lab);
			int s, e, d, loose = 0;

			if (fl > 4) {
				d = fields_find_folded(&ln->f, lab, fl, 0, &s, &e);
				/* a label read with a letter wrong inside a line
				 * needs its colon: "Họ và tên mẹ: Đặng Mỹ
				 * Nguyệt" holds no "Đăng ký" */
				if (d > 0 && !at_line_start(ln->text, s) &&
				    !memchr(ln->text + s, ':', (size_t)(e - s)))
					d = -1;
			} else {
				/* "Bà:" opens an owner's line, "Ba Đình" does
				 * not: at the line's start a short label needs
				 * its colon */
				d = fields_find_folded(&ln->f, lab, fl, 1, &s, &e);
				if (d >= 0 && !memchr(ln->text + s, ':', (size_t)(e - s)) &&
				    !colon_lost(ln->text, s, e))
					d = -1;
				if (d < 0) {
					d = fields_find_folded(&ln->f, lab, fl, 0, &s, &e);
					loose = 1;
					/* inside a line, only as printed: "ngày"
					 * yes, "Ba Đình" is not "Bà" */
					if (d >= 0 && !printed_as(ln->text + s, e - s,
						t->field[i].label[j]))
						d = -1;
					/* and with its colon a label among
					 * others ("Số: 305 ngày: 03/9/2019") */
					if (d >= 0 && memchr(ln->text + s, ':', (size_t)(e - s)))
						loose = 0;
				}
			}
			if (d >= 0 && t->field[i].colon[j] &&
			    !memchr(ln->text + s, ':', (size_t)(e - s)))
				d = -1;
			if (d >= 0)
				all[n++] = (match){ &t->field[i], s, e, d, j, fl, loose };
			/* a label two fields share (the spouses' "Ngày, tháng,
			 * năm sinh") printed twice on one line, as a form's two
			 * columns set it: its second print too */
			int s2, e2, d2;
			if (d >= 0 && fl > 4 && t->field[i].occurrence > 1 && n < 64 &&
			    (d2 = fields_find_folded_from(&ln->f, lab, fl, 0, e, &s2, &e2)) >= 0 &&
			    memchr(ln->text + s2, ':', (size_t)(e2 - s2)))
				all[n++] = (match){ &t->field[i], s2, e2, d2, j, fl, 0 };
		}
	/* a short label inside a line ("ngày" in "Quận 1, ngày 5 tháng 9
	 * năm 2005") counts only when nothing else is on the line */
	for (int i = 0; n > 1 && i < n; i++)
		if (all[i].loose)
			all[i].f = NULL;
	for (int i = 0; i < n; i++) {
		int keep = all[i].f != NULL;
		for (int j = 0; keep && j < n; j++)
			if (j != i && all[j].f && overlap_wins(&all[j], j, &all[i], i))
				keep = 0;
		if (keep && k < max)
			out[k++] = all[i];
	}
	/* in the order printed */
	for (int i = 1; i < k; i++)
		for (int j = i; j > 0 && out[j].start < out[j - 1].start; j--) {
			match m = out[j];
			out[j] = out[j - 1];
			out[j - 1] = m;
		}
	return k;
}

static int word_at(const line *ln, int byte)
{
	int w = 0;

	while (w + 1 < ln->nwords && ln->off[w + 1] <= byte)
		w++;
	return w;
}

/* The mean confidence (0-1) of the words covering bytes [s, e). */
static double conf_of(const line *ln, int s, int e)
{
	double sum = 0;
	int n = 0;

	for (int w = word_at(ln, s); w < ln->nwords && ln->off[w] < e; w++)
		sum += ln->conf[w], n++;
	return n ? sum / n / 100.0 : 0;
}

/* The parts of place value whose unit prefix a speck replaced, mended
 * (fields_lexicon_unit); the factor to apply to its confidence. */
static double place_units(const fields_lexicon *l, char *value, size_t cap)
{
	char out[MAX_LINE], part[MAX_LINE], fixed[MAX_LINE];
	size_t o = 0;
	int mended = 0;

	for (const char *p = value; *p;) {
		size_t n = strcspn(p, ",");
		snprintf(part, sizeof(part), "%.*s", (int)n, p);
		if (fields_lexicon_unit(l, part, fixed, sizeof(fixed)) == 0) {
			mended++;
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s", fixed);
		} else {
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s", part);
		}
		p += n;
		if (*p == ',')
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%c", *p++);
		if (o >= sizeof(out))
			return 1;
	}
	if (mended)
		snprintf(value, cap, "%s", out);
	return mended ? 0.8 : 1;
}

/* Mends value with the field's word lists. Returns the confidence to
 * keep: lower when a name holds a word no list knows or one that could
 * be several (a misread that is itself a word, or a rare name: a person
 * should look). */
static double mend(const rule_field *f, char *value, size_t cap, double conf)
{
	int mended, unsure;

	int name = !strcmp(f->kind, "name") || !strcmp(f->kind, "list");

	/* a name word that could be two names is guessed (the commoner),
	 * and doubted like a word no list knows */
	if (!f->vocabulary ||
	    fields_lexicon_mend(f->surnames, f->vocabulary,
				name ? LEX_GUESS : 0, value, cap, &mended,
				&unsure))
		return conf;
	if (unsure && name)
		conf *= 0.6;
	/* a unit whose prefix dust took, part by part */
	if (!strcmp(f->kind, "place") && unsure)
		conf *= place_units(f->vocabulary, value, cap);
	/* a unit the gazetteer does not have is a misreading of one */
	if (!strcmp(f->kind, "place") &&
	    fields_lexicon_strange(f->vocabulary, value))
		conf *= 0.5;
	/* a fixed phrase with a word or two misread beyond its marks */
	char near[MAX_LINE];
	if (!strcmp(f->kind, "text") && unsure &&
	    fields_lexicon_nearest(f->vocabulary, value, near, sizeof(near)) > 0) {
		snprintf(value, cap, "%s", near);
		conf *= 0.8;
	}
	return conf;
}

typedef struct found {
	char value[MAX_LINE];
	char read[MAX_LINE]; /* a name as read, before the word lists */
	double conf;
	int ok;
	json_t *readings; /* two readings that disagree (yours), or NULL */
	/* the words it was read from: page (0-based) and their box, for a
	 * person to see on the page (nb 0: none) */
	int page, nb, bx0, by0, bx1, by1;
} found;

/* Grows v's box by the words of ln covering bytes [s, e) (on v's page:
 * a value never spans two). */
static void box_add(found *v, const line *ln, int s, int e)
{
	if (v->nb && ln->page != v->page)
		return;
	for (int w = word_at(ln, s); w < ln->nwords && ln->off[w] < e; w++) {
		if (!v->nb || ln->x[w] < v->bx0)
			v->bx0 = ln->x[w];
		if (!v->nb || ln->y0[w] < v->by0)
			v->by0 = ln->y0[w];
		if (!v->nb || ln->x1[w] > v->bx1)
			v->bx1 = ln->x1[w];
		if (!v->nb || ln->y1[w] > v->by1)
			v->by1 = ln->y1[w];
		v->page = ln->page;
		v->nb++;
	}
}

/* A name mended by the word lists, written back into its page's text
 * too, when the page holds the name as read exactly once. */
static void text_mend(json_t *pages, int page, const char *read,
		      const char *value)
{
	json_t *pg = json_array_get(pages, (size_t)page);
	const char *text = json_string_value(json_object_get(pg, "text"));
	const char *at = text && *read ? strstr(text, read) : NULL;
	size_t rl = strlen(read), vl = strlen(value);
	char *out;

	if (!at || !strcmp(read, value) || strstr(at + 1, read))
		return;
	if (!(out = malloc(strlen(text) - rl + vl + 1)))
		return;
	memcpy(out, text, (size_t)(at - text));
	memcpy(out + (at - text), value, vl);
	strcpy(out + (at - text) + vl, at + rl);
	json_object_set_new(pg, "text", json_string(out));
	free(out);
}

/* Whether ln opens with a heading rather than a value's words: a
 * section number ("I.", "II.", "2."), a list letter ("a)", "đ)"), a
 * bracketed note ("(Ký, ghi rõ họ tên)") or a line all in capitals of
 * two words or more (a title, a signature block's "NGƯỜI KÝ ..."). */
static int heading_line(const line *ln)
{
	const char *p = ln->text;
	int upper = 0, lower = 0, spaces = 0;

	if (*p == '(')
		return 1;
	if (strspn(p, "IVX") && p[strspn(p, "IVX")] == '.')
		return 1;
	if (strspn(p, "0123456789") && p[strspn(p, "0123456789")] == '.' &&
	    p[strspn(p, "0123456789") + 1] == ' ')
		return 1;
	if (islower((unsigned char)p[0]) && p[1] == ')')
		return 1;
	if (!strncmp(p, "đ)", 3))
		return 1;
	for (const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)p; *u;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(u, -1, &c);
		if (k <= 0)
			break;
		upper += utf8proc_isupper(c);
		lower += utf8proc_islower(c);
		spaces += c == ' ';
		u += k;
	}
	return spaces && upper >= 4 && !lower;
}

/* How much of the line after li carries on the value that ends li (its
 * bytes), since a value wraps at the left margin as often as under
 * itself: none when it is on another page, far below (a gap taller than
 * the line: a new block), holds a label (a row of labels, however its
 * first one was misread) or a heading, or has no letter or digit (specks
 * read as a line). */
static int carries_on(const line *lines, int nl, int li)
{
	const line *ln = &lines[li], *nx = li + 1 < nl ? &lines[li + 1] : NULL;

	if (!nx || nx->page != ln->page || !nx->nwords || heading_line(nx))
		return 0;
	if (ln->height > 0 && nx->top - (ln->top + ln->height) > ln->height * 6 / 5)
		return 0;
	if (nx->nm || at_line_start(nx->text, (int)strlen(nx->text)))
		return 0;
	return (int)strlen(nx->text);
}

/* The value after m on ln, and its continuation on the lines below (a
 * place or a phrase; a date in words when the next line is only number
 * words; a name when it wraps under itself). */
static void value_of(const line *lines, int nl, int li, const match *m,
		     const match *next, found *out)
{
	const line *ln = &lines[li];
	int end = next ? next->start : (int)strlen(ln->text);
	const char *kind = m->f->kind;
	char whole[MAX_LINE];
	int date = !strcmp(kind, "date"), q_join = 0;

	out->readings = NULL;
	out->nb = 0;
	snprintf(out->value, sizeof(out->value), "%.*s", end - m->end, ln->text + m->end);
	out->conf = conf_of(ln, m->end, end);
	box_add(out, ln, m->end, end);
	snprintf(whole, sizeof(whole), "%s", ln->text);
	for (int at = li, n = 0; !next && m->end < (int)strlen(ln->text) &&
	     (!strcmp(kind, "place") || !strcmp(kind, "text")) && n < 4; at++, n++) {
		int upto = carries_on(lines, nl, at);
		size_t len = strlen(out->value);
		if (upto <= 0)
			break;
		snprintf(out->value + len, sizeof(out->value) - len, " %.*s", upto,
			 lines[at + 1].text);
		out->conf = (out->conf + conf_of(&lines[at + 1], 0, upto)) / 2;
		box_add(out, &lines[at + 1], 0, upto);
	}
	const line *nx = !next && li + 1 < nl && lines[li + 1].page == ln->page &&
			 lines[li + 1].nwords ? &lines[li + 1] : NULL;
	int wraps = 0;
	if (nx && m->end < (int)strlen(ln->text) && !strcmp(kind, "name")) {
		int vx = ln->x[word_at(ln, m->end)], lx = ln->x[0];
		wraps = nx->nm == 0 &&
			nx->x[0] >= vx - ln->width / 50 && nx->x[0] > lx + ln->width / 30;
	}
	/* a date in words runs on at the next line's start ("... một
	 * nghìn chín trăm chín" / "mươi bốn") when that line is only
	 * number words */
	if (nx && date)
		wraps = fields_number_words(nx->text) >= 0;
	/* two columns (another label on this value's line): a name
	 * wrapping inside its column, or a date set under its label, goes
	 * on in the next line's words that lie between this label and the
	 * next */
	int here = (next ? next->start : (int)strlen(ln->text)) - m->end;
	for (int k = m->end; k < m->end + here && here > 0 && ln->text[k] == ' '; k++)
		here--;
	if (ln->nm > 1 && !wraps && li + 1 < nl && lines[li + 1].page == ln->page &&
	    lines[li + 1].nm == 0 && ((!strcmp(kind, "name") && here > 0) || (date && here <= 0))) {
		const line *cl = &lines[li + 1];
		/* the first column from the line's start (its label's first
		 * word may be misread, and so not the label's start) */
		int x0 = m->start == ln->m[0].start ? ln->x[0] : ln->x[word_at(ln, m->start)];
		int x1 = next ? ln->x[word_at(ln, next->start)] : INT_MAX / 2;
		int tol = ln->width / 50;
		for (int w = 0; cl->top - (ln->top + ln->height) < 2 * ln->height &&
				w < cl->nwords; w++) {
			if (cl->x[w] < x0 - tol || cl->x[w] >= x1 - tol)
				continue;
			int s0 = cl->off[w], e0 = w + 1 < cl->nwords ? cl->off[w + 1] : (int)strlen(cl->text);
			int letters = 0;
			while (e0 > s0 && cl->text[e0 - 1] == ' ')
				e0--;
			for (int k = s0; k < e0; k++)
				letters += isalnum((unsigned char)cl->text[k]) || (cl->text[k] & 0x80);
			/* a speck read as a stop between two words is no part */
			if (!letters)
				continue;
			/* nor is one the value's line ends with, before the
			 * next column's label ("NGUYỄN ĐỨC . Họ, chữ đệm") */
			size_t len = strlen(out->value);
			while (len > 0 && (out->value[len - 1] == ' ' ||
					   ispunct((unsigned char)out->value[len - 1])))
				out->value[--len] = '\0';
			snprintf(out->value + len, sizeof(out->value) - len, " %.*s", e0 - s0, cl->text + s0);
			out->conf = (out->conf + conf_of(cl, s0, e0)) / 2;
			box_add(out, cl, s0, e0);
		}
	}
	if (wraps) {
		size_t len = strlen(out->value);
		snprintf(out->value + len, sizeof(out->value) - len, " %s", nx->text);
		out->conf = (out->conf + conf_of(nx, 0, (int)strlen(nx->text))) / 2;
		box_add(out, nx, 0, (int)strlen(nx->text));
	}
	fields_clean_marks(kind, out->value);
	if (!strcmp(kind, "number"))
		fields_number_first(out->value);
	char read[MAX_LINE], iso[11];
	if (date && fields_date_parse(out->value, iso) != 0) {
		snprintf(read, sizeof(read), "%s", out->value);
		if (fields_date_join(read) && fields_date_parse(read, iso) == 0) {
			snprintf(out->value, sizeof(out->value), "%s", read);
			q_join = 1;
		}
	}
	snprintf(read, sizeof(read), "%s", out->value);
	double q = fields_normalise(kind, out->value, date && !q_join ? whole : NULL);
	if (date && q > 0 && fields_date_future(out->value)) {
		/* "2085" for a typewritten "2005": repaired from the
		 * reading, or left for a person */
		snprintf(out->value, sizeof(out->value), "%s", read);
		q = 0;
	}
	if (q == 0 && date && fields_date_repair(out->value, iso) == 0) {
		/* repaired: right more often than not, but a person checks */
		snprintf(out->value, sizeof(out->value), "%s", iso);
		q = 0.5;
	}
	if (q > 0 && !strcmp(kind, "area"))
		q *= fields_area_readings(out->value, sizeof(out->value), whole, &out->readings);
	if (q > 0 && !strcmp(kind, "number") && fields_document_symbol(out->value))
		q = 0;
	if (q > 0 && !strcmp(kind, "number") && fields_number_repair(out->value))
		q *= 0.5; /* right more often than not, but a person checks */
	if (q > 0 && m->f->largest)
		q *= fields_number_sense(out->value, m->f->largest);
	out->ok = q > 0;
	if (out->ok)
		out->conf *= q;
	snprintf(out->read, sizeof(out->read), "%s", out->value);
	if (out->ok && strcmp(kind, "list"))
		out->conf = mend(m->f, out->value, sizeof(out->value), out->conf);
	if (out->ok && !strcmp(kind, "name"))
		fields_name_case(out->value);
	out->conf *= pow(0.9, m->dist);
	if (!out->ok)
		out->conf *= 0.3;
}

/* Fields printed under the same label (the husband's and the wife's
 * "Ngày, tháng, năm sinh") share one count of occurrences: the nth time
 * the label is read goes to the field whose occurrence is n. Returns
 * that field, or NULL when none wants this occurrence; *slot is the
 * count it took (so that an occurrence whose value is not of the
 * field's kind can be given back). */
static const rule_field *claim(const rule_type *t, const match *m, int *seen,
			       int *slot)
{
	const char *lab = m->f->label[m->label];
	int first = -1, n;

	for (int g = 0; g < t->nfields && first < 0; g++)
		for (int x = 0; x < t->field[g].nlabels; x++)
			if (!strcmp(t->field[g].label[x], lab)) {
				first = g;
				break;
			}
	*slot = first;
	n = ++seen[first];
	/* every owner is a list's entry, with its details */
	if (!strcmp(m->f->kind, "list") || m->f->detail[0])
		return m->f;
	for (int g = 0; g < t->nfields; g++)
		for (int x = 0; x < t->field[g].nlabels; x++)
			if (!strcmp(t->field[g].label[x], lab) &&
			    t->field[g].occurrence == n)
				return &t->field[g];
	return NULL;
}

/* Whether a field wants a later occurrence of m's label than the first
 * (the spouses' "Ngày, tháng, năm sinh"). */
static int later_wanted(const rule_type *t, const match *m)
{
	const char *lab = m->f->label[m->label];

	for (int g = 0; g < t->nfields; g++)
		for (int x = 0; x < t->field[g].nlabels; x++)
			if (!strcmp(t->field[g].label[x], lab) &&
			    t->field[g].occurrence > 1)
				return 1;
	return 0;
}

static json_t *field_json(const char *value, double conf)
{
	return json_pack("{s:s, s:f, s:s}", "value", value, "confidence",
			 round(conf * 100) / 100, "source", "ocr");
}

/* "box": [page (1-based), x, y, width, height] of the words a value was
 * read from, in the page's pixels: the station outlines them. */
static void set_box(json_t *field, const found *v)
{
	if (v->nb && field)
		json_object_set_new(field, "box", json_pack("[i, i, i, i, i]",
			v->page + 1, v->bx0, v->by0, v->bx1 - v->bx0, v->by1 - v->by0));
}

/* Two readings of one value that disagree: both kept beside the value,
 * and the field doubted so that a person decides. */
static void disagree(json_t *field, json_t *readings)
{
	double c = json_number_value(json_object_get(field, "confidence"));

	json_object_set_new(field, "readings", readings);
	json_object_set_new(field, "confidence", json_real(round(fmin(c, 0.5) * 100) / 100));
}

/* The pages' text mended with the type's text word lists (the form's
 * printed phrases, the gazetteer): "Quyến số" becomes "Quyển số",
 * "Huyện Nghỉ Lộc" "Huyện Nghi Lộc". Phrases of two words or more only:
 * a single word of free text could be anything. The words keep what
 * Tesseract read. */
static void mend_text(const rule_type *t, json_t *pages)
{
	json_t *pg;
	size_t i;

	json_array_foreach(pages, i, pg) {
		const char *text = json_string_value(json_object_get(pg, "text"));
		/* a mended line is at most three times as long (each letter
		 * may gain its marks, two bytes more) */
		size_t len = text ? strlen(text) : 0, on = 0, cap = len * 3 + 2;
		char *out = text ? malloc(cap) : NULL, line[MAX_LINE];
		int changed = 0, whole = 1;
		for (const char *l = text; out && *l && whole;) {
			size_t n = strcspn(l, "\n");
			const char *src = l;
			int m, u;
			if (n < sizeof(line)) {
				memcpy(line, l, n);
				line[n] = 0;
				for (int k = 0; k < t->ntext; k++) {
					fields_lexicon_mend(NULL, t->text[k], LEX_PHRASES,
							    line, sizeof(line), &m, &u);
					changed += m;
				}
				src = line;
			}
			size_t sn = src == line ? strlen(line) : n;
			if (on + sn + 2 > cap) {
				whole = 0;
				break;
			}
			memcpy(out + on, src, sn);
			on += sn;
			if (l[n] == '\n')
				out[on++] = '\n';
			out[on] = 0;
			l += n + (l[n] == '\n');
		}
		if (changed && whole && out)
			json_object_set_new(pg, "text", json_string(out));
		free(out);
	}
}

/* The details printed with a list's entry (an owner's "Năm sinh: 1960
 * CCCD số: 0790..." on the owner's line, or "NGUYỄN VĂN AN, sinh năm
 * 1960, CMND số 0123..." inside the value): into the entry's object. */
static void inline_details(const char *value, json_t *entry)
{
	char fold[MAX_LINE];
	const char *p;

	fields_fold(value, fold, sizeof(fold));
	if ((p = strstr(fold, "sinh nam")) && !json_object_get(entry, "nam_sinh")) {
		p += strlen("sinh nam");
		p += strspn(p, " :");
		if (strspn(p, "0123456789") == 4)
			json_object_set_new(entry, "nam_sinh", json_stringn(p, 4));
	}
	static const char *const docs[] = { "cmnd", "cccd", "ho chieu" };
	for (size_t i = 0; i < 3 && !json_object_get(entry, "giay_to"); i++) {
		if (!(p = strstr(fold, docs[i])))
			continue;
		const char *d = p + strcspn(p, "0123456789");
		size_t n = strspn(d, "0123456789");
		if (n >= 8) {
			char buf[64];
			snprintf(buf, sizeof(buf), "%s số %.*s",
				 i == 2 ? "Hộ chiếu" : i ? "CCCD" : "CMND", (int)n, d);
			json_object_set_new(entry, "giay_to", json_string(buf));
		}
	}
}

/* A helper's detail (rule_field detail) for the last entry of a list. */
static void add_detail(json_t *details, const rule_field *f, const match *m,
		       const found *v)
{
	json_t *entry = json_array_get(details, json_array_size(details) - 1);
	char buf[MAX_LINE];

	if (!entry || json_object_get(entry, f->detail) || !v->value[0])
		return;
	if (!strcmp(f->detail, "giay_to")) {
		/* the document's kind is its label: "CCCD số 0790..." */
		char num[64];
		size_t n = strspn(v->value, "0123456789 ");
		snprintf(num, sizeof(num), "%.*s", (int)n, v->value);
		fields_normalise("id", num, NULL);
		if (!num[0])
			return;
		snprintf(buf, sizeof(buf), "%s %s", f->label[m->label], num);
	} else {
		snprintf(buf, sizeof(buf), "%.*s", (int)strspn(v->value, "0123456789"),
			 v->value);
		if (strlen(buf) != 4)
			return;
	}
	json_object_set_new(entry, f->detail, json_string(buf));
}

/* Fields of the shape their rule gives that are printed alone on a line
 * without a label ("CH 279771" under the certificate's title), for those
 * no label found. */
static void unlabelled(const rule_type *t, const line *lines, int nl, json_t *fields)
{
	for (int i = 0; i < t->nfields; i++) {
		const rule_field *f = &t->field[i];
		char v[64];
		if (!f->alone[0] || json_object_get(fields, f->name))
			continue;
		for (int li = 0; li < nl; li++)
			if (fields_shape_alone(lines[li].text, f->alone, v, sizeof(v))) {
				double c = conf_of(&lines[li], 0, (int)strlen(lines[li].text));
				found at = { .nb = 0 };
				json_t *fj = field_json(v, c * 0.95);
				box_add(&at, &lines[li], 0, (int)strlen(lines[li].text));
				set_box(fj, &at);
				json_object_set_new(fields, f->name, fj);
				break;
			}
	}
}

/* The key of an owner's name within the list's details (beside the
 * details' own keys, nam_sinh...): a key of an entry, not a field. */
static const char entry_name[] = "ho_ten"; /* catalogue-ok */

/* The edition the lines were printed on, or NULL; editions that print
 * the same labels are told apart by the record's date (the field the
 * catalogue dates its type by). */
static const rule_edition *edition_of(const fields_rules *r, const rule_type *t,
				      const line *lines, int nl, json_t *fields)
{
	folded *f = nl ? malloc((size_t)nl * sizeof(*f)) : NULL;
	const fields_type_info *ti = fields_catalogue_type_named(r->catalogue,
								 t->name);
	const char *iso = !ti ? NULL : json_string_value(json_object_get(
		json_object_get(fields, ti->date), "value"));
	const rule_edition *e;

	if (nl && !f)
		return NULL;
	for (int i = 0; i < nl; i++)
		f[i] = lines[i].f;
	e = fields_edition_of(t, f, nl, iso);
	free(f);
	return e;
}

/* The husband's and wife's dates, the child's name before the mother's:
 * occurrence n of a field is its nth match in reading order. */
int fields_extract(const fields_rules *r, json_t *pages, json_t **out)
{
	char *text = NULL;
	size_t tlen = 0;
	FILE *mem = open_memstream(&text, &tlen);
	const char *type;
	const rule_type *t;
	const rule_edition *ed = NULL;
	double tconf;
	json_t *fields = json_object(), *owners = NULL, *details = NULL;
	json_t *helpers = json_object();
	const char *list = NULL; /* the field the owners' list is */
	int seen[MAX_FIELDS] = { 0 }, nl = 0;
	line *lines;
	json_t *pg;
	size_t i;

	*out = NULL;
	json_array_foreach(pages, i, pg)
		if (mem && json_string_value(json_object_get(pg, "text")))
			fprintf(mem, "%s\n", json_string_value(json_object_get(pg, "text")));
	if (mem)
		fclose(mem);
	type = fields_classify(r, text ? text : "", &tconf);
	free(text);
	t = fields_rules_type(r, type);
	if (t)
		mend_text(t, pages);
	lines = t ? lines_of(pages, &nl) : NULL;
	for (int li = 0; li < nl; li++)
		lines[li].nm = matches_on(t, &lines[li], lines[li].m, MAX_MATCHES);
	for (int li = 0; li < nl; li++) {
		/* (a copy: each match is given the field that claims it) */
		match m[MAX_MATCHES];
		int k = lines[li].nm;
		memcpy(m, lines[li].m, (size_t)k * sizeof(*m));
		for (int j = 0; j < k; j++) {
			int slot;
			const rule_field *f = claim(t, &m[j], seen, &slot);
			found v;
			if (!f)
				continue;
			m[j].f = f;
			value_of(lines, nl, li, &m[j], j + 1 < k ? &m[j + 1] : NULL, &v);
			/* a value not of its field's kind (an extract's own
			 * number, "305/TLKS-BS") leaves the field's occurrence
			 * to the next, unless the next is another field's (the
			 * wife's date is never the husband's) */
			if (!v.ok && v.value[0] && seen[slot] == 1 && strcmp(f->kind, "list") &&
			    !later_wanted(t, &m[j]))
				seen[slot] = 0;
			if (!v.value[0]) {
				json_decref(v.readings);
				continue;
			}
			if (!strcmp(f->kind, "list")) {
				char whole[MAX_LINE];
				snprintf(whole, sizeof(whole), "%s", v.value);
				/* "NGUYỄN VĂN AN, sinh năm 1960, CMND số ..." */
				v.value[strcspn(v.value, ",")] = '\0';
				fields_collapse(v.value);
				/* a full name has two words at least: one
				 * alone is a stray word of the line below */
				if (!strchr(v.value, ' '))
					continue;
				snprintf(v.read, sizeof(v.read), "%s", v.value);
				v.conf = mend(f, v.value, sizeof(v.value), v.conf);
				text_mend(pages, lines[li].page, v.read, v.value);
				if (!owners) {
					owners = json_array();
					details = json_array();
					list = f->name;
				}
				json_array_append_new(owners, json_string(v.value));
				json_t *entry = json_pack("{s:s}", entry_name, v.value);
				inline_details(whole, entry);
				json_array_append_new(details, entry);
				/* a list is as sure as its least sure entry */
				json_t *had = json_object_get(json_object_get(fields, f->name),
							      "confidence");
				if (had && json_number_value(had) < v.conf)
					v.conf = json_number_value(had);
				json_t *had_box = json_object_get(json_object_get(fields, f->name), "box");
				json_t *lf = json_pack("{s:O, s:f, s:s}", "value", owners,
					"confidence", round(v.conf * 100) / 100, "source", "ocr");
				/* the first owner's words: where the list begins */
				if (had_box)
					json_object_set(lf, "box", had_box);
				else
					set_box(lf, &v);
				json_object_set_new(fields, f->name, lf);
			} else if (f->name[0] == '_') {
				/* (without confirms: a line read only so that
				 * no other field takes it) */
				if (v.ok && f->confirms[0])
					json_object_set_new(helpers, f->confirms,
							    json_string(v.value));
				if (f->detail[0] && details)
					add_detail(details, f, &m[j], &v);
			} else if (v.ok || !json_object_get(fields, f->name)) {
				json_t *fj = field_json(v.value, v.conf);
				set_box(fj, &v);
				if (v.readings)
					disagree(fj, json_incref(v.readings));
				json_object_set_new(fields, f->name, fj);
				if (!strcmp(f->kind, "name"))
					text_mend(pages, lines[li].page, v.read, v.value);
			}
			json_decref(v.readings);
		}
	}
	if (details) {
		/* the list's details beside it, as LIST_chi_tiet */
		char key[48];
		json_t *owner = json_object_get(fields, list);
		snprintf(key, sizeof(key), "%s_chi_tiet", list);
		json_object_set_new(fields, key, json_pack(
			"{s:O, s:O, s:s}", "value", details, "confidence",
			json_object_get(owner, "confidence"), "source", "ocr"));
	}
	/* a value printed twice (digits and words) that disagrees: both
	 * readings kept, the one that parsed cleanly as the value, and a
	 * person decides */
	{
		const char *name;
		json_t *h;
		json_object_foreach(helpers, name, h) {
			json_t *f = json_object_get(fields, name);
			const char *a = f ? json_string_value(json_object_get(f, "value")) : NULL;
			if (!f) {
				json_object_set_new(fields, name, field_json(json_string_value(h), 0.6));
			} else if (a && strcmp(a, json_string_value(h))) {
				json_t *both = json_pack("[s, s]", a, json_string_value(h));
				/* misread digits still parse; misread words
				 * do not: the words that parsed are the
				 * likelier value */
				json_object_set_new(f, "value", json_copy(h));
				disagree(f, both);
			}
		}
	}
	if (t) {
		unlabelled(t, lines, nl, fields);
		ed = edition_of(r, t, lines, nl, fields);
	}
	json_decref(owners);
	json_decref(details);
	json_decref(helpers);
	free(lines);
	*out = json_pack("{s:s, s:s?, s:f, s:o}", "type", type, "edition",
			 ed ? ed->name : NULL, "type_confidence",
			 round(tconf * 100) / 100, "fields", fields);
	return *out ? 0 : sh_fail(SH_ENOMEM, "out of memory");
}
