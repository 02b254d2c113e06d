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

#include "../base/base.h"
#include "../text/text.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

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
	for (int w = fields_word_at(ln, s); w < ln->nwords && ln->off[w] < e; w++) {
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
	if (nx->nm || fields_at_line_start(nx->text, (int)strlen(nx->text)))
		return 0;
	return (int)strlen(nx->text);
}

/* Two columns (another label on the value's line ln): the words of the
 * next line cl that lie between m's label and the next label carry the
 * value on (a name wrapping inside its column, a date set under its
 * label). */
static void column_below(const line *ln, const line *cl, const match *m,
			 const match *next, found *out)
{
	/* the first column from the line's start (its label's first word
	 * may be misread, and so not the label's start) */
	int x0 = m->start == ln->m[0].start ? ln->x[0] : ln->x[fields_word_at(ln, m->start)];
	int x1 = next ? ln->x[fields_word_at(ln, next->start)] : INT_MAX / 2;
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
		/* nor is one the value's line ends with, before the next
		 * column's label ("NGUYỄN ĐỨC . Họ, chữ đệm") */
		size_t len = strlen(out->value);
		while (len > 0 && (out->value[len - 1] == ' ' ||
				   ispunct((unsigned char)out->value[len - 1])))
			out->value[--len] = '\0';
		snprintf(out->value + len, sizeof(out->value) - len, " %.*s", e0 - s0, cl->text + s0);
		out->conf = (out->conf + fields_conf_of(cl, s0, e0)) / 2;
		box_add(out, cl, s0, e0);
	}
}

/* A value read in its field's kind: cleaned, a date's spaced digits
 * joined, normalised (whole: the value's line, for a date or an area
 * printed twice on it), a future date or a misread number repaired and
 * doubted, mended by the word lists, a name's case set; out->ok when it
 * is of its kind, out->conf lowered by each doubt. */
static void value_normalise(const match *m, found *out, const char *whole)
{
	const char *kind = m->f->kind;
	int date = !strcmp(kind, "date"), q_join = 0;

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
	int date = !strcmp(kind, "date");

	out->readings = NULL;
	out->nb = 0;
	snprintf(out->value, sizeof(out->value), "%.*s", end - m->end, ln->text + m->end);
	out->conf = fields_conf_of(ln, m->end, end);
	/* a name whose marks recognition chose among others is a person's
	 * to confirm */
	if ((!strcmp(kind, "name") || !strcmp(kind, "list")) &&
	    fields_changed_in(ln, m->end, end))
		out->conf = fmin(out->conf, 0.5);
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
		out->conf = (out->conf + fields_conf_of(&lines[at + 1], 0, upto)) / 2;
		box_add(out, &lines[at + 1], 0, upto);
	}
	const line *nx = !next && li + 1 < nl && lines[li + 1].page == ln->page &&
			 lines[li + 1].nwords ? &lines[li + 1] : NULL;
	int wraps = 0;
	if (nx && m->end < (int)strlen(ln->text) && !strcmp(kind, "name")) {
		int vx = ln->x[fields_word_at(ln, m->end)], lx = ln->x[0];
		wraps = nx->nm == 0 &&
			nx->x[0] >= vx - ln->width / 50 && nx->x[0] > lx + ln->width / 30;
	}
	/* a date in words runs on at the next line's start ("... một
	 * nghìn chín trăm chín" / "mươi bốn") when that line is only
	 * number words */
	if (nx && date)
		wraps = text_number_words(nx->text) >= 0;
	/* two columns (another label on this value's line): a name
	 * wrapping inside its column, or a date set under its label, goes
	 * on in the next line's words that lie between this label and the
	 * next */
	int here = (next ? next->start : (int)strlen(ln->text)) - m->end;
	for (int k = m->end; k < m->end + here && here > 0 && ln->text[k] == ' '; k++)
		here--;
	if (ln->nm > 1 && !wraps && li + 1 < nl && lines[li + 1].page == ln->page &&
	    lines[li + 1].nm == 0 && ((!strcmp(kind, "name") && here > 0) || (date && here <= 0)))
		column_below(ln, &lines[li + 1], m, next, out);
	if (wraps) {
		size_t len = strlen(out->value);
		snprintf(out->value + len, sizeof(out->value) - len, " %s", nx->text);
		out->conf = (out->conf + fields_conf_of(nx, 0, (int)strlen(nx->text))) / 2;
		box_add(out, nx, 0, (int)strlen(nx->text));
	}
	value_normalise(m, out, whole);
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
				double c = fields_conf_of(&lines[li], 0, (int)strlen(lines[li].text));
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

/* What a record's lines give, gathered as they are read: its fields,
 * a list's entries (a land certificate's owners) and their details,
 * the helpers' readings of values printed twice. */
typedef struct gathered {
	text_lines *text; /* the pages' lines, as the word lists mend them */
	json_t *fields, *helpers;
	json_t *owners, *details; /* the list's entries, once one is read */
	const char *list; /* the field the list is */
} gathered;

/* The type of the record whose pages' texts these are (*conf its
 * confidence). */
static const char *classify_pages(const fields_rules *r, json_t *pages,
				  double *conf)
{
	char *text = NULL;
	size_t tlen = 0, i;
	FILE *mem = open_memstream(&text, &tlen);
	json_t *pg;

	json_array_foreach(pages, i, pg)
		if (mem && json_string_value(json_object_get(pg, "text")))
			fprintf(mem, "%s\n", json_string_value(json_object_get(pg, "text")));
	if (mem)
		fclose(mem);
	const char *type = fields_classify(r, text ? text : "", conf);
	free(text);
	return type;
}

/* One entry of a list ("NGUYỄN VĂN AN, sinh năm 1960, CMND số ..."): its
 * name mended and added, its details kept beside it; the list is as
 * sure as its least sure entry, and boxed where it begins. */
static void list_entry(gathered *g, const rule_field *f, found *v, int page)
{
	char whole[MAX_LINE];

	snprintf(whole, sizeof(whole), "%s", v->value);
	v->value[strcspn(v->value, ",")] = '\0';
	fields_collapse(v->value);
	/* a full name has two words at least: one alone is a stray word
	 * of the line below */
	if (!strchr(v->value, ' '))
		return;
	snprintf(v->read, sizeof(v->read), "%s", v->value);
	v->conf = mend(f, v->value, sizeof(v->value), v->conf);
	fields_mend_name(g->text, page, v->read, v->value);
	if (!g->owners) {
		g->owners = json_array();
		g->details = json_array();
		g->list = f->name;
	}
	json_array_append_new(g->owners, json_string(v->value));
	json_t *entry = json_pack("{s:s}", entry_name, v->value);
	inline_details(whole, entry);
	json_array_append_new(g->details, entry);
	json_t *had = json_object_get(json_object_get(g->fields, f->name), "confidence");
	if (had && json_number_value(had) < v->conf)
		v->conf = json_number_value(had);
	json_t *had_box = json_object_get(json_object_get(g->fields, f->name), "box");
	json_t *lf = json_pack("{s:O, s:f, s:s}", "value", g->owners,
			       "confidence", round(v->conf * 100) / 100, "source", "ocr");
	if (had_box)
		json_object_set(lf, "box", had_box);
	else
		set_box(lf, v);
	json_object_set_new(g->fields, f->name, lf);
}

/* A value read after its label: a list's entry, a helper's reading
 * (a line read only so that no other field takes it, or the second
 * printing of a value), or the field's value (the first that is of its
 * kind wins). */
static void take_value(gathered *g, const rule_field *f, const match *m,
		       found *v, int page)
{
	if (!strcmp(f->kind, "list")) {
		list_entry(g, f, v, page);
	} else if (f->name[0] == '_') {
		if (v->ok && f->confirms[0])
			json_object_set_new(g->helpers, f->confirms,
					    json_string(v->value));
		if (f->detail[0] && g->details)
			add_detail(g->details, f, m, v);
	} else if (v->ok || !json_object_get(g->fields, f->name)) {
		json_t *fj = field_json(v->value, v->conf);
		set_box(fj, v);
		if (v->readings)
			disagree(fj, json_incref(v->readings));
		json_object_set_new(g->fields, f->name, fj);
		if (!strcmp(f->kind, "name"))
			fields_mend_name(g->text, page, v->read, v->value);
	}
}

/* Every label's value on line li, each match given the field that
 * claims it. */
static void read_line(gathered *g, const rule_type *t, const line *lines,
		      int nl, int li, int *seen)
{
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
		/* a value not of its field's kind (an extract's own number,
		 * "305/TLKS-BS") leaves the field's occurrence to the next,
		 * unless the next is another field's (the wife's date is
		 * never the husband's) */
		if (!v.ok && v.value[0] && seen[slot] == 1 && strcmp(f->kind, "list") &&
		    !later_wanted(t, &m[j]))
			seen[slot] = 0;
		if (v.value[0])
			take_value(g, f, &m[j], &v, lines[li].page);
		json_decref(v.readings);
	}
}

/* The list's details beside it, as LIST_chi_tiet; a value printed twice
 * (digits and words) that disagrees: both readings kept, the one that
 * parsed cleanly as the value, and a person decides. */
static void settle(gathered *g)
{
	const char *name;
	json_t *h;

	if (g->details) {
		char key[48];
		json_t *owner = json_object_get(g->fields, g->list);
		snprintf(key, sizeof(key), "%s_chi_tiet", g->list);
		json_object_set_new(g->fields, key, json_pack(
			"{s:O, s:O, s:s}", "value", g->details, "confidence",
			json_object_get(owner, "confidence"), "source", "ocr"));
	}
	json_object_foreach(g->helpers, name, h) {
		json_t *f = json_object_get(g->fields, name);
		const char *a = f ? json_string_value(json_object_get(f, "value")) : NULL;
		if (!f) {
			json_object_set_new(g->fields, name, field_json(json_string_value(h), 0.6));
		} else if (a && strcmp(a, json_string_value(h))) {
			json_t *both = json_pack("[s, s]", a, json_string_value(h));
			/* misread digits still parse; misread words do not:
			 * the words that parsed are the likelier value */
			json_object_set_new(f, "value", json_copy(h));
			disagree(f, both);
		}
	}
}

/* The husband's and wife's dates, the child's name before the mother's:
 * occurrence n of a field is its nth match in reading order. */
int fields_extract(const fields_rules *r, json_t *pages, json_t **out,
		   json_t **mends)
{
	gathered g = { .fields = json_object(), .helpers = json_object() };
	const rule_edition *ed = NULL;
	int seen[MAX_FIELDS] = { 0 }, nl = 0;
	double tconf;
	line *lines;

	*out = NULL;
	if (mends)
		*mends = NULL;
	const char *type = classify_pages(r, pages, &tconf);
	const rule_type *t = fields_rules_type(r, type);
	if (t && (g.text = fields_text_lines(pages)))
		fields_mend_phrases(t, g.text);
	lines = t ? fields_lines_of(pages, &nl) : NULL;
	for (int li = 0; li < nl; li++)
		lines[li].nm = fields_matches_on(t, &lines[li], lines[li].m, MAX_MATCHES);
	for (int li = 0; li < nl; li++)
		read_line(&g, t, lines, nl, li, seen);
	settle(&g);
	if (t) {
		unlabelled(t, lines, nl, g.fields);
		ed = edition_of(r, t, lines, nl, g.fields);
	}
	json_decref(g.owners);
	json_decref(g.details);
	json_decref(g.helpers);
	free(lines);
	*out = json_pack("{s:s, s:s?, s:f, s:o}", "type", type, "edition",
			 ed ? ed->name : NULL, "type_confidence",
			 round(tconf * 100) / 100, "fields", g.fields);
	if (*out && mends && !(*mends = g.text ? fields_text_mends(g.text)
					       : json_array())) {
		json_decref(*out);
		*out = NULL;
	}
	fields_text_lines_free(&g.text);
	return *out ? 0 : base_fail(BASE_ENOMEM, "out of memory");
}
