/* mends.c - what the word lists mend on a record's pages, gathered as
 * the lines of words it was read from (the pages themselves are never
 * changed): the form's printed phrases and the gazetteer's places on
 * every line, and a name the lists mended where the page holds it as
 * read once. Each changed line becomes a mend {"p", "w", "n", "t"}
 * that ingest lays on the words (words_mend). */
#include "fields.h"
#include "internal.h"

#include "../base/base.h"

#include <stdlib.h>
#include <string.h>

struct text_lines {
	struct tline {
		int page, w, n; /* its words: page's words [w, w + n) */
		char *read, *now;
	} *v;
	int count;
};

static int add_line(text_lines *tl, int page, int w, int n, char *read)
{
	struct tline *v;

	if (!read)
		return -1;
	if (!(v = realloc(tl->v, (size_t)(tl->count + 1) * sizeof(*v)))) {
		free(read);
		return -1;
	}
	tl->v = v;
	v[tl->count].page = page;
	v[tl->count].w = w;
	v[tl->count].n = n;
	v[tl->count].read = read;
	v[tl->count++].now = NULL;
	return 0;
}

/* The words [w, w + n) of words joined by spaces (yours). */
static char *joined(json_t *words, size_t w, size_t n)
{
	size_t len = 1;
	char *s;

	for (size_t i = w; i < w + n; i++) {
		const char *t = json_string_value(json_object_get(json_array_get(words, i), "t"));
		len += (t ? strlen(t) : 0) + 1;
	}
	if (!(s = malloc(len)))
		return NULL;
	*s = 0;
	for (size_t i = w; i < w + n; i++) {
		const char *t = json_string_value(json_object_get(json_array_get(words, i), "t"));
		if (i > w)
			strcat(s, " ");
		strcat(s, t ? t : "");
	}
	return s;
}

text_lines *fields_text_lines(json_t *pages)
{
	text_lines *tl = calloc(1, sizeof(*tl));
	json_t *pg;
	size_t p;

	json_array_foreach(pages, p, pg) {
		json_t *words = json_object_get(pg, "words");
		size_t n = json_array_size(words), from = 0;
		for (size_t i = 1; tl && i <= n; i++) {
			json_t *a = json_object_get(json_array_get(words, i - 1), "l");
			json_t *b = json_object_get(json_array_get(words, i), "l");
			if (i < n && json_integer_value(a) == json_integer_value(b))
				continue;
			if (add_line(tl, (int)p, (int)from, (int)(i - from),
				     joined(words, from, i - from))) {
				fields_text_lines_free(&tl);
				return NULL;
			}
			from = i;
		}
	}
	return tl;
}

void fields_text_lines_free(text_lines **tl)
{
	if (!tl || !*tl)
		return;
	for (int i = 0; i < (*tl)->count; i++) {
		free((*tl)->v[i].read);
		free((*tl)->v[i].now);
	}
	free((*tl)->v);
	free(*tl);
	*tl = NULL;
}

static const char *now_of(const struct tline *l)
{
	return l->now ? l->now : l->read;
}

static void set_now(struct tline *l, const char *s)
{
	char *c = strdup(s);

	if (c) {
		free(l->now);
		l->now = c;
	}
}

void fields_mend_phrases(const rule_type *t, text_lines *tl)
{
	char line[MAX_LINE];

	for (int i = 0; tl && i < tl->count; i++) {
		int changed = 0, m, u;
		if (strlen(now_of(&tl->v[i])) >= sizeof(line))
			continue; /* longer than any printed line: as read */
		strcpy(line, now_of(&tl->v[i]));
		for (int k = 0; k < t->ntext; k++) {
			fields_lexicon_mend(NULL, t->text[k], LEX_PHRASES, line,
					    sizeof(line), &m, &u);
			changed += m;
		}
		if (changed)
			set_now(&tl->v[i], line);
	}
}

void fields_mend_name(text_lines *tl, int page, const char *read,
		      const char *value)
{
	struct tline *at = NULL;
	const char *hit = NULL;
	size_t rl = strlen(read), vl = strlen(value);

	if (!tl || !rl || !strcmp(read, value))
		return;
	for (int i = 0; i < tl->count; i++) {
		const char *s = now_of(&tl->v[i]), *h;
		if (tl->v[i].page != page || !(h = strstr(s, read)))
			continue;
		if (at || strstr(h + 1, read))
			return; /* the page holds it twice: which is unsure */
		at = &tl->v[i];
		hit = h;
	}
	if (!at)
		return;
	const char *s = now_of(at);
	char *out = malloc(strlen(s) - rl + vl + 1);
	if (!out)
		return;
	memcpy(out, s, (size_t)(hit - s));
	memcpy(out + (hit - s), value, vl);
	strcpy(out + (hit - s) + vl, hit + rl);
	free(at->now);
	at->now = out;
}

json_t *fields_text_mends(const text_lines *tl)
{
	json_t *mends = json_array();

	for (int i = 0; mends && tl && i < tl->count; i++) {
		const struct tline *l = &tl->v[i];
		if (!l->now || !strcmp(l->now, l->read))
			continue;
		if (json_array_append_new(mends, json_pack("{s:i, s:i, s:i, s:s}",
				"p", l->page, "w", l->w, "n", l->n, "t", l->now))) {
			json_decref(mends);
			return NULL;
		}
	}
	return mends;
}
