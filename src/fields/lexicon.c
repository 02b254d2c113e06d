/* lexicon.c - word lists that mend what OCR misreads in a value or a
 * page's text: the values a field can take ("Lâu dài", the land-use
 * categories), the administrative units of the area (a gazetteer), the
 * surnames and the syllables of given names, the forms' printed
 * phrases. A misread keeps its letters and loses or changes a mark
 * ("Lầu dài", "Huyện Nghỉ Lộc", "NGUYÊN"): a phrase whose folded form
 * is one entry's, and only one's, becomes that entry. A phrase that is
 * an entry as it stands is never touched. Dust adds specks between
 * words ("HỘI:CHỦ") and eats spaces ("Dântộc"); both are mended when
 * the words are an entry's. */
#include "fields.h"
#include "internal.h"

#include "../base/base.h"
#include "../text/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define LEX_WORDS_MAX 16 /* the longest phrase a file may hold, in words */

typedef struct lex_entry {
	char *folded, *lower, *canon;
	int line; /* the file's order: the likelier first */
} lex_entry;

struct fields_lexicon {
	char name[64];
	lex_entry *e;
	size_t n;
	int max_words;
	/* the entries of two words or more by their folded letters without
	 * spaces ("dantoc"): OCR drops the space between words on dusty
	 * pages ("Dântộc") */
	const lex_entry **joined;
	char **joined_key;
	size_t njoined;
};

char *fields_lower(const char *s)
{
	utf8proc_uint8_t *out = NULL;

	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
			 UTF8PROC_CASEFOLD) < 0)
		return NULL;
	return (char *)out;
}

static int entry_cmp(const void *a, const void *b)
{
	const lex_entry *x = a, *y = b;
	int c = strcmp(x->folded, y->folded);

	return c ? c : strcmp(x->lower, y->lower);
}

static int letter_at(const char *s)
{
	unsigned char c = (unsigned char)*s;

	return c >= 0x80 || isalpha(c);
}

/* Splits s into words, with a comma, semicolon or colon a word of its
 * own ("Lộc," -> "Lộc" ","; not between digits: "459,9" is a number),
 * copied into buf; at[i]/to[i] (may be NULL) get word i's bytes in s.
 * A dot, colon, semicolon or hyphen glued between two letters is a
 * speck the scanner read as one ("HỘI:CHỦ", "dụng.riêng"), and so is a
 * colon or semicolon glued to a word and followed by a space and a word
 * ("Tỉnh: Thừa"): an empty word, that a phrase may span. Returns how
 * many, or -1 when s does not fit. */
static int split_tokens(const char *s, char *buf, size_t cap, char **w,
			int *at, int *to, int max)
{
	size_t bn = 0;
	int n = 0;

	for (size_t i = 0; s[i];) {
		if (s[i] == ' ') {
			i++;
			continue;
		}
		size_t j = i;
		/* (or a colon or semicolon glued to the word before and
		 * spaced from the next: "Tỉnh: Thừa Thiên Huế") */
		int speck = i > 0 && strchr(".:;-", s[i]) && letter_at(s + i - 1) &&
			    s[i + 1] && (letter_at(s + i + 1) ||
					 (strchr(":;", s[i]) && s[i + 1] == ' ' &&
					  letter_at(s + i + 2)));
		if (speck || strchr(",;:", s[i]))
			j++;
		else
			while (s[j] && s[j] != ' ' &&
			       !(strchr(".:;-", s[j]) && j > i && letter_at(s + j - 1) &&
				 s[j + 1] && letter_at(s + j + 1)) &&
			       !(strchr(",;:", s[j]) &&
				 !(j > i && isdigit((unsigned char)s[j - 1]) &&
				   isdigit((unsigned char)s[j + 1]))))
				j++;
		if (n == max || bn + (j - i) + 1 > cap)
			return -1;
		w[n] = buf + bn;
		if (!speck) {
			memcpy(buf + bn, s + i, j - i);
			bn += j - i;
		}
		buf[bn++] = 0;
		if (at)
			at[n] = (int)i, to[n] = (int)j;
		n++;
		i = j;
	}
	return n;
}

/* Whether w is punctuation alone (a comma between a ward and its
 * district): it ends a word, no space before it. */
static int is_punct(const char *w)
{
	return w[0] && strspn(w, ",;:") == strlen(w);
}

/* w[0..n) as text: spaces between words, none before punctuation;
 * specks (empty words) left out. */
static size_t join_tokens(char *const *w, int n, char *out, size_t cap)
{
	size_t o = 0;

	out[0] = 0;
	for (int j = 0; j < n && o < cap; j++)
		if (w[j][0])
			o += (size_t)snprintf(out + o, cap - o, "%s%s",
					      o && !is_punct(w[j]) ? " " : "", w[j]);
	return o < cap ? o : cap - 1;
}

void fields_lexicon_free(fields_lexicon **lp)
{
	fields_lexicon *l = lp ? *lp : NULL;

	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->e[i].folded);
		free(l->e[i].lower);
		free(l->e[i].canon);
	}
	for (size_t i = 0; i < l->njoined; i++)
		free(l->joined_key[i]);
	free(l->joined);
	free(l->joined_key);
	free(l->e);
	free(l);
	*lp = NULL;
}

/* Builds l->joined: entries of two words or more, sorted by their
 * folded letters without spaces; entries sharing a key stay together. */
static int joined_index(fields_lexicon *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += strchr(l->e[i].folded, ' ') != NULL;
	l->joined = calloc(n + 1, sizeof(*l->joined));
	l->joined_key = calloc(n + 1, sizeof(*l->joined_key));
	if (!l->joined || !l->joined_key)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		char *k, *o;
		if (!strchr(l->e[i].folded, ' '))
			continue;
		if (!(k = strdup(l->e[i].folded)))
			return -1;
		o = k;
		for (const char *c = k; *c; c++)
			if (*c != ' ')
				*o++ = *c;
		*o = 0;
		l->joined[l->njoined] = &l->e[i];
		l->joined_key[l->njoined++] = k;
	}
	/* insertion sort by key: the lists are a few hundred lines */
	for (size_t i = 1; i < l->njoined; i++)
		for (size_t j = i; j > 0 && strcmp(l->joined_key[j - 1],
						   l->joined_key[j]) > 0; j--) {
			const lex_entry *e = l->joined[j];
			char *k = l->joined_key[j];
			l->joined[j] = l->joined[j - 1];
			l->joined_key[j] = l->joined_key[j - 1];
			l->joined[j - 1] = e;
			l->joined_key[j - 1] = k;
		}
	return 0;
}

/* The one entry whose letters without spaces are key, or NULL (none,
 * or several). */
static const lex_entry *joined_find(const fields_lexicon *l, const char *key)
{
	size_t lo = 0, hi = l->njoined;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(l->joined_key[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == l->njoined || strcmp(l->joined_key[lo], key))
		return NULL;
	for (size_t i = lo + 1; i < l->njoined && !strcmp(l->joined_key[i], key); i++)
		if (strcmp(l->joined[i]->lower, l->joined[lo]->lower))
			return NULL;
	return l->joined[lo];
}

int fields_lexicon_load(const char *path, const char *name,
			fields_lexicon **out)
{
	FILE *f = fopen(path, "r");
	fields_lexicon *l = calloc(1, sizeof(*l));
	char line[512], fold[512];
	size_t cap = 0;
	int rc = 0, ln = 0;

	*out = NULL;
	if (!f || !l) {
		if (f)
			fclose(f);
		free(l);
		return f ? base_fail(BASE_ENOMEM, "out of memory")
			 : base_fail(BASE_EIO, "cannot read word list '%s'", path);
	}
	snprintf(l->name, sizeof(l->name), "%s", name);
	/* one entry a line, '#' starts a comment; spaces collapsed */
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		char *p = line, *o = line;
		ln++;
		line[strcspn(line, "#\r\n")] = 0;
		for (; *p; p++)
			if (*p != ' ' && *p != '\t')
				*o++ = *p;
			else if (o > line && o[-1] != ' ')
				*o++ = ' ';
		while (o > line && o[-1] == ' ')
			o--;
		*o = 0;
		if (!*line)
			continue;
		/* matched as a value's words are: split, joined again (a
		 * hyphen between letters, "Rịa-Vũng", stays in the entry as
		 * printed but is a space to match) */
		char tb[600], *tw[LEX_WORDS_MAX * 2 + 1], joined[512];
		int w = split_tokens(line, tb, sizeof(tb), tw, NULL, NULL,
				     LEX_WORDS_MAX * 2 + 1);
		if (w > 0)
			join_tokens(tw, w, joined, sizeof(joined));
		if (w < 0 || w > LEX_WORDS_MAX * 2) {
			rc = base_fail(BASE_EINVAL, "word list '%s' line %d: more "
				     "than %d words", path, ln, LEX_WORDS_MAX * 2);
			break;
		}
		if (l->n == cap) {
			lex_entry *ne = realloc(l->e, (cap = cap ? cap * 2 : 256) *
						sizeof(*ne));
			if (!ne) {
				rc = base_fail(BASE_ENOMEM, "out of memory");
				break;
			}
			l->e = ne;
		}
		fields_fold(joined, fold, sizeof(fold));
		lex_entry *e = &l->e[l->n];
		e->folded = strdup(fold);
		e->lower = fields_lower(joined);
		e->canon = strdup(line);
		e->line = ln;
		if (!e->folded || !e->lower || !e->canon) {
			free(e->folded);
			free(e->lower);
			free(e->canon);
			rc = base_fail(BASE_ENOMEM, "out of memory");
			break;
		}
		l->n++;
		if (w > l->max_words)
			l->max_words = w;
	}
	fclose(f);
	if (rc) {
		fields_lexicon_free(&l);
		return rc;
	}
	qsort(l->e, l->n, sizeof(*l->e), entry_cmp);
	if (joined_index(l)) {
		fields_lexicon_free(&l);
		return base_fail(BASE_ENOMEM, "out of memory");
	}
	*out = l;
	return 0;
}

const char *fields_lexicon_name(const fields_lexicon *l)
{
	return l->name;
}

/* The entries whose folded form is key: [*first, *first + return). */
static size_t find(const fields_lexicon *l, const char *key, size_t *first)
{
	size_t lo = 0, hi = l->n, n = 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(l->e[mid].folded, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + n < l->n && !strcmp(l->e[lo + n].folded, key))
		n++;
	return n;
}

/* What the phrase p (NUL-terminated, folded: key) should read:
 * LEX_KNOWN when it is an entry (*canon that entry), LEX_MENDED with
 * *canon the one entry it is a misreading of, LEX_UNSURE when it could
 * be several (*canon the first listed), LEX_NONE when none. */
enum { LEX_NONE, LEX_KNOWN, LEX_MENDED, LEX_UNSURE };

static int lookup(const fields_lexicon *l, const char *key, const char *p,
		  const char **canon)
{
	size_t first, n;
	char *low;
	int known = 0, distinct = 0;

	if (!(n = find(l, key, &first)))
		return LEX_NONE;
	if (!(low = fields_lower(p)))
		return LEX_NONE;
	for (size_t i = first; i < first + n; i++) {
		if (!strcmp(l->e[i].lower, low) && !known) {
			known = 1;
			*canon = l->e[i].canon;
		}
		/* the same entry written twice is one */
		distinct += i == first || strcmp(l->e[i].lower, l->e[i - 1].lower);
	}
	free(low);
	if (known)
		return LEX_KNOWN;
	/* several: the one the list puts first, as a guess */
	size_t best = first;
	for (size_t i = first + 1; i < first + n; i++)
		if (l->e[i].line < l->e[best].line)
			best = i;
	*canon = l->e[best].canon;
	return distinct == 1 ? LEX_MENDED : LEX_UNSURE;
}

/* Whether s has no lowercase letter. */
static int all_caps(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;

	for (utf8proc_ssize_t k; *p && (k = utf8proc_iterate(p, -1, &c)) > 0; p += k)
		if (utf8proc_islower(c))
			return 0;
	return 1;
}

/* Whether read (an entry's letters as read) has a capital where canon
 * has a small letter: a typewriter's shift ("Đất trồng Lúa"). A unit
 * printed small inside an address ("quận Hoàn Kiếm") is printed right. */
static int extra_capital(const char *read, const char *canon)
{
	const utf8proc_uint8_t *a = (const utf8proc_uint8_t *)read;
	const utf8proc_uint8_t *b = (const utf8proc_uint8_t *)canon;
	utf8proc_int32_t x, y;
	utf8proc_ssize_t ka, kb;

	while (*a && *b && (ka = utf8proc_iterate(a, -1, &x)) > 0 &&
	       (kb = utf8proc_iterate(b, -1, &y)) > 0) {
		if (utf8proc_isupper(x) && utf8proc_islower(y))
			return 1;
		a += ka;
		b += kb;
	}
	return 0;
}

/* Appends canon in the case the OCR printed: a word printed without a
 * lowercase letter is set in capitals, others as the list has them,
 * except that a word printed with a small first letter keeps it (a
 * unit printed small in an address: "thành phổ Hà Nội" is mended to
 * "thành phố Hà Nội", not "Thành phố"). */
static size_t put_cased(char *out, size_t cap, const char *canon,
			const char *printed)
{
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)canon;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)printed;
	utf8proc_int32_t c;
	int upper = all_caps(printed), small[32] = { 0 }, np = 0, word = -1, start = 1;
	size_t n = 0;

	/* the first letter of each printed word: small or not */
	for (utf8proc_ssize_t k; *p && (k = utf8proc_iterate(p, -1, &c)) > 0; p += k) {
		if (c == ' ') {
			start = 1;
		} else if (start && np < 32) {
			small[np++] = utf8proc_islower(c);
			start = 0;
		}
	}
	start = 1;
	for (utf8proc_ssize_t k; *s && (k = utf8proc_iterate(s, -1, &c)) > 0; s += k) {
		utf8proc_uint8_t b[4];
		if (c == ' ') {
			start = 1;
		} else if (start) {
			start = 0;
			if (++word < np && small[word] && !upper)
				c = utf8proc_tolower(c);
		}
		utf8proc_ssize_t m = utf8proc_encode_char(upper ? utf8proc_toupper(c)
							     : c, b);
		if (n + (size_t)m + 1 >= cap)
			break;
		memcpy(out + n, b, (size_t)m);
		n += (size_t)m;
	}
	out[n] = 0;
	return n;
}

/* Word w as two entries run together (the first of a, the second of
 * b), when exactly one place to cut it gives two: into out, a space
 * between, each in the case printed. */
static int split_word(const fields_lexicon *a, const fields_lexicon *b,
		      const char *w, char *out, size_t cap)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)w;
	char left[128], right[128], kl[128], kr[128];
	const char *ca = NULL, *cb = NULL, *fa = NULL, *fb = NULL;
	size_t len = strlen(w), cut = 0;
	int found = 0;

	if (len >= sizeof(left))
		return 0;
	for (utf8proc_ssize_t k, i = 0; (size_t)i < len; i += k) {
		utf8proc_int32_t c;
		if ((k = utf8proc_iterate(p + i, -1, &c)) <= 0)
			return 0;
		if (i == 0)
			continue;
		memcpy(left, w, (size_t)i);
		left[i] = 0;
		snprintf(right, sizeof(right), "%s", w + i);
		if (fields_fold(left, kl, sizeof(kl)) || fields_fold(right, kr, sizeof(kr)))
			return 0;
		int sa = lookup(a, kl, left, &ca), sb = lookup(b, kr, right, &cb);
		if (sa != LEX_NONE && sb != LEX_NONE) {
			if (found++)
				return 0; /* two ways to cut it */
			fa = ca;
			fb = cb;
			cut = (size_t)i;
		}
	}
	if (found != 1)
		return 0;
	memcpy(left, w, cut);
	left[cut] = 0;
	size_t n = put_cased(out, cap, fa, left);
	if (n + 2 >= cap)
		return 0;
	out[n++] = ' ';
	put_cased(out + n, cap - n, fb, w + cut);
	return 1;
}

/* The longest run of the n words w (fw: folded) that is an entry of
 * lx, or mends into one (of least words or more; specks are words too:
 * two more allowed for them); a run neither starts nor ends with
 * punctuation. Returns its length (1 for a word no run takes), its
 * verdict into *st and the entry into *canon. */
static int longest_run(const fields_lexicon *lx, char **w, char **fw, int n,
		       int least, int *st, const char **canon)
{
	char key[1024], phrase[1024];
	int took = 0, most = lx ? lx->max_words + 2 : 0;

	*st = LEX_NONE;
	if (most > n)
		most = n;
	for (int k = is_punct(w[0]) || !w[0][0] ? 0 : most; k > 0 && !took; k--) {
		if (k > 1 && (is_punct(w[k - 1]) || !w[k - 1][0]))
			continue;
		join_tokens(fw, k, key, sizeof(key));
		join_tokens(w, k, phrase, sizeof(phrase));
		*st = k < least ? LEX_NONE : lookup(lx, key, phrase, canon);
		if (*st == LEX_KNOWN || *st == LEX_MENDED || k == 1)
			took = k;
		/* an entry read right but for a speck: the entry */
		for (int j = 1; *st == LEX_KNOWN && took && j < k; j++)
			if (!w[j][0])
				*st = LEX_MENDED;
		/* a value's entry read right but for a capital the
		 * typewriter's shift put there ("Đất trồng Lúa"): the entry
		 * as listed (not in capitals throughout, which put_cased
		 * keeps) */
		if (*st == LEX_KNOWN && took && least == 1 &&
		    strcmp(phrase, *canon) && !all_caps(phrase) &&
		    extra_capital(phrase, *canon))
			*st = LEX_MENDED;
	}
	if (!took) {
		/* punctuation, or no list */
		took = 1;
		*st = is_punct(w[0]) || !w[0][0] ? LEX_KNOWN : LEX_NONE;
	}
	return took;
}

/* Each of words w[0..n) folded into fbuf (cap bytes), fw[i] pointing at
 * word i's. Returns 0, or -1 when they do not fit. */
static int fold_tokens(char *const *w, int n, char *fbuf, size_t cap,
		       char **fw)
{
	size_t fn = 0;

	for (int i = 0; i < n; i++) {
		fw[i] = fbuf + fn;
		if (fields_fold(w[i], fw[i], cap - fn))
			return -1;
		fn += strlen(fw[i]) + 1;
		if (fn >= cap)
			return -1;
	}
	return 0;
}

int fields_lexicon_mend(const fields_lexicon *first, const fields_lexicon *l,
			int flags, char *value, size_t cap, int *mended,
			int *unsure)
{
	int guess = flags & LEX_GUESS, least = flags & LEX_PHRASES ? 2 : 1;
	char buf[1100], fbuf[1100], *w[96], *fw[96], out[1024], phrase[1024];
	int at[96], to[96], nw, last = 0;
	size_t on = 0;

	*mended = *unsure = 0;
	nw = split_tokens(value, buf, sizeof(buf), w, at, to, 96);
	if (nw < 0)
		return 0; /* longer than any value: left as it is */
	/* each word folded once; a run's key is their join */
	if (fold_tokens(w, nw, fbuf, sizeof(fbuf), fw))
		return 0;
	for (int i = 0; i < nw;) {
		/* the first word against its own list (a name's surname) */
		const fields_lexicon *lx = i == 0 && first ? first : l;
		int st;
		const char *canon = NULL;
		int took = longest_run(lx, w + i, fw + i, nw - i, least, &st, &canon);
		/* a name word that is a well-formed syllable is a good
		 * reading: no list holds every name, so one it lacks stays
		 * as read, and one it would turn into another syllable is
		 * turned (the list's spelling is the commoner) but doubted */
		int syllable = guess && took == 1 && text_syllable(w[i]);
		if (syllable && st == LEX_NONE)
			st = LEX_KNOWN;
		if (syllable && st == LEX_MENDED && canon) {
			char *a = fields_lower(w[i]), *b = fields_lower(canon);
			if (a && b && strcmp(a, b))
				st = LEX_UNSURE;
			free(a);
			free(b);
		}
		char split[256];
		if (took == 1 && guess && st == LEX_NONE && lx &&
		    strlen(fw[i]) >= 4 &&
		    split_word(i == 0 && first ? first : l, l, w[i], split,
			       sizeof(split))) {
			/* two names run together: "NGÔTRỌNG" */
			on += (size_t)snprintf(out + on, sizeof(out) - on, "%.*s%s",
					       at[i] - last, value + last, split);
			last = to[i];
			(*mended)++;
			i++;
			continue;
		}
		if (took == 1 && least > 1 && st == LEX_NONE && lx &&
		    strlen(fw[i]) >= 4) {
			/* words run together: "Dântộc" is "Dân tộc" */
			const lex_entry *e = joined_find(lx, fw[i]);
			if (e) {
				st = LEX_MENDED;
				canon = e->canon;
			}
		}
		if (st == LEX_MENDED || (st == LEX_UNSURE && guess)) {
			if (st == LEX_UNSURE)
				*unsure += took;
			/* the text before the run as it was, then the entry */
			join_tokens(w + i, took, phrase, sizeof(phrase));
			on += (size_t)snprintf(out + on, sizeof(out) - on, "%.*s",
					       at[i] - last, value + last);
			if (on < sizeof(out))
				on += put_cased(out + on, sizeof(out) - on, canon, phrase);
			last = to[i + took - 1];
			(*mended)++;
		} else if (st != LEX_KNOWN) {
			*unsure += took;
		}
		if (on >= sizeof(out) - 1)
			return 0; /* would not fit: left as it is */
		i += took;
	}
	if (*mended) {
		on += (size_t)snprintf(out + on, sizeof(out) - on, "%s", value + last);
		if (on >= sizeof(out) - 1)
			return 0;
		snprintf(value, cap, "%s", out);
	}
	return 0;
}

int fields_lexicon_nearest(const fields_lexicon *l, const char *value,
			   char *out, size_t cap)
{
	char key[512];
	int best = 1 << 20, second = 1 << 20;
	const lex_entry *e = NULL;

	if (!l || fields_fold(value, key, sizeof(key)))
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		int words = 1;
		for (const char *p = l->e[i].folded; *p; p++)
			words += *p == ' ';
		if (words < 3)
			continue;
		int d = text_distance(key, strlen(key), l->e[i].folded,
				      strlen(l->e[i].folded), TEXT_DISTANCE_ANY, 0);
		if (d < best) {
			/* the same entry listed twice is one */
			if (!e || strcmp(e->lower, l->e[i].lower))
				second = best;
			best = d;
			e = &l->e[i];
		} else if (d < second && strcmp(e->lower, l->e[i].lower)) {
			second = d;
		}
	}
	size_t most = strlen(key) / 10 > 2 ? strlen(key) / 10 : 2;
	if (!e || best == 0 || (size_t)best > most || second <= best + 1)
		return -1;
	put_cased(out, cap, e->canon, value);
	return best;
}

/* How many words of folded entry e are its administrative prefix
 * ("phuong", "thanh pho"): 0 when it has none. */
static int prefix_words(const char *e)
{
	static const char *const two[] = { "thanh pho ", "thi tran ", "thi xa " };
	static const char *const one[] = { "phuong ", "xa ", "quan ", "huyen ",
					   "tinh " };

	for (size_t i = 0; i < sizeof(two) / sizeof(*two); i++)
		if (!strncmp(e, two[i], strlen(two[i])))
			return 2;
	for (size_t i = 0; i < sizeof(one) / sizeof(*one); i++)
		if (!strncmp(e, one[i], strlen(one[i])))
			return 1;
	return 0;
}

int fields_lexicon_unit(const fields_lexicon *l, const char *part, char *out,
			size_t cap)
{
	char buf[512], fbuf[512], *w[32], *fw[32], name[512];
	int at[32], to[32], n;
	const lex_entry *hit = NULL;
	int hit_k = 0; /* the word the unit replaces from */

	if (!l || (n = split_tokens(part, buf, sizeof(buf), w, at, to, 32)) < 2 ||
	    fold_tokens(w, n, fbuf, sizeof(fbuf), fw))
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		const char *e = l->e[i].folded;
		int p = prefix_words(e), k = 1;
		if (!p)
			continue;
		const char *nm = e;
		for (int j = 0; j < p; j++)
			nm = strchr(nm, ' ') + 1;
		for (const char *q = nm; *q; q++)
			k += *q == ' ';
		/* a part that ends with a unit as it should is left */
		if (k + p <= n) {
			join_tokens(fw + n - k - p, k + p, name, sizeof(name));
			if (!strcmp(name, e))
				return -1;
		}
		/* the part ends with the unit's name, one short word before
		 * it (specks aside) that is no prefix: a speck read in its
		 * place */
		int j = n - k - 1;
		while (j >= 0 && !fw[j][0])
			j--;
		if (j < 0 || strlen(fw[j]) > 4 ||
		    prefix_words(strcat(strcpy(name, fw[j]), " ")))
			continue;
		/* a word of the language right before the name is printed
		 * there ("phố Hai Bà Trưng", "tổ dân phố 17"); a speck has
		 * no such shape, or a mark after it ("phi: Ô Chợ Dừa") */
		if (text_syllable(w[j]) && j + 1 == n - k)
			continue;
		join_tokens(fw + n - k, k, name, sizeof(name));
		if (strcmp(name, nm))
			continue;
		if (hit && strcmp(hit->lower, l->e[i].lower))
			return -1; /* two units of that name */
		hit = &l->e[i];
		hit_k = j;
	}
	if (!hit)
		return -1;
	snprintf(out, cap, "%.*s%s", at[hit_k], part, hit->canon);
	return 0;
}

/* Whether a place's part (between commas) names a unit the list does
 * not have: from its first prefix word to its end it is no entry
 * ("Thành phố Hồ Minh", "Quận 6ò Vấp"), or the words before that prefix
 * are a misreading of one ("Ủy nạn nhân dân Phường 14"). */
static int part_strange(const fields_lexicon *l, const char *part)
{
	char buf[512], fbuf[512], *w[32], *fw[32], key[512], phrase[512];
	char near[512];
	const char *canon;
	int n;

	if ((n = split_tokens(part, buf, sizeof(buf), w, NULL, NULL, 32)) < 2 ||
	    fold_tokens(w, n, fbuf, sizeof(fbuf), fw))
		return 0;
	for (int i = 0; i < n; i++) {
		int p;
		join_tokens(fw + i, n - i, key, sizeof(key));
		if (!(p = prefix_words(key)) || n - i <= p)
			continue;
		join_tokens(w + i, n - i, phrase, sizeof(phrase));
		if (lookup(l, key, phrase, &canon) != LEX_KNOWN)
			return 1;
		join_tokens(w, i, phrase, sizeof(phrase));
		return i > 0 && fields_lexicon_nearest(l, phrase, near,
							sizeof(near)) > 0;
	}
	return 0;
}

int fields_lexicon_strange(const fields_lexicon *l, const char *value)
{
	char part[512];
	int strange = 0;

	for (const char *p = value; l && *p;) {
		size_t n = strcspn(p, ",");
		snprintf(part, sizeof(part), "%.*s", (int)n, p);
		strange += part_strange(l, part);
		p += n;
		if (*p == ',')
			p++;
	}
	return strange;
}
