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
	return sh_fail(SH_EDB, "index: %s: %s", what, mdb_strerror(rc));
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

static int pos_reserve(ix_plist *p, size_t want)
{
	size_t cap = p->poscap ? p->poscap : 256;

	if (want <= p->poscap)
		return 0;
	while (cap < want)
		cap *= 2;
	uint32_t *q = realloc(p->pos, cap * sizeof(*q));
	if (!q)
		return sh_fail(SH_ENOMEM, "out of memory");
	p->pos = q;
	p->poscap = cap;
	return 0;
}

static int plist_reserve(ix_plist *p, size_t want)
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
			return sh_fail(SH_ENOMEM, "out of memory");
		p->cap = cap;
	}
	return 0;
}

int ix_plist_add(ix_plist *p, uint32_t doc, const uint32_t *pos,
		 uint32_t tf)
{
	if (p->n == p->cap && plist_reserve(p, p->n + 1))
		return SH_ENOMEM;
	if (pos && pos_reserve(p, p->npos + tf))
		return SH_ENOMEM;
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

/* A block is varint n, a kind byte, then the body: the document gaps
 * and tfs, then the positions. The lists of one term repeat themselves
 * (the same form puts the same word at the same places), and zstd
 * keeps a third of them. With IX_SPLIT in the kind, the body is varint
 * a (the stored size of the gaps and tfs), a flags byte, the gaps and
 * tfs (a zstd frame when flags has 1), the positions (one when flags
 * has 2): a search that needs no positions, the most common, then
 * decompresses a fifth of the block. IX_ZSTD, the first layout (whole
 * body one frame), is still read. */
#define IX_ZSTD 0x80
#define IX_SPLIT 0x40
/* IX_SPLIT flags: the gaps and tfs part is a zstd frame (1) or packed
 * (4); the positions part a zstd frame (2). Packed: the gaps, then the
 * tfs (none for IX_DOCS), in groups of PACK_GROUP, each a byte of bit
 * width and its values at that width, little-endian. A common word's
 * gaps take two or three bits where a varint takes eight, and reading
 * them needs no decompression (which had been a quarter of a name
 * query); the smaller of packed and zstd is kept. */
#define IX_PACKED 4
#define PACK_GROUP 128
#define IX_ZSTD_MIN 256       /* smaller parts stay as they are */

/* zstd contexts, one of each a thread, made on first use and freed by
 * ix_zstd_release() when a write or a search is done: making one for
 * every block cost more than the compression. */
static __thread ZSTD_CCtx *cctx;
static __thread ZSTD_DCtx *dctx;

void ix_zstd_release(void)
{
	ZSTD_freeCCtx(cctx);
	ZSTD_freeDCtx(dctx);
	cctx = NULL;
	dctx = NULL;
}

/* Points [*p, *end) at a part's varints: the frame there decompressed
 * into *owned (yours to free) when zstd is set. */
static int part_body(const unsigned char **p, const unsigned char **end,
		     int zstd, unsigned char **owned)
{
	unsigned long long size;
	size_t got;

	*owned = NULL;
	if (!zstd)
		return 0;
	size = ZSTD_getFrameContentSize(*p, (size_t)(*end - *p));
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    size > (16u << 20))
		return sh_fail(SH_ECORRUPT, "index: damaged postings block");
	*owned = malloc(size + 1);
	if (!*owned)
		return sh_fail(SH_ENOMEM, "out of memory");
	if (!dctx && !(dctx = ZSTD_createDCtx())) {
		free(*owned);
		*owned = NULL;
		return sh_fail(SH_ENOMEM, "out of memory");
	}
	got = ZSTD_decompressDCtx(dctx, *owned, size + 1, *p,
				  (size_t)(*end - *p));
	if (ZSTD_isError(got) || got != size) {
		free(*owned);
		*owned = NULL;
		return sh_fail(SH_ECORRUPT, "index: damaged postings block");
	}
	*p = *owned;
	*end = *owned + got;
	return 0;
}

/* Decodes n documents from [p, end): gaps, then tfs; their positions
 * from [pp, pend), or following the tfs when pp is NULL. */
static int block_decode_body(const unsigned char *p, const unsigned char *end,
			     const unsigned char *pp, const unsigned char *pend,
			     uint32_t n, int kind, uint32_t first, int want_pos,
			     ix_plist *out);
static int block_decode_packed(const unsigned char *p,
			       const unsigned char *end,
			       const unsigned char *pp, const unsigned char *pend,
			       uint32_t n, int kind, uint32_t first,
			       int want_pos, ix_plist *out);
static int block_decode_pos(const unsigned char *p, const unsigned char *end,
			    uint32_t n, size_t base, ix_plist *out);

int ix_block_decode(const unsigned char *b, size_t len, uint32_t first,
		    int want_pos, ix_plist *out)
{
	const unsigned char *p = b, *end = b + len, *pp = NULL, *pend = NULL;
	uint32_t n = ix_get_varint(&p, end);
	int kind = p < end ? *p++ : IX_TF, rc = 0;
	unsigned char *owned = NULL, *owned_pos = NULL;

	if (kind & IX_SPLIT) {
		uint32_t alen = ix_get_varint(&p, end);
		int flags = p < end ? *p++ : 0;
		if (alen > (size_t)(end - p))
			return sh_fail(SH_ECORRUPT, "index: damaged postings block");
		pp = p + alen;
		pend = end;
		end = pp;
		if (want_pos && (kind & 3) == IX_POS)
			rc = part_body(&pp, &pend, flags & 2, &owned_pos);
		if (rc == 0 && (flags & IX_PACKED)) {
			rc = block_decode_packed(p, end, pp, pend, n, kind & 3,
						 first, want_pos, out);
			free(owned_pos);
			return rc;
		}
		if (rc == 0)
			rc = part_body(&p, &end, flags & 1, &owned);
	} else {
		rc = part_body(&p, &end, kind & IX_ZSTD, &owned);
	}
	if (rc == 0)
		rc = block_decode_body(p, end, pp, pend, n, kind & 3, first,
				       want_pos, out);
	free(owned);
	free(owned_pos);
	return rc;
}


static int block_decode_body(const unsigned char *p, const unsigned char *end,
			     const unsigned char *pp, const unsigned char *pend,
			     uint32_t n, int kind, uint32_t first, int want_pos,
			     ix_plist *out)
{
	uint32_t doc = first;
	const unsigned char *tfp;
	size_t base = out->n, len = (size_t)(end - p);

	if (n > len + 1)
		return sh_fail(SH_ECORRUPT, "index: damaged postings block");
	int rc = plist_reserve(out, out->n + n);
	if (rc)
		return rc;
	/* straight into the arrays: this loop is most of a query's time */
	for (uint32_t i = 0; i < n; i++) {
		doc += ix_varint(&p, end);
		out->doc[out->n++] = doc;
	}
	tfp = p;
	for (uint32_t i = 0; i < n; i++)
		out->tf[base + i] = kind == IX_DOCS ? 1 : ix_varint(&tfp, end);
	out->has_pos = kind == IX_POS ? (want_pos ? IX_POS : IX_TF) : kind;
	if (pp)
		return block_decode_pos(pp, pend, n, base, out);
	return block_decode_pos(tfp, end, n, base, out);
}

/* The positions of the n documents of out from base, at [p, end). */
static int block_decode_pos(const unsigned char *p, const unsigned char *end,
			    uint32_t n, size_t base, ix_plist *out)
{
	size_t total = 0;
	int rc;

	/* off is only for positions: left untouched (not even paged in)
	 * without them */
	if (out->has_pos != IX_POS)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		total += out->tf[base + i];
	if (total > (size_t)(end - p) * 8)
		return sh_fail(SH_ECORRUPT, "index: damaged postings block");
	rc = pos_reserve(out, out->npos + total);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t prev = 0;
		out->off[base + i] = (uint32_t)out->npos;
		for (uint32_t k = 0; k < out->tf[base + i]; k++) {
			prev += ix_varint(&p, end);
			out->pos[out->npos++] = prev;
		}
	}
	return 0;
}

/* Packs v[0..n) (PACK_GROUP a group) at out; its size. out has room
 * for 1 + 4 bytes a value. */
static size_t pack(const uint32_t *v, size_t n, unsigned char *out)
{
	size_t o = 0;

	for (size_t g = 0; g < n; g += PACK_GROUP) {
		size_t m = n - g < PACK_GROUP ? n - g : PACK_GROUP;
		uint32_t all = 0;
		uint64_t acc = 0;
		int w = 0, bits = 0;
		for (size_t i = 0; i < m; i++)
			all |= v[g + i];
		while (w < 32 && all >> w)
			w++;
		out[o++] = (unsigned char)w;
		for (size_t i = 0; i < m; i++) {
			acc |= (uint64_t)v[g + i] << bits;
			for (bits += w; bits >= 8; bits -= 8, acc >>= 8)
				out[o++] = (unsigned char)acc;
		}
		if (bits)
			out[o++] = (unsigned char)acc;
	}
	return o;
}

/* Unpacks n values from *p into v; -1 when [*p, end) is too short. */
static int unpack(const unsigned char **p, const unsigned char *end,
		  uint32_t *v, size_t n)
{
	for (size_t g = 0; g < n; g += PACK_GROUP) {
		size_t m = n - g < PACK_GROUP ? n - g : PACK_GROUP;
		if (*p >= end || **p > 32)
			return -1;
		int w = *(*p)++, bits = 0;
		size_t bytes = (m * (size_t)w + 7) / 8;
		uint64_t acc = 0, mask = w == 32 ? 0xffffffffu
						 : ((uint64_t)1 << w) - 1;
		const unsigned char *q = *p;
		if (bytes > (size_t)(end - q))
			return -1;
		for (size_t i = 0; i < m; i++) {
			while (bits < w) {
				acc |= (uint64_t)*q++ << bits;
				bits += 8;
			}
			v[g + i] = (uint32_t)(acc & mask);
			acc >>= w;
			bits -= w;
		}
		*p += bytes;
	}
	return 0;
}

static int block_decode_packed(const unsigned char *p,
			       const unsigned char *end,
			       const unsigned char *pp, const unsigned char *pend,
			       uint32_t n, int kind, uint32_t first,
			       int want_pos, ix_plist *out)
{
	size_t base = out->n;
	uint32_t doc = first;
	int rc;

	if (n > (size_t)(end - p) * 8 + 1)
		return sh_fail(SH_ECORRUPT, "index: damaged postings block");
	if ((rc = plist_reserve(out, out->n + n)))
		return rc;
	if (unpack(&p, end, out->doc + base, n) ||
	    (kind != IX_DOCS && unpack(&p, end, out->tf + base, n)))
		return sh_fail(SH_ECORRUPT, "index: damaged postings block");
	for (uint32_t i = 0; i < n; i++)
		out->doc[base + i] = doc += out->doc[base + i];
	if (kind == IX_DOCS)
		for (uint32_t i = 0; i < n; i++)
			out->tf[base + i] = 1;
	out->n += n;
	out->has_pos = kind == IX_POS ? (want_pos ? IX_POS : IX_TF) : kind;
	return block_decode_pos(pp, pend, n, base, out);
}

/* Encodes the gaps and tfs of p[from..to) into buf (room for 10 a
 * document), and their positions into pbuf (5 each). *plen gets the
 * positions' size. */
static size_t block_encode_body(const ix_plist *p, size_t from, size_t to,
				unsigned char *buf, unsigned char *pbuf,
				size_t *plen)
{
	size_t n = 0, m = 0;

	for (size_t i = from; i < to; i++)
		n += ix_put_varint(buf + n, p->doc[i] - (i > from ? p->doc[i - 1]
							     : p->doc[from]));
	if (p->has_pos != IX_DOCS)
		for (size_t i = from; i < to; i++)
			n += ix_put_varint(buf + n, p->tf[i]);
	if (p->has_pos == IX_POS)
		for (size_t i = from; i < to; i++)
			for (uint32_t k = 0, prev = 0; k < p->tf[i]; k++) {
				uint32_t v = p->pos[p->off[i] + k];
				m += ix_put_varint(pbuf + m, v - prev);
				prev = v;
			}
	*plen = m;
	return n;
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
				rc = sh_fail(SH_ENOMEM, "out of memory");
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
		rc = plist_reserve(out, total);
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

/* Puts part [raw, raw + n) at out, as a zstd frame when it is big
 * enough to gain; its stored size, and whether compressed in *z. */
static size_t part_put(const unsigned char *raw, size_t n, unsigned char *out,
		       int *z)
{
	*z = 0;
	if (!cctx)
		cctx = ZSTD_createCCtx();
	if (n >= IX_ZSTD_MIN && cctx) {
		size_t c = ZSTD_compressCCtx(cctx, out, ZSTD_compressBound(n),
					     raw, n, 1);
		if (!ZSTD_isError(c) && c < n) {
			*z = 1;
			return c;
		}
	}
	memcpy(out, raw, n);
	return n;
}

/* The gaps and tfs of p[from..to) packed into buf (cap bytes; the
 * varints there are no longer needed); 0 when they would not fit. */
static size_t packed_part(const ix_plist *p, size_t from, size_t to,
			  unsigned char *buf, size_t cap)
{
	size_t n = to - from, len;
	uint32_t *v = malloc((n + 1) * sizeof(*v));

	if (!v || cap < 2 * (n / PACK_GROUP + 1) + 8 * n) {
		free(v);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = p->doc[from + i] - (i ? p->doc[from + i - 1] : p->doc[from]);
	len = pack(v, n, buf);
	if (p->has_pos != IX_DOCS)
		len += pack(p->tf + from, n, buf + len);
	free(v);
	return len;
}

/* The stored form of p[from..to): header and body (IX_SPLIT), each
 * part compressed when it is big enough to gain. On success you own
 * *out. */
static int block_make(const ix_plist *p, size_t from, size_t to,
		      unsigned char **out, size_t *len)
{
	size_t npos = p->has_pos == IX_POS ? p->off[to - 1] + p->tf[to - 1] -
					    p->off[from] : 0;
	size_t acap = 16 + (to - from) * 10, pcap = 16 + npos * 5, alen, plen;
	unsigned char *raw = malloc(acap + pcap), *val = NULL, *sp = NULL;
	size_t h = 0, sal, spl;
	int za, zp;

	if (raw) {
		alen = block_encode_body(p, from, to, raw, raw + acap, &plen);
		val = malloc(16 + ZSTD_compressBound(alen) + 10 * (to - from) +
			     16);
		sp = malloc(ZSTD_compressBound(plen));
	}
	if (!raw || !val || !sp) {
		free(raw);
		free(val);
		free(sp);
		return sh_fail(SH_ENOMEM, "out of memory");
	}
	/* the header's size is known once the first part is */
	unsigned char head[16];
	sal = part_put(raw, alen, val + sizeof(head), &za);
	size_t sk = packed_part(p, from, to, raw, acap);
	if (sk && sk <= 4 * sal) {
		/* packed: as small, and read without decompressing */
		memcpy(val + sizeof(head), raw, sk);
		sal = sk;
		za = IX_PACKED;
	}
	spl = part_put(raw + acap, plen, sp, &zp);
	h += ix_put_varint(head, (uint32_t)(to - from));
	head[h++] = (unsigned char)(p->has_pos | IX_SPLIT);
	h += ix_put_varint(head + h, (uint32_t)sal);
	head[h++] = (unsigned char)(za | zp << 1);
	unsigned char *v = realloc(val, sizeof(head) + sal + spl);
	if (!v) {
		free(raw);
		free(val);
		free(sp);
		return sh_fail(SH_ENOMEM, "out of memory");
	}
	memmove(v + h, v + sizeof(head), sal);
	memcpy(v, head, h);
	memcpy(v + h + sal, sp, spl);
	*out = v;
	*len = h + sal + spl;
	free(raw);
	free(sp);
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
		rc = block_make(p, from, to, &val, &len);
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
