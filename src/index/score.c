/* score.c - sets of scored documents (ascending by document: union,
 * intersection, difference, boosts), BM25, and the parts of a score
 * added only to the records that can still reach the page. */
#include "score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void ix_dset_free(dset *d)
{
	free(d->doc);
	free(d->score);
	free(d->fz);
	memset(d, 0, sizeof(*d));
}

/* Room for want documents in all. */
int ix_dset_reserve(dset *d, size_t want)
{
	if (want > d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		while (cap < want)
			cap *= 2;
		uint32_t *a = realloc(d->doc, cap * sizeof(*a));
		if (a) d->doc = a;
		double *b = realloc(d->score, cap * sizeof(*b));
		if (b) d->score = b;
		unsigned char *c = realloc(d->fz, cap);
		if (c) d->fz = c;
		if (!a || !b || !c)
			return base_fail(BASE_ENOMEM, "out of memory");
		d->cap = cap;
	}
	return 0;
}

int ix_dset_add(dset *d, uint32_t doc, double score, int fz)
{
	if (d->n == d->cap && ix_dset_reserve(d, d->n + 1))
		return BASE_ENOMEM;
	d->doc[d->n] = doc;
	d->score[d->n] = score;
	d->fz[d->n++] = (unsigned char)fz;
	return 0;
}

/* *a becomes a AND b (and_op) or a OR b, scores summed. */
int ix_dset_merge(dset *a, dset *b, int and_op)
{
	dset r = { 0 };
	size_t i = 0, j = 0;
	int rc = 0;

	while (rc == 0 && (i < a->n || j < b->n)) {
		if (j == b->n || (i < a->n && a->doc[i] < b->doc[j])) {
			if (!and_op)
				rc = ix_dset_add(&r, a->doc[i], a->score[i], a->fz[i]);
			i++;
		} else if (i == a->n || b->doc[j] < a->doc[i]) {
			if (!and_op)
				rc = ix_dset_add(&r, b->doc[j], b->score[j], b->fz[j]);
			j++;
		} else {
			/* fz counts the words matched only by a near spelling */
			rc = ix_dset_add(&r, a->doc[i], a->score[i] + b->score[j],
				      and_op ? a->fz[i] + b->fz[j]
					     : (a->fz[i] < b->fz[j] ? a->fz[i]
								    : b->fz[j]));
			i++, j++;
		}
	}
	ix_dset_free(a);
	*a = r;
	return rc;
}

/* a minus the documents of b. */
void ix_dset_subtract(dset *a, const dset *b)
{
	size_t k = 0, j = 0;

	for (size_t i = 0; i < a->n; i++) {
		while (j < b->n && b->doc[j] < a->doc[i])
			j++;
		if (j < b->n && b->doc[j] == a->doc[i])
			continue;
		a->doc[k] = a->doc[i];
		a->score[k] = a->score[i];
		a->fz[k++] = a->fz[i];
	}
	a->n = k;
}

/* The index of doc in a[0..n) (ascending) at or after *from (which
 * moves on), or n: for ascending lookups, galloping from the last one
 * found. */
size_t ix_seek(const uint32_t *a, size_t n, uint32_t doc, size_t *from)
{
	size_t lo = *from, step = 1, hi;

	if (lo >= n)
		return n;
	if (a[lo] < doc) {
		hi = lo + 1;
		while (hi < n && a[hi] < doc) {
			lo = hi;
			step *= 2;
			hi = lo + step;
		}
		if (hi > n)
			hi = n;
		/* a[lo] < doc <= a[hi] (or hi = n) */
		while (lo + 1 < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (a[mid] < doc)
				lo = mid;
			else
				hi = mid;
		}
		lo = hi;
	}
	*from = lo;
	return lo < n && a[lo] == doc ? lo : n;
}

/* Adds bonus to the documents of a that are in p. */
void ix_dset_boost(dset *a, const ix_plist *p, double bonus)
{
	size_t i = 0, j = 0, at = 0;

	if (p->n > 16 * a->n) {
		/* a few hits against a long list: look each one up */
		for (i = 0; i < a->n; i++)
			if (ix_seek(p->doc, p->n, a->doc[i], &at) < p->n)
				a->score[i] += bonus;
		return;
	}
	if (a->n > 16 * p->n) {
		/* a short list against many hits: the other way round */
		for (j = 0; j < p->n; j++)
			if ((i = ix_seek(a->doc, a->n, p->doc[j], &at)) < a->n)
				a->score[i] += bonus;
		return;
	}
	for (i = 0; i < a->n; i++) {
		while (j < p->n && p->doc[j] < a->doc[i])
			j++;
		if (j < p->n && p->doc[j] == a->doc[i])
			a->score[i] += bonus;
	}
}

static uint32_t doc_len(ctx *c, uint32_t doc)
{
	if (!c->lens_ok || c->len_block != doc >> 7) {
		/* one read serves 128 neighbours */
		ix_doc_lengths(c->ix, c->txn, doc, c->lens);
		c->len_block = doc >> 7;
		c->lens_ok = 1;
	}
	return c->lens[doc & 127];
}

double ix_idf(const ctx *c, size_t df)
{
	return log(1.0 + (c->ndocs - (double)df + 0.5) / ((double)df + 0.5));
}

double ix_bm25(ctx *c, double w, uint32_t tf, uint32_t doc)
{
	double k1 = c->p->k1, b = c->p->b, dl = doc_len(c, doc);

	return w * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / c->avgdl));
}


void ix_parts_free(parts *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		ix_plist_free(&ps->p[i].l);
	free(ps->p);
	memset(ps, 0, sizeof(*ps));
}

/* Takes *l (left empty) as a part; an empty list is only freed. */
int ix_parts_add(parts *ps, ix_plist *l, double w, int bm25, double k1)
{
	if (l->n == 0) {
		ix_plist_free(l);
		return 0;
	}
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 16;
		part *np = realloc(ps->p, cap * sizeof(*np));
		if (!np) {
			ix_plist_free(l);
			return base_fail(BASE_ENOMEM, "out of memory");
		}
		ps->p = np;
		ps->cap = cap;
	}
	ps->p[ps->n++] = (part){ .l = *l, .w = w, .bm25 = bm25,
				 .bound = bm25 ? w * (k1 + 1) : w };
	memset(l, 0, sizeof(*l));
	return 0;
}

/* What part p adds to doc (lookups in ascending order of doc). */
static double part_value(ctx *c, part *p, uint32_t doc)
{
	size_t j = ix_seek(p->l.doc, p->l.n, doc, &p->at);

	if (j == p->l.n)
		return 0;
	return p->bm25 ? ix_bm25(c, p->w, p->l.tf[j], doc) : p->w;
}

/* A min-heap of the best k scores so far: h[0] is the k-th best. */
static void heap_push(double *h, size_t *n, size_t k, double v)
{
	size_t i;

	if (*n < k) {
		for (i = (*n)++; i > 0 && h[(i - 1) / 2] > v; i = (i - 1) / 2)
			h[i] = h[(i - 1) / 2];
		h[i] = v;
		return;
	}
	if (v <= h[0])
		return;
	for (i = 0;;) {
		size_t m = 2 * i + 1;
		if (m >= k)
			break;
		if (m + 1 < k && h[m + 1] < h[m])
			m++;
		if (h[m] >= v)
			break;
		h[i] = h[m];
		i = m;
	}
	h[i] = v;
}

/* Largest bound first; equal ones in the order they were made. */
static int bound_cmp(const void *a, const void *b)
{
	const part *p = *(part *const *)a, *q = *(part *const *)b;

	if (p->bound != q->bound)
		return (p->bound < q->bound) - (p->bound > q->bound);
	return (p > q) - (p < q);
}

/* Adds the parts to the scores of d, for the best limit records exactly.
 * Bonus lists short beside d are added to every record at once; the
 * rest (BM25 and common names) one record at a time, largest first,
 * stopping as soon as a record cannot reach the limit-th best score so
 * far (its score is then left below that, where it ranks anyway). The
 * records that look best by what is known are scored first, so that
 * bar rises early: a name query matching most records (three common
 * syllables) then scores a few hundred of them, not all. */
int ix_score_parts(ctx *c, dset *d, parts *ps, size_t limit)
{
	size_t nl = 0, k = limit < d->n ? limit : d->n, nh = 0;
	part **lazy = malloc((ps->n + 1) * sizeof(*lazy));
	double *rest = malloc((ps->n + 1) * sizeof(*rest));
	double *h = malloc((k + 1) * sizeof(*h)), first = -INFINITY;
	unsigned char *done = calloc(d->n + 1, 1);
	int rc = 0;

	if (!lazy || !rest || !h || !done) {
		rc = base_fail(BASE_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < ps->n; i++) {
		/* (all of them when every record is scored in full) */
		if (!ps->p[i].bm25 && (k == d->n || ps->p[i].l.n * 4 <= d->n))
			ix_dset_boost(d, &ps->p[i].l, ps->p[i].w);
		else
			lazy[nl++] = &ps->p[i];
	}
	qsort(lazy, nl, sizeof(*lazy), bound_cmp);
	rest[nl] = 0;
	for (size_t j = nl; j-- > 0;)
		rest[j] = rest[j + 1] + lazy[j]->bound;
	if (k == 0)
		goto out;
	/* first the records at or above the k-th best score known so far */
	if (k < d->n) {
		for (size_t i = 0; i < d->n; i++)
			heap_push(h, &nh, k, d->score[i]);
		first = h[0];
		nh = 0;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t j = 0; j < nl; j++)
			lazy[j]->at = 0;
		for (size_t i = 0; i < d->n; i++) {
			double sc = d->score[i], bm = 0;
			double bar = nh == k ? h[0] : -INFINITY;
			size_t j;
			if (done[i] || (pass == 0 && sc < first))
				continue;
			done[i] = 1;
			/* bonuses and BM25 summed apart, BM25 last: a record's
			 * score is the same to the last bit whichever bonus
			 * lists were added at once */
			for (j = 0; j < nl && sc + bm + rest[j] >= bar; j++)
				if (lazy[j]->bm25)
					bm += part_value(c, lazy[j], d->doc[i]);
				else
					sc += part_value(c, lazy[j], d->doc[i]);
			sc += bm;
			d->score[i] = sc;
			if (j == nl && k < d->n)
				heap_push(h, &nh, k, sc);
		}
	}
out:
	free(lazy);
	free(rest);
	free(h);
	free(done);
	return rc;
}

