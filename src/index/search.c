/* search.c - answering a query: each clause becomes a set of scored
 * documents (score.c: BM25 on the folded text, boosts for diacritics,
 * names and fields), the sets are intersected, exclusions removed, and
 * near spellings tried when the exact words find too little. */
#include "score.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#define FUZZY_WEIGHT 0.3

static int mark(ctx *c, const char *folded)
{
	for (size_t i = 0; i < c->nmarks; i++)
		if (!strcmp(c->marks[i], folded))
			return 0;
	char **m = realloc(c->marks, (c->nmarks + 1) * sizeof(*m));
	if (!m)
		return base_fail(BASE_ENOMEM, "out of memory");
	c->marks = m;
	if (!(m[c->nmarks] = strdup(folded)))
		return base_fail(BASE_ENOMEM, "out of memory");
	c->nmarks++;
	return 0;
}

static int read_term(ctx *c, char kind, const char *field, const char *t,
		     int want_pos, ix_plist *out)
{
	char key[IX_KEY_MAX];

	ix_term_key(key, kind, field, t);
	return ix_postings_read(c->txn, c->ix->terms, key, want_pos, out);
}

/* Adds the documents of term's list (kind and field as read_term takes
 * them) to *d, a union that keeps the better flag where both have one:
 * each scored w, times the term's idf when idf is set, as a BM25 term
 * when bm25 is set; flagged fz. Where found, shown (the word a snippet
 * marks: the term itself when NULL) is marked. */
static int add_list(ctx *c, char kind, const char *field, const char *term,
		    const char *shown, double w, int idf, int bm25, int fz, dset *d)
{
	ix_plist p;
	dset add = { 0 };
	int rc = read_term(c, kind, field, term, 0, &p);

	if (rc)
		return rc;
	if (idf)
		w *= ix_idf(c, p.n);
	for (size_t k = 0; k < p.n && rc == 0; k++)
		rc = ix_dset_add(&add, p.doc[k], bm25 ? ix_bm25(c, w, p.tf[k], p.doc[k])
						      : w, fz);
	if (rc == 0 && p.n)
		rc = mark(c, shown ? shown : term);
	ix_plist_free(&p);
	if (rc == 0)
		rc = ix_dset_merge(d, &add, 0);
	ix_dset_free(&add);
	return rc;
}

/* Adds, for each near spelling of t, the documents that have it and
 * are not in *d yet, marked fuzzy and scored low. kind/field say where
 * to look ('b' the text, 'f' a field). */
static int add_fuzzy(ctx *c, char kind, const char *field, const char *t,
		     double weight, dset *d)
{
	const variant *vars;
	int nv = 0, rc = ix_near_spellings(c, t, &vars, &nv);

	for (int i = 0; i < nv && rc == 0; i++)
		rc = add_list(c, kind, field, vars[i].t, NULL,
			      FUZZY_WEIGHT * weight * vars[i].w, 1, kind == 'b', 1, d);
	return rc;
}

/* The parts of one free word whose folded list is *l (taken): BM25,
 * the diacritics bonus, and the bonus for each of the record's names
 * that has the word. */
static int term_parts(ctx *c, const ix_token *tok, ix_plist *l, parts *ps)
{
	ix_plist x;
	int rc = ix_parts_add(ps, l, ix_idf(c, l->n), 1, c->p->k1);

	if (rc == 0 && strcmp(tok->exact, tok->folded)) {
		rc = read_term(c, 'x', NULL, tok->exact, 0, &x);
		if (rc == 0)
			rc = ix_parts_add(ps, &x, c->p->exact_boost, 0, 0);
	}
	const char *name;
	for (int f = 0; rc == 0 && (name = ix_person_next(c->ix->pending.schema, &f));) {
		rc = read_term(c, 'f', name, tok->folded, 0, &x);
		if (rc == 0)
			rc = ix_parts_add(ps, &x, c->p->name_boost, 0, 0);
	}
	return rc;
}

/* One free word: BM25 on its folded form, a bonus where it is found
 * with the query's diacritics, and where it is in the record's names. */
static int eval_term(ctx *c, const ix_token *t, dset *d)
{
	ix_plist p;
	parts ps = { 0 };
	int rc = read_term(c, 'b', NULL, t->folded, 0, &p);

	if (rc)
		return rc;
	int absent = p.n == 0;
	c->missing += absent;
	for (size_t k = 0; k < p.n && rc == 0; k++)
		rc = ix_dset_add(d, p.doc[k], 0, 0);
	if (rc == 0)
		rc = term_parts(c, t, &p, &ps);
	if (rc == 0)
		rc = ix_score_parts(c, d, &ps, SIZE_MAX);
	ix_plist_free(&p);
	ix_parts_free(&ps);
	if (rc == 0)
		rc = mark(c, t->folded);
	/* a typo in the query is the word found nowhere; when every word is
	 * found but not together, the misread may be in any of them */
	if (rc == 0 && c->fuzzy && (absent || c->fuzzy_all))
		rc = add_fuzzy(c, 'b', NULL, t->folded, 1.0, d);
	return rc;
}

/* Whether positions continue a phrase: some p in l[0] with p + k in
 * l[k] for every k. */
static int phrase_at(ix_plist *l, const size_t *at, size_t n)
{
	const uint32_t *p0 = l[0].pos + l[0].off[at[0]];

	for (uint32_t a = 0; a < l[0].tf[at[0]]; a++) {
		size_t k;
		for (k = 1; k < n; k++) {
			const uint32_t *pk = l[k].pos + l[k].off[at[k]];
			uint32_t want = p0[a] + (uint32_t)k, b;
			for (b = 0; b < l[k].tf[at[k]] && pk[b] < want; b++)
				;
			if (b == l[k].tf[at[k]] || pk[b] != want)
				break;
		}
		if (k == n)
			return 1;
	}
	return 0;
}

/* Words in a row, in the text (field NULL) or in one field. */
static int eval_phrase(ctx *c, const ix_clause *q, const char *field,
		       dset *d)
{
	size_t n = q->ntok;
	/* a field without positions has its phrase checked in the text */
	int text_check = field && n > 1 && !ix_field_positional(c->ix->pending.schema, field);
	ix_plist *l = calloc(2 * n, sizeof(*l)), *lb = l + n;
	size_t *at = calloc(2 * n, sizeof(*at)), *atb = at + n;
	double w = 0;
	int rc = 0;

	if (!l || !at) {
		free(l);
		free(at);
		return base_fail(BASE_ENOMEM, "out of memory");
	}
	for (size_t k = 0; k < n && rc == 0; k++) {
		rc = read_term(c, field ? 'f' : 'b', field, q->tok[k].folded,
			       n > 1 && !text_check, &l[k]);
		w += ix_idf(c, l[k].n);
		if (rc == 0 && text_check)
			rc = read_term(c, 'b', NULL, q->tok[k].folded, 1, &lb[k]);
		if (rc == 0)
			rc = mark(c, q->tok[k].folded);
	}
	/* walk the first list, find each document in the others */
	for (size_t i = 0; rc == 0 && i < l[0].n; i++) {
		uint32_t doc = l[0].doc[i];
		size_t k;
		at[0] = i;
		for (k = 1; k < q->ntok; k++)
			if ((at[k] = ix_plist_find(&l[k], doc)) == l[k].n)
				break;
		if (k < n)
			continue;
		if (text_check) {
			for (k = 0; k < n; k++)
				if ((atb[k] = ix_plist_find(&lb[k], doc)) == lb[k].n)
					break;
			if (k < n || !phrase_at(lb, atb, n))
				continue;
		} else if (n > 1 && !phrase_at(l, at, n)) {
			continue;
		}
		rc = ix_dset_add(d, doc, field ? c->p->field_boost * q->ntok
			      : ix_bm25(c, w, l[0].tf[i], doc), 0);
	}
	for (size_t k = 0; k < 2 * n; k++)
		ix_plist_free(&l[k]);
	free(l);
	free(at);
	if (rc == 0 && field && q->ntok == 1 && c->fuzzy)
		rc = add_fuzzy(c, 'f', field, q->tok[0].folded,
			       c->p->field_boost, d);
	return rc;
}

static int doc_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Dates: the month terms of the field from the first month to the
 * last, their days (positions) checked at both ends. */
static int eval_date_code(ctx *c, const ix_clause *q, char code, dset *d)
{
	char lo[16];
	unsigned char *key;
	uint32_t lom = q->lo / 100, him = q->hi / 100;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	snprintf(lo, sizeof(lo), "d:%c%06u", code, lom);
	k.mv_size = strlen(lo);
	k.mv_data = lo;
	rc = mdb_cursor_open(c->txn, c->ix->terms, &cur);
	if (rc)
		return ix_db_error(rc, "cannot open cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		key = k.mv_data;
		/* "d:" code, six digits, NUL, first document */
		if (k.mv_size != 14 || memcmp(key, lo, 3))
			break;
		uint32_t month = (uint32_t)atoi((char[7]){ key[3], key[4],
					key[5], key[6], key[7], key[8], 0 });
		if (month > him)
			break;
		uint32_t first = (uint32_t)key[10] << 24 | (uint32_t)key[11] << 16 |
				 (uint32_t)key[12] << 8 | key[13];
		ix_plist p = { 0 };
		rc = ix_block_decode(v.mv_data, v.mv_size, first, 1, &p);
		for (size_t i = 0; rc == 0 && i < p.n; i++)
			for (uint32_t t = 0; t < p.tf[i]; t++) {
				uint32_t day = month * 100 + p.pos[p.off[i] + t];
				if (day >= q->lo && day <= q->hi) {
					rc = ix_dset_add(d, p.doc[i], c->p->field_boost, 0);
					break;
				}
			}
		ix_plist_free(&p);
		if (rc)
			break;
	}
	mdb_cursor_close(cur);
	if (rc && rc != MDB_NOTFOUND)
		return rc < 0 ? rc : ix_db_error(rc, "cannot read dates");
	/* the months come in date order: put the documents in order (a
	 * range of years holds thousands; all scores are the same) */
	if (d->n) /* (a range that matches nothing leaves d->doc NULL) */
		qsort(d->doc, d->n, sizeof(*d->doc), doc_cmp);
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		if (n == 0 || d->doc[n - 1] != d->doc[i])
			d->doc[n++] = d->doc[i];
	d->n = n;
	return 0;
}

/* A date clause: of its field, or (no field: a date typed bare) of any
 * date field, or printed so in the text. */
static int eval_date(ctx *c, const ix_clause *q, dset *d)
{
	const index_schema *sc = c->ix->pending.schema;
	int rc = 0;

	memset(d, 0, sizeof(*d));
	if (q->field[0])
		return eval_date_code(c, q, ix_date_code(sc, q->field), d);
	/* a bare date: every date field the schema keeps; nam: those that
	 * date a type's records */
	for (int k = 0; sc && k < sc->n && rc == 0; k++) {
		if (sc->field[k].kind != 'd' || (q->record_date && !sc->field[k].dates_record))
			continue;
		dset one = { 0 };
		rc = eval_date_code(c, q, sc->field[k].code, &one);
		if (rc == 0)
			rc = ix_dset_merge(d, &one, 0);
		ix_dset_free(&one);
	}
	if (rc == 0 && q->alt) {
		ix_clause other = *q;
		dset more = { 0 };
		other.lo = other.hi = q->alt;
		other.alt = 0;
		other.ntok = 0;
		rc = eval_date(c, &other, &more);
		if (rc == 0)
			rc = ix_dset_merge(d, &more, 0);
		ix_dset_free(&more);
	}
	if (rc == 0 && q->ntok) {
		dset text = { 0 };
		rc = eval_phrase(c, q, NULL, &text);
		if (rc == 0)
			rc = ix_dset_merge(d, &text, 0);
		ix_dset_free(&text);
	}
	return rc;
}

static int eval_clause(ctx *c, const ix_clause *q, dset *d)
{
	ix_plist p;
	int rc;

	memset(d, 0, sizeof(*d));
	switch (q->kind) {
	case IX_C_TERM:
		return eval_term(c, &q->tok[0], d);
	case IX_C_PHRASE:
		return eval_phrase(c, q, NULL, d);
	case IX_C_FIELD:
		return eval_phrase(c, q, q->field, d);
	case IX_C_DATE:
		return eval_date(c, q, d);
	default:
		rc = read_term(c, 'f', "type", q->value, 0, &p);
		for (size_t k = 0; k < p.n && rc == 0; k++)
			rc = ix_dset_add(d, p.doc[k], 0, 0);
		ix_plist_free(&p);
		return rc;
	}
}

/* Free words (or one phrase) that are exactly a record's name: the
 * record a clerk is asking for. Its lists become parts. The same words
 * in another order that is the name turned round (the given name typed
 * first: "an nguyen van") count half: below the order printed. */
static int whole_name_parts(ctx *c, const index_query *q, parts *ps)
{
	const char *w[16];
	int words = 0, rc = 0;

	for (size_t i = 0; i < q->n; i++) {
		const ix_clause *k = &q->c[i];
		if (k->neg)
			continue;
		if (k->kind != IX_C_TERM && k->kind != IX_C_PHRASE)
			return 0;
		for (size_t t = 0; t < k->ntok; t++) {
			if (words == 16)
				return 0;
			w[words++] = k->tok[t].folded;
		}
	}
	if (words < 2)
		return 0;
	for (int r = 0; rc == 0 && r < words; r++) {
		char joined[IX_KEY_MAX] = "";
		size_t len = 0;
		for (int t = 0; t < words; t++)
			len += (size_t)snprintf(joined + len, len < sizeof(joined) ?
						sizeof(joined) - len : 0, "%s%s",
						t ? " " : "", w[(r + t) % words]);
		if (len >= sizeof(joined))
			return 0;
		const char *name;
		for (int i = 0; rc == 0 && (name = ix_person_next(c->ix->pending.schema, &i));) {
			ix_plist p;
			rc = read_term(c, 'w', name, joined, 0, &p);
			if (rc == 0)
				rc = ix_parts_add(ps, &p, r ? c->p->whole_name_boost / 2
						  : c->p->whole_name_boost, 0, 0);
		}
	}
	return rc;
}

/* A name typed with one word wrong (a letter missing, two swapped, a
 * misread that is itself a word): when no record's name is the words
 * as typed, the records whose name is those words with one of them
 * replaced by a near spelling, into *out with the whole-name bonus
 * (less for a rarer spelling). Only for a query of free words. */
static int name_near(ctx *c, const index_query *q, dset *out)
{
	const char *w[8];
	int words = 0, rc = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < q->n; i++) {
		if (q->c[i].neg || q->c[i].kind != IX_C_TERM || words == 8)
			return 0;
		w[words++] = q->c[i].tok[0].folded;
	}
	if (words < 2)
		return 0;
	char joined[IX_KEY_MAX];
	size_t len = 0;
	for (int t = 0; t < words; t++)
		len += (size_t)snprintf(joined + len, len < sizeof(joined) ? sizeof(joined) - len : 0,
					"%s%s", t ? " " : "", w[t]);
	if (len >= sizeof(joined))
		return 0;
	const char *name;
	for (int f = 0; (name = ix_person_next(c->ix->pending.schema, &f));) {
		size_t n = 0;
		char key[IX_KEY_MAX];
		ix_term_key(key, 'w', name, joined);
		if (ix_postings_count(c->txn, c->ix->terms, key, &n) == 0 && n)
			return 0; /* the name as typed is someone's */
	}
	for (int i = 0; i < words && rc == 0; i++) {
		const variant *vars;
		int nv = 0;
		rc = ix_near_spellings(c, w[i], &vars, &nv);
		for (int v = 0; v < nv && rc == 0; v++) {
			len = 0;
			for (int t = 0; t < words; t++)
				len += (size_t)snprintf(joined + len, len < sizeof(joined) ?
							sizeof(joined) - len : 0, "%s%s",
							t ? " " : "", t == i ? vars[v].t : w[t]);
			if (len >= sizeof(joined))
				continue;
			for (int f = 0; rc == 0 && (name = ix_person_next(c->ix->pending.schema, &f));)
				rc = add_list(c, 'w', name, joined, vars[v].t,
					      c->p->whole_name_boost * 0.8 * vars[v].w, 0, 0, 0, out);
		}
	}
	return rc;
}

/* The words of an exact search: the records that have every word,
 * intersected shortest list first; their scores become parts, added
 * once exclusions have left only the records that count. */
static int run_terms(ctx *c, const index_query *q, dset *acc, int *have,
		     parts *ps)
{
	ix_plist pl[QUERY_CLAUSES_MAX];
	const ix_token *tok[QUERY_CLAUSES_MAX];
	size_t nt = 0, best = 0;
	int rc = 0;

	for (size_t i = 0; i < q->n && rc == 0; i++) {
		if (q->c[i].neg || q->c[i].kind != IX_C_TERM)
			continue;
		tok[nt] = &q->c[i].tok[0];
		rc = read_term(c, 'b', NULL, tok[nt]->folded, 0, &pl[nt]);
		if (rc)
			break;
		c->missing += pl[nt].n == 0;
		rc = mark(c, tok[nt]->folded);
		if (pl[nt].n < pl[best].n)
			best = nt;
		nt++;
	}
	if (rc == 0 && nt) {
		dset d = { 0 };
		size_t at[QUERY_CLAUSES_MAX] = { 0 };
		rc = ix_dset_reserve(&d, pl[best].n);
		/* the shortest list's documents that every other one has */
		for (size_t k = 0; rc == 0 && k < pl[best].n; k++) {
			uint32_t doc = pl[best].doc[k];
			size_t t;
			for (t = 0; t < nt; t++)
				if (t != best && ix_seek(pl[t].doc, pl[t].n, doc,
						      &at[t]) == pl[t].n)
					break;
			if (t == nt)
				rc = ix_dset_add(&d, doc, 0, 0);
		}
		if (*have)
			rc = ix_dset_merge(acc, &d, 1);
		else
			*acc = d, d = (dset){ 0 };
		ix_dset_free(&d);
		*have = 1;
	}
	for (size_t t = 0; t < nt; t++) {
		if (rc == 0)
			rc = term_parts(c, tok[t], &pl[t], ps);
		ix_plist_free(&pl[t]);
	}
	return rc;
}

/* The records matching q with their scores, exact for the best limit
 * (the others may be left with part of theirs). */
static int run(ctx *c, const index_query *q, size_t limit, dset *out)
{
	dset acc = { 0 }, d;
	parts ps = { 0 };
	int rc = 0, first = 1;

	/* other clauses first: they are usually the narrow ones */
	for (size_t i = 0; i < q->n && rc == 0; i++) {
		if (q->c[i].neg || (!c->fuzzy && q->c[i].kind == IX_C_TERM))
			continue;
		rc = eval_clause(c, &q->c[i], &d);
		if (rc == 0 && first)
			acc = d;
		else if (rc == 0)
			rc = ix_dset_merge(&acc, &d, 1);
		if (!first)
			ix_dset_free(&d);
		first = 0;
	}
	if (rc == 0 && !c->fuzzy) {
		int have = !first;
		rc = run_terms(c, q, &acc, &have, &ps);
	}
	for (size_t i = 0; i < q->n && rc == 0; i++) {
		if (!q->c[i].neg)
			continue;
		int fz = c->fuzzy;
		c->fuzzy = 0; /* exclude only what is surely there */
		size_t nm = c->nmarks;
		const ix_clause *k = &q->c[i];
		if (k->kind == IX_C_TERM && strcmp(k->tok[0].exact,
						   k->tok[0].folded)) {
			/* -vân leaves out "vân", not "văn" */
			ix_plist x;
			memset(&d, 0, sizeof(d));
			rc = read_term(c, 'x', NULL, k->tok[0].exact, 0, &x);
			for (size_t j = 0; rc == 0 && j < x.n; j++)
				rc = ix_dset_add(&d, x.doc[j], 0, 0);
			ix_plist_free(&x);
		} else {
			rc = eval_clause(c, k, &d);
		}
		while (c->nmarks > nm)
			free(c->marks[--c->nmarks]);
		c->fuzzy = fz;
		if (rc == 0)
			ix_dset_subtract(&acc, &d);
		ix_dset_free(&d);
	}
	if (rc == 0)
		rc = whole_name_parts(c, q, &ps);
	/* near spellings rank by how many words they needed before score:
	 * every record is scored in full */
	if (rc == 0)
		rc = ix_score_parts(c, &acc, &ps, c->fuzzy ? SIZE_MAX : limit);
	ix_parts_free(&ps);
	if (rc)
		ix_dset_free(&acc);
	*out = acc;
	return rc;
}

/* Whether hit a ranks before b: fewer words matched by near spelling
 * first, then score, then the older record. */
static int before(const index_hit *a, const index_hit *b)
{
	if (a->fuzzy != b->fuzzy)
		return a->fuzzy < b->fuzzy;
	if (a->score != b->score)
		return a->score > b->score;
	return strcmp(a->id, b->id) < 0;
}

/* The best limit hits of d, in order, kept by insertion: cheap for the
 * short lists a page shows, whatever the number of matches. */
static int top_hits(const dset *d, size_t limit, index_result *r)
{
	r->hits = calloc(limit ? limit : 1, sizeof(*r->hits));
	if (!r->hits)
		return base_fail(BASE_ENOMEM, "out of memory");
	for (size_t i = 0; i < d->n; i++) {
		index_hit h = { .score = d->score[i], .fuzzy = d->fz[i] };
		size_t k;
		/* most records lose on score alone: no id to print for them */
		if (limit == 0 || (r->n == limit &&
		    (h.fuzzy > r->hits[limit - 1].fuzzy ||
		     (h.fuzzy == r->hits[limit - 1].fuzzy &&
		      h.score < r->hits[limit - 1].score))))
			continue;
		ix_id_of(d->doc[i], h.id);
		if (r->n == limit && (limit == 0 || !before(&h, &r->hits[limit - 1])))
			continue;
		k = r->n < limit ? r->n++ : limit - 1;
		while (k > 0 && before(&h, &r->hits[k - 1])) {
			r->hits[k] = r->hits[k - 1];
			k--;
		}
		r->hits[k] = h;
	}
	r->total = d->n;
	return 0;
}

/* The query without its clause skip (a shallow copy: the clauses' tokens
 * stay q's). */
static index_query *query_without(const index_query *q, size_t skip)
{
	index_query *w = calloc(1, sizeof(*w) + q->n * sizeof(ix_clause));

	if (!w)
		return NULL;
	w->c = (ix_clause *)(w + 1);
	w->schema = q->schema;
	for (size_t i = 0; i < q->n; i++)
		if (i != skip)
			w->c[w->n++] = q->c[i];
	return w;
}

/* When the records holding every word do not fill the page, those that
 * hold all the words but one, ranked below them, each naming the word it
 * lacks: one unmatched word (a letter short, a misread) must not empty
 * the result. full: the records found already (left out here). */
static int add_partials(ctx *c, const index_query *q, size_t limit,
			const dset *full, index_result *r)
{
	size_t terms = 0, room = limit - r->n;
	int rc = 0;

	for (size_t i = 0; i < q->n; i++)
		terms += !q->c[i].neg && q->c[i].kind == IX_C_TERM;
	if (terms < 2)
		return 0;
	index_hit *extra = calloc(room + 1, sizeof(*extra));
	size_t ne = 0;
	if (!extra)
		return base_fail(BASE_ENOMEM, "out of memory");
	for (size_t i = 0; i < q->n && rc == 0; i++) {
		if (q->c[i].neg || q->c[i].kind != IX_C_TERM)
			continue;
		index_query *w = query_without(q, i);
		dset d = { 0 };
		size_t at = 0;
		if (!w) {
			rc = base_fail(BASE_ENOMEM, "out of memory");
			break;
		}
		/* scored exactly for as many as could show; the other words
		 * as typed (a near spelling of one and the lack of another
		 * would be too far from what was asked) */
		int fz = c->fuzzy;
		c->fuzzy = 0;
		rc = run(c, w, room + full->n, &d);
		c->fuzzy = fz;
		free(w);
		for (size_t k = 0; rc == 0 && k < d.n; k++) {
			if (ix_seek(full->doc, full->n, d.doc[k], &at) < full->n)
				continue;
			index_hit h = { .score = d.score[k], .fuzzy = d.fz[k],
					.partial = 1 };
			ix_id_of(d.doc[k], h.id);
			snprintf(h.lacking, sizeof(h.lacking), "%.63s", q->c[i].tok[0].exact);
			r->partial++;
			/* kept in order, best first, at most room of them */
			size_t pos = ne < room ? ne++ : room;
			if (pos == room && !before(&h, &extra[room - 1]))
				continue;
			if (pos == room)
				pos = room - 1;
			while (pos > 0 && before(&h, &extra[pos - 1])) {
				extra[pos] = extra[pos - 1];
				pos--;
			}
			extra[pos] = h;
		}
		ix_dset_free(&d);
	}
	for (size_t k = 0; rc == 0 && k < ne; k++)
		r->hits[r->n++] = extra[k];
	free(extra);
	return rc;
}

static void marks_free(ctx *c)
{
	for (size_t i = 0; i < c->nmarks; i++)
		free(c->marks[i]);
	free(c->marks);
	c->marks = NULL;
	c->nmarks = 0;
}

int index_search(index_db *ix, MDB_txn *txn, const index_query *q,
		 const index_params *p, size_t limit, index_result **out)
{
	ctx c = { .ix = ix, .txn = txn, .p = p };
	index_result *r = calloc(1, sizeof(*r));
	uint64_t ndocs, total;
	dset d;
	int rc;

	*out = NULL;
	if (!r)
		return base_fail(BASE_ENOMEM, "out of memory");
	rc = ix_stats(ix, txn, &ndocs, &total);
	c.ndocs = (double)ndocs;
	c.avgdl = ndocs ? (double)total / (double)ndocs : 1;
	if (c.avgdl < 1)
		c.avgdl = 1;
	if (rc == 0)
		rc = run(&c, q, limit, &d);
	if (rc == 0 && d.n < (size_t)p->fuzzy_below) {
		/* too little: near spellings, ranked below every exact hit */
		ix_dset_free(&d);
		marks_free(&c);
		c.fuzzy = r->fuzzy = 1;
		c.fuzzy_all = c.missing == 0;
		rc = run(&c, q, limit, &d);
	}
	/* a name with one word mistyped ranks with the exact hits, and is
	 * shown as found through a near spelling */
	dset near = { 0 };
	if (rc == 0)
		rc = name_near(&c, q, &near);
	if (rc == 0 && near.n) {
		r->fuzzy = 1;
		rc = ix_dset_merge(&d, &near, 0);
	}
	if (rc == 0)
		rc = top_hits(&d, limit, r);
	for (size_t k = 0; rc == 0 && near.n && k < r->n; k++) {
		size_t from = 0;
		if (!r->hits[k].fuzzy &&
		    ix_seek(near.doc, near.n, ix_doc_of(r->hits[k].id), &from) < near.n)
			r->hits[k].fuzzy = 1;
	}
	ix_dset_free(&near);
	if (rc == 0 && r->n < limit)
		rc = add_partials(&c, q, limit, &d, r);
	ix_dset_free(&d);
	free(c.spell);
	r->marks = c.marks;
	r->nmarks = c.nmarks;
	ix_zstd_release();
	if (rc) {
		index_result_free(&r);
		return rc;
	}
	*out = r;
	return 0;
}

void index_result_free(index_result **rp)
{
	index_result *r = rp ? *rp : NULL;

	if (!r)
		return;
	for (size_t i = 0; i < r->nmarks; i++)
		free(r->marks[i]);
	free(r->marks);
	free(r->hits);
	free(r);
	*rp = NULL;
}
