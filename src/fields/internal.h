/* internal.h - the fields module's rule tables, shared by its files and
 * by nothing else. */
#ifndef FIELDS_INTERNAL_H
#define FIELDS_INTERNAL_H

#include <stddef.h>

#define MAX_TYPES 8
#define MAX_FIELDS 24
#define MAX_LABELS 6
#define MAX_KEYWORDS 8

typedef struct rule_field {
	char name[32], kind[16];
	char confirms[32]; /* a helper field ("_x") that cross-checks this one */
	int required, occurrence, nlabels;
	char label[MAX_LABELS][96];
} rule_field;

typedef struct rule_type {
	char name[16], title[128];
	int nkeywords, nfields;
	char keyword[MAX_KEYWORDS][96];
	rule_field field[MAX_FIELDS];
} rule_type;

struct fields_rules {
	int ntypes;
	rule_type type[MAX_TYPES];
};

const rule_type *fields_rules_type(const struct fields_rules *r,
				   const char *name);

/* normalises value (up to 1024 bytes) in place by kind; the parse
 * quality, 0 when it is not of its kind */
double fields_normalise(const char *kind, char *value, const char *whole);

/* the edit distance a label of len folded bytes may be off by */
int fields_allowed_distance(size_t len);

#endif
