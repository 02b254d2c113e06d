/* postings.c - postings lists in blocks of up to 128 documents, keyed by
 * term and first document, delta and varint coded as Lucene does: the
 * document gaps, then the term frequencies, then the position gaps, so
 * that a query without phrases never decodes a position. */
#include "internal.h"

#include <string.h>
#include <zstd.h>

int ix_db_error(int rc, const char *what)
{
	if (rc == MDB_MAP_FULL)
		return INDEX_EMAPFULL;
	return base_fail(BASE_EDB, "index: %s: %s", what, mdb_strerror(rc));
}

void ix_term_key(char *out, char kind, const char *field, const char *t)
{
	size_t n = 2, f = field ? strlen(field) : 0, k = strlen(t);

	/* called for every token indexed: no printf */
	out[0] = kind;
	out[1] = ':';
	if (f && n + f + 1 < IX_KEY_MAX) {
		memcpy(out + n, field, f);
		n += f;
		out[n++] = ':';
	}
	if (n + k >= IX_KEY_MAX)
		k = IX_KEY_MAX - 1 - n;
	memcpy(out + n, t, k);
	out[n + k] = 0;
}

uint32_t ix_doc_of(const char *id)
{
	return id && !strncmp(id, "HS-", 3) ? (uint32_t)strtoul(id + 3, NULL,
								10) : 0;
}

void ix_id_of(uint32_t doc, char id[INDEX_ID_MAX])
{
	snprintf(id, INDEX_ID_MAX, "HS-%06u", doc);
}

size_t ix_put_varint(unsigned char *p, uint32_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* Reads a varint; a truncated or overlong one stops at the end. */
uint32_t ix_get_varint(const unsigned char **p, const unsigned char *end)
{
	uint32_t v = 0;

	for (int shift = 0; *p < end && shift < 35; shift += 7) {
		unsigned char b = *(*p)++;
		v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			break;
	}
	return v;
}

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t rd_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void ix_plist_free(ix_plist *p)
{
	free(p->doc);
	free(p->tf);
	free(p->off);
	free(p->pos);
	memset(p, 0, sizeof(*p));
}

int ix_pos_reserve(ix_plist *p, size_t want)
{
	size_t cap = p->poscap ? p->poscap : 256;

	if (want <= p->poscap)
		return 0;
	while (cap < want)
		cap *= 2;
	uint32_t *q = realloc(p->pos, cap * sizeof(*q));
	if (!q)
		return base_fail(BASE_ENOMEM, "out of memory");
	p->pos = q;
	p->poscap = cap;
	return 0;
}

int ix_plist_reserve(ix_plist *p, size_t want)
{
	if (want > p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		while (cap < want)
			cap *= 2;
		uint32_t *d = realloc(p->doc, cap * sizeof(*d));
		if (d) p->doc = d;
		uint32_t *f = realloc(p->tf, cap * sizeof(*f));
		if (f) p->tf = f;
		uint32_t *o = realloc(p->off, cap * sizeof(*o));
		if (o) p->off = o;
		if (!d || !f || !o)
			return base_fail(BASE_ENOMEM, "out of memory");
		p->cap = cap;
	}
	return 0;
}

int ix_plist_add(ix_plist *p, uint32_t doc, const uint32_t *pos,
		 uint32_t tf)
{
	if (p->n == p->cap && ix_plist_reserve(p, p->n + 1))
		return BASE_ENOMEM;
	if (pos && ix_pos_reserve(p, p->npos + tf))
		return BASE_ENOMEM;
	p->doc[p->n] = doc;
	p->tf[p->n] = tf;
	p->off[p->n] = (uint32_t)p->npos;
	if (pos) {
		memcpy(p->pos + p->npos, pos, tf * sizeof(*pos));
		p->npos += tf;
	}
	p->n++;
	return 0;
}

/* The index of doc in p, or p->n. p->doc is ascending. */
size_t ix_plist_find(const ix_plist *p, uint32_t doc)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p->doc[mid] < doc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->n && p->doc[lo] == doc ? lo : p->n;
}

static size_t make_key(unsigned char *key, const char *term, uint32_t doc)
{
	size_t t = strlen(term);

	memcpy(key, term, t);
	key[t] = 0;
	be32(key + t + 1, doc);
	return t + 5;
}

/* Whether k is a block key of term; sets *first. */
static int key_of_term(const MDB_val *k, const char *term, uint32_t *first)
{
	size_t t = strlen(term);

	if (k->mv_size != t + 5 || memcmp(k->mv_data, term, t) ||
	    ((unsigned char *)k->mv_data)[t] != 0)
		return 0;
	*first = rd_be32((unsigned char *)k->mv_data + t + 1);
	return 1;
}

/* A term's stored block: its value and the document its key names. */
typedef struct blockref {
	MDB_val v;
	uint32_t first;
} blockref;

/* The blocks of term (into *b, yours, when b is not NULL; they stay in
 * the map while txn lives) and the documents they count, from their
 * headers: nothing decoded. */
static int term_blocks(MDB_txn *txn, MDB_dbi dbi, const char *term,
		       blockref **b, size_t *nb, size_t *total)
{
	unsigned char key[IX_KEY_MAX + 8];
	MDB_cursor *cur;
	MDB_val k, v;
	size_t cap = 0;
	uint32_t first;
	int rc, op = MDB_SET_RANGE;

	*nb = *total = 0;
	if (b)
		*b = NULL;
	k.mv_size = make_key(key, term, 0);
	k.mv_data = key;
	rc = mdb_cursor_open(txn, dbi, &cur);
	if (rc)
		return ix_db_error(rc, "cannot open cursor");
	while ((rc = mdb_cursor_get(cur, &k, &v, op)) == 0 &&
	       key_of_term(&k, term, &first)) {
		const unsigned char *p = v.mv_data;
		op = MDB_NEXT;
		*total += ix_get_varint(&p, p + v.mv_size);
		if (b && *nb == cap) {
			cap = cap ? cap * 2 : 16;
			blockref *nbp = realloc(*b, cap * sizeof(**b));
			if (!nbp) {
				rc = base_fail(BASE_ENOMEM, "out of memory");
				break;
			}
			*b = nbp;
		}
		if (b)
			(*b)[*nb] = (blockref){ v, first };
		++*nb;
	}
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND || rc == 0)
		return 0;
	if (b) {
		free(*b);
		*b = NULL;
	}
	return rc < 0 ? rc : ix_db_error(rc, "cannot read postings");
}

int ix_postings_count(MDB_txn *txn, MDB_dbi dbi, const char *term,
		      size_t *n)
{
	size_t nb;

	return term_blocks(txn, dbi, term, NULL, &nb, n);
}

int ix_postings_read(MDB_txn *txn, MDB_dbi dbi, const char *term,
		     int want_pos, ix_plist *out)
{
	blockref *b = NULL;
	size_t nb = 0, total = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	/* the blocks first, so that the lists are sized once: a long list
	 * grown by doubling cost more in page faults than its decoding */
	rc = term_blocks(txn, dbi, term, &b, &nb, &total);
	/* a damaged count is caught by the block's own check */
	if (rc == 0 && nb && total < (64u << 20))
		rc = ix_plist_reserve(out, total);
	for (size_t i = 0; rc == 0 && i < nb; i++)
		rc = ix_block_decode(b[i].v.mv_data, b[i].v.mv_size, b[i].first,
				     want_pos, out);
	free(b);
	if (rc) {
		ix_plist_free(out);
		return rc < 0 ? rc : ix_db_error(rc, "cannot read postings");
	}
	if (out->n == 0)
		out->has_pos = want_pos ? IX_POS : IX_TF;
	return 0;
}

/* Finds the block that holds or would hold doc: the last one starting
 * at or before it, else the term's first block. *found is 0 if the term
 * has no block. */
static int block_find(MDB_txn *txn, MDB_dbi dbi, const char *term,
		      uint32_t doc, int *found, uint32_t *first, MDB_val *val,
		      uint32_t *next_first)
{
	unsigned char key[IX_KEY_MAX + 8];
	MDB_cursor *cur;
	MDB_val k, v = { 0, NULL };
	int rc;

	*found = 0;
	*next_first = 0;
	k.mv_size = make_key(key, term, doc);
	k.mv_data = key;
	rc = mdb_cursor_open(txn, dbi, &cur);
	if (rc)
		return ix_db_error(rc, "cannot open cursor");
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	if (rc == 0 && key_of_term(&k, term, first) && *first == doc) {
		*found = 1;
	} else {
		MDB_val pk, pv;
		int prc = rc == MDB_NOTFOUND
			? mdb_cursor_get(cur, &pk, &pv, MDB_LAST)
			: mdb_cursor_get(cur, &pk, &pv, MDB_PREV);
		uint32_t nf;
		if (rc == 0 && key_of_term(&k, term, &nf))
			*next_first = nf;
		if (prc == 0 && key_of_term(&pk, term, first)) {
			*found = 1;
			v = pv;
		} else if (rc == 0) {
			MDB_val nk = k;
			if (key_of_term(&nk, term, first))
				*found = 1;
		}
		if (rc == MDB_NOTFOUND)
			rc = 0;
	}
	mdb_cursor_close(cur);
	if (rc)
		return ix_db_error(rc, "cannot find postings");
	*val = v;
	return 0;
}

static int block_put_value(MDB_txn *txn, MDB_dbi dbi, const char *term,
			   uint32_t first, unsigned char *val, size_t len)
{
	unsigned char key[IX_KEY_MAX + 8];
	MDB_val k = { make_key(key, term, first), key }, v = { len, val };
	int rc = mdb_put(txn, dbi, &k, &v, 0);

	return rc ? ix_db_error(rc, "cannot write postings") : 0;
}

static int block_delete(MDB_txn *txn, MDB_dbi dbi, const char *term,
			uint32_t first)
{
	unsigned char key[IX_KEY_MAX + 8];
	MDB_val k = { make_key(key, term, first), key };
	int rc = mdb_del(txn, dbi, &k, NULL);

	return rc && rc != MDB_NOTFOUND ? ix_db_error(rc, "cannot delete "
						      "postings") : 0;
}

static size_t varint_len(uint32_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* Bytes document i of p takes in a block whose previous one is prev. */
static size_t entry_len(const ix_plist *p, size_t i, uint32_t prev)
{
	size_t n = varint_len(p->doc[i] - prev);

	if (p->has_pos != IX_DOCS)
		n += varint_len(p->tf[i]);
	if (p->has_pos == IX_POS)
		for (uint32_t k = 0, last = 0; k < p->tf[i]; k++) {
			n += varint_len(p->pos[p->off[i] + k] - last);
			last = p->pos[p->off[i] + k];
		}
	return n;
}

/* Writes p[from..) as blocks that each fit IX_BLOCK_BYTES once
 * stored: a short list is one small block among the tree's leaves; a
 * long one becomes compressed blocks that fill their overflow pages,
 * their raw size found by trying (a block's compression is what its
 * neighbour's was, near enough). */
static int blocks_write(MDB_txn *txn, MDB_dbi dbi, const char *term,
			const ix_plist *p, size_t from)
{
	/* a first guess: these lists keep about a third */
	size_t raw_limit = IX_BLOCK_BYTES * 5 / 2;
	int rc = 0;

	while (rc == 0 && from < p->n) {
		size_t to = from, bytes = 0, len = 0;
		unsigned char *val = NULL;
		while (to < p->n) {
			size_t e = entry_len(p, to, to > from ? p->doc[to - 1]
							      : p->doc[from]);
			if (to > from && bytes + e > raw_limit)
				break;
			bytes += e;
			to++;
		}
		rc = ix_block_make(p, from, to, &val, &len);
		if (rc)
			break;
		if (len > IX_BLOCK_BYTES && to - from > 1) {
			/* too big once stored: fewer documents, in proportion */
			double f = 0.95 * IX_BLOCK_BYTES / (double)len;
			size_t smaller = (size_t)((double)bytes * f);
			raw_limit = smaller < 256 ? 256 : smaller;
			free(val);
			continue;
		}
		rc = block_put_value(txn, dbi, term, p->doc[from], val, len);
		free(val);
		from = to;
	}
	return rc;
}

int ix_postings_append(MDB_txn *txn, MDB_dbi dbi, const char *term,
		       const ix_plist *add, int fresh)
{
	ix_plist all = { 0 };
	uint32_t first = 0, next;
	MDB_val v = { 0, NULL };
	int found, rc;

	if (add->n == 0)
		return 0;
	rc = block_find(txn, dbi, term, add->doc[0], &found, &first, &v, &next);
	/* new records after a full last block: it stays as it is, sealed,
	 * rather than being decompressed and compressed again */
	if (rc == 0 && fresh && found && first <= add->doc[0] && next == 0 &&
	    v.mv_size >= IX_BLOCK_BYTES * 9 / 10)
		return blocks_write(txn, dbi, term, add, 0);
	/* a new term: its blocks are the new documents' */
	if (rc == 0 && !found)
		return blocks_write(txn, dbi, term, add, 0);
	if (rc == 0 && found && first <= add->doc[0])
		rc = ix_block_decode(v.mv_data, v.mv_size, first, 1, &all);
	if (rc)
		goto out;
	/* the common case: documents newer than all the term has */
	if ((!found || first <= add->doc[0]) &&
	    (all.n == 0 || all.doc[all.n - 1] < add->doc[0]) &&
	    (next == 0 || add->doc[add->n - 1] < next) &&
	    (all.n == 0 || all.has_pos == add->has_pos)) {
		all.has_pos = add->has_pos;
		for (size_t i = 0; rc == 0 && i < add->n; i++)
			rc = ix_plist_add(&all, add->doc[i], add->has_pos == IX_POS ?
					  add->pos + add->off[i] : NULL,
					  add->tf[i]);
		if (rc == 0)
			rc = blocks_write(txn, dbi, term, &all, 0);
		goto out;
	}
	for (size_t i = 0; rc == 0 && i < add->n; i++)
		rc = ix_postings_insert(txn, dbi, term, add->doc[i],
					add->has_pos == IX_POS ? add->pos + add->off[i]
						     : NULL, add->tf[i],
					add->has_pos);
out:
	ix_plist_free(&all);
	return rc;
}

/* Copies p into q without entry i (skip) or with a new entry (doc, pos,
 * tf) in its place in order. */
static int plist_rebuild(const ix_plist *p, ix_plist *q, uint32_t doc,
			 const uint32_t *pos, uint32_t tf, int insert)
{
	int done = !insert, rc = 0;

	q->has_pos = p->has_pos;
	for (size_t i = 0; i < p->n && rc == 0; i++) {
		if (!done && doc <= p->doc[i]) {
			rc = ix_plist_add(q, doc, p->has_pos == IX_POS ? pos : NULL, tf);
			done = 1;
		}
		if (p->doc[i] == doc || rc)
			continue;
		rc = ix_plist_add(q, p->doc[i], p->has_pos == IX_POS ? p->pos + p->off[i]
				  : NULL, p->tf[i]);
	}
	if (!done && rc == 0)
		rc = ix_plist_add(q, doc, p->has_pos == IX_POS ? pos : NULL, tf);
	return rc;
}

static int postings_change(MDB_txn *txn, MDB_dbi dbi, const char *term,
			   uint32_t doc, const uint32_t *pos, uint32_t tf,
			   int has_pos, int insert)
{
	ix_plist old = { 0 }, neu = { 0 };
	uint32_t first = 0, next;
	MDB_val v = { 0, NULL };
	int found, rc;

	rc = block_find(txn, dbi, term, doc, &found, &first, &v, &next);
	if (rc)
		return rc;
	if (!found && !insert)
		return 0;
	/* a removal keeps the block's own kind; an insert names it */
	if (found)
		rc = ix_block_decode(v.mv_data, v.mv_size, first, 1, &old);
	if (!found || insert)
		old.has_pos = has_pos;
	if (rc == 0)
		rc = plist_rebuild(&old, &neu, doc, pos, tf, insert);
	/* a block is keyed by its first document: a new first re-keys it */
	if (rc == 0 && found && (neu.n == 0 || neu.doc[0] != first))
		rc = block_delete(txn, dbi, term, first);
	if (rc == 0 && neu.n)
		rc = blocks_write(txn, dbi, term, &neu, 0);
	ix_plist_free(&old);
	ix_plist_free(&neu);
	return rc;
}

int ix_postings_insert(MDB_txn *txn, MDB_dbi dbi, const char *term,
		       uint32_t doc, const uint32_t *pos, uint32_t tf,
		       int has_pos)
{
	return postings_change(txn, dbi, term, doc, pos, tf, has_pos, 1);
}

int ix_postings_remove(MDB_txn *txn, MDB_dbi dbi, const char *term,
		       uint32_t doc)
{
	return postings_change(txn, dbi, term, doc, NULL, 0, 0, 0);
}
