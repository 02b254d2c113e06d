/* fold.c - Vietnamese folded for matching: decomposed, marks stripped,
 * case folded, đ as d ("Nguyễn Văn Đạt" -> "nguyen van dat"). The
 * index folds its own way (src/index/text.c: compatibility forms too,
 * one tone placement), which its stored terms depend on. */
#include "text.h"

#include <utf8proc.h>

int text_fold_char(int32_t cp, char *out)
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

size_t text_fold(const char *in, char *out, size_t cap, int *at)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)in;
	utf8proc_int32_t cp;
	size_t n = 0;

	if (cap <= 32) {
		if (cap)
			out[0] = '\0';
		return 0;
	}
	while (*p && n < cap - 32) {
		utf8proc_ssize_t used = utf8proc_iterate(p, -1, &cp);
		char one[32];
		int k;

		if (used <= 0) {
			one[0] = (char)*p;
			k = 1;
			used = 1;
		} else {
			k = text_fold_char(cp, one);
		}
		for (int i = 0; i < k; i++) {
			if (at)
				at[n] = (int)(p - (const utf8proc_uint8_t *)in);
			out[n++] = one[i];
		}
		p += used;
	}
	out[n] = '\0';
	if (at)
		at[n] = (int)(p - (const utf8proc_uint8_t *)in);
	return n;
}
