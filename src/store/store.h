/* store.h - the archive store: one LMDB environment per folder holding
 * records, their original files (zstd), history, rejections and batches. */
#ifndef STORE_H
#define STORE_H

#include "../index/index.h"

#include <jansson.h>
#include <stddef.h>

/* 2: the search index (ix_*). A version-1 store gets its index and
 * version 2 on its first write; an older sohoa, which would store records
 * without indexing them, refuses a version-2 store.
 * 3: a page's text in "texts", apart from its words and boxes in "pages"
 * (reading or indexing the text parses no JSON). Version-2 records keep
 * the text in "pages" and are read as they are; an older sohoa would
 * show version-3 pages without their text, so it refuses the store. */
#define STORE_SCHEMA_VERSION 3
#define STORE_ID_MAX 24

typedef struct store store;

typedef struct store_opts {
	size_t map_size; /* initial map size in bytes; grows by itself */
	int create;      /* create the store if it does not exist */
	int bulk;        /* bulk load: no sync per record, one at close
			  * (a crash may lose the load, never older data) */
} store_opts;

/* A record as handed over by ingest. All pointers stay the caller's. */
typedef struct store_new_record {
	const char *sha256;    /* 64 hex digits of the original */
	json_t *meta;          /* source, pages, batch...; "id" is added */
	const void *packed;    /* the original, from store_pack() */
	size_t packed_len;
	size_t bytes;          /* length of the original */
	int pages;
	const char *batch;
	const char *user;
	/* OCR, when it ran: one result object (or null) per page, and each
	 * page's cleaned image (G4 TIFF; NULL when there is none) */
	json_t *page_results;
	unsigned char *const *images;
	const size_t *image_lens;
} store_new_record;

/* store_open - opens the store in folder dir.
 * Notes:
 *  1. With o->create the folder and environment are made on first use;
 *     without it a missing store is SH_ENOTFOUND.
 *  2. A store written by a newer schema is refused with SH_EVERSION.
 *  3. On success you own *out; release it with store_close(). */
int store_open(store **out, const char *dir, const store_opts *o);

/* store_close - closes the store and its writer lock. NULL is fine;
 * *s is set to NULL. */
void store_close(store **s);

/* store_dir - the folder the store lives in. */
const char *store_dir(const store *s);

/* store_writer_lock - takes the store's ingest lock without waiting.
 * SH_EBUSY, naming the holder's pid, if another process holds it. The
 * lock goes with store_close() or the death of the process. */
int store_writer_lock(store *s);

/* store_pack / store_unpack - zstd with a content checksum. On success
 * *out is yours to free(). Neither touches the store; workers call them
 * in parallel. store_unpack refuses frames larger than max_len. */
int store_pack(const void *data, size_t len, int level, void **out,
	       size_t *out_len);
int store_unpack(const void *data, size_t len, size_t max_len, void **out,
		 size_t *out_len);

/* store_record_add - stores one record in one transaction: its metadata,
 * packed original, SHA-256 index entry, first history event and the
 * counters. After a crash it is either all there or not at all.
 * If the SHA-256 is already stored nothing is written, id is set to the
 * existing record and SH_EEXIST is returned. */
int store_record_add(store *s, const store_new_record *r,
		     char id[STORE_ID_MAX]);

/* store_record_add_batch - stores n records in one transaction (a bulk
 * load: all or none after a crash). rcs[i] is 0 or SH_EEXIST for each,
 * ids[i] its id. */
int store_record_add_batch(store *s, const store_new_record *r, size_t n,
			   char (*ids)[STORE_ID_MAX], int *rcs);

/* store_sha_lookup - the id stored for a SHA-256, or SH_ENOTFOUND. */
int store_sha_lookup(store *s, const char *sha256, char id[STORE_ID_MAX]);

/* store_record_get - a record's metadata and history (either out pointer
 * may be NULL). SH_ENOTFOUND for an unknown id. You own the results. */
int store_record_get(store *s, const char *id, json_t **meta,
		     json_t **history);

/* store_original_get - the original file, unpacked. You own *data.
 * SH_ECORRUPT if the stored frame cannot be unpacked. */
int store_original_get(store *s, const char *id, void **data, size_t *len);

/* store_page_get - page n's OCR result (text, words, confidence...), or
 * SH_ENOTFOUND when none was stored. You own *result. */
int store_page_get(store *s, const char *id, int n, json_t **result);

/* store_page_text - page n's text alone (no JSON read), or SH_ENOTFOUND
 * when the page has none. You own *text (free()). */
int store_page_text(store *s, const char *id, int n, char **text);

/* store_image_get - page n's cleaned image (bilevel G4 TIFF), or
 * SH_ENOTFOUND. You own *data (free()). */
int store_image_get(store *s, const char *id, int n, void **data,
		    size_t *len);

/* store_record_update - changes a record's metadata and appends the
 * history event describing the change, in one transaction: the change
 * is never without its trace. fn gets the current metadata to modify in
 * place and the event to fill; a non-zero return from fn aborts with
 * nothing written and is returned. SH_ENOTFOUND for an unknown id. */
int store_record_update(store *s, const char *id,
			int (*fn)(json_t *meta, json_t *event, void *ctx),
			void *ctx);

/* store_history_append - appends one event (time and user are added when
 * missing) to a record's history. History is never rewritten. */
int store_history_append(store *s, const char *id, json_t *event);

/* store_reject_add - records a rejected input file (path, reason, batch,
 * sha256 when it could be read). The same file rejected again updates
 * its entry instead of adding one. */
int store_reject_add(store *s, json_t *reject);

/* store_batch_begin / store_batch_finish - allocates a batch id and later
 * stores the batch's summary under it. */
int store_batch_begin(store *s, char batch[STORE_ID_MAX]);
int store_batch_finish(store *s, const char *batch, json_t *summary);

/* store_batch_get - the summary stored for batch (you own it);
 * SH_ENOTFOUND when there is none. store_batch_last - the newest batch
 * with a summary; SH_ENOTFOUND when the store has none yet. */
int store_batch_get(store *s, const char *batch, json_t **summary);
int store_batch_last(store *s, char batch[STORE_ID_MAX]);

/* store_versions - "lmdb 0.9.24, zstd 1.5.4" as linked, into out. */
void store_versions(char *out, size_t cap);

/* store_search - runs a parsed query in one read transaction: it sees
 * every record committed before it began and never waits for a writer.
 * SH_ENOTFOUND when the store has no index yet. You own *out. */
int store_search(store *s, const index_query *q, const index_params *p,
		 size_t limit, index_result **out);

/* store_list_ids - every record id in order. You own the array and each
 * string; free with store_ids_free(). */
int store_list_ids(store *s, char ***ids, size_t *n);
void store_ids_free(char **ids, size_t n);

/* store_list_rejects - every rejection entry as a JSON array. */
int store_list_rejects(store *s, json_t **out);

/* store_stats - counters: records, pages, rejected, batches,
 * original_bytes, packed_bytes, store_bytes, map_bytes, index_bytes. */
int store_stats(store *s, json_t **out);

#endif
