/* date.c - Vietnamese dates in digits and in words, and the folding and
 * number words they need. */
#include "fields.h"
#include "internal.h"

#include "../sh/sh.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

/* Writes the folded form of code point cp to out (room for 32 bytes):
 * decomposed, marks stripped, case folded; đ and Đ become d (they do not
 * decompose, so they need their own rule). Returns the bytes written. */
static int fold_codepoint(utf8proc_int32_t cp, char *out)
{
	utf8proc_int32_t buf[8];
	int last = 0, n = 0;
	utf8proc_ssize_t k;

	if (cp == 0x111 || cp == 0x110) {
		out[0] = 'd';
		return 1;
	}
	k = utf8proc_decompose_char(cp, buf, 8, UTF8PROC_DECOMPOSE |
				    UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD,
				    &last);
	for (utf8proc_ssize_t i = 0; i >= 0 && i < k && k <= 8; i++)
		n += (int)utf8proc_encode_char(buf[i], (utf8proc_uint8_t *)out + n);
	return n;
}

/* Folds line into f, remembering for every folded byte the byte of the
 * line it came from. Bytes that are not UTF-8 are kept as they are. */
void fields_fold_line(const char *line, folded *f)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)line;
	utf8proc_int32_t cp;

	f->n = 0;
	while (*p && f->n < (int)sizeof(f->s) - 32) {
		utf8proc_ssize_t used = utf8proc_iterate(p, -1, &cp);
		char out[32];
		int k;

		if (used <= 0) {
			out[0] = (char)*p;
			k = 1;
			used = 1;
		} else {
			k = fold_codepoint(cp, out);
		}
		for (int i = 0; i < k; i++) {
			f->at[f->n] = (int)(p - (const utf8proc_uint8_t *)line);
			f->s[f->n++] = out[i];
		}
		p += used;
	}
	f->s[f->n] = '\0';
	f->at[f->n] = (int)(p - (const utf8proc_uint8_t *)line);
}

int fields_fold(const char *in, char *out, size_t len)
{
	folded *f;

	if (!len)
		return 0;
	f = malloc(sizeof(*f));
	if (!f) {
		out[0] = '\0';
		return sh_fail(SH_ENOMEM, "cannot fold text");
	}
	fields_fold_line(in, f);
	snprintf(out, len, "%s", f->s);
	free(f);
	return 0;
}

static const struct {
	const char *w;
	int v;
} units[] = {
	{ "khong", 0 }, { "mot", 1 }, { "hai", 2 }, { "ba", 3 }, { "bon", 4 },
	{ "tu", 4 }, { "nam", 5 }, { "lam", 5 }, { "sau", 6 }, { "bay", 7 },
	{ "tam", 8 }, { "chin", 9 },
};

static int unit_of(const char *w)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(w, units[i].w))
			return units[i].v;
	return -1;
}

/* Folded words, space separated, in out (words[] point into it). */
static int split_words(const char *text, char *buf, size_t len,
		       char **words, int max)
{
	int n = 0;

	if (fields_fold(text, buf, len))
		return 0;
	for (char *p = buf; *p;) {
		while (*p && !isalnum((unsigned char)*p))
			*p++ = '\0';
		if (!*p || n == max)
			break;
		words[n++] = p;
		while (*p && isalnum((unsigned char)*p))
			p++;
	}
	return n;
}

/* The value of folded number words w[0..n); -1 if one is not a number
 * word. "muoi" is both mười (ten) and mươi (tens): after a unit it
 * multiplies, alone it is ten. */
static long words_value(char **w, int n)
{
	long total = 0, group = 0;
	int pending = -1, any = 0;

	for (int i = 0; i < n; i++) {
		int u = unit_of(w[i]);
		if (u >= 0) {
			if (pending >= 0)
				return -1; /* two units in a row */
			pending = u;
		} else if (!strcmp(w[i], "muoi")) {
			group += pending >= 0 ? pending * 10 : 10;
			pending = -1;
		} else if (!strcmp(w[i], "tram")) {
			group += (pending >= 0 ? pending : 1) * 100;
			pending = -1;
		} else if (!strcmp(w[i], "nghin") || !strcmp(w[i], "ngan")) {
			total += (group + (pending >= 0 ? pending : 0)) * 1000;
			if (group == 0 && pending < 0)
				total += 1000;
			group = 0;
			pending = -1;
		} else if (!strcmp(w[i], "linh") || !strcmp(w[i], "le") ||
			   !strcmp(w[i], "mung") || !strcmp(w[i], "mong")) {
			continue;
		} else {
			return -1;
		}
		any = 1;
	}
	return any ? total + group + (pending >= 0 ? pending : 0) : -1;
}

static int is_number_word(const char *w)
{
	static const char *const others[] = { "muoi", "tram", "nghin", "ngan",
		"linh", "le", "mung", "mong" };

	if (unit_of(w) >= 0)
		return 1;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (!strcmp(w, others[i]))
			return 1;
	return 0;
}

/* How many of w[0..n) in a row are number words. */
static int number_run(char **w, int n)
{
	int k = 0;

	while (k < n && is_number_word(w[k]))
		k++;
	return k;
}

long fields_number_words(const char *text)
{
	char buf[512], *w[64];
	int n = split_words(text, buf, sizeof(buf), w, 64);

	return n ? words_value(w, n) : -1;
}

int fields_area_words(const char *line, char *out, size_t len)
{
	char buf[512], *w[64];
	int n = split_words(line, buf, sizeof(buf), w, 64), i = 0, k;
	long whole;

	while (i + 1 < n && !(!strcmp(w[i], "bang") && !strcmp(w[i + 1], "chu")))
		i++;
	i += 2;
	if (i >= n || !(k = number_run(w + i, n - i)) ||
	    (whole = words_value(w + i, k)) < 0)
		return -1;
	i += k;
	/* "phẩy" and the tenths, one digit word ("phẩy không" is .0); then
	 * "mét", or the words were cut short (a wrapped line) */
	int tenth = -1;
	if (i + 1 < n && !strcmp(w[i], "phay")) {
		if ((tenth = unit_of(w[i + 1])) < 0)
			return -1;
		i += 2;
	}
	if (i >= n || strcmp(w[i], "met"))
		return -1;
	if (tenth >= 0)
		snprintf(out, len, "%ld.%d", whole, tenth);
	else
		snprintf(out, len, "%ld", whole);
	return 0;
}

static int days_in(int m, int y)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int emit(int d, int m, int y, char iso[11])
{
	if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 ||
	    d > days_in(m, y))
		return sh_fail(SH_EINVAL, "%02d/%02d/%04d is not a date", d, m, y);
	/* the ranges are checked above, so this always fits */
	snprintf(iso, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	return 0;
}

/* 15/03/1985, 15.03.1985, 15-3-1985, and ISO 1985-03-15 as people
 * type it in corrections */
static int digits_form(const char *s, char iso[11])
{
	int y, m, d, used = 0;

	if (sscanf(s, " %4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && y > 999 &&
	    !isdigit((unsigned char)s[used]))
		return emit(d, m, y, iso);
	for (const char *p = s; *p; p++) {
		int d, m, y, used = 0;
		char s1, s2;
		if (!isdigit((unsigned char)*p) || (p > s && isdigit((unsigned char)p[-1])))
			continue;
		if (sscanf(p, "%2d%c%2d%c%4d%n", &d, &s1, &m, &s2, &y, &used) == 5 &&
		    s1 == s2 && strchr("/.-", s1) && used >= 8 &&
		    !isdigit((unsigned char)p[used]))
			return emit(d, m, y, iso);
	}
	return SH_ENOTFOUND;
}

/* "ngay 15 thang 3 nam 1985" and the words form, on folded words: the
 * words between "ngay", "thang" and "nam" are the day, month and year,
 * each in digits or in words. */
static int words_form(char **w, int n, char iso[11])
{
	int ngay = -1, thang = -1, nam = -1;
	long d, m, y;

	for (int i = 0; i < n; i++) {
		if (ngay < 0 && !strcmp(w[i], "ngay"))
			ngay = i;
		else if (ngay >= 0 && thang < 0 && !strcmp(w[i], "thang"))
			thang = i;
		/* "thang nam, nam ..." is May: the year's "nam" comes after
		 * at least one month word */
		else if (thang >= 0 && nam < 0 && i > thang + 1 &&
			 !strcmp(w[i], "nam"))
			nam = i;
	}
	if (ngay < 0 || thang < 0 || nam < 0 || nam + 1 >= n)
		return SH_ENOTFOUND;
	d = isdigit((unsigned char)*w[ngay + 1]) && thang == ngay + 2
		? atol(w[ngay + 1]) : words_value(w + ngay + 1, thang - ngay - 1);
	if (thang + 2 == nam && !strcmp(w[thang + 1], "gieng"))
		m = 1;
	else if (thang + 2 == nam && !strcmp(w[thang + 1], "chap"))
		m = 12;
	else
		m = isdigit((unsigned char)*w[thang + 1]) && nam == thang + 2
			? atol(w[thang + 1]) : words_value(w + thang + 1, nam - thang - 1);
	if (isdigit((unsigned char)*w[nam + 1]))
		y = atol(w[nam + 1]);
	else
		y = words_value(w + nam + 1, number_run(w + nam + 1, n - nam - 1));
	if (d < 0 || m < 0 || y < 0)
		return SH_ENOTFOUND;
	return emit((int)d, (int)m, (int)y, iso);
}

int fields_date_parse(const char *text, char iso[11])
{
	char buf[1024], *w[96];
	int n, rc = digits_form(text, iso);

	if (rc != SH_ENOTFOUND)
		return rc;
	n = split_words(text, buf, sizeof(buf), w, 96);
	return words_form(w, n, iso);
}

int fields_date_future(const char *iso)
{
	char today[11];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	return strcmp(iso, today) > 0;
}

/* Whether iso is a date a record can hold: from 1880 to today. */
static int plausible(const char *iso)
{
	return atoi(iso) >= 1880 && !fields_date_future(iso);
}

int fields_date_repair(const char *value, char iso[11])
{
	static const char *const look[] = { "O0", "o0", "D0", "Q0", "G6",
		"b6", "I1", "l1", "|1", "S5", "B8", "Z2" };
	static const char *const swap[] = { "90", "80", "60", "41", "71",
		"17", "38" };
	char v[64], t[64], got[11] = "";
	size_t n = strlen(value);
	int found = 0;

	if (n >= sizeof(v))
		return -1;
	memcpy(v, value, n + 1);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < sizeof(look) / sizeof(look[0]); j++)
			if (v[i] == look[j][0] && ((i && isdigit((unsigned char)v[i - 1])) ||
						   isdigit((unsigned char)v[i + 1])))
				v[i] = look[j][1];
	if (fields_date_parse(v, iso) == 0 && plausible(iso))
		return 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < sizeof(swap) / sizeof(swap[0]); j++) {
			if (v[i] != swap[j][0])
				continue;
			memcpy(t, v, n + 1);
			t[i] = swap[j][1];
			if (fields_date_parse(t, iso) || !plausible(iso) ||
			    !strcmp(iso, got))
				continue;
			if (found++)
				return -1; /* two readings: a person decides */
			memcpy(got, iso, 11);
		}
	if (found != 1)
		return -1;
	memcpy(iso, got, 11);
	return 0;
}

