/* lm.c - the syllable model diacritics are chosen by: how often each
 * Vietnamese syllable and each pair of neighbours occurs in the text the
 * model was made from (tools/lm/build.py), a syllable keyed by its
 * letters without its tone and the tone's digit, so that "hoà" and "hòa"
 * are one. Probabilities are the pair's share of what follows the first
 * syllable, interpolated with the second's own share (add-half), the
 * pair's weight growing with how much the first was seen. */
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct text_lm {
	char *arena;          /* the keys, each ending in NUL */
	size_t *key_off;
	double *uni, *ctx;    /* a key's count; what follows it, counted */
	int nkeys, cap_keys;
	uint32_t *slot;       /* key hash -> index, UINT32_MAX empty */
	size_t nslot;
	uint64_t *pair_key;   /* (first + 1) << 32 | (second + 1), 0 empty */
	double *pair_n;
	size_t npair, pair_cap;
	double ctx_break, total;
};

/* The tone marks as Unicode writes them decomposed, and their digits. */
static int tone_of(int32_t cp)
{
	switch (cp) {
	case 0x300: return 1; /* huyền */
	case 0x301: return 2; /* sắc */
	case 0x309: return 3; /* hỏi */
	case 0x303: return 4; /* ngã */
	case 0x323: return 5; /* nặng */
	}
	return 0;
}

int text_lm_key(const char *word, char *key, size_t cap)
{
	utf8proc_int32_t cp[64];
	utf8proc_uint8_t buf[256];
	utf8proc_ssize_t n;
	size_t len = 0;
	int tone = 0;

	if (!word || !*word || cap < 3)
		return 0;
	n = utf8proc_decompose((const utf8proc_uint8_t *)word, -1, cp, 64,
			       UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE);
	if (n <= 0 || n > 64)
		return 0;
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		int32_t c = utf8proc_tolower(cp[i]);
		int t = tone_of(c);
		if (t) {
			tone = t;
			continue;
		}
		/* letters a-z and đ, and the marks a vowel keeps (breve,
		 * circumflex, horn) */
		if (!((c >= 'a' && c <= 'z') || c == 0x111 || c == 0x306 ||
		      c == 0x302 || c == 0x31b))
			return 0;
		utf8proc_ssize_t k = utf8proc_encode_char(c, buf + len);
		if (k <= 0 || len + (size_t)k + 8 > sizeof(buf))
			return 0;
		len += (size_t)k;
	}
	buf[len] = 0;
	utf8proc_uint8_t *nfc = utf8proc_NFC(buf);
	if (!nfc)
		return 0;
	size_t l = strlen((char *)nfc);
	if (l + 2 > cap) {
		free(nfc);
		return 0;
	}
	memcpy(key, nfc, l);
	key[l] = (char)('0' + tone);
	key[l + 1] = 0;
	free(nfc);
	return 1;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

int text_lm_id(const text_lm *m, const char *key)
{
	if (!m || !key)
		return -1;
	if (!strcmp(key, "."))
		return TEXT_LM_BREAK;
	for (size_t h = hash_str(key) & (m->nslot - 1);; h = (h + 1) & (m->nslot - 1)) {
		uint32_t i = m->slot[h];
		if (i == UINT32_MAX)
			return -1;
		if (!strcmp(m->arena + m->key_off[i], key))
			return (int)i;
	}
}

static double pair_count(const text_lm *m, int a, int b)
{
	uint64_t k = ((uint64_t)(uint32_t)(a + 2) << 32) | (uint32_t)(b + 2);

	for (size_t h = mix(k) & (m->pair_cap - 1);; h = (h + 1) & (m->pair_cap - 1)) {
		if (!m->pair_key[h])
			return 0;
		if (m->pair_key[h] == k)
			return m->pair_n[h];
	}
}

double text_lm_logp(const text_lm *m, int prev, int id)
{
	double u = id >= 0 ? m->uni[id] : 0;
	double pu = (u + 0.5) / (m->total + 0.5 * m->nkeys);
	double c = prev == TEXT_LM_BREAK ? m->ctx_break : prev >= 0 ? m->ctx[prev] : 0;
	double lam = c / (c + 20.0);
	double pb = c > 0 && (id >= 0 || id == TEXT_LM_BREAK) ? pair_count(m, prev, id) / c : 0;

	return log(lam * pb + (1 - lam) * pu);
}

static int add_key(text_lm *m, const char *key, double n, size_t *arena_len,
		   size_t *arena_cap)
{
	size_t l = strlen(key) + 1;

	if (m->nkeys == m->cap_keys) {
		int cap = m->cap_keys ? m->cap_keys * 2 : 4096;
		size_t *o = realloc(m->key_off, (size_t)cap * sizeof(*o));
		double *u = o ? realloc(m->uni, (size_t)cap * sizeof(*u)) : NULL;
		if (u)
			m->uni = u;
		if (o)
			m->key_off = o;
		if (!o || !u)
			return -1;
		m->cap_keys = cap;
	}
	if (*arena_len + l > *arena_cap) {
		size_t cap = (*arena_cap ? *arena_cap * 2 : 65536) + l;
		char *a = realloc(m->arena, cap);
		if (!a)
			return -1;
		m->arena = a;
		*arena_cap = cap;
	}
	memcpy(m->arena + *arena_len, key, l);
	m->key_off[m->nkeys] = *arena_len;
	m->uni[m->nkeys++] = n;
	*arena_len += l;
	m->total += n;
	return 0;
}

/* The keys' table, once they are all read. */
static int index_keys(text_lm *m)
{
	m->nslot = 1;
	while (m->nslot < (size_t)m->nkeys * 2 + 2)
		m->nslot <<= 1;
	if (!(m->slot = malloc(m->nslot * sizeof(*m->slot))) ||
	    !(m->ctx = calloc((size_t)m->nkeys + 1, sizeof(*m->ctx))))
		return -1;
	memset(m->slot, 0xff, m->nslot * sizeof(*m->slot));
	for (int i = 0; i < m->nkeys; i++) {
		size_t h = hash_str(m->arena + m->key_off[i]) & (m->nslot - 1);
		while (m->slot[h] != UINT32_MAX)
			h = (h + 1) & (m->nslot - 1);
		m->slot[h] = (uint32_t)i;
	}
	return 0;
}

static int add_pair(text_lm *m, int a, int b, double n)
{
	uint64_t k = ((uint64_t)(uint32_t)(a + 2) << 32) | (uint32_t)(b + 2);
	size_t h;

	if ((m->npair + 1) * 2 > m->pair_cap)
		return -1; /* sized before, from the count of lines */
	for (h = mix(k) & (m->pair_cap - 1); m->pair_key[h] && m->pair_key[h] != k;
	     h = (h + 1) & (m->pair_cap - 1))
		;
	if (!m->pair_key[h])
		m->npair++;
	m->pair_key[h] = k;
	m->pair_n[h] += n;
	if (a == TEXT_LM_BREAK)
		m->ctx_break += n;
	else
		m->ctx[a] += n;
	return 0;
}

text_lm *text_lm_parse(const char *buf, size_t len)
{
	text_lm *m = calloc(1, sizeof(*m));
	size_t arena_len = 0, arena_cap = 0, lines = 0;
	const char *p = buf, *end = buf + len;
	int keys_done = 0;

	if (!m)
		return NULL;
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	m->pair_cap = 1;
	while (m->pair_cap < lines * 2 + 2)
		m->pair_cap <<= 1;
	m->pair_key = calloc(m->pair_cap, sizeof(*m->pair_key));
	m->pair_n = calloc(m->pair_cap, sizeof(*m->pair_n));
	if (!m->pair_key || !m->pair_n)
		goto fail;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[256], a[96], b[96];
		double n;
		if (l >= sizeof(line))
			goto fail;
		memcpy(line, p, l);
		line[l] = 0;
		p += l + 1;
		if (!l || line[0] == '#')
			continue;
		if (line[0] == 'u' && sscanf(line, "u %95s %lf", a, &n) == 2 && !keys_done) {
			if (add_key(m, a, n, &arena_len, &arena_cap))
				goto fail;
		} else if (line[0] == 'b' && sscanf(line, "b %95s %95s %lf", a, b, &n) == 3) {
			if (!keys_done && (keys_done = 1) && index_keys(m))
				goto fail;
			int ia = text_lm_id(m, a), ib = text_lm_id(m, b);
			if (ia == -1 || ib == -1 || add_pair(m, ia, ib, n))
				goto fail;
		} else {
			goto fail;
		}
	}
	if (!keys_done && index_keys(m))
		goto fail;
	if (m->nkeys == 0)
		goto fail;
	return m;
fail:
	text_lm_free(m);
	return NULL;
}

void text_lm_free(text_lm *m)
{
	if (!m)
		return;
	free(m->arena);
	free(m->key_off);
	free(m->uni);
	free(m->ctx);
	free(m->slot);
	free(m->pair_key);
	free(m->pair_n);
	free(m);
}

size_t text_lm_bytes(const text_lm *m)
{
	return m ? (size_t)m->cap_keys * (sizeof(size_t) + sizeof(double)) +
		   ((size_t)m->nkeys + 1) * sizeof(double) + m->nslot * 4 +
		   m->pair_cap * (sizeof(uint64_t) + sizeof(double)) : 0;
}
