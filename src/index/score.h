/* score.h - the index's search internals shared by search.c (clauses
 * and their sets) and score.c (sets of scored documents, BM25, and
 * scoring only what can reach the page). */
#ifndef IX_SCORE_H
#define IX_SCORE_H

#include "internal.h"

/* Documents with scores, ascending by document. */
typedef struct dset {
	uint32_t *doc;
	double *score;
	unsigned char *fz;
	size_t n, cap;
} dset;

typedef struct ctx {
	index_db *ix;
	MDB_txn *txn;
	const index_params *p;
	double ndocs, avgdl;
	int fuzzy;      /* try near spellings */
	int missing;    /* query words found nowhere, counted on the way */
	int fuzzy_all;  /* none is missing: near spellings for every word */
	uint32_t len_block, lens_ok;
	uint32_t lens[128];
	char **marks;
	size_t nmarks;
	void *spell;     /* search.c's words' near spellings, found once */
	size_t nspell;
} ctx;

/* One part of a record's score: being in a list, worth a BM25 term of
 * idf w (bm25 set) or the bonus w. bound is the most it can add. */
typedef struct part {
	ix_plist l;
	double w, bound;
	int bm25;
	size_t at;      /* where the last lookup stopped */
} part;

typedef struct parts {
	part *p;
	size_t n, cap;
} parts;

void ix_dset_free(dset *d);
int ix_dset_reserve(dset *d, size_t want);
/* appends doc (ascending order is the caller's) */
int ix_dset_add(dset *d, uint32_t doc, double score, int fz);
/* a = a AND b (and_op) or a OR b, scores summed where both have doc */
int ix_dset_merge(dset *a, dset *b, int and_op);
void ix_dset_subtract(dset *a, const dset *b);
size_t ix_seek(const uint32_t *a, size_t n, uint32_t doc, size_t *from);
void ix_dset_boost(dset *a, const ix_plist *p, double bonus);
double ix_idf(const ctx *c, size_t df);
double ix_bm25(ctx *c, double w, uint32_t tf, uint32_t doc);
void ix_parts_free(parts *ps);
int ix_parts_add(parts *ps, ix_plist *l, double w, int bm25, double k1);
int ix_score_parts(ctx *c, dset *d, parts *ps, size_t limit);

/* fuzzy.c: a word's near spellings, each weighted among them (0..1)
 * and counted in the records' names. */
#define FUZZY_MAX_VARIANTS 24
typedef struct variant {
	char t[IX_KEY_MAX];
	double w;     /* its weight among the word's variants, 0..1 */
	size_t names; /* how many records have it in a name */
} variant;

/* ix_near_spellings - the near spellings of folded word t (found once a
 * search, kept in c): *v (c's) and *n of them. */
int ix_near_spellings(ctx *c, const char *t, const variant **v, int *n);

#endif
