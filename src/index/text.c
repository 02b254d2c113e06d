/* text.c - Vietnamese text for the index: syllable tokens, each in an
 * exact form (NFC, case folded, one tone placement) and a folded form
 * (no tones or marks, đ -> d), both with utf8proc. */
#include "internal.h"

#include <pthread.h>
#include <string.h>
#include <utf8proc.h>

/* Decompositions of the code points below U+2000 (Latin, Vietnamese's
 * precomposed letters at U+1EA0-U+1EF9, punctuation), computed once:
 * utf8proc's lookups were a third of the time spent indexing. */
#define CACHE_CPS 0x2000
static struct {
	unsigned char token, n; /* n 0: not cached, ask utf8proc */
	utf8proc_int32_t d[4];
} cache[CACHE_CPS];
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static int is_token_char(utf8proc_int32_t c);

static void cache_fill(void)
{
	for (utf8proc_int32_t c = 0; c < CACHE_CPS; c++) {
		utf8proc_int32_t tmp[8];
		int last = 0;
		utf8proc_ssize_t m = utf8proc_decompose_char(c, tmp, 8,
			UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
			UTF8PROC_CASEFOLD, &last);
		cache[c].token = (unsigned char)is_token_char(c);
		if (m > 0 && m <= 4) {
			cache[c].n = (unsigned char)m;
			memcpy(cache[c].d, tmp, (size_t)m * sizeof(*tmp));
		}
	}
}

static int token_char(utf8proc_int32_t c)
{
	return c < CACHE_CPS ? cache[c].token : is_token_char(c);
}

/* Appends c decomposed, case folded, to d (room for 8). */
static int decompose(utf8proc_int32_t c, utf8proc_int32_t *d)
{
	int last = 0;

	if (c < CACHE_CPS && cache[c].n) {
		memcpy(d, cache[c].d, cache[c].n * sizeof(*d));
		return cache[c].n;
	}
	utf8proc_ssize_t m = utf8proc_decompose_char(c, d, 8,
		UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD, &last);
	return m < 0 || m > 8 ? 0 : (int)m;
}

/* Tone marks, as they appear decomposed; the other marks (circumflex,
 * breve, horn) belong to the vowel and never move. */
static int is_tone(utf8proc_int32_t c)
{
	return c == 0x300 || c == 0x301 || c == 0x303 || c == 0x309 ||
	       c == 0x323;
}

static int is_token_char(utf8proc_int32_t c)
{
	utf8proc_category_t cat = utf8proc_category(c);

	return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
	       (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) ||
	       (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

/* Old and new spelling put the tone of the open syllables oa, oe, uy on
 * different vowels (hoà/hòa, thuỷ/thủy): both become the common form
 * with the tone on the first vowel. "quý" keeps its tone: its u belongs
 * to the consonant. d holds n decomposed, lowercase code points. */
static void tone_unify(utf8proc_int32_t *d, int n)
{
	int base[IX_TERM_MAX], nb = 0, tone = -1;

	for (int i = 0; i < n && nb < IX_TERM_MAX; i++) {
		if (is_tone(d[i]))
			tone = i;
		else if (utf8proc_category(d[i]) != UTF8PROC_CATEGORY_MN)
			base[nb++] = i;
	}
	if (tone < 0 || nb < 2 || tone < base[nb - 1])
		return;
	utf8proc_int32_t a = d[base[nb - 2]], b = d[base[nb - 1]];
	int pair = (a == 'o' && (b == 'a' || b == 'e')) ||
		   (a == 'u' && b == 'y' && !(nb >= 3 && d[base[nb - 3]] == 'q'));
	if (!pair)
		return;
	/* the tone follows the second vowel; move it after the first */
	utf8proc_int32_t t = d[tone];
	memmove(d + base[nb - 2] + 2, d + base[nb - 2] + 1,
		(size_t)(tone - base[nb - 2] - 1) * sizeof(*d));
	d[base[nb - 2] + 1] = t;
}

/* Writes the exact and folded forms of the decomposed token d[0..n)
 * (room for IX_TERM_MAX + 8). */
static void forms(utf8proc_int32_t *d, int n, ix_token *t)
{
	utf8proc_int32_t c[IX_TERM_MAX + 8];
	size_t len = 0, flen = 0;
	int digits = 1, marks = 0;

	for (int i = 0; i < n; i++) {
		c[i] = d[i];
		if (c[i] == 0x111)
			c[i] = 'd';
		if (utf8proc_category(c[i]) == UTF8PROC_CATEGORY_MN) {
			marks = 1;
			continue;
		}
		if (c[i] < '0' || c[i] > '9')
			digits = 0;
		if (flen + 5 < sizeof(t->folded))
			flen += (size_t)utf8proc_encode_char(c[i],
				(utf8proc_uint8_t *)t->folded + flen);
	}
	t->folded[flen] = 0;
	t->digits = digits && flen > 0;
	if (t->digits) {
		/* "01" and "1" are the same book number */
		size_t z = 0;
		while (z + 1 < flen && t->folded[z] == '0')
			z++;
		memmove(t->folded, t->folded + z, flen - z + 1);
	}
	if (!marks) {
		int same = 1;
		for (int i = 0; i < n; i++)
			same &= d[i] != 0x111;
		if (same) {
			/* no mark, no đ: the exact form is the folded one */
			memcpy(t->exact, t->folded, strlen(t->folded) + 1);
			return;
		}
	}
	tone_unify(d, n);
	/* compose in place, without the allocation utf8proc_NFC makes */
	utf8proc_ssize_t m = utf8proc_normalize_utf32(d, n, UTF8PROC_COMPOSE |
						       UTF8PROC_STABLE);
	for (utf8proc_ssize_t i = 0; i < m && len + 5 < sizeof(t->exact); i++)
		len += (size_t)utf8proc_encode_char(d[i],
				(utf8proc_uint8_t *)t->exact + len);
	t->exact[len] = 0;
}

/* The forms of tokens seen before, a table per thread keyed by the
 * token's bytes: a record's text is a few hundred syllables of a
 * vocabulary of a few thousand, and decomposing, moving tones and
 * composing each again was a third of indexing. A slot holds the last
 * token that hashed to it. */
#define TC_SLOTS 8192
#define TC_SPAN 40
#define TC_FORM 56

typedef struct tc_entry {
	uint32_t hash;
	unsigned char len, digits;
	char span[TC_SPAN], exact[TC_FORM], folded[TC_FORM];
} tc_entry;

static pthread_key_t tc_key;
static pthread_once_t tc_once = PTHREAD_ONCE_INIT;

static void tc_init(void)
{
	/* freed with its thread */
	pthread_key_create(&tc_key, free);
}

static tc_entry *tc_slot(const utf8proc_uint8_t *span, size_t len,
			 uint32_t *hash)
{
	tc_entry *tc;
	uint32_t h = 2166136261u;

	if (len > TC_SPAN)
		return NULL;
	pthread_once(&tc_once, tc_init);
	if (!(tc = pthread_getspecific(tc_key))) {
		if (!(tc = calloc(TC_SLOTS, sizeof(*tc))) ||
		    pthread_setspecific(tc_key, tc)) {
			free(tc);
			return NULL;
		}
	}
	for (size_t i = 0; i < len; i++)
		h = (h ^ span[i]) * 16777619u;
	*hash = h;
	return &tc[h % TC_SLOTS];
}

int ix_token_span(const char *s, size_t *pos, size_t *start, size_t *end)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;
	size_t i = *pos;

	pthread_once(&cache_once, cache_fill);
	for (;;) {
		if (!p[i])
			return 0;
		if (p[i] < 0x80) {
			/* ASCII, most of the text: no decoding */
			if (cache[p[i]].token)
				break;
			i++;
			continue;
		}
		utf8proc_ssize_t k = utf8proc_iterate(p + i, -1, &c);
		if (k <= 0) {
			i++;
			continue;
		}
		if (token_char(c))
			break;
		i += (size_t)k;
	}
	*start = i;
	while (p[i]) {
		if (p[i] < 0x80) {
			if (!cache[p[i]].token)
				break;
			i++;
			continue;
		}
		utf8proc_ssize_t k = utf8proc_iterate(p + i, -1, &c);
		if (k <= 0 || !token_char(c))
			break;
		i += (size_t)k;
	}
	*end = *pos = i;
	return 1;
}

void ix_token_forms(const char *s, size_t start, size_t end, ix_token *t)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t d[IX_TERM_MAX + 8], c;
	size_t len = end - start;
	uint32_t hash = 0;
	int n = 0;

	t->start = start;
	t->end = end;
	tc_entry *e = tc_slot(p + start, len, &hash);
	if (e && e->hash == hash && e->len == len &&
	    !memcmp(e->span, p + start, len)) {
		memcpy(t->exact, e->exact, strlen(e->exact) + 1);
		memcpy(t->folded, e->folded, strlen(e->folded) + 1);
		t->digits = e->digits;
		return;
	}
	for (size_t j = start; j < end && n < IX_TERM_MAX;) {
		utf8proc_int32_t tmp[8];
		j += (size_t)utf8proc_iterate(p + j, -1, &c);
		int m = decompose(c, tmp);
		for (int q = 0; q < m && n < IX_TERM_MAX; q++)
			d[n++] = tmp[q];
	}
	forms(d, n, t);
	if (e && strlen(t->exact) < TC_FORM && strlen(t->folded) < TC_FORM) {
		e->hash = hash;
		e->len = (unsigned char)len;
		e->digits = (unsigned char)t->digits;
		memcpy(e->span, p + start, len);
		strcpy(e->exact, t->exact);
		strcpy(e->folded, t->folded);
	}
}

int ix_token_next(const char *s, size_t *pos, ix_token *t)
{
	size_t start, end;

	if (!ix_token_span(s, pos, &start, &end))
		return 0;
	ix_token_forms(s, start, end, t);
	return 1;
}

int ix_tokenize(const char *s, ix_token **out, size_t *n)
{
	size_t pos = 0, cap = 0;
	ix_token t, *v = NULL;

	*n = 0;
	while (s && ix_token_next(s, &pos, &t)) {
		if (*n == cap) {
			ix_token *nv = realloc(v, (cap = cap ? cap * 2 : 32) *
					       sizeof(*v));
			if (!nv) {
				free(v);
				*out = NULL;
				return base_fail(BASE_ENOMEM, "out of memory");
			}
			v = nv;
		}
		v[(*n)++] = t;
	}
	*out = v;
	return 0;
}

void index_fold(const char *in, char *exact, size_t elen, char *folded,
		size_t flen)
{
	size_t pos = 0, e = 0, f = 0;
	ix_token t;

	if (elen)
		exact[0] = 0;
	if (flen)
		folded[0] = 0;
	while (ix_token_next(in, &pos, &t)) {
		if (exact && e + strlen(t.exact) + 2 < elen)
			e += (size_t)snprintf(exact + e, elen - e, "%s%s",
					      e ? " " : "", t.exact);
		if (folded && f + strlen(t.folded) + 2 < flen)
			f += (size_t)snprintf(folded + f, flen - f, "%s%s",
					      f ? " " : "", t.folded);
	}
}
