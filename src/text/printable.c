/* printable.c - text from outside (a file's name, a search, a user name
 * typed at the login) made safe to print on a terminal or in a log
 * line: a control character could end the line and forge the next one,
 * or rewrite the terminal. Character classes come from utf8proc. */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int text_utf8_ok(const char *s, size_t n)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;

	for (size_t i = 0; i < n;) {
		utf8proc_ssize_t k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

/* Whether a character must not reach a terminal as itself: C0 and C1
 * controls, DEL, and the marks that reorder a line (bidi controls) or
 * separate lines. */
static int unsafe(utf8proc_int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);

	return c == UTF8PROC_CATEGORY_CC || c == UTF8PROC_CATEGORY_ZL ||
	       c == UTF8PROC_CATEGORY_ZP ||
	       (c == UTF8PROC_CATEGORY_CF && cp != 0x200C && cp != 0x200D);
}

char *text_printable(const char *s)
{
	size_t n = s ? strlen(s) : 0, o = 0;
	char *out = malloc(4 * n + 1);
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		utf8proc_ssize_t k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0)
			k = 1, cp = -1;
		if (cp == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
		} else if (cp < 0 || unsafe(cp)) {
			for (utf8proc_ssize_t j = 0; j < k; j++)
				o += (size_t)sprintf(out + o, "\\x%02x", u[i + (size_t)j]);
		} else {
			memcpy(out + o, u + i, (size_t)k);
			o += (size_t)k;
		}
		i += (size_t)k;
	}
	out[o] = 0;
	return out;
}

int text_printable_ok(const char *s)
{
	char *p = text_printable(s);
	int same = p && !strcmp(p, s ? s : "");

	free(p);
	return same;
}
