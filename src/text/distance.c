/* distance.c - the edit distance of two byte strings (folded text:
 * "nguyen", "noi sinh"), with or without a swap of two neighbours
 * counted as one edit, stopped once it must exceed a bound. */
#include "text.h"

#define TEXT_DISTANCE_BYTES 250

int text_distance(const char *a, size_t n, const char *b, size_t m, int max,
		  int swaps)
{
	int d[3][TEXT_DISTANCE_BYTES + 2];

	if (n > TEXT_DISTANCE_BYTES || m > TEXT_DISTANCE_BYTES)
		return max + 1;
	if ((n > m ? n - m : m - n) > (size_t)max)
		return max + 1;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		int *cur = d[i % 3], *prev = d[(i + 2) % 3], *pp = d[(i + 1) % 3];
		int best = cur[0] = (int)i;
		for (size_t j = 1; j <= m; j++) {
			int v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (swaps && i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return d[n % 3][m];
}
