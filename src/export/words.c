/* words.c - a page's current words for the PDF's text layer and the
 * ALTO: the words the store keeps (as read, the word lists' mends laid
 * on them at ingest) with each value a person corrected laid over the
 * words it was read from. */
#include "export.h"
#include "internal.h"

#include "../base/base.h"
#include "../words/words.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct wbox {
	int x, y, w, h, line;
} wbox;

static wbox box_of(json_t *w)
{
	int b[5];

	words_box(w, b);
	return (wbox){ b[0], b[1], b[2], b[3], b[4] };
}

/* The words of page n (1-based) inside box b, the field's words: on a
 * value that runs onto a second line, its first line's printed label
 * (the words up to the last one ending in ':') is not the value's. */
static void field_words(json_t *words, json_t *b, size_t *from, size_t *to)
{
	int bx = (int)json_integer_value(json_array_get(b, 1));
	int by = (int)json_integer_value(json_array_get(b, 2));
	int bw = (int)json_integer_value(json_array_get(b, 3));
	int bh = (int)json_integer_value(json_array_get(b, 4));
	size_t i, first = (size_t)-1, last = 0;
	json_t *w;

	json_array_foreach(words, i, w) {
		wbox o = box_of(w);
		int cx = o.x + o.w / 2, cy = o.y + o.h / 2;
		if (cx >= bx && cx <= bx + bw && cy >= by && cy <= by + bh) {
			if (first == (size_t)-1)
				first = i;
			last = i;
		}
	}
	if (first == (size_t)-1) {
		*from = *to = 0;
		return;
	}
	int line0 = box_of(json_array_get(words, first)).line;
	if (box_of(json_array_get(words, last)).line != line0)
		for (i = first; i <= last; i++) {
			const char *t = json_string_value(json_object_get(
					json_array_get(words, i), "t"));
			if (box_of(json_array_get(words, i)).line != line0)
				break;
			if (t && *t && t[strlen(t) - 1] == ':')
				first = i + 1;
		}
	*from = first;
	*to = last + 1;
}

/* Each corrected field read from this page: its words become the
 * person's value. */
static void corrections(json_t *words, json_t *fields, int n)
{
	const char *name;
	json_t *f;

	json_object_foreach(fields, name, f) {
		json_t *b = json_object_get(f, "box");
		const char *src = json_string_value(json_object_get(f, "source"));
		char value[2048], *buf = NULL, **tok = NULL;
		size_t from, to, nt;

		if (!src || strcmp(src, "correction") || json_array_size(b) != 5 ||
		    json_integer_value(json_array_get(b, 0)) != n)
			continue;
		field_words(words, b, &from, &to);
		/* as the page prints it: dates dd/mm/yyyy */
		export_value_text(json_object_get(f, "value"), value, sizeof(value));
		nt = words_tokens(value, &buf, &tok);
		if (to > from && nt) {
			json_t **v = malloc((to - from) * sizeof(*v)), *rest = json_array();
			for (size_t i = from; v && i < to; i++)
				v[i - from] = json_incref(json_array_get(words, i));
			if (v)
				words_lay(rest, v, to - from, tok, nt, 0);
			for (size_t i = to; v && i < json_array_size(words); i++)
				json_array_append(rest, json_array_get(words, i));
			for (size_t i = from; v && i < to; i++)
				json_decref(v[i - from]);
			if (v) {
				while (json_array_size(words) > from)
					json_array_remove(words, from);
				json_array_extend(words, rest);
			}
			json_decref(rest);
			free(v);
		}
		free(tok);
		free(buf);
	}
}

json_t *export_page_words(json_t *meta, json_t *page, int n)
{
	json_t *out = json_deep_copy(json_object_get(page, "words"));

	if (!out && !json_object_get(page, "words"))
		out = json_array();
	if (out)
		corrections(out, json_object_get(meta, "fields"), n);
	return out;
}
