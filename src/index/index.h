/* index.h - the full-text index: a positional inverted index of every
 * record's text and fields, kept in the store's LMDB environment and
 * written in the record's own transaction, and the search over it. */
#ifndef INDEX_H
#define INDEX_H

#include <jansson.h>
#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#define INDEX_ID_MAX 24
/* A write ran out of map: the store grows it and runs the transaction
 * again. Only the store sees this code. */
#define INDEX_EMAPFULL (-1000)

typedef struct index_db index_db;

/* The fields the index knows, handed to it at open (the field
 * catalogue's; the index reads no rules): each field's name, how it is
 * kept ('t' each word with its position, 'p' each word without: places
 * and long phrases, 'd' a date by ranges, with code its letter in the
 * stored keys) and whether the record is about that person (a name
 * query searches them first). The schema is the caller's and must
 * outlive every handle, part and query made with it; stored keys depend
 * on the names and codes, which never change. */
typedef struct index_field {
	const char *name;
	char kind, code;
	int person;
	int dates_record; /* a date field that dates a type's records (the
			     catalogue's [type] date): what nam: searches */
} index_field;

typedef struct index_schema {
	const index_field *field;
	int n;
} index_schema;

/* Ranking and fuzzy matching ([search] in config/sohoa.conf). */
typedef struct index_params {
	double k1, b;          /* BM25 */
	double exact_boost;    /* a word matched with its diacritics */
	double name_boost;     /* a word found in the record's own name */
	double whole_name_boost; /* the query is the record's whole name */
	double field_boost;    /* per word of a field:value match */
	int fuzzy_below;       /* fewer hits than this: try near spellings */
} index_params;

void index_params_default(index_params *p);

/* index_open - opens (flags MDB_CREATE: creates) the index's databases
 * in txn, to keep the fields of schema. BASE_ENOTFOUND when they do not
 * exist and MDB_CREATE is not given (a store from before the index). On success you own *out;
 * release it with index_close(). */
int index_open(index_db **out, MDB_txn *txn, unsigned flags,
	       const index_schema *schema);

/* index_close - frees the handle (not the databases). NULL is fine. */
void index_close(index_db **ix);

/* index_record_add - indexes a new record inside txn: the text of its
 * pages (page_results: an array of OCR results or nulls; may be NULL),
 * its fields and type from meta. Its postings are gathered and written
 * by index_flush(), which must run before txn commits: a batch of
 * records then costs one write per term, not one per term a record. */
int index_record_add(index_db *ix, MDB_txn *txn, const char *id,
		     json_t *meta, json_t *page_results);

/* index_flush - writes the postings gathered in txn. */
int index_flush(index_db *ix, MDB_txn *txn);

/* index_pending - occurrences gathered and not yet written (about
 * three bytes each; a write decodes one term's at a time). */
size_t index_pending(const index_db *ix);

/* index_discard - forgets what was gathered (the transaction aborted).
 * NULL is fine. */
void index_discard(index_db *ix);

/* An index part: the postings of records gathered away from the
 * store's transaction, by any one thread, then handed to it with
 * index_part_put(). A batch of records is gathered this way on every
 * core while only the writer touches LMDB. */
typedef struct index_part index_part;

/* index_part_new - an empty part for schema's fields; NULL when out of
 * memory. */
index_part *index_part_new(const index_schema *schema);

/* index_part_add - gathers a record as index_record_add() would. Parts
 * are put in order, each holding records in id order. */
int index_part_add(index_part *p, const char *id, json_t *meta,
		   json_t *page_results);

/* index_part_add_texts - the same with the pages' texts given as n
 * strings (NULL for a page without text). */
int index_part_add_texts(index_part *p, const char *id, json_t *meta,
			 const char *const *texts, size_t n);

/* index_part_put - adds the part's records to txn (their lengths now,
 * their postings at index_flush()) and empties the part. */
int index_part_put(index_db *ix, MDB_txn *txn, index_part *p);

/* index_part_free - NULL is fine; *p is set to NULL. */
void index_part_free(index_part **p);

/* index_record_fields - re-indexes a record's fields and type after a
 * change (a correction), inside the transaction that makes it. */
int index_record_fields(index_db *ix, MDB_txn *txn, const char *id,
			json_t *old_meta, json_t *new_meta);

/* index_size - bytes of pages the index's databases take and their
 * number of keys. */
int index_size(index_db *ix, MDB_txn *txn, size_t *bytes, size_t *keys);

/* A parsed query. */
typedef struct index_query index_query;

/* index_query_parse - parses the query language (README, "Search"),
 * its field names schema's.
 * On a malformed query BASE_EINVAL is returned with a message naming the
 * problem and where it is. On success you own *out (index_query_free). */
int index_query_parse(const index_schema *schema, const char *text,
		      index_query **out);
void index_query_free(index_query **q);

typedef struct index_hit {
	char id[INDEX_ID_MAX];
	double score;
	int fuzzy; /* words matched only through a near spelling (0: none) */
	int partial; /* it lacks one word of the query (lacking) */
	char lacking[64]; /* that word as typed */
} index_hit;

typedef struct index_result {
	size_t total;     /* every matching record */
	size_t partial;   /* records holding all the words but one, when
			     those holding every word do not fill the page */
	size_t n;         /* hits kept (at most the limit) */
	index_hit *hits;  /* best first */
	char **marks;     /* folded words to mark in snippets */
	size_t nmarks;
	int fuzzy;        /* near spellings were searched */
} index_result;

/* index_search - runs q in the read (or write) transaction txn. On
 * success you own *out; free it with index_result_free(). */
int index_search(index_db *ix, MDB_txn *txn, const index_query *q,
		 const index_params *p, size_t limit, index_result **out);
void index_result_free(index_result **r);

/* index_snippet - about width words of text around the best cluster of
 * marked words, each marked word between « and ». You own the result
 * (free()); NULL when out of memory. */
char *index_snippet(const char *text, const index_result *r, int width);

/* index_fold - text as the index sees it: its tokens in exact form
 * (NFC, lowercase, one tone placement) and folded form (no tones or
 * marks, đ -> d), separated by single spaces. Either output may be
 * NULL with length 0. */
void index_fold(const char *in, char *exact, size_t elen, char *folded,
		size_t flen);

/* The query field that is the record's own date (each type's: its
 * registration, a certificate's issue), over the schema's fields that
 * date records. */
#define INDEX_RECORD_DATE "nam"

/* index_field_known - 1 for a field of words, 2 for a date field, 3
 * for "type", 4 for INDEX_RECORD_DATE, 0 for a name schema does not
 * know. */
int index_field_known(const index_schema *schema, const char *name);

#endif
