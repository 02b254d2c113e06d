/* tones.c - each word's diacritics chosen from evidence: where
 * Tesseract's LSTM saw other marks on a letter (its symbol choices,
 * lstm_choice_mode 2), the word's well-formed spellings with those marks
 * are scored by the syllable model (text_lm) on the word's neighbours
 * and by the recogniser's own confidences, and the likeliest kept. A
 * letter the recogniser saw no other mark on is never changed, nor a
 * number, nor a word with anything but letters. A changed word keeps
 * what was read ("r"), and a word whose runner-up stays close carries it
 * ("a"): fields holding it are doubted. Model: config/vie-syllables.lm.zst
 * ([ocr] syllables), made by tools/lm/build.py. */
#include "internal.h"

#include "../base/base.h"
#include "../text/text.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <zstd.h>

/* The weight of a confidence point against the model's log chance, the
 * least confidence an alternative mark needs to be tried, how close (in
 * log chance) a runner-up must stay to be kept beside the word. Set on
 * the ten transcribed real pages (tests/bench/real-truth). */
#define TONE_W 0.1
#define TONE_FLOOR 10.0
#define TONE_CLOSE 2.0

static pthread_mutex_t model_mu = PTHREAD_MUTEX_INITIALIZER;
static text_lm *model;
static char model_path[4096];

static void model_free(void)
{
	text_lm_free(model);
	model = NULL;
}

/* The model of path, read once a process (engines share it). */
const text_lm *ocr_syllables(const char *path)
{
	unsigned char *z = NULL;
	size_t zlen = 0;
	char *text = NULL;
	size_t len = 0, cap = 0;
	const text_lm *m = NULL;

	pthread_mutex_lock(&model_mu);
	if (model && !strcmp(model_path, path)) {
		m = model;
		goto out;
	}
	if (base_read_file(path, (size_t)64 << 20, &z, &zlen)) {
		base_fail(BASE_EIO, "cannot read the syllable model ([ocr] "
			  "syllables; empty to read without it): %s",
			  base_errmsg());
		goto out;
	}
	ZSTD_DStream *ds = ZSTD_createDStream();
	ZSTD_inBuffer in = { z, zlen, 0 };
	size_t r = ds ? ZSTD_initDStream(ds) : 1;
	while (ds && !ZSTD_isError(r) && in.pos < in.size) {
		if (cap - len < ZSTD_DStreamOutSize()) {
			char *g = realloc(text, cap = cap * 2 + ZSTD_DStreamOutSize());
			if (!g)
				break;
			text = g;
		}
		ZSTD_outBuffer o = { text + len, cap - len, 0 };
		r = ZSTD_decompressStream(ds, &o, &in);
		len += o.pos;
	}
	ZSTD_freeDStream(ds);
	if (!ds || ZSTD_isError(r) || in.pos < in.size || r != 0 ||
	    !(m = text_lm_parse(text, len))) {
		base_fail(BASE_EINVAL, "the syllable model '%s' is damaged or "
			  "not one (tools/lm/build.sh makes it)", path);
		goto out;
	}
	if (model)
		text_lm_free(model); /* another path: the last one is kept */
	else
		atexit(model_free);
	model = (text_lm *)m;
	snprintf(model_path, sizeof(model_path), "%s", path);
out:
	pthread_mutex_unlock(&model_mu);
	free(z);
	free(text);
	return m;
}

/* A letter's code point (a symbol of one), or -1. Tesseract gives
 * composed symbols; only a symbol of several code points is composed
 * here (per symbol and choice: no allocation for the usual one). */
static int32_t one_letter(const char *s)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);

	if (k > 0 && s[k]) {
		char *n = (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
		k = n ? utf8proc_iterate((const utf8proc_uint8_t *)n, -1, &cp) : -1;
		k = k > 0 && n[k] == 0 ? k : -1;
		free(n);
	}
	if (k <= 0)
		return -1;
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL ? cp : -1;
}

static int same_base(int32_t a, int32_t b)
{
	char fa[32], fb[32];
	int na = text_fold_char(a, fa), nb = text_fold_char(b, fb);

	return na == nb && !memcmp(fa, fb, (size_t)na);
}

static int upper(int32_t cp)
{
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

/* Whether symbol text s is a letter or a digit (what may not stand
 * around a word's letters for it to be one of letters). */
static int alnum(const char *s)
{
	utf8proc_int32_t cp;

	if (utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp) <= 0)
		return 1;
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

void ocr_tones_gather(TessResultIterator *ri, const char *word, ocr_tone_word *tw)
{
	TessResultIterator *si = TessResultIteratorCopy(ri);
	int32_t best[TONE_SYMBOLS];
	struct { int32_t cp; double d; } alt[TONE_SYMBOLS][6];
	int nalt[TONE_SYMBOLS], other[TONE_SYMBOLS], n = 0, ok = si != NULL;
	char joined[512] = "";
	size_t jl = 0;

	tw->n = 0;
	while (ok) {
		TessPageIterator *pi = TessResultIteratorGetPageIterator(si);
		char *s = TessResultIteratorGetUTF8Text(si, RIL_SYMBOL);
		size_t sl = s ? strlen(s) : 0;
		if (!s || jl + sl >= sizeof(joined) || n == TONE_SYMBOLS) {
			ok = 0;
		} else {
			memcpy(joined + jl, s, sl + 1);
			jl += sl;
			best[n] = one_letter(s);
			other[n] = best[n] < 0 && alnum(s);
			nalt[n] = 0;
		}
		TessChoiceIterator *ci = ok && best[n] >= 0 ?
			TessResultIteratorGetChoiceIterator(si) : NULL;
		double top = -1;
		while (ci) {
			const char *t = TessChoiceIteratorGetUTF8Text(ci);
			double c = TessChoiceIteratorConfidence(ci);
			int32_t a = t ? one_letter(t) : -1;
			if (top < 0)
				top = c; /* the first is the symbol read */
			else if (a >= 0 && a != best[n] && c >= TONE_FLOOR &&
				 same_base(a, best[n]) && upper(a) == upper(best[n]) &&
				 nalt[n] < 6) {
				alt[n][nalt[n]].cp = a;
				alt[n][nalt[n]++].d = c - top;
			}
			if (!TessChoiceIteratorNext(ci)) {
				TessChoiceIteratorDelete(ci);
				ci = NULL;
			}
		}
		n += ok;
		TessDeleteText(s);
		if (!ok || TessPageIteratorIsAtFinalElement(pi, RIL_WORD, RIL_SYMBOL) ||
		    !TessResultIteratorNext(si, RIL_SYMBOL))
			break;
	}
	if (si)
		TessResultIteratorDelete(si);
	/* the symbols must spell the word: its letters a run, with nothing
	 * but punctuation around them */
	char *jn = ok ? (char *)utf8proc_NFC((const utf8proc_uint8_t *)joined) : NULL;
	int spells = jn && !strcmp(jn, word), s = 0, e = n, any = 0;
	free(jn);
	while (s < e && best[s] < 0)
		s++;
	while (e > s && best[e - 1] < 0)
		e--;
	if (!spells || e - s < 1 || e - s > TONE_LETTERS)
		return;
	for (int i = 0; i < n; i++) {
		if (i >= s && i < e ? best[i] < 0 : other[i])
			return;
		any |= i >= s && i < e && nalt[i] > 0;
	}
	if (!any)
		return;
	/* every spelling, the first as read: an odometer over the marks */
	int pos[TONE_LETTERS] = { 0 };
	for (;;) {
		size_t bl = 0;
		double d = 0;
		char *buf = tw->cand[tw->n];
		for (int i = s; i < e; i++) {
			int k = pos[i - s];
			d += k ? alt[i][k - 1].d : 0;
			bl += (size_t)utf8proc_encode_char(k ? alt[i][k - 1].cp : best[i],
							   (utf8proc_uint8_t *)buf + bl);
		}
		buf[bl] = 0;
		tw->d[tw->n++] = d;
		int i = 0;
		while (i < e - s && ++pos[i] > nalt[s + i])
			pos[i++] = 0;
		if (i == e - s || tw->n == TONE_CANDS)
			break;
	}
}

/* The model's index of word w's letters (a break when w is none). */
static int key_id(const text_lm *m, const char *w)
{
	char k[96];

	return w && text_lm_key(w, k, sizeof(k)) ? text_lm_id(m, k) : TEXT_LM_BREAK;
}

/* Word w's letters without the punctuation around them, into out;
 * *before and *after: whether punctuation stood there. */
static void letters_of(const char *w, char *out, size_t cap, int *before, int *after)
{
	const char *s = w, *e = w + strlen(w);
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;

	while (*s && (k = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp)) > 0 &&
	       !alnum(s))
		s += k;
	while (e > s) {
		const char *p = e - 1;
		while (p > s && ((unsigned char)*p & 0xc0) == 0x80)
			p--;
		if (alnum(p))
			break;
		e = p;
	}
	*before = s > w;
	*after = *e != 0;
	snprintf(out, cap, "%.*s", (int)(e - s), s);
}

int ocr_tones_choose(const text_lm *m, json_t *words, ocr_tone_word *tw, size_t n)
{
	int changed = 0;

	for (size_t i = 0; i < n; i++) {
		if (tw[i].n < 2)
			continue;
		json_t *w = json_array_get(words, i);
		const char *t = json_string_value(json_object_get(w, "t"));
		char *at = t ? strstr(t, tw[i].cand[0]) : NULL;
		if (!at)
			continue;
		int line = (int)json_integer_value(json_object_get(w, "l"));
		int pb, pa, nb, na, prev = TEXT_LM_BREAK, next = TEXT_LM_BREAK;
		char pw[128], nw[128];
		/* the neighbours as read, on the same line, with no
		 * punctuation between */
		json_t *p = i ? json_array_get(words, i - 1) : NULL, *q = json_array_get(words, i + 1);
		if (p && json_integer_value(json_object_get(p, "l")) == line && at == t) {
			letters_of(json_string_value(json_object_get(p, "t")), pw, sizeof(pw), &pb, &pa);
			if (!pa)
				prev = key_id(m, pw);
		}
		if (q && json_integer_value(json_object_get(q, "l")) == line &&
		    !at[strlen(tw[i].cand[0])]) {
			letters_of(json_string_value(json_object_get(q, "t")), nw, sizeof(nw), &nb, &na);
			if (!nb)
				next = key_id(m, nw);
		}
		double best = -INFINITY, second = -INFINITY;
		int bi = 0, si = -1;
		for (int c = 0; c < tw[i].n; c++) {
			if (c && !text_syllable(tw[i].cand[c]))
				continue;
			int id = key_id(m, tw[i].cand[c]);
			double sc = text_lm_logp(m, prev, id) + text_lm_logp(m, id, next) +
				    TONE_W * tw[i].d[c];
			if (sc > best) {
				second = best;
				si = bi;
				best = sc;
				bi = c;
			} else if (sc > second) {
				second = sc;
				si = c;
			}
		}
		if (bi == 0 && !(si > 0 && best - second < TONE_CLOSE))
			continue;
		/* the word as chosen, what was read, and the runner-up when it
		 * stays close */
		size_t pre = (size_t)(at - t), rl = strlen(tw[i].cand[0]);
		char nt[512];
		snprintf(nt, sizeof(nt), "%.*s%s%s", (int)pre, t, tw[i].cand[bi], at + rl);
		json_t *alts = json_array();
		if (si >= 0 && best - second < TONE_CLOSE)
			json_array_append_new(alts, json_string(tw[i].cand[si]));
		if (bi) {
			json_object_set_new(w, "r", json_string(t));
			json_object_set_new(w, "t", json_string(nt));
			changed++;
		}
		if (json_array_size(alts))
			json_object_set_new(w, "a", alts);
		else
			json_decref(alts);
	}
	return changed;
}
