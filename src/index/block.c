/* block.c - a block of postings as stored: its gaps, term frequencies
 * and positions encoded (varints, bit-packed groups, zstd where it
 * pays), and decoded. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <zstd.h>

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
		return base_fail(BASE_ECORRUPT, "index: damaged postings block");
	*owned = malloc(size + 1);
	if (!*owned)
		return base_fail(BASE_ENOMEM, "out of memory");
	if (!dctx && !(dctx = ZSTD_createDCtx())) {
		free(*owned);
		*owned = NULL;
		return base_fail(BASE_ENOMEM, "out of memory");
	}
	got = ZSTD_decompressDCtx(dctx, *owned, size + 1, *p,
				  (size_t)(*end - *p));
	if (ZSTD_isError(got) || got != size) {
		free(*owned);
		*owned = NULL;
		return base_fail(BASE_ECORRUPT, "index: damaged postings block");
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
			return base_fail(BASE_ECORRUPT, "index: damaged postings block");
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
		return base_fail(BASE_ECORRUPT, "index: damaged postings block");
	int rc = ix_plist_reserve(out, out->n + n);
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
		return base_fail(BASE_ECORRUPT, "index: damaged postings block");
	rc = ix_pos_reserve(out, out->npos + total);
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
		return base_fail(BASE_ECORRUPT, "index: damaged postings block");
	if ((rc = ix_plist_reserve(out, out->n + n)))
		return rc;
	if (unpack(&p, end, out->doc + base, n) ||
	    (kind != IX_DOCS && unpack(&p, end, out->tf + base, n)))
		return base_fail(BASE_ECORRUPT, "index: damaged postings block");
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
int ix_block_make(const ix_plist *p, size_t from, size_t to,
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
		return base_fail(BASE_ENOMEM, "out of memory");
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
		return base_fail(BASE_ENOMEM, "out of memory");
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
