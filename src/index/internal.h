/* internal.h - what the index's files share: tokens, term keys, postings
 * blocks and the databases. Not for use outside src/index/. */
#ifndef INDEX_INTERNAL_H
#define INDEX_INTERNAL_H

#include "index.h"

#include "../base/base.h"

#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define IX_TERM_MAX 48      /* code points kept of one token */
#define IX_KEY_MAX 200      /* bytes of a term key */
/* A postings block's bytes, at most: two 4 KiB overflow pages, less
 * LMDB's page header. */
#define IX_BLOCK_BYTES (2 * 4096 - 16)

typedef struct ix_token {
	char exact[IX_TERM_MAX * 4 + 1];
	char folded[IX_TERM_MAX * 4 + 1];
	size_t start, end; /* bytes of the source text */
	int digits;        /* only digits (leading zeros dropped) */
} ix_token;

/* One term's occurrences as gathered, in the order they came: pairs of
 * varints, the document's gap from the last occurrence's (0: the same
 * document; the first is the document itself) and the position. About
 * three bytes an occurrence, and already grouped by term. */
typedef struct ix_tbuf {
	unsigned char *b;
	uint32_t len, cap;
	uint32_t last_doc;
} ix_tbuf;

/* Occurrences waiting to be written, by interned term. */
typedef struct ix_gather {
	const index_schema *schema; /* the fields' names and kinds */
	ix_tbuf *tb;                /* each term's occurrences */
	size_t n;                   /* occurrences in all */
	uint32_t doc, body_len;     /* the record being added */
	uint32_t *slot;             /* hash table of term ids */
	size_t slot_cap, nterms, term_cap;
	size_t *term_off;           /* each term's key in arena */
	char *arena;
	size_t arena_len, arena_cap;
	struct ix_span *span;       /* body tokens as written -> terms */
	size_t span_cap, nspans;
} ix_gather;

struct index_db {
	MDB_dbi terms;  /* term key \0 first doc (BE32) -> postings block */
	MDB_dbi vocab;  /* folded body syllable -> "" (for fuzzy search) */
	MDB_dbi docs;   /* doc >> 7 (BE32) -> 128 body lengths; "n" -> stats */
	ix_gather pending; /* added in this transaction, not yet written */
};

/* What a term's blocks keep for each document: term frequency, also
 * positions, or the document alone (tf reads as 1). */
enum { IX_TF = 0, IX_POS = 1, IX_DOCS = 2 };

/* One term's postings, decoded: documents ascending, their term
 * frequencies and (when kept) positions, pos[off[i] .. off[i]+tf[i]).
 * has_pos is one of IX_TF, IX_POS, IX_DOCS; off is set only for
 * IX_POS when the list was read from the index. */
typedef struct ix_plist {
	uint32_t *doc, *tf, *off, *pos;
	size_t n, cap, npos, poscap;
	int has_pos;
} ix_plist;

/* A query: clauses, all required, exclusions marked neg. */
enum { IX_C_TERM, IX_C_PHRASE, IX_C_FIELD, IX_C_DATE, IX_C_TYPE };

typedef struct ix_clause {
	int kind, neg;
	char field[32];
	ix_token *tok;       /* TERM, PHRASE, FIELD */
	size_t ntok;
	uint32_t lo, hi;     /* DATE: YYYYMMDD, inclusive */
	uint32_t alt;        /* DATE typed bare with a two-digit year: the
				same day a century earlier, or 0 */
	int record_date;     /* DATE as nam: the fields that date records */
	char value[32];      /* TYPE */
} ix_clause;

#define QUERY_CLAUSES_MAX 24

struct index_query {
	const index_schema *schema; /* the fields its names are */
	ix_clause *c;
	size_t n;
};

/* text.c */
int ix_token_next(const char *s, size_t *pos, ix_token *t);
/* ix_token_span - where the next token of s from *pos lies, [*start,
 * *end); 0 at the end. ix_token_forms - its forms. ix_token_next is
 * the two. */
int ix_token_span(const char *s, size_t *pos, size_t *start, size_t *end);
void ix_token_forms(const char *s, size_t start, size_t end, ix_token *t);
int ix_tokenize(const char *s, ix_token **out, size_t *n);

/* postings.c */
int ix_db_error(int rc, const char *what);
size_t ix_put_varint(unsigned char *p, uint32_t v);
/* ix_get_varint - reads a varint; a truncated or overlong one stops at
 * end. */
uint32_t ix_get_varint(const unsigned char **p, const unsigned char *end);
/* ix_varint - the same, a one-byte varint (most gaps, tfs and positions)
 * without a call. */
static inline uint32_t ix_varint(const unsigned char **p,
				 const unsigned char *end)
{
	if (*p < end && !(**p & 0x80))
		return *(*p)++;
	return ix_get_varint(p, end);
}
int ix_postings_read(MDB_txn *txn, MDB_dbi dbi, const char *term,
		     int want_pos, ix_plist *out);
/* ix_postings_count - how many documents term has, from its blocks'
 * counts (nothing decoded); 0 for a term not there. */
int ix_postings_count(MDB_txn *txn, MDB_dbi dbi, const char *term,
		      size_t *n);
/* ix_block_make - the stored form of p[from..to) (block.c): header and
 * body, each part compressed when it is big enough to gain; *out
 * yours. ix_plist_reserve, ix_pos_reserve - room in p for want
 * documents, want positions. */
int ix_block_make(const ix_plist *p, size_t from, size_t to,
		  unsigned char **out, size_t *len);
int ix_plist_reserve(ix_plist *p, size_t want);
int ix_pos_reserve(ix_plist *p, size_t want);
/* ix_block_decode - appends one stored block to out; first is the
 * document its key names. */
int ix_block_decode(const unsigned char *b, size_t len, uint32_t first,
		    int want_pos, ix_plist *out);
int ix_postings_insert(MDB_txn *txn, MDB_dbi dbi, const char *term,
		       uint32_t doc, const uint32_t *pos, uint32_t tf,
		       int has_pos);
/* ix_postings_append - adds the documents of add (ascending, none in
 * the term yet) to a term: one read and one write of its last block
 * when they are newer than all it has. fresh says they are newer than
 * every document of the index (new records), so a full last block need
 * not even be read. */
int ix_postings_append(MDB_txn *txn, MDB_dbi dbi, const char *term,
		       const ix_plist *add, int fresh);
int ix_postings_remove(MDB_txn *txn, MDB_dbi dbi, const char *term,
		       uint32_t doc);
void ix_plist_free(ix_plist *p);
/* ix_zstd_release - frees this thread's zstd contexts (made again when
 * needed); called when a write or a search is done. */
void ix_zstd_release(void);
int ix_plist_add(ix_plist *p, uint32_t doc, const uint32_t *pos,
		 uint32_t tf);
size_t ix_plist_find(const ix_plist *p, uint32_t doc);

/* Term keys: "b:" body folded (positions), "x:" body exact when it
 * differs, "f:FIELD:" field folded (positions unless a long field),
 * "w:FIELD:" a whole name field's folded value, "d:" a date field's
 * code and YYYYMM (positions: the days). */
void ix_term_key(char *out, char kind, const char *field, const char *t);

uint32_t ix_doc_of(const char *id);
void ix_id_of(uint32_t doc, char id[INDEX_ID_MAX]);

/* index.c: a field's entry in schema (NULL when it has none), whether
 * its words keep positions, its date code ('z' for none) */
const index_field *ix_field(const index_schema *schema, const char *field);
int ix_field_positional(const index_schema *schema, const char *field);
char ix_date_code(const index_schema *schema, const char *field);
/* The person fields of schema in order, from *i on (advanced past the
 * one returned): for (int i = 0; (f = ix_person_next(s, &i));). NULL
 * after the last. */
const char *ix_person_next(const index_schema *schema, int *i);
int ix_doc_lengths(index_db *ix, MDB_txn *txn, uint32_t doc,
		   uint32_t len[128]);
int ix_stats(index_db *ix, MDB_txn *txn, uint64_t *ndocs, uint64_t *total);

#endif
