/* values.c - a value read from the page, made what its kind says:
 * specks and marks cleaned, whitespace collapsed, dates, areas, sexes,
 * numbers and IDs in their normal forms, the repairs of OCR's known
 * misreadings (each lowering the confidence, for review), and the two
 * readings of an area. */
#include "fields.h"
#include "internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* The length of the dash or quote mark (— – “ ” ‘ ’) that s starts
 * with, or 0: OCR reads specks beside a value as these. */
static size_t mark_at(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	return u[0] == 0xe2 && u[1] == 0x80 && ((u[2] >= 0x93 && u[2] <= 0x94) ||
						 (u[2] >= 0x98 && u[2] <= 0x9d)) ? 3 : 0;
}

static void trim(char *s)
{
	size_t n = strlen(s), k;
	char *p = s;

	for (;;) {
		if (n && (isspace((unsigned char)s[n - 1]) ||
			  strchr(",.;:-_'\"`|", s[n - 1])))
			s[--n] = '\0';
		else if (n >= 3 && mark_at(s + n - 3))
			s[n -= 3] = '\0';
		else
			break;
	}
	for (;;) {
		if (*p && (isspace((unsigned char)*p) || strchr(",.;:-_'\"`|", *p)))
			p++;
		else if ((k = mark_at(p)))
			p += k;
		else
			break;
	}
	memmove(s, p, strlen(p) + 1);
}

/* A digit inside a word of letters is the letter it looks like ("6ia"
 * is "Gia", "Ch1" is "Chi", "Lâu dà1" is "Lâu dài"): in capitals in a
 * word of capitals or at the word's start, small otherwise. The word
 * lists then check the word. */
static void word_digits(char *s)
{
	static const char look[] = "0O1I4A5S6G8B";

	for (char *w = s; *w;) {
		char *e = w;
		int letters = 0, lower = 0, digits = 0;
		while (*e && *e != ' ') {
			unsigned char c = (unsigned char)*e;
			digits += isdigit(c) != 0;
			letters += isalpha(c) || c >= 0x80;
			lower += islower(c) != 0;
			e++;
		}
		/* (a lowercase letter outside ASCII counts as capital
		 * here: the word's first ASCII letters decide) */
		for (char *p = w; digits && letters && p < e; p++) {
			const char *l = isdigit((unsigned char)*p) ?
					strchr(look, *p) : NULL;
			if (l && (size_t)(l - look) % 2 == 0)
				*p = p == w || !lower ? l[1]
						      : (char)tolower((unsigned char)l[1]);
		}
		w = *e ? e + 1 : e;
	}
}

/* Specks read as marks inside a name or a place: quotes dropped; in a
 * name, a hyphen, semicolon or dot between letters is the space it
 * stands in and a comma before a space is dropped; in a place, a dot
 * after a word ("Ủy. ban", "Thành phố. Hà Nội") is dropped. */
void fields_clean_marks(const char *kind, char *s)
{
	int name = !strcmp(kind, "name") || !strcmp(kind, "list");
	char *o = s;

	/* in a name, and in a fixed phrase ("Lâu dà1") */
	if (name || !strcmp(kind, "text"))
		word_digits(s);
	if (!name && strcmp(kind, "place"))
		return;
	for (char *p = s; *p;) {
		size_t k = mark_at(p);
		if (k || strchr("'\"`", *p)) {
			p += k ? k : 1;
			continue;
		}
		if (name && strchr("-;.", *p) && o > s && p[1] &&
		    !isspace((unsigned char)o[-1]) && !isspace((unsigned char)p[1])) {
			*o++ = ' ';
			p++;
			continue;
		}
		/* no name holds a comma: "Đặng, Văn Nam" */
		if (!strcmp(kind, "name") && *p == ',' && o > s && p[1] == ' ') {
			p++;
			continue;
		}
		if (!name && *p == '.' && o > s && !isspace((unsigned char)o[-1]) &&
		    !isdigit((unsigned char)o[-1]) && p[1] == ' ') {
			p++;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	/* a small letter alone between words is a speck read as one
	 * ("Thành h phố"; a unit's words are capitalised or longer) */
	for (char *p = s; !name && (p = strchr(p, ' ')) && p[1];) {
		if (islower((unsigned char)p[1]) && p[2] == ' ')
			memmove(p, p + 2, strlen(p + 2) + 1);
		else
			p++;
	}
	/* a place ends with a name, never with a letter alone: one at
	 * the end is a speck read as a letter ("Tỉnh Quảng Nam Ẻ") */
	for (char *sp; !name && (sp = strrchr(s, ' '));) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)sp + 1,
						      -1, &c);
		if (k <= 0 || sp[1 + k] || (!utf8proc_isupper(c) && !utf8proc_islower(c)))
			break;
		*sp = '\0';
	}
}

void fields_collapse(char *s)
{
	char *o = s;

	for (char *p = s; *p; p++)
		if (!(isspace((unsigned char)*p) && (o == s || isspace((unsigned char)o[-1]))))
			*o++ = isspace((unsigned char)*p) ? ' ' : *p;
	*o = '\0';
	trim(s);
}

/* Normalises value by kind. Returns the parse quality (1 clean, lower
 * when it had to guess, 0 when the value is not of its kind). */
double fields_normalise(const char *kind, char *value, const char *whole)
{
	char iso[11], fold[256];

	fields_collapse(value);
	if (!*value)
		return 0;
	if (!strcmp(kind, "date")) {
		if (fields_date_parse(value, iso) == 0 ||
		    (whole && fields_date_parse(whole, iso) == 0)) {
			snprintf(value, 11, "%s", iso);
			return 1;
		}
		return 0;
	}
	if (!strcmp(kind, "sex")) {
		fields_fold(value, fold, sizeof(fold));
		if (!strncmp(fold, "nu", 2))
			snprintf(value, 8, "Nữ");
		else if (!strncmp(fold, "nam", 3))
			snprintf(value, 8, "Nam");
		else
			return 0;
		return 1;
	}
	if (!strcmp(kind, "area")) {
		char *p = value;
		while (*p && !isdigit((unsigned char)*p))
			p++;
		if (!*p)
			return 0;
		char num[32];
		int k = 0;
		while ((isdigit((unsigned char)*p) || *p == ',' || *p == '.') && k < 31) {
			/* 107,7 is Vietnamese for 107.7 */
			num[k++] = *p == ',' ? '.' : *p;
			p++;
		}
		num[k] = '\0';
		while (k && num[k - 1] == '.')
			num[--k] = '\0';
		snprintf(value, 32, "%s", num);
		return 1;
	}
	if (!strcmp(kind, "id")) {
		/* a citizen's ID: 9 digits (CMND) or 12 (CCCD, số định
		 * danh), printed or typed with spaces or dots in groups */
		char *o = value;
		for (char *p = value; *p; p++)
			if (!strchr(" .", *p))
				*o++ = *p;
		*o = '\0';
		if (!*value || strspn(value, "0123456789") != strlen(value))
			return 0;
		return strlen(value) == 9 || strlen(value) == 12 ? 1 : 0.5;
	}
	if (!strcmp(kind, "number") || !strcmp(kind, "serial")) {
		/* OCR adds spaces around slashes and a stray dot at the end;
		 * in a serial, a speck between the series letters and the
		 * number ("BX.896560") is the space printed there */
		char *o = value;
		int serial = !strcmp(kind, "serial");
		for (char *p = value; *p; p++) {
			if (*p == ' ' && (p[1] == '/' || (o > value && o[-1] == '/')))
				continue;
			if (serial && strchr(".,:;-", *p) && o > value &&
			    isupper((unsigned char)o[-1]) && isdigit((unsigned char)p[1])) {
				*o++ = ' ';
				continue;
			}
			*o++ = *p;
		}
		*o = '\0';
		trim(value);
		if (serial)
			return 1;
		/* a number starts with its digits ("định danh cá nhân:
		 * 0593..." is another line's "số" read as the label), and a
		 * registration's has a few: twelve are a citizen's ID */
		if (!isdigit((unsigned char)value[0]))
			return 0;
		if (strspn(value, "0123456789") > 6)
			return 0.5;
		/* a year after the slash later than this one is a misread */
		const char *sl = strrchr(value, '/');
		if (sl && strlen(sl + 1) == 4 && strspn(sl + 1, "0123456789") == 4) {
			char iso[11];
			snprintf(iso, sizeof(iso), "%s-01-01", sl + 1);
			if (fields_date_future(iso) || atoi(sl + 1) < 1880)
				return 0.5;
		}
		return 1;
	}
	return 1;
}

/* A registration number's slash misread by OCR, repaired in place:
 * "24/" for a typewritten "247" (the slash is the 7 it looks like) and
 * "13/7" for "137" (a slash before one or two digits is no year).
 * Returns whether it repaired; a person's correction never comes here. */
int fields_number_repair(char *value)
{
	size_t n = strlen(value);
	char *slash = strchr(value, '/');
	size_t after = slash ? strlen(slash + 1) : 0;

	if (n >= 2 && value[n - 1] == '/' && isdigit((unsigned char)value[n - 2])) {
		value[n - 1] = '7';
		return 1;
	}
	if (slash && slash > value &&
	    strspn(value, "0123456789") == (size_t)(slash - value) &&
	    after >= 1 && after <= 2 && strspn(slash + 1, "0123456789") == after) {
		memmove(slash, slash + 1, after + 1);
		return 1;
	}
	return 0;
}

/* The case of word s[0..n): 2 all capitals (two letters or more), 1
 * title case, 0 other. */
static int word_case(const char *s, size_t n)
{
	size_t i = 0, letters = 0, upper = 0;
	int first_up = 0;

	while (i < n) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(n - i), &c);
		if (k <= 0)
			return 0;
		if (utf8proc_tolower(c) != utf8proc_toupper(c)) {
			int up = utf8proc_toupper(c) == c;
			if (!letters)
				first_up = up;
			letters++;
			upper += up;
		}
		i += (size_t)k;
	}
	if (letters >= 2 && upper == letters)
		return 2;
	return first_up && upper == 1 ? 1 : 0;
}

/* A name is printed all in capitals or all in title case: words of the
 * other kind among them ("LÊ Diệu Duyên", a typewriter's shift key)
 * take the case most of its words have. A tie is left as read. */
void fields_name_case(char *s)
{
	size_t start[32], len[32], n = 0, i = 0;
	int cnt[3] = { 0 };

	while (s[i] && n < 32) {
		while (s[i] == ' ')
			i++;
		if (!s[i])
			break;
		start[n] = i;
		while (s[i] && s[i] != ' ')
			i++;
		len[n] = i - start[n];
		cnt[word_case(s + start[n], len[n])]++;
		n++;
	}
	if (!cnt[1] || !cnt[2] || cnt[1] == cnt[2])
		return;
	int want = cnt[1] > cnt[2] ? 1 : 2;
	for (size_t w = 0; w < n; w++) {
		if (word_case(s + start[w], len[w]) != 3 - want)
			continue;
		/* the same letter's two cases take the same bytes in UTF-8
		 * for Vietnamese; a word where they would not stays */
		char buf[128];
		size_t o = 0, j = 0;
		while (j < len[w] && o + 4 < sizeof(buf)) {
			utf8proc_int32_t c;
			utf8proc_ssize_t k = utf8proc_iterate(
				(const utf8proc_uint8_t *)s + start[w] + j,
				(utf8proc_ssize_t)(len[w] - j), &c);
			if (k <= 0)
				break;
			c = want == 2 || j == 0 ? utf8proc_toupper(c)
						: utf8proc_tolower(c);
			o += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)buf + o);
			j += (size_t)k;
		}
		if (j == len[w] && o == len[w])
			memcpy(s + start[w], buf, o);
	}
}

/* A number whose leading part (before a '/') is above largest: a book
 * numbered 92 in a district that fills a few books a year is a
 * typewritten 0 read as 9, 8 or 6 ("92/1982" for "02/1982"); that digit
 * becomes the 0 when it brings the number under largest. Either way a
 * person looks: the quality to keep (1 when the number is plausible). */
double fields_number_sense(char *value, long largest)
{
	char *end;
	long v = strtol(value, &end, 10);

	if (!isdigit((unsigned char)value[0]) || v <= largest)
		return 1;
	if (strchr("986", value[0]) && end - value >= 2) {
		char was = value[0];
		value[0] = '0';
		if (strtol(value, NULL, 10) > largest)
			value[0] = was;
	}
	return 0.5;
}

/* A registration number is the first token after its label: "305" of
 * "305 ngày: 03/9/2019", spaces around its slash dropped first. */
void fields_number_first(char *v)
{
	char *o = v;

	for (char *p = v; *p; p++) {
		if (*p == ' ' && (p[1] == '/' || (o > v && o[-1] == '/')))
			continue;
		*o++ = *p;
	}
	*o = '\0';
	trim(v);
	v[strcspn(v, " ")] = '\0';
	trim(v);
}

/* A paper's own number and symbol ("305/TLKS-BS", "12/QĐ-UBND"): letters
 * after the slash. An extract prints its own number in its header and
 * the registration's lower down. */
int fields_document_symbol(const char *v)
{
	const char *sl = strchr(v, '/');

	return sl && strspn(v, "0123456789") == (size_t)(sl - v) && sl > v &&
	       (isupper((unsigned char)sl[1]) || (unsigned char)sl[1] >= 0x80);
}

/* A date whose digits OCR spaced apart ("24/1 1/2024"): the space
 * between two digits dropped, inside a run of digits and separators.
 * Returns whether anything was joined. */
int fields_date_join(char *v)
{
	int joined = 0;
	char *o = v;

	for (char *p = v; *p; p++) {
		if (*p == ' ' && o > v && isdigit((unsigned char)o[-1]) &&
		    isdigit((unsigned char)p[1])) {
			/* within one date: a separator before, and after */
			const char *a = o - 1, *b = p + 1;
			while (a > v && isdigit((unsigned char)a[-1]))
				a--;
			b += strspn(b, "0123456789");
			if ((a > v && strchr("/.-", a[-1])) || strchr("/.-", *b)) {
				joined = 1;
				continue;
			}
		}
		*o++ = *p;
	}
	*o = '\0';
	return joined;
}

/* The area's two readings, digits and words ("369,5 m² (Bằng chữ: ...)"):
 * when they disagree both go to *readings and the value is the reading
 * that holds the other's digits ("146" lost the ",3" of the words' 146,3;
 * the words "sáu mươi chín" lost the "ba trăm" of 369,5), or the words
 * when both have the same digits (a decimal comma lost: "1463"), else
 * the digits. The quality to keep: 1 when they agree, else 0.5. */
double fields_area_readings(char *value, size_t cap, const char *whole,
			    json_t **readings)
{
	char words[32], a[32], b[32];
	size_t o = 0;

	if (!whole || fields_area_words(whole, words, sizeof(words)) ||
	    fabs(atof(words) - atof(value)) < 1e-9)
		return 1;
	*readings = json_pack("[s, s]", value, words);
	for (const char *p = value; *p && o + 1 < sizeof(a); p++)
		if (isdigit((unsigned char)*p))
			a[o++] = *p;
	a[o] = '\0';
	o = 0;
	for (const char *p = words; *p && o + 1 < sizeof(b); p++)
		if (isdigit((unsigned char)*p))
			b[o++] = *p;
	b[o] = '\0';
	/* the reading that holds the other is the more complete one */
	if (strstr(b, a) && !strstr(a, b))
		snprintf(value, cap, "%s", words);
	else if (!strcmp(a, b))
		snprintf(value, cap, "%s", words);
	return 0.5;
}

