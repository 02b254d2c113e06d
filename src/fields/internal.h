/* internal.h - the fields module's rule tables, shared by its files and
 * by nothing else. */
#ifndef FIELDS_INTERNAL_H
#define FIELDS_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#define MAX_TYPES 8
#define MAX_FIELDS 32
#define MAX_LABELS 8
#define MAX_KEYWORDS 8
#define MAX_EDITIONS 6
#define MAX_EDITION_LABELS 40
#define CAT_MAX_FIELDS 128
#define CAT_MAX_TYPES 16

/* fields_kind_known - whether kind is one the rules know. */
int fields_kind_known(const char *kind);

/* Text folded for matching (see fields_fold), with at[i] the byte of
 * the original text that s[i] came from, so a match found folded can be
 * cut out of the text as printed. */
typedef struct folded {
	char s[1024];
	int at[1025];
	int n;
} folded;

void fields_fold_line(const char *line, folded *f);

/* fields_label_find on a line and a label both folded already: labels
 * are folded once when the rules load, lines once when they are read. */
int fields_find_folded(const folded *line, const char *label, size_t len,
		       int anchored, int *start, int *end);

/* fields_find_folded_from - the same, the label looked for from byte
 * from of the line on (a label printed twice on a line, as two columns
 * print it). */
int fields_find_folded_from(const folded *line, const char *label, size_t len,
			    int anchored, int from, int *start, int *end);

/* fields_lower - s case folded, NFC: how two spellings are compared
 * exactly (yours to free; NULL when out of memory). */
char *fields_lower(const char *s);

/* A word list (lexicon.c) in the rules' folder. */
typedef struct fields_lexicon fields_lexicon;

int fields_lexicon_load(const char *path, const char *name,
			fields_lexicon **out);
void fields_lexicon_free(fields_lexicon **l);
const char *fields_lexicon_name(const fields_lexicon *l);

/* fields_lexicon_mend - value with each run of words that is a
 * misreading of one entry of l (the first word: of first, when given)
 * replaced by that entry, in the case it was printed. flags: LEX_GUESS,
 * a misreading of several entries becomes the one the list has first;
 * LEX_PHRASES, only runs of two words or more (free text, where a
 * single word could be anything). *mended counts the runs replaced,
 * *unsure the words that are no entry or could be several. */
#define LEX_GUESS 1
#define LEX_PHRASES 2
int fields_lexicon_mend(const fields_lexicon *first, const fields_lexicon *l,
			int flags, char *value, size_t cap, int *mended,
			int *unsure);

/* fields_lexicon_nearest - the entry of three words or more that value
 * (a whole value) is a misreading of by a few letters ("Nhận chuyển
 * nhượng quyền sử nh đất"): its folded letters within max(2, a tenth)
 * edits of that entry's and of no other's as near. Writes it into out in
 * the case value was printed; returns the edits, -1 when none. */
int fields_lexicon_nearest(const fields_lexicon *l, const char *value,
			   char *out, size_t cap);

/* fields_lexicon_unit - a place's part (between commas) whose last
 * words are a unit's name from l and whose word before them is a short
 * speck-read word in place of the unit's prefix ("phi: Ô Chợ Dừa", "TC
 * Vĩnh Ninh"): the part with that word and the name replaced by the
 * unit ("Phường Ô Chợ Dừa"), when only one unit has the name. 0 with
 * out written, or -1. */
int fields_lexicon_unit(const fields_lexicon *l, const char *part, char *out,
			size_t cap);

/* fields_lexicon_strange - how many parts of place value (between
 * commas) name an administrative unit that is not in l, or have a
 * misreading of an entry before the unit ("Ủy nạn nhân dân Phường
 * 14"). A value with one is doubted: the list has every unit of the
 * office's city. */
int fields_lexicon_strange(const fields_lexicon *l, const char *value);

#define MAX_LEXICONS 8

typedef struct rule_field {
	char name[32], kind[16];
	/* word lists mending the value: vocabulary for its words, surnames
	 * for a name's first */
	const fields_lexicon *vocabulary, *surnames;
	char confirms[32]; /* a helper field ("_x") that cross-checks this one */
	/* a helper's value that belongs to the list entry before it: the
	 * key it goes under in the entry's details ("nam_sinh") */
	char detail[16];
	int required, occurrence, nlabels;
	long largest; /* a number's leading part above it is doubted (0: any) */
	/* the shape of a value printed alone on its line without a label
	 * ("CH 279771" under a certificate's title): A a capital, 0 a
	 * digit, a space optional; empty when the field always has one */
	char alone[24];
	char label[MAX_LABELS][96];
	char folded[MAX_LABELS][96]; /* the labels folded, at load */
	/* a label written "ngày:" in the rules counts only with its colon */
	char colon[MAX_LABELS];
} rule_field;

#define MAX_TEXT_LISTS 4

/* An edition: the printed form of one period ("[edition tt04-2020]").
 * Its printed labels, in the order printed, tell it from the type's
 * other editions; the dates of the circular that brought it in and the
 * one that replaced it settle editions that print the same labels;
 * required lists the fields a record of it must have. */
typedef struct rule_edition {
	char name[32], title[128];
	char label[MAX_EDITION_LABELS][96]; /* folded at load */
	int nlabels;
	char from[11], until[11]; /* ISO dates, empty when open */
	char required[MAX_FIELDS][32];
	int nrequired;
} rule_edition;

typedef struct rule_type {
	char name[16], title[128];
	/* the titles its editions print ("GIẤY KHAI SINH", "TRÍCH LỤC
	 * KHAI SINH"), folded at load */
	char title_folded[4][96];
	int ntitles;
	/* word lists mending the pages' text of this type (phrases only) */
	const fields_lexicon *text[MAX_TEXT_LISTS];
	int ntext;
	int nkeywords, nfields;
	char keyword[MAX_KEYWORDS][96]; /* folded at load */
	rule_field field[MAX_FIELDS];
	rule_edition edition[MAX_EDITIONS];
	int neditions;
} rule_type;

/* fields_edition_of - the edition of type t that the record's lines
 * (folded, n of them) were printed on, given the registration date iso
 * (may be NULL): the one whose printed labels are found most, its dates
 * deciding between editions that print the same. NULL when t has none. */
const rule_edition *fields_edition_of(const rule_type *t, const folded *lines,
				      int n, const char *iso);
const rule_edition *fields_edition_named(const rule_type *t, const char *name);

/* fields_required - whether field f must be in a record of edition e
 * (NULL: the field's own required). */
int fields_required(const rule_edition *e, const rule_field *f);

/* fields_shape_alone - whether line (as printed) holds only a value of
 * shape ("AA 000000"); the value, respaced as the shape has it, in out. */
int fields_shape_alone(const char *line, const char *shape, char *out,
		       size_t cap);


struct fields_rules {
	int ntypes, nlexicons;
	struct fields_catalogue *catalogue;
	rule_type type[MAX_TYPES];
	fields_lexicon *lexicon[MAX_LEXICONS];
};

const rule_type *fields_rules_type(const struct fields_rules *r,
				   const char *name);

/* normalises value (up to 1024 bytes) in place by kind; the parse
 * quality, 0 when it is not of its kind */
double fields_normalise(const char *kind, char *value, const char *whole);

/* values.c: a value's cleaning, normal form and repairs (each in place;
 * cap bytes at most where given) */
void fields_clean_marks(const char *kind, char *s);
void fields_collapse(char *s);
int fields_number_repair(char *value);
void fields_name_case(char *s);
double fields_number_sense(char *value, long largest);
void fields_number_first(char *v);
int fields_document_symbol(const char *v);
int fields_date_join(char *v);
double fields_area_readings(char *value, size_t cap, const char *whole,
			    json_t **readings);

/* the edit distance a label of len folded bytes may be off by */
int fields_allowed_distance(size_t len);

/* lines.c: a record's printed lines and the labels on them. */
#define MAX_LINE 1024
#define MAX_WORDS 96

typedef struct match {
	const rule_field *f;
	int start, end, dist, label;
	size_t label_len;
	int loose; /* a short label found away from the line's start */
} match;

#define MAX_MATCHES 16

/* A printed line: its text and, per word, where it starts in the text,
 * its left edge on the page and its confidence; the labels found on it,
 * once (a value's continuation asks of the next line what the line's
 * own turn asks again). */
typedef struct line {
	char text[MAX_LINE];
	folded f; /* text folded once, for every label to be found in */
	int nwords, page, width;
	int top, height; /* of the line's tallest word, pixels */
	int off[MAX_WORDS], x[MAX_WORDS];
	int x1[MAX_WORDS], y0[MAX_WORDS], y1[MAX_WORDS]; /* right, top, bottom */
	double conf[MAX_WORDS];
	/* a word whose diacritics had a close runner-up ("a", src/ocr/
	 * tones.c): 1; were changed ("r"): 2. A value holding the first is
	 * doubted, a name holding the second too */
	unsigned char close[MAX_WORDS];
	match m[MAX_MATCHES]; /* in the order printed */
	int nm;
} line;

/* fields_lines_of - the lines of all pages in reading order, from the
 * words' line numbers (yours to free; *count of them). */
line *fields_lines_of(json_t *pages, int *count);
/* fields_matches_on - every label of t on ln, overlaps resolved, in the
 * order printed, into out (at most max); how many. */
int fields_matches_on(const rule_type *t, const line *ln, match *out, int max);
/* fields_at_line_start - whether no letter or digit comes before byte
 * s of text. */
int fields_at_line_start(const char *text, int s);
/* fields_word_at - the word of ln byte lies in. */
int fields_word_at(const line *ln, int byte);
/* fields_conf_of - the mean confidence (0-1) of the words of ln
 * covering bytes [s, e), at most 0.5 when the diacritics of one of
 * them had a close runner-up. fields_changed_in - whether recognition
 * changed the diacritics of one of them. */
double fields_conf_of(const line *ln, int s, int e);
int fields_changed_in(const line *ln, int s, int e);

/* mends.c: the pages' lines of words as read and as the word lists
 * mend them. fields_text_lines: NULL when out of memory (free with
 * fields_text_lines_free, which takes NULL). fields_mend_phrases: the
 * type's text lists on every line (phrases of two words or more: a
 * single word of free text could be anything). fields_mend_name: a name
 * the lists mended, where page's lines hold it as read exactly once.
 * fields_text_mends: a mend {"p", "w", "n", "t"} a changed line (yours;
 * NULL when out of memory). */
typedef struct text_lines text_lines;
text_lines *fields_text_lines(json_t *pages);
void fields_text_lines_free(text_lines **tl);
void fields_mend_phrases(const rule_type *t, text_lines *tl);
void fields_mend_name(text_lines *tl, int page, const char *read,
		      const char *value);
json_t *fields_text_mends(const text_lines *tl);

#endif
