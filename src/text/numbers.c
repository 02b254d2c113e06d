/* numbers.c - Vietnamese number words ("một nghìn chín trăm tám mươi
 * lăm" is 1985), with or without their marks: linh/lẻ, mốt, lăm, tư,
 * bẩy, ngàn/nghìn, mùng. */
#include "text.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *w;
	int v;
} units[] = {
	{ "khong", 0 }, { "mot", 1 }, { "hai", 2 }, { "ba", 3 }, { "bon", 4 },
	{ "tu", 4 }, { "nam", 5 }, { "lam", 5 }, { "sau", 6 }, { "bay", 7 },
	{ "tam", 8 }, { "chin", 9 },
};

int text_number_unit(const char *w)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(w, units[i].w))
			return units[i].v;
	return -1;
}

/* Folded words, space separated, in out (words[] point into it). */
int text_fold_words(const char *text, char *buf, size_t len, char **words,
		    int max)
{
	int n = 0;

	char all[TEXT_FOLD_MAX];

	text_fold(text, all, sizeof(all), NULL);
	snprintf(buf, len, "%s", all);
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
long text_number_value(char **w, int n)
{
	long total = 0, group = 0;
	int pending = -1, any = 0;

	for (int i = 0; i < n; i++) {
		int u = text_number_unit(w[i]);
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

	if (text_number_unit(w) >= 0)
		return 1;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (!strcmp(w, others[i]))
			return 1;
	return 0;
}

/* How many of w[0..n) in a row are number words. */
int text_number_run(char **w, int n)
{
	int k = 0;

	while (k < n && is_number_word(w[k]))
		k++;
	return k;
}

long text_number_words(const char *text)
{
	char buf[512], *w[64];
	int n = text_fold_words(text, buf, sizeof(buf), w, 64);

	return n ? text_number_value(w, n) : -1;
}
