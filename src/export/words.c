/* words.c - a page's current words for the PDF's text layer and the
 * ALTO: the words recognition stored, with their boxes and confidences,
 * carrying the page's current text (names the word lists mended) and
 * each value a person corrected, over the words it was read from. */
#include "export.h"
#include "internal.h"

#include "../base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Alignments above this many cells fall back to a word-for-word walk
 * (a page of 2,000 words against its text is 4M). */
#define ALIGN_MAX_CELLS (16u << 20)

typedef struct wbox {
	int x, y, w, h, line;
	double conf;
} wbox;

static json_t *word_new(const char *t, wbox b)
{
	return json_pack("{s:s, s:[i,i,i,i], s:f, s:i}", "t", t, "b", b.x, b.y,
			 b.w < 1 ? 1 : b.w, b.h < 1 ? 1 : b.h, "c", b.conf, "l",
			 b.line);
}

static wbox box_of(json_t *w)
{
	json_t *b = json_object_get(w, "b");
	wbox o = {
		(int)json_integer_value(json_array_get(b, 0)),
		(int)json_integer_value(json_array_get(b, 1)),
		(int)json_integer_value(json_array_get(b, 2)),
		(int)json_integer_value(json_array_get(b, 3)),
		(int)json_integer_value(json_object_get(w, "l")),
		json_number_value(json_object_get(w, "c")),
	};
	return o;
}

/* UTF-8 characters in s (for sharing a box by length). */
static int chars(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n ? n : 1;
}

/* Lays the tokens tok[0..nt) over the words from[0..nw) (nw >= 1): one
 * for one when the counts agree; else each line's words share that
 * line's tokens, a box split by the tokens' lengths, boxes merged when
 * there are more words than tokens. Appends to out. */
static void lay(json_t *out, json_t *const *from, size_t nw, char *const *tok,
		size_t nt)
{
	if (nw == nt) {
		for (size_t i = 0; i < nw; i++) {
			json_t *w = json_deep_copy(from[i]);
			json_object_set_new(w, "t", json_string(tok[i]));
			json_array_append_new(out, w);
		}
		return;
	}
	/* the run's extent, one box: tokens placed left to right by
	 * length (a run rarely spans lines; if it does, the line of its
	 * first word) */
	wbox u = box_of(from[0]);
	double conf = 0;
	int x1 = u.x + u.w, y1 = u.y + u.h, total = 0;
	for (size_t i = 0; i < nw; i++) {
		wbox b = box_of(from[i]);
		if (b.line != u.line)
			continue;
		if (b.x < u.x)
			u.x = b.x;
		if (b.y < u.y)
			u.y = b.y;
		if (b.x + b.w > x1)
			x1 = b.x + b.w;
		if (b.y + b.h > y1)
			y1 = b.y + b.h;
	}
	for (size_t i = 0; i < nw; i++)
		conf += box_of(from[i]).conf / (double)nw;
	for (size_t k = 0; k < nt; k++)
		total += chars(tok[k]) + 1;
	u.w = x1 - u.x;
	u.h = y1 - u.y;
	u.conf = conf;
	double at = u.x, per = (double)u.w / (total > 1 ? total - 1 : 1);
	for (size_t k = 0; k < nt; k++) {
		wbox b = u;
		b.x = (int)(at + 0.5);
		b.w = (int)(chars(tok[k]) * per + 0.5);
		at += (chars(tok[k]) + 1) * per;
		json_array_append_new(out, word_new(tok[k], b));
	}
}

/* Splits s at white space: *tok points into *buf, a copy of s; you
 * free both. Returns the count (0 on no memory). */
static size_t tokens(const char *s, char **buf, char ***tok)
{
	size_t n = 0, cap = 64;
	char *save = NULL, *t;

	*buf = strdup(s ? s : "");
	*tok = malloc(cap * sizeof(**tok));
	if (!*buf || !*tok)
		return 0;
	for (t = strtok_r(*buf, " \t\r\n\f\v", &save); t;
	     t = strtok_r(NULL, " \t\r\n\f\v", &save)) {
		if (n == cap) {
			char **v = realloc(*tok, (cap *= 2) * sizeof(**tok));
			if (!v)
				return n;
			*tok = v;
		}
		(*tok)[n++] = t;
	}
	return n;
}

/* Lays the tokens tok[c..d) that have no word of their own: they share
 * the box of the word laid before them (out's last). */
static void lay_extra(json_t *out, char *const *tok, size_t nt)
{
	size_t last = json_array_size(out);
	json_t *prev;
	char **t2;

	if (!last || !nt || !(t2 = malloc((nt + 1) * sizeof(*t2))))
		return;
	prev = json_incref(json_array_get(out, last - 1));
	t2[0] = (char *)json_string_value(json_object_get(prev, "t"));
	memcpy(t2 + 1, tok, nt * sizeof(*t2));
	json_array_remove(out, last - 1);
	lay(out, &prev, 1, t2, nt + 1);
	json_decref(prev);
	free(t2);
}

static int same(json_t *w, const char *t)
{
	const char *s = json_string_value(json_object_get(w, "t"));

	return s && !strcmp(s, t);
}

/* The stored words with the current text laid over them: the longest
 * common sequence of words and text tokens is kept as it is; between
 * two kept ones, what differs (a mended name) takes the boxes of the
 * words it replaced; words the text no longer has are left out. */
static json_t *with_text(json_t *words, const char *text)
{
	json_t *out = json_array();
	char *buf = NULL, **tok = NULL;
	size_t nw = json_array_size(words), nt = tokens(text, &buf, &tok);
	json_t **w = malloc((nw + 1) * sizeof(*w));
	unsigned *dp = NULL;

	for (size_t i = 0; w && i < nw; i++)
		w[i] = json_array_get(words, i);
	if (w && tok && nt && nw && (nw + 1) * (nt + 1) <= ALIGN_MAX_CELLS)
		dp = calloc((nw + 1) * (nt + 1), sizeof(*dp));
	if (!dp) {  /* too large, no text or no memory: as stored */
		for (size_t i = 0; i < nw; i++)
			json_array_append(out, json_array_get(words, i));
		goto out;
	}
#define DP(i, j) dp[(i) * (nt + 1) + (j)]
	for (size_t i = nw; i-- > 0;)
		for (size_t j = nt; j-- > 0;)
			DP(i, j) = same(w[i], tok[j]) ? DP(i + 1, j + 1) + 1
				 : DP(i + 1, j) > DP(i, j + 1) ? DP(i + 1, j) : DP(i, j + 1);
	/* ri, rj: where the run of differences began; lead: tokens before
	 * the first word laid, given to it */
	size_t i = 0, j = 0, ri = 0, rj = 0, lead = 0;
	for (;;) {
		int end = i == nw || j == nt;
		if (!end && !same(w[i], tok[j])) {
			if (DP(i + 1, j) >= DP(i, j + 1))
				i++;
			else
				j++;
			continue;
		}
		if (end) {
			i = nw;
			j = nt;
		}
		if (i > ri)
			lay(out, w + ri, i - ri, tok + rj, j - rj);
		else if (json_array_size(out))
			lay_extra(out, tok + rj, j - rj);
		else
			lead = j - rj;
		if (end)
			break;
		if (lead && !json_array_size(out)) {
			lay(out, w + i, 1, tok, j + 1);
			lead = 0;
		} else {
			json_array_append(out, w[i]);
		}
		ri = ++i;
		rj = ++j;
	}
#undef DP
out:
	free(dp);
	free(w);
	free(tok);
	free(buf);
	return out;
}

/* The words of page n (1-based) inside box b, the field's words: on a
 * value that runs onto a second line, its first line's printed label
 * (the words up to the last one ending in ':') is not the value's. */
static void field_words(json_t *words, json_t *b, size_t *from, size_t *to)
{
	int bx = (int)json_integer_value(json_array_get(b, 1));
	int by = (int)json_integer_value(json_array_get(b, 2));
	int bw = (int)json_integer_value(json_array_get(b, 3));
	int bh = (int)json_integer_value(json_array_get(b, 4));
	size_t i, first = (size_t)-1, last = 0;
	json_t *w;

	json_array_foreach(words, i, w) {
		wbox o = box_of(w);
		int cx = o.x + o.w / 2, cy = o.y + o.h / 2;
		if (cx >= bx && cx <= bx + bw && cy >= by && cy <= by + bh) {
			if (first == (size_t)-1)
				first = i;
			last = i;
		}
	}
	if (first == (size_t)-1) {
		*from = *to = 0;
		return;
	}
	int line0 = box_of(json_array_get(words, first)).line;
	if (box_of(json_array_get(words, last)).line != line0)
		for (i = first; i <= last; i++) {
			const char *t = json_string_value(json_object_get(
					json_array_get(words, i), "t"));
			if (box_of(json_array_get(words, i)).line != line0)
				break;
			if (t && *t && t[strlen(t) - 1] == ':')
				first = i + 1;
		}
	*from = first;
	*to = last + 1;
}

/* Each corrected field read from this page: its words become the
 * person's value. */
static void corrections(json_t *words, json_t *fields, int n)
{
	const char *name;
	json_t *f;

	json_object_foreach(fields, name, f) {
		json_t *b = json_object_get(f, "box");
		const char *src = json_string_value(json_object_get(f, "source"));
		char value[2048], *buf = NULL, **tok = NULL;
		size_t from, to, nt;

		if (!src || strcmp(src, "correction") || json_array_size(b) != 5 ||
		    json_integer_value(json_array_get(b, 0)) != n)
			continue;
		field_words(words, b, &from, &to);
		/* as the page prints it: dates dd/mm/yyyy */
		export_value_text(json_object_get(f, "value"), value, sizeof(value));
		nt = tokens(value, &buf, &tok);
		if (to > from && nt) {
			json_t **v = malloc((to - from) * sizeof(*v)), *rest = json_array();
			for (size_t i = from; v && i < to; i++)
				v[i - from] = json_incref(json_array_get(words, i));
			if (v)
				lay(rest, v, to - from, tok, nt);
			for (size_t i = to; v && i < json_array_size(words); i++)
				json_array_append(rest, json_array_get(words, i));
			for (size_t i = from; v && i < to; i++)
				json_decref(v[i - from]);
			if (v) {
				while (json_array_size(words) > from)
					json_array_remove(words, from);
				json_array_extend(words, rest);
			}
			json_decref(rest);
			free(v);
		}
		free(tok);
		free(buf);
	}
}

json_t *export_page_words(json_t *meta, json_t *page, const char *text,
			  int n)
{
	json_t *words = json_object_get(page, "words"), *out;

	out = text ? with_text(words, text) : json_deep_copy(words);
	if (out)
		corrections(out, json_object_get(meta, "fields"), n);
	return out;
}

int export_page_text(json_t *words, char **text)
{
	char *buf = NULL;
	size_t len = 0, i;
	json_t *w;
	int line = -1;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return base_fail(BASE_ENOMEM, "out of memory");
	json_array_foreach(words, i, w) {
		int l = (int)json_integer_value(json_object_get(w, "l"));
		if (i)
			fputc(l != line ? '\n' : ' ', f);
		line = l;
		fputs(json_string_value(json_object_get(w, "t")), f);
	}
	if (i)
		fputc('\n', f);
	fclose(f);
	*text = buf;
	return 0;
}
