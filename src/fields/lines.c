/* lines.c - the printed lines rebuilt from a page's word boxes, and the
 * labels of a record's type found on each: overlaps resolved (the
 * longer label wins), short labels only where they can be labels. */
#include "fields.h"
#include "internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Lines of all pages in reading order, from the words' line numbers. */
line *fields_lines_of(json_t *pages, int *count)
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
			/* (what recognition changed, "r", is the
			 * diacritics' choice: the word lists have not
			 * mended yet) */
			ln->close[ln->nwords] = (json_array_size(json_object_get(w, "a")) > 0) |
						(json_object_get(w, "r") ? 2 : 0);
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
int fields_at_line_start(const char *text, int s)
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

/* Whether what follows a number's short label found without its colon
 * (at e of text) is an address: a house number, words, and a comma
 * further on ("Số 25 Cao Thắng, Phường 1, Quận 1": a place's line, not
 * the registration's number; the real Giấy khai sinh of shared/real set
 * 1 continues its place of birth so). A number printed alone, or with
 * its date ("Số 305 ngày 03/9/2019"), has no comma after it. */
static int address_after(const char *text, int e)
{
	const char *p = text + e;

	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p) || *p == '/')
		p++;
	if (*p != ' ')
		return 0;
	while (*p == ' ')
		p++;
	return (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80) &&
	       strchr(p, ',') != NULL;
}

/* Every label of the type on one line, overlaps resolved. Short labels
 * ("Số", "Ông", "ngày") count at the line's start with their colon, or
 * alone on their line. */
int fields_matches_on(const rule_type *t, const line *ln, match *out, int max)
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
				if (d > 0 && !fields_at_line_start(ln->text, s) &&
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
	for (int i = 0; i < n; i++)
		if (all[i].loose && (n > 1 || (!strcmp(all[i].f->kind, "number") &&
					       address_after(ln->text, all[i].end))))
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

int fields_word_at(const line *ln, int byte)
{
	int w = 0;

	while (w + 1 < ln->nwords && ln->off[w + 1] <= byte)
		w++;
	return w;
}

int fields_changed_in(const line *ln, int s, int e)
{
	for (int w = fields_word_at(ln, s); w < ln->nwords && ln->off[w] < e; w++)
		if (ln->close[w] & 2)
			return 1;
	return 0;
}

/* The mean confidence (0-1) of the words covering bytes [s, e). */
double fields_conf_of(const line *ln, int s, int e)
{
	double sum = 0;
	int n = 0, close = 0;

	for (int w = fields_word_at(ln, s); w < ln->nwords && ln->off[w] < e; w++)
		sum += ln->conf[w], n++, close |= ln->close[w] & 1;
	return n ? (close ? fmin(sum / n / 100.0, 0.5) : sum / n / 100.0) : 0;
}
