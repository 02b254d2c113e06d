/* snippet.c - the few words of a record's text a hit shows: the window
 * holding most of the words the search marked, with them in «». */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_marked(const index_result *r, const char *folded)
{
	for (size_t i = 0; i < r->nmarks; i++)
		if (!strcmp(r->marks[i], folded))
			return 1;
	return 0;
}

/* Appends text[s..e) with runs of white space made one space. */
static void append_text(char *out, size_t *n, const char *s, const char *e)
{
	for (; s < e; s++) {
		int sp = isspace((unsigned char)*s);
		if (sp && *n && out[*n - 1] == ' ')
			continue;
		out[(*n)++] = sp ? ' ' : *s;
	}
}

char *index_snippet(const char *text, const index_result *r, int width)
{
	ix_token *t;
	size_t n, best = 0, from = 0, len = 0;
	int count = 0, best_count = -1;
	char *out;

	if (!text)
		text = "";
	if (ix_tokenize(text, &t, &n))
		return NULL;
	unsigned char *m = calloc(n + 1, 1);
	if (!m) {
		free(t);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		m[i] = (unsigned char)is_marked(r, t[i].folded);
	/* the window of width words holding the most marked words */
	for (size_t i = 0; i < n; i++) {
		count += m[i];
		if (i >= (size_t)width)
			count -= m[i - (size_t)width];
		if (count > best_count) {
			best_count = count;
			best = i + 1 > (size_t)width ? i + 1 - (size_t)width : 0;
		}
	}
	/* centre the window on its marked words */
	size_t lo = best, hi = best;
	for (size_t i = best; i < n && i < best + (size_t)width; i++)
		if (m[i]) {
			if (!m[lo])
				lo = i;
			hi = i;
		}
	size_t mid = (lo + hi) / 2;
	from = mid > (size_t)width / 2 ? mid - (size_t)width / 2 : 0;
	if (from + (size_t)width > n)
		from = n > (size_t)width ? n - (size_t)width : 0;
	size_t to = from + (size_t)width < n ? from + (size_t)width : n;
	out = malloc(strlen(text) * 2 + 32);
	if (out) {
		if (from > 0)
			len += (size_t)sprintf(out, "… ");
		for (size_t i = from; i < to; i++) {
			if (i > from)
				append_text(out, &len, text + t[i - 1].end,
					    text + t[i].start);
			if (m[i])
				len += (size_t)sprintf(out + len, "«");
			memcpy(out + len, text + t[i].start, t[i].end - t[i].start);
			len += t[i].end - t[i].start;
			if (m[i])
				len += (size_t)sprintf(out + len, "»");
		}
		if (to < n)
			len += (size_t)sprintf(out + len, " …");
		out[len] = 0;
	}
	free(m);
	free(t);
	return out;
}
