/* internal.h - the fields module's rule tables, shared by its files and
 * by nothing else. */
#ifndef FIELDS_INTERNAL_H
#define FIELDS_INTERNAL_H

#include <stddef.h>

#define MAX_TYPES 8
#define MAX_FIELDS 24
#define MAX_LABELS 6
#define MAX_KEYWORDS 8

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
	int required, occurrence, nlabels;
	long largest; /* a number's leading part above it is doubted (0: any) */
	char label[MAX_LABELS][96];
	char folded[MAX_LABELS][96]; /* the labels folded, at load */
} rule_field;

#define MAX_TEXT_LISTS 4

typedef struct rule_type {
	char name[16], title[128], title_folded[128];
	/* word lists mending the pages' text of this type (phrases only) */
	const fields_lexicon *text[MAX_TEXT_LISTS];
	int ntext;
	int nkeywords, nfields;
	char keyword[MAX_KEYWORDS][96]; /* folded at load */
	rule_field field[MAX_FIELDS];
} rule_type;

struct fields_rules {
	int ntypes, nlexicons;
	rule_type type[MAX_TYPES];
	fields_lexicon *lexicon[MAX_LEXICONS];
};

const rule_type *fields_rules_type(const struct fields_rules *r,
				   const char *name);

/* normalises value (up to 1024 bytes) in place by kind; the parse
 * quality, 0 when it is not of its kind */
double fields_normalise(const char *kind, char *value, const char *whole);

/* fields_distance - Levenshtein distance of a[0..la) and b[0..lb);
 * 1000 when either is over 250 bytes (the work stays bounded). */
int fields_distance(const char *a, size_t la, const char *b, size_t lb);

/* the edit distance a label of len folded bytes may be off by */
int fields_allowed_distance(size_t len);

#endif
