/* words_of.h - page words for the unit tests of words and export:
 * words_of("t x y w h l; ...") builds them, text_of joins them
 * (words_text). Included by one test program each. */
#ifndef WORDS_OF_H
#define WORDS_OF_H

#include "../../src/words/words.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "t x y w h l" per word, ';' between words */
static json_t *words_of(const char *spec)
{
	json_t *a = json_array();
	char *s = strdup(spec), *save = NULL;

	for (char *w = strtok_r(s, ";", &save); w; w = strtok_r(NULL, ";", &save)) {
		char t[64];
		int x, y, ww, h, l;
		if (sscanf(w, " %63s %d %d %d %d %d", t, &x, &y, &ww, &h, &l) == 6)
			json_array_append_new(a, json_pack("{s:s, s:[i,i,i,i], s:f, s:i}",
				"t", t, "b", x, y, ww, h, "c", 90.0, "l", l));
	}
	free(s);
	return a;
}

static char *text_of(json_t *words)
{
	char *t = NULL;

	words_text(words, &t);
	return t;
}

#endif
