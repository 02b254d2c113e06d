/* test_words.c - a page's words: a text laid over them (the words it
 * keeps, mended ones in the boxes of those they replace, what was read
 * kept), mends laid where fields_extract says, the text they make. */
#include "unit.h"
#include "words_of.h"

#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static int box_is(json_t *words, size_t i, int x, int y, int w, int h)
{
	json_t *b = json_object_get(json_array_get(words, i), "b");

	return json_integer_value(json_array_get(b, 0)) == x &&
	       json_integer_value(json_array_get(b, 1)) == y &&
	       json_integer_value(json_array_get(b, 2)) == w &&
	       json_integer_value(json_array_get(b, 3)) == h;
}

int main(void)
{
	json_t *words = words_of("Họ 100 100 40 30 0; tên: 150 100 60 30 0; NGUYÊN 300 100 120 30 0;"
				 "VĂN 430 100 60 30 0; AN 500 100 40 30 0;"
				 "Nơi 100 200 50 30 1; sinh: 160 200 70 30 1; Hà 300 200 40 30 1;"
				 "Nội 100 250 50 30 2");
	json_t *w;
	char *t;

	t = text_of(words);
	CHECK(t && !strcmp(t, "Họ tên: NGUYÊN VĂN AN\nNơi sinh: Hà\nNội\n"),
	      "words joined: a line per line, a space between words");
	free(t);

	/* a name the word lists mended: the word keeps its box, and what
	 * was read */
	w = words_lay_text(words, "Họ tên: NGUYỄN VĂN AN\n\nNơi sinh: Hà\nNội\n");
	t = text_of(w);
	CHECK(t && !strcmp(t, "Họ tên: NGUYỄN VĂN AN\nNơi sinh: Hà\nNội\n"),
	      "the mended name replaces the word as read");
	CHECK(box_is(w, 2, 300, 100, 120, 30), "over the box of the word it replaces");
	CHECK(same(json_string_value(json_object_get(json_array_get(w, 2), "r")), "NGUYÊN") &&
	      !json_object_get(json_array_get(w, 3), "r"),
	      "which keeps what was read; the words as read carry nothing");
	free(t);
	json_decref(w);

	/* two words read as one and the text splitting them: the box is
	 * shared by length */
	json_t *w2 = words_of("Số: 100 100 40 30 0; 123/2004 150 100 160 30 0");
	w = words_lay_text(w2, "Số: 123 /2004\n");
	t = text_of(w);
	CHECK(t && !strcmp(t, "Số: 123 /2004\n"), "one word become two: both present (%s)", t ? t : "");
	CHECK(json_array_size(w) == 3 && box_is(w, 1, 150, 100, 53, 30) &&
	      json_integer_value(json_array_get(json_object_get(json_array_get(w, 2), "b"), 0)) > 190,
	      "sharing its box left to right by length");
	CHECK(same(json_string_value(json_object_get(json_array_get(w, 1), "r")), "123/2004"),
	      "the first keeping the run as read");
	free(t);
	json_decref(w);
	json_decref(w2);

	/* text with no word of its own, and words the text dropped */
	w = words_lay_text(words, "Họ tên: NGUYÊN AN thêm\nNơi sinh: Hà\nNội\n");
	t = text_of(w);
	CHECK(t && !strcmp(t, "Họ tên: NGUYÊN AN thêm\nNơi sinh: Hà\nNội\n"),
	      "a dropped word goes, an added one is laid beside its neighbour (%s)", t ? t : "");
	free(t);
	json_decref(w);

	/* mends as fields_extract gives them: a line's words each; the
	 * page's text is then its words */
	json_t *pages = json_pack("[{s:O, s:s}, n, {s:s}]", "words", words, "text",
				  "as Tesseract gave it", "text", "no words");
	json_t *mends = json_pack("[{s:i, s:i, s:i, s:s}, {s:i, s:i, s:i, s:s},"
				  " {s:i, s:i, s:i, s:s}, {s:i, s:i, s:i, s:s}]",
				  "p", 0, "w", 5, "n", 3, "t", "Nơi sinh: Hà Nội",
				  "p", 0, "w", 0, "n", 5, "t", "Họ, tên: NGUYỄN VĂN AN",
				  "p", 0, "w", 8, "n", 3, "t", "outside the words",
				  "p", 2, "w", 0, "n", 1, "t", "a page without words");
	CHECK(words_mend(pages, mends) == 0, "mends laid");
	w = json_object_get(json_array_get(pages, 0), "words");
	t = text_of(w);
	CHECK(t && !strcmp(t, "Họ, tên: NGUYỄN VĂN AN\nNơi sinh: Hà Nội\nNội\n"),
	      "each over its span, the last first (%s)", t ? t : "");
	CHECK(same(json_string_value(json_object_get(json_array_get(pages, 0), "text")), t),
	      "the page's text is its words joined");
	CHECK(json_array_size(w) == 10 && box_is(w, 2, 300, 100, 120, 30),
	      "a mended word keeps its box");
	CHECK(same(json_string_value(json_object_get(json_array_get(pages, 2), "text")), "no words"),
	      "a mend outside the words, or a page without any, changes nothing");
	free(t);
	json_decref(mends);
	json_decref(pages);

	/* too long to align: refused, not laid at random */
	json_t *big = json_array();
	for (int i = 0; i < 4200; i++)
		json_array_append_new(big, json_pack("{s:s, s:[i,i,i,i], s:f, s:i}",
			"t", "x", "b", i, 0, 1, 1, "c", 90.0, "l", 0));
	t = text_of(big);
	CHECK(words_lay_text(big, t) == NULL, "a page of 4,200 words is not aligned");
	free(t);
	json_decref(big);
	json_decref(words);
	return unit_status();
}
