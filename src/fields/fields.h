/* fields.h - from OCR text to the fields a registry holds: the rules
 * (config/fields/), the record's type and edition, each field found by
 * its label and normalised by its kind, dates and numbers read from
 * digits or words, the review score, and people's corrections applied. */
#ifndef FIELDS_H
#define FIELDS_H

#include <jansson.h>
#include <stddef.h>

/* The field catalogue (config/fields/catalogue.ini): what each field
 * is, for everything that shows, searches or exports it; the reading
 * rules below use its fields. */
typedef struct fields_catalogue fields_catalogue;

/* How the index keeps a field: not by field, each word with positions,
 * each word without (places, long phrases), by date ranges. */
enum { FIELDS_INDEX_NO, FIELDS_INDEX_TEXT, FIELDS_INDEX_PLACE,
       FIELDS_INDEX_DATE };

typedef struct fields_field {
	char key[32];
	char label[96]; /* what people read */
	char kind[16];  /* name, date, number... as in the rules */
	int index;      /* FIELDS_INDEX_* */
	char code;      /* a date field's letter in the index's keys */
	int person;     /* whom the record is about */
	int export;     /* carried in records.csv */
} fields_field;

#define CAT_MAX_SUMMARY 8
typedef struct fields_type_info {
	char name[32], label[96];
	char date[32];   /* the field that dates a record, or "" */
	char number[32]; /* the number its PDF's title carries, or "" */
	char summary[CAT_MAX_SUMMARY][32]; /* what a search hit shows */
	int nsummary;
} fields_type_info;

/* fields_catalogue_load - reads dir/catalogue.ini. A key it does not
 * know, a field without label, kind or index, a date without its code
 * (or two with one), a type naming a field the catalogue lacks: an
 * error naming the file (and line). You own *out
 * (fields_catalogue_destroy). */
int fields_catalogue_load(const char *dir, fields_catalogue **out);
void fields_catalogue_destroy(fields_catalogue **c);

/* The fields in the catalogue's order (the exports' columns), the
 * field of a key (NULL when the catalogue has none), the types. */
int fields_catalogue_fields(const fields_catalogue *c);
const fields_field *fields_catalogue_field(const fields_catalogue *c, int i);
const fields_field *fields_catalogue_find(const fields_catalogue *c,
					  const char *key);
int fields_catalogue_types(const fields_catalogue *c);
const fields_type_info *fields_catalogue_type(const fields_catalogue *c, int i);
const fields_type_info *fields_catalogue_type_named(const fields_catalogue *c,
						    const char *name);

/* fields_label, fields_type_label - what people read for a field or a
 * type: its label, else the key as it is ("" for NULL; the catalogue
 * labels "unknown" too). */
const char *fields_label(const fields_catalogue *c, const char *key);
const char *fields_type_label(const fields_catalogue *c, const char *name);

/* fields_fold - lowercase, tones and marks removed, đ -> d (it does not
 * decompose, so it needs its own rule), NFC in, ASCII-ish out: "Nguyễn
 * Văn Đạt" -> "nguyen van dat". Returns BASE_ENOMEM or 0; out is always
 * NUL-terminated (truncated to len). */
int fields_fold(const char *in, char *out, size_t len);

/* fields_area_words - the area a certificate writes out after "Bằng
 * chữ" ("Một trăm bốn mươi sáu phẩy ba mét vuông" -> "146.3"), into
 * out. 0, or -1 when the line has none that parses. */
int fields_area_words(const char *line, char *out, size_t len);

/* fields_date_parse - finds a date in text and writes it as YYYY-MM-DD.
 * Accepts 15/03/1985, 15.03.1985, 15-3-1985, "ngày 15 tháng 3 năm 1985"
 * and the words form of birth certificates ("Ngày mùng tám, tháng mười
 * một, năm một nghìn chín trăm chín mươi chín"; giêng, chạp).
 * Returns 0, BASE_ENOTFOUND when there is no date, BASE_EINVAL when the date
 * is impossible (31/02/1990 is never turned into a valid one). */
int fields_date_parse(const char *text, char iso[11]);

/* fields_date_repair - a date OCR misread digit by digit (typewriter
 * faces: 0 read as 9, 8 or 6, 1 as 4, 6 as G): letters among the
 * digits read as the digits they look like, then one digit changed at a
 * time; taken when exactly one reading gives a date between 1880 and
 * today ("24.92.1957" -> 1957-02-24, "30-10-4948" -> 1948-10-30,
 * "18/01/2085" -> 2005-01-18).
 * 0 with iso set, or -1. For OCR only: a person's date is never
 * repaired. */
int fields_date_repair(const char *value, char iso[11]);

/* fields_date_future - whether YYYY-MM-DD iso is after today: no
 * registration, birth, death or issue can be, so such a reading is a
 * misread. */
int fields_date_future(const char *iso);

/* The per-type rules of config/fields/ (one INI file a type): each
 * field's printed labels across form editions, its kind, whether it is
 * required; the type's title and keywords for classification. */
typedef struct fields_rules fields_rules;

/* fields_rules_load - reads every *.conf in dir, and its catalogue. An
 * unknown key, a field without labels, a file without [type] name, a
 * type or field (other than a helper, "_x") the catalogue lacks or
 * whose kind it gives otherwise is an error naming the file (and line).
 * You own *out: fields_rules_destroy() frees it. */
int fields_rules_load(const char *dir, fields_rules **out);
void fields_rules_destroy(fields_rules **r);

/* fields_rules_catalogue - the catalogue the rules were loaded with
 * (theirs). */
const fields_catalogue *fields_rules_catalogue(const fields_rules *r);

/* fields_rules_types - how many types were loaded. */
int fields_rules_types(const fields_rules *r);

/* fields_classify - the document type of a record's text: its title
 * found with a small edit distance on folded text ("GIẤY KHAI STNH"
 * still says khai-sinh), else the type whose keywords it holds most.
 * Returns the type name, or "unknown". *score (may be NULL) gets 0..1. */
const char *fields_classify(const fields_rules *r, const char *text,
			    double *score);

/* fields_label_find - where label occurs in line, compared folded (case,
 * tones and marks ignored) and allowing an edit distance of 1 for labels
 * of 5-12 letters and 2 for longer ones, at word boundaries. With
 * anchored, only at the start of the line. Returns the edit distance and
 * the byte span [*start, *end) in line, or -1 when it is not there.
 * *end is after any ':' that follows. */
int fields_label_find(const char *line, const char *label, int anchored,
		      int *start, int *end);

/* fields_extract - the type and fields of a record from its pages' OCR
 * results (the objects ocr_page_read() makes: "text" and "words" with
 * boxes, confidences and line numbers; null entries are skipped).
 * *out (yours): {"type", "type_confidence", "fields": {NAME: {"value",
 * "confidence" (0-1), "source": "ocr"}}}; an unknown type has no fields.
 * Values are normalised by kind: ISO dates, "107.7" areas, Nam/Nữ, names
 * as printed; chu_su_dung is a list of names without Ông/Bà.
 * pages are not changed. *mends (yours; may be NULL) is what the type's
 * word lists mend on them (the form's printed phrases, the gazetteer, a
 * name the lists mended): an array of {"p": page index, "w": first
 * word, "n": words, "t": their text as mended}, a line each, for
 * words_mend() to lay on the words. */
int fields_extract(const fields_rules *r, json_t *pages, json_t **out,
		   json_t **mends);

/* fields_review - what in a record needs a person: a page that stayed
 * unreadable (meta "unreadable_pages", its field "page N"), an unknown
 * type, a required field missing, a field read with confidence under
 * below.
 * *problems (yours) is an array of {"field", "problem", "confidence"},
 * empty when the record is fine; returns a badness score for ordering
 * (0 = fine; higher = worse). */
double fields_review(const fields_rules *r, json_t *meta, double below,
		     json_t **problems);

/* fields_review_json - fields_review's answer as an update hands it to
 * the store (store_record_update's event "review"): {"score",
 * "problems"}, yours. */
json_t *fields_review_json(const fields_rules *r, json_t *meta, double below);

/* fields_names - the fields of type a person fills in, in the rules'
 * order, each once (helpers left out), with their kinds ("date",
 * "name", "list"...): how many, at most max. 0 for an unknown type.
 * The strings are the rules'. */
int fields_names(const fields_rules *r, const char *type, const char **names,
		 const char **kinds, int max);

/* fields_validate - checks a person's value for a field of type (or the
 * field "type" itself) and gives it in its normal form (*out, yours: a
 * string, or a list for chu_su_dung, split on ';'). BASE_EINVAL with the
 * reason ("'31/02/1990' is not a date", "khai-sinh has no field 'x'"). */
int fields_validate(const fields_rules *r, const char *type,
		    const char *field, const char *value, json_t **out);

/* fields_apply - a person's value (checked by fields_validate) becomes
 * the record's current value of field, or its type: confidence 1,
 * source "correction", the readings gone; {"field", "old", "new"} is
 * appended to changes for the history. */
void fields_apply(json_t *meta, const char *field, json_t *value,
		  json_t *changes);

#endif
