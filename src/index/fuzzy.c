/* fuzzy.c - a query word's near spellings in the index's vocabulary:
 * within an edit distance of one (two for a long word), or sharing its
 * consonants when it is short, the ones most common in names first;
 * found once a search. */
#include "score.h"

#include "../text/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Optimal string alignment distance of a and b, or max + 1 once it is
 * certain to exceed max (or either is longer than a term). */
static int edit_distance(const char *a, size_t n, const char *b, size_t m,
			 int max)
{
	if (n > IX_TERM_MAX * 4 || m > IX_TERM_MAX * 4)
		return max + 1;
	return text_distance(a, n, b, m, max, 1);
}

/* The letters of t that are no vowel: "en" and "yen" share "n". */
static void frame_of(const char *t, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < IX_KEY_MAX; i++)
		if (!strchr("aeiouy", t[i]))
			out[o++] = t[i];
	out[o] = '\0';
}


static int by_names(const void *a, const void *b)
{
	const variant *x = a, *y = b;

	if (x->names != y->names)
		return x->names < y->names ? 1 : -1;
	return strcmp(x->t, y->t);
}

/* How many records have syllable t in one of their names. */
static size_t name_count(ctx *c, const char *t)
{
	size_t sum = 0, n;
	char key[IX_KEY_MAX];

	const char *name;
	for (int f = 0; (name = ix_person_next(c->ix->pending.schema, &f));) {
		ix_term_key(key, 'f', name, t);
		if (ix_postings_count(c->txn, c->ix->terms, key, &n) == 0)
			sum += n;
	}
	return sum;
}

/* The vocabulary's syllables within edit distance 1 of t (2 when t is
 * long), t itself excluded; for a word of one to three letters (a
 * syllable typed a letter short: "nm", "ah") also those sharing its
 * consonants ("en": "yen"), the ones most common in names first and
 * weighted by it. Only letters: numbers must match. */
static int fuzzy_variants(ctx *c, const char *t, variant *out, int *n)
{
	size_t len = strlen(t), cap = len <= 3 ? 512 : FUZZY_MAX_VARIANTS, got = 0;
	int max = len >= 7 ? 2 : 1, rc, shortw = len <= 3;
	char frame[IX_KEY_MAX], kf[IX_KEY_MAX];
	variant *all = shortw ? malloc(cap * sizeof(*all)) : out;
	MDB_cursor *cur;
	MDB_val k, v;

	*n = 0;
	if (len == 0 || isdigit((unsigned char)t[0]) || !all) {
		if (all != out)
			free(all);
		return all ? 0 : base_fail(BASE_ENOMEM, "out of memory");
	}
	frame_of(t, len, frame);
	rc = mdb_cursor_open(c->txn, c->ix->vocab, &cur);
	if (rc) {
		if (all != out)
			free(all);
		return ix_db_error(rc, "cannot open cursor");
	}
	for (int op = MDB_FIRST; (rc = mdb_cursor_get(cur, &k, &v, op)) == 0;
	     op = MDB_NEXT) {
		const char *key = k.mv_data;
		int near;
		if (k.mv_size + 1 > IX_KEY_MAX || isdigit((unsigned char)key[0]) ||
		    (k.mv_size == len && !memcmp(key, t, len)))
			continue;
		near = edit_distance(t, len, key, k.mv_size, max) <= max;
		if (!near && shortw && *frame && k.mv_size <= len + 2) {
			frame_of(key, k.mv_size, kf);
			near = !strcmp(kf, frame);
		}
		if (!near)
			continue;
		memcpy(all[got].t, key, k.mv_size);
		all[got].t[k.mv_size] = 0;
		all[got].w = 1;
		if (++got == cap)
			break;
	}
	mdb_cursor_close(cur);
	if (rc && rc != MDB_NOTFOUND && rc != 0) {
		if (all != out)
			free(all);
		return ix_db_error(rc, "cannot read vocabulary");
	}
	if (shortw) {
		for (size_t i = 0; i < got; i++)
			all[i].names = name_count(c, all[i].t);
		qsort(all, got, sizeof(*all), by_names);
		if (got > FUZZY_MAX_VARIANTS)
			got = FUZZY_MAX_VARIANTS;
		for (size_t i = 0; i < got; i++) {
			out[i] = all[i];
			/* a short word's variants are many: the commoner in
			 * names, the likelier meant */
			out[i].w = all[0].names ? (0.2 + 0.8 * (double)all[i].names /
						   (double)all[0].names) : 1;
		}
		free(all);
	}
	*n = (int)got;
	return 0;
}

/* A word's near spellings, found once a search: the fuzzy pass and a
 * mistyped name both ask for them, and finding them scans the whole
 * vocabulary. *v lives until the next call. */
typedef struct spelling {
	char word[IX_KEY_MAX];
	variant v[FUZZY_MAX_VARIANTS];
	int n;
} spelling;

int ix_near_spellings(ctx *c, const char *t, const variant **v, int *n)
{
	spelling *s = c->spell;
	int rc;

	for (size_t i = 0; i < c->nspell; i++)
		if (!strcmp(s[i].word, t)) {
			*v = s[i].v;
			*n = s[i].n;
			return 0;
		}
	if (!(s = realloc(c->spell, (c->nspell + 1) * sizeof(*s))))
		return base_fail(BASE_ENOMEM, "out of memory");
	c->spell = s;
	s += c->nspell;
	snprintf(s->word, sizeof(s->word), "%s", t);
	rc = fuzzy_variants(c, t, s->v, &s->n);
	if (rc)
		return rc;
	c->nspell++;
	*v = s->v;
	*n = s->n;
	return 0;
}
