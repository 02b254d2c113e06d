/* test_export.c - a page's current words (export_page_words): the
 * stored words with a person's corrections, each over the boxes of the
 * words it replaces. */
#include "../../src/export/export.h"
#include "unit.h"
#include "words_of.h"

#include <stdlib.h>
#include <string.h>

static json_t *page_of(const char *spec)
{
	return json_pack("{s:o}", "words", words_of(spec));
}

int main(void)
{
	json_t *meta = json_pack("{s:[{s:i}], s:{}}", "pages", "n", 1, "fields");
	json_t *page = page_of("Họ 100 100 40 30 0; tên: 150 100 60 30 0; NGUYÊN 300 100 120 30 0;"
			       "VĂN 430 100 60 30 0; AN 500 100 40 30 0;"
			       "Nơi 100 200 50 30 1; sinh: 160 200 70 30 1; Hà 300 200 40 30 1;"
			       "Nội 100 250 50 30 2");
	json_t *w;
	char *t;

	/* the words as stored */
	w = export_page_words(meta, page, 1);
	t = text_of(w);
	CHECK(t && !strcmp(t, "Họ tên: NGUYÊN VĂN AN\nNơi sinh: Hà\nNội\n"),
	      "without a correction the words are the stored ones");
	free(t);
	json_decref(w);

	/* a person's correction over the words the value was read from */
	json_object_set_new(json_object_get(meta, "fields"), "ho_ten", json_pack(
		"{s:s, s:s, s:[i,i,i,i,i]}", "value", "NGUYỄN VĂN ANH", "source",
		"correction", "box", 1, 300, 100, 240, 30));
	w = export_page_words(meta, page, 1);
	t = text_of(w);
	CHECK(t && !strcmp(t, "Họ tên: NGUYỄN VĂN ANH\nNơi sinh: Hà\nNội\n"),
	      "a corrected name replaces the words in its box (%s)", t ? t : "");
	free(t);
	json_decref(w);

	/* a value on two lines: its box takes in the label on the first
	 * line, which stays; one word for one, each keeps its line */
	json_object_set_new(json_object_get(meta, "fields"), "noi_sinh", json_pack(
		"{s:s, s:s, s:[i,i,i,i,i]}", "value", "Hải Phòng", "source",
		"correction", "box", 1, 100, 200, 240, 80));
	w = export_page_words(meta, page, 1);
	t = text_of(w);
	CHECK(t && !strcmp(t, "Họ tên: NGUYỄN VĂN ANH\nNơi sinh: Hải\nPhòng\n"),
	      "a value run onto a second line keeps its label (%s)", t ? t : "");
	free(t);
	json_decref(w);

	/* a date is written as the page prints it; a value only read
	 * (source ocr) changes nothing */
	json_t *p3 = page_of("Ngày: 100 100 60 30 0; 09/03/2004 200 100 150 30 0");
	json_t *m3 = json_pack("{s:[{s:i}], s:{s:{s:s, s:s, s:[i,i,i,i,i]}, s:{s:s, s:s, s:[i,i,i,i,i]}}}",
		"pages", "n", 1, "fields", "ngay_sinh", "value", "2004-03-19", "source",
		"correction", "box", 1, 200, 100, 150, 30, "so", "value", "1", "source",
		"ocr", "box", 1, 100, 100, 60, 30);
	w = export_page_words(m3, p3, 1);
	t = text_of(w);
	CHECK(t && !strcmp(t, "Ngày: 19/03/2004\n"), "a corrected date reads dd/mm/yyyy (%s)", t ? t : "");
	free(t);
	json_decref(w);
	/* on another page, nothing */
	w = export_page_words(m3, p3, 2);
	t = text_of(w);
	CHECK(t && !strcmp(t, "Ngày: 09/03/2004\n"), "a correction read from another page leaves this one");
	free(t);
	json_decref(w);
	json_decref(m3);
	json_decref(p3);
	json_decref(page);
	json_decref(meta);
	return unit_status();
}
