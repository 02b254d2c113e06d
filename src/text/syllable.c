/* syllable.c - whether a word is a well-formed Vietnamese syllable: an
 * onset the language has, a rhyme it has, at most one tone, the tone a
 * rhyme ending in p, t, c or ch allows, and the spelling rules of c/k,
 * g/gh, ng/ngh and qu. The word lists use it so that a real name they do
 * not hold stays as read, and only a word that cannot be Vietnamese is
 * mended. Letters and marks come from utf8proc (NFD, case, composition);
 * what is written here is the language's phonotactics, not Unicode. */
#include "text.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

/* The rhymes (vowel nucleus with its glides and final consonant),
 * without their tone. */
static const char *const rhymes[] = {
	"a", "ai", "ao", "au", "ay", "am", "an", "ang", "anh", "ac", "ach",
	"ap", "at",
	"ăm", "ăn", "ăng", "ăc", "ăp", "ăt",
	"âu", "ây", "âm", "ân", "âng", "âc", "âp", "ât",
	"e", "eo", "em", "en", "eng", "ec", "ep", "et",
	"ê", "êu", "êm", "ên", "ênh", "êch", "êp", "êt",
	"i", "ia", "iu", "im", "in", "inh", "ich", "ip", "it",
	"iêu", "iêm", "iên", "iêng", "iêc", "iêp", "iêt",
	"o", "oi", "om", "on", "ong", "oc", "op", "ot", "oong", "ooc",
	"oa", "oai", "oay", "oao", "oam", "oan", "oang", "oanh", "oac",
	"oach", "oap", "oat", "oăm", "oăn", "oăng", "oăc", "oăt",
	"oe", "oeo", "oen", "oet",
	"ô", "ôi", "ôm", "ôn", "ông", "ôc", "ôp", "ôt",
	"ơ", "ơi", "ơm", "ơn", "ơp", "ơt",
	"u", "ua", "ui", "um", "un", "ung", "uc", "up", "ut",
	"uân", "uâng", "uât", "uây", "uê", "uênh", "uêch", "uơ",
	"uy", "uya", "uyu", "uyên", "uyêt", "uynh", "uych", "uyt",
	"uôi", "uôm", "uôn", "uông", "uôc", "uôt",
	"ư", "ưa", "ưi", "ưu", "ưm", "ưn", "ưng", "ưc", "ưt",
	"ươi", "ươu", "ươm", "ươn", "ương", "ươc", "ươp", "ươt",
	"y", "yêu", "yên", "yêm", "yêt",
};

/* Longest first, so "ngh" is tried before "ng" and "n". */
static const char *const onsets[] = {
	"ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "th", "tr",
	"b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "q", "r", "s",
	"t", "v", "x", "",
};

static int is_rhyme(const char *s)
{
	for (size_t i = 0; i < sizeof(rhymes) / sizeof(*rhymes); i++)
		if (!strcmp(s, rhymes[i]))
			return 1;
	return 0;
}

/* Whether rest starts with a front vowel (i, e, ê; y too with y set):
 * where c, g and ng are written k, gh and ngh. */
static int front(const char *rest, int y)
{
	return rest[0] == 'i' || rest[0] == 'e' || !strncmp(rest, "ê", 2) ||
	       (y && rest[0] == 'y');
}

/* The spelling rules an onset follows before its rhyme. */
static int spelled_right(const char *onset, const char *rest)
{
	if (!strcmp(onset, "c") || !strcmp(onset, "ng"))
		return !front(rest, 1); /* "kim", "nghe": k and ngh there */
	if (!strcmp(onset, "k"))
		return front(rest, 1);
	if (!strcmp(onset, "gh") || !strcmp(onset, "ngh"))
		return front(rest, 0);
	if (!strcmp(onset, "g"))
		return !front(rest, 0) || rest[0] == 'i'; /* "gì", "giếng": gi */
	if (!strcmp(onset, "q"))
		return rest[0] == 'u' && rest[1]; /* "quốc" is q + uôc */
	return 1;
}

/* word lowercased and without its tone into out (NFC); the tone mark
 * (0 for none) into *tone. -1 when it holds anything but Vietnamese
 * letters or more than one tone. */
static int untoned(const char *word, char *out, size_t cap, int *tone)
{
	utf8proc_int32_t buf[64];
	utf8proc_ssize_t n = 0;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)word;

	*tone = 0;
	while (*p) {
		utf8proc_int32_t c, d[8];
		int last = 0;
		utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c), m;
		if (k <= 0)
			return -1;
		p += k;
		m = utf8proc_decompose_char(c, d, 8, UTF8PROC_DECOMPOSE, &last);
		if (m <= 0 || m > 8)
			return -1;
		d[0] = utf8proc_tolower(d[0]);
		if (!((d[0] >= 'a' && d[0] <= 'z') || d[0] == 0x111))
			return -1;
		if (n + m >= (utf8proc_ssize_t)(sizeof(buf) / sizeof(*buf)))
			return -1;
		buf[n++] = d[0];
		for (utf8proc_ssize_t j = 1; j < m; j++) {
			switch (d[j]) {
			case 0x300: case 0x301: case 0x303: case 0x309: case 0x323:
				if (*tone)
					return -1;
				*tone = d[j];
				break;
			case 0x302: case 0x306: case 0x31b:
				buf[n++] = d[j]; /* â ă ê ô ơ ư: letters of their own */
				break;
			default:
				return -1;
			}
		}
	}
	n = utf8proc_normalize_utf32(buf, n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	if (n < 0)
		return -1;
	size_t o = 0;
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		if (o + 5 > cap)
			return -1;
		o += (size_t)utf8proc_encode_char(buf[i], (utf8proc_uint8_t *)out + o);
	}
	out[o] = '\0';
	return 0;
}

/* A rhyme closed by p, t, c or ch takes only the rising or the heavy
 * tone ("học", "Việt"; no "hoc" or "hòc"). */
static int tone_fits(const char *rhyme, int tone)
{
	size_t n = strlen(rhyme);
	int stop = n && strchr("ptc", rhyme[n - 1]);

	stop |= n >= 2 && !strcmp(rhyme + n - 2, "ch");
	return !stop || tone == 0x301 || tone == 0x323;
}

int text_syllable(const char *word)
{
	char s[128];
	int tone;

	if (!word || !*word || untoned(word, s, sizeof(s), &tone))
		return 0;
	for (size_t i = 0; i < sizeof(onsets) / sizeof(*onsets); i++) {
		size_t n = strlen(onsets[i]);
		const char *rest = s + n;
		if (strncmp(s, onsets[i], n) || !*rest)
			continue;
		/* "gi" alone before a consonant is g + i ("gìn") */
		if (!strcmp(onsets[i], "gi") && !is_rhyme(rest))
			continue;
		if (spelled_right(onsets[i], rest) && is_rhyme(rest) &&
		    tone_fits(rest, tone))
			return 1;
	}
	return 0;
}
