/* words.c - a page's words: a new text laid over them (a mend, a
 * correction, an older store's mended text), and joined into text. */
#include "words.h"

#include "../base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Alignments above this many cells are refused (a page of 2,000 words
 * against its text is 4M). */
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

void words_box(json_t *w, int b[5])
{
	json_t *a = json_object_get(w, "b");

	for (size_t i = 0; i < 4; i++)
		b[i] = (int)json_integer_value(json_array_get(a, i));
	b[4] = (int)json_integer_value(json_object_get(w, "l"));
}

static wbox box_of(json_t *w)
{
	int b[5];

	words_box(w, b);
	return (wbox){ b[0], b[1], b[2], b[3], b[4],
		       json_number_value(json_object_get(w, "c")) };
}

static const char *text_of(json_t *w)
{
	const char *s = json_string_value(json_object_get(w, "t"));

	return s ? s : "";
}

/* What was read where w stands: its "r" if an earlier lay left one. */
static const char *read_of(json_t *w)
{
	const char *r = json_string_value(json_object_get(w, "r"));

	return r ? r : text_of(w);
}

/* UTF-8 characters in s (for sharing a box by length). */
static int chars(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n ? n : 1;
}

/* The run's words joined as read, or NULL when out of memory (yours). */
static char *run_read(json_t *const *from, size_t nw)
{
	size_t len = 1;
	char *s;

	for (size_t i = 0; i < nw; i++)
		len += strlen(read_of(from[i])) + 1;
	if (!(s = malloc(len)))
		return NULL;
	*s = 0;
	for (size_t i = 0; i < nw; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, read_of(from[i]));
	}
	return s;
}

/* Whether the tokens joined by spaces are read. */
static int tokens_are(char *const *tok, size_t nt, const char *read)
{
	for (size_t k = 0; k < nt; k++) {
		size_t l = strlen(tok[k]);
		if (strncmp(read, tok[k], l))
			return 0;
		read += l;
		if (k + 1 < nt && *read++ != ' ')
			return 0;
	}
	return !*read;
}

void words_lay(json_t *out, json_t *const *from, size_t nw, char *const *tok,
	       size_t nt, int keep_read)
{
	if (nw == nt) {
		for (size_t i = 0; i < nw; i++) {
			const char *read = read_of(from[i]);
			json_t *w = json_deep_copy(from[i]);
			if (!w)
				continue;
			json_object_set_new(w, "t", json_string(tok[i]));
			json_object_del(w, "r");
			if (keep_read && strcmp(read, tok[i]))
				json_object_set_new(w, "r", json_string(read));
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
	char *read = keep_read ? run_read(from, nw) : NULL;
	if (read && tokens_are(tok, nt, read)) {
		free(read);
		read = NULL;
	}
	double at = u.x, per = (double)u.w / (total > 1 ? total - 1 : 1);
	for (size_t k = 0; k < nt; k++) {
		wbox b = u;
		b.x = (int)(at + 0.5);
		b.w = (int)(chars(tok[k]) * per + 0.5);
		at += (chars(tok[k]) + 1) * per;
		json_t *w = word_new(tok[k], b);
		if (w && k == 0 && read)
			json_object_set_new(w, "r", json_string(read));
		json_array_append_new(out, w);
	}
	free(read);
}

size_t words_tokens(const char *s, char **buf, char ***tok)
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
				return 0;
			*tok = v;
		}
		(*tok)[n++] = t;
	}
	return n;
}

/* Lays the tokens tok[0..nt) that have no word of their own: they share
 * the box of the word laid before them (out's last). */
static void lay_extra(json_t *out, char *const *tok, size_t nt)
{
	size_t last = json_array_size(out);
	json_t *prev;
	char **t2;

	if (!last || !nt || !(t2 = malloc((nt + 1) * sizeof(*t2))))
		return;
	prev = json_incref(json_array_get(out, last - 1));
	t2[0] = (char *)text_of(prev);
	memcpy(t2 + 1, tok, nt * sizeof(*t2));
	json_array_remove(out, last - 1);
	words_lay(out, &prev, 1, t2, nt + 1, 1);
	json_decref(prev);
	free(t2);
}

static int same(json_t *w, const char *t)
{
	return !strcmp(text_of(w), t);
}

json_t *words_lay_text(json_t *words, const char *text)
{
	json_t *out = json_array();
	char *buf = NULL, **tok = NULL;
	size_t nw = json_array_size(words), nt = words_tokens(text, &buf, &tok);
	json_t **w = malloc((nw + 1) * sizeof(*w));
	unsigned *dp = NULL;
	int ok = out && w && tok && buf;

	for (size_t i = 0; ok && i < nw; i++)
		w[i] = json_array_get(words, i);
	if (ok && (!nt || !nw)) {
		/* nothing to align: the words as they are, or the text's
		 * tokens have no box to go in */
		if (!nt)
			json_array_extend(out, words);
		goto out;
	}
	if (ok && (nw + 1) * (nt + 1) <= ALIGN_MAX_CELLS)
		dp = calloc((nw + 1) * (nt + 1), sizeof(*dp));
	if (!dp) {
		ok = 0;
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
			words_lay(out, w + ri, i - ri, tok + rj, j - rj, 1);
		else if (json_array_size(out))
			lay_extra(out, tok + rj, j - rj);
		else
			lead = j - rj;
		if (end)
			break;
		if (lead && !json_array_size(out)) {
			words_lay(out, w + i, 1, tok, j + 1, 1);
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
	if (!ok)
		json_decref(out);
	return ok ? out : NULL;
}

/* The mends of page p, last first (a later span's indices are kept
 * while an earlier one changes the count of words before it). */
static int by_word_desc(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "w"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "w"));

	return x < y ? 1 : x > y ? -1 : 0;
}

static int mend_page(json_t *page, size_t p, json_t *mends)
{
	json_t *words = json_object_get(page, "words"), *m, **v;
	size_t i, n = 0, nm = json_array_size(mends);
	int rc = 0;

	if (!json_is_array(words) || !nm)
		return 0;
	if (!(v = malloc(nm * sizeof(*v))))
		return base_fail(BASE_ENOMEM, "out of memory");
	json_array_foreach(mends, i, m)
		if ((size_t)json_integer_value(json_object_get(m, "p")) == p &&
		    json_is_integer(json_object_get(m, "p")))
			v[n++] = m;
	qsort(v, n, sizeof(*v), by_word_desc);
	for (i = 0; i < n && rc == 0; i++) {
		json_int_t w = json_integer_value(json_object_get(v[i], "w"));
		json_int_t c = json_integer_value(json_object_get(v[i], "n"));
		const char *t = json_string_value(json_object_get(v[i], "t"));
		json_t *span, *laid;
		if (!t || w < 0 || c < 1 || (size_t)(w + c) > json_array_size(words) ||
		    (i && w + c > json_integer_value(json_object_get(v[i - 1], "w"))))
			continue; /* outside the words, or over the next mend */
		if (!(span = json_array()))
			return free(v), base_fail(BASE_ENOMEM, "out of memory");
		for (json_int_t k = w; k < w + c; k++)
			json_array_append(span, json_array_get(words, (size_t)k));
		laid = words_lay_text(span, t);
		json_decref(span);
		if (!laid) {
			rc = base_fail(BASE_ENOMEM, "out of memory");
			break;
		}
		for (json_int_t k = 0; k < c; k++)
			json_array_remove(words, (size_t)w);
		for (size_t k = json_array_size(laid); k-- > 0;)
			json_array_insert(words, (size_t)w, json_array_get(laid, k));
		json_decref(laid);
	}
	free(v);
	return rc;
}

int words_mend(json_t *pages, json_t *mends)
{
	json_t *page;
	size_t p;

	json_array_foreach(pages, p, page) {
		char *text = NULL;
		int rc;
		if (!json_is_array(json_object_get(page, "words")))
			continue;
		if ((rc = mend_page(page, p, mends)) ||
		    (rc = words_text(json_object_get(page, "words"), &text)))
			return rc;
		rc = json_object_set_new(page, "text", json_string(text));
		free(text);
		if (rc)
			return base_fail(BASE_ENOMEM, "out of memory");
	}
	return 0;
}

int words_text(json_t *words, char **text)
{
	char *buf = NULL;
	size_t len = 0, i;
	json_t *w;
	int line = -1;
	FILE *f = open_memstream(&buf, &len);

	*text = NULL;
	if (!f)
		return base_fail(BASE_ENOMEM, "out of memory");
	json_array_foreach(words, i, w) {
		int l = (int)json_integer_value(json_object_get(w, "l"));
		if (i)
			fputc(l != line ? '\n' : ' ', f);
		line = l;
		fputs(text_of(w), f);
	}
	if (i)
		fputc('\n', f);
	if (fclose(f) || !buf) {
		free(buf);
		return base_fail(BASE_ENOMEM, "out of memory");
	}
	*text = buf;
	return 0;
}
