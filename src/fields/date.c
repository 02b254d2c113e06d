/* date.c - Vietnamese dates in digits and in words, and a certificate's
 * area in words (the number words and the folding: src/text/). */
#include "fields.h"
#include "internal.h"

#include "../base/base.h"
#include "../text/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

/* Folds line into f, remembering for every folded byte the byte of the
 * line it came from. Bytes that are not UTF-8 are kept as they are. */
void fields_fold_line(const char *line, folded *f)
{
	f->n = (int)text_fold(line, f->s, sizeof(f->s), f->at);
}

int fields_fold(const char *in, char *out, size_t len)
{
	char all[TEXT_FOLD_MAX];

	if (!len)
		return 0;
	text_fold(in, all, sizeof(all), NULL);
	snprintf(out, len, "%s", all);
	return 0;
}

int fields_area_words(const char *line, char *out, size_t len)
{
	char buf[512], *w[64];
	int n = text_fold_words(line, buf, sizeof(buf), w, 64), i = 0, k;
	long whole;

	while (i + 1 < n && !(!strcmp(w[i], "bang") && !strcmp(w[i + 1], "chu")))
		i++;
	i += 2;
	if (i >= n || !(k = text_number_run(w + i, n - i)) ||
	    (whole = text_number_value(w + i, k)) < 0)
		return -1;
	i += k;
	/* "phẩy" and the tenths, one digit word ("phẩy không" is .0); then
	 * "mét", or the words were cut short (a wrapped line) */
	int tenth = -1;
	if (i + 1 < n && !strcmp(w[i], "phay")) {
		if ((tenth = text_number_unit(w[i + 1])) < 0)
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
		return base_fail(BASE_EINVAL, "%02d/%02d/%04d is not a date", d, m, y);
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
	return BASE_ENOTFOUND;
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
		return BASE_ENOTFOUND;
	d = isdigit((unsigned char)*w[ngay + 1]) && thang == ngay + 2
		? atol(w[ngay + 1]) : text_number_value(w + ngay + 1, thang - ngay - 1);
	if (thang + 2 == nam && !strcmp(w[thang + 1], "gieng"))
		m = 1;
	else if (thang + 2 == nam && !strcmp(w[thang + 1], "chap"))
		m = 12;
	else
		m = isdigit((unsigned char)*w[thang + 1]) && nam == thang + 2
			? atol(w[thang + 1]) : text_number_value(w + thang + 1, nam - thang - 1);
	if (isdigit((unsigned char)*w[nam + 1]))
		y = atol(w[nam + 1]);
	else
		y = text_number_value(w + nam + 1, text_number_run(w + nam + 1, n - nam - 1));
	if (d < 0 || m < 0 || y < 0)
		return BASE_ENOTFOUND;
	return emit((int)d, (int)m, (int)y, iso);
}

int fields_date_parse(const char *text, char iso[11])
{
	char buf[1024], *w[96];
	int n, rc = digits_form(text, iso);

	if (rc != BASE_ENOTFOUND)
		return rc;
	n = text_fold_words(text, buf, sizeof(buf), w, 96);
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

