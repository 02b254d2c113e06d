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
/* 4: accounts, the access log and the review queue, kept in the same
 * transaction as each record and correction; an older sohoa would
 * store records without queueing them, so it refuses the store. A
 * version-3 store gains them on its first write. Version 5 adds a
 * SHA-256 of every stored value (record, original, page result, text,
 * image), verified on every read: an older sohoa would write values
 * without them, which then read as damaged, so it refuses the store.
 * Version 6 stores pages' words already mended by the word lists.
 * Version 7 builds a missing index in transactions of its own, the meta
 * key "index_after" marking one not yet whole: an older sohoa would
 * search it as if it were, so it refuses the store. */
#define STORE_SCHEMA_VERSION 7
#define STORE_ID_MAX 24

typedef struct store store;

typedef struct store_opts {
	size_t map_size; /* initial map size in bytes; grows by itself */
	int create;      /* create the store if it does not exist */
	int bulk;        /* bulk load: no sync per record, one at close
			  * (a crash may lose the load, never older data) */
	int write;       /* will write: an older store is upgraded on open */
	/* For a store whose review queue is to be built whole (one from
	 * before the queue, schema 3, or that a tool of an earlier sohoa
	 * left behind) and for that upgrade alone: what needs a person in
	 * each record (fields_review with the rules), a score (0: nothing)
	 * and the problems, yours. Without it such a store is not opened
	 * for writing. Every write hands in its own record's review
	 * (store_new_record's, an update's event "review"). */
	double (*queue_review)(void *ctx, json_t *meta, json_t **problems);
	void *queue_review_ctx;
	/* the fields the index keeps (the field catalogue's); the caller's,
	 * for as long as the store is open */
	const index_schema *schema;
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
	/* what in it needs a person (fields_review's score, 0 for nothing,
	 * and its problems): the record's place in the review queue */
	double review;
	json_t *problems;
} store_new_record;

/* store_open - opens the store in folder dir.
 * Notes:
 *  1. With o->create the folder and environment are made on first use;
 *     without it a missing store is BASE_ENOTFOUND.
 *  2. A store written by a newer schema is refused with BASE_EVERSION.
 *  3. On success you own *out; release it with store_close(). */
int store_open(store **out, const char *dir, const store_opts *o);

/* store_close - closes the store and its writer lock. NULL is fine;
 * *s is set to NULL. */
void store_close(store **s);

/* store_dir - the folder the store lives in. */
const char *store_dir(const store *s);

/* store_writer_lock - takes the store's ingest lock without waiting.
 * BASE_EBUSY, naming the holder's pid, if another process holds it. The
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
 * existing record and BASE_EEXIST is returned. */
int store_record_add(store *s, const store_new_record *r,
		     char id[STORE_ID_MAX]);

/* store_record_add_batch - stores n records in one transaction (a bulk
 * load: all or none after a crash). rcs[i] is 0 or BASE_EEXIST for each,
 * ids[i] its id. */
int store_record_add_batch(store *s, const store_new_record *r, size_t n,
			   char (*ids)[STORE_ID_MAX], int *rcs);

/* store_sha_lookup - the id stored for a SHA-256, or BASE_ENOTFOUND. */
int store_sha_lookup(store *s, const char *sha256, char id[STORE_ID_MAX]);

/* store_record_get - a record's metadata and history (either out pointer
 * may be NULL). BASE_ENOTFOUND for an unknown id. You own the results. */
int store_record_get(store *s, const char *id, json_t **meta,
		     json_t **history);

/* store_original_get - the original file, unpacked. You own *data.
 * BASE_ECORRUPT if the stored frame cannot be unpacked. */
int store_original_get(store *s, const char *id, void **data, size_t *len);

/* store_original_packed - the original as stored (its zstd frame,
 * checked against its checksum): what another store takes bit for bit
 * (a merge). You own *data. BASE_ENOTFOUND for an unknown id. */
int store_original_packed(store *s, const char *id, void **data,
			  size_t *len);

/* store_page_get - page n's OCR result (text, words, confidence...), or
 * BASE_ENOTFOUND when none was stored. You own *result. */
int store_page_get(store *s, const char *id, int n, json_t **result);

/* store_page_text - page n's text alone (no JSON read), or BASE_ENOTFOUND
 * when the page has none. You own *text (free()). */
int store_page_text(store *s, const char *id, int n, char **text);

/* store_image_get - page n's cleaned image (bilevel G4 TIFF), or
 * BASE_ENOTFOUND. You own *data (free()). */
int store_image_get(store *s, const char *id, int n, void **data,
		    size_t *len);

/* store_record_update - changes a record's metadata and appends the
 * history event describing the change, in one transaction: the change
 * is never without its trace. fn gets the current metadata to modify in
 * place and the event to fill; a non-zero return from fn aborts with
 * nothing written and is returned. BASE_ENOTFOUND for an unknown id. */
int store_record_update(store *s, const char *id,
			int (*fn)(json_t *meta, json_t *event, void *ctx),
			void *ctx);

/* fn may put into event an "access" array of access-log entries: they
 * are appended to the access log in the same transaction (and are not
 * kept in the history); and, when it changed what a person is to
 * review, a "review" object {"score", "problems"} (fields_review's on
 * the changed metadata): the record's place in the review queue, in the
 * same transaction. Without it the record keeps the place it had (its
 * type, batch and time of update refreshed). store_record_update also keeps, in the
 * record's metadata, "version"
 * (1 when stored, one more at each update) and "updated" ({"user",
 * "time"} of the last update): a save made against an older version can
 * be refused by fn, naming who changed it and when. */

/* store_records_update - store_record_update on each of ids (fn may be
 * NULL when n is 0), the access-log entries appended and the note drop
 * (when not NULL) removed, all in one transaction: an export's records
 * marked, its log entry and the end of its note, or none of them. */
int store_records_update(store *s, char *const *ids, size_t n,
			 int (*fn)(json_t *meta, json_t *event, void *ctx),
			 void *ctx, json_t *const *entries, size_t nentries,
			 const char *drop);

/* Notes: a JSON object kept under a name until a store_records_update
 * drops it, for work that spans a transaction and a change on disk (an
 * export's package renamed into place): the next writer finds what a
 * kill left between them. store_note_put - stores value (its "note"
 * set to name); store_note_list - every note whose name begins with
 * prefix, as an array. */
int store_note_put(store *s, const char *name, json_t *value);
int store_note_list(store *s, const char *prefix, json_t **out);

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
 * BASE_ENOTFOUND when there is none. store_batch_last - the newest batch
 * with a summary; BASE_ENOTFOUND when the store has none yet. */
int store_batch_get(store *s, const char *batch, json_t **summary);
int store_batch_last(store *s, char batch[STORE_ID_MAX]);

/* store_versions - "lmdb 0.9.24, zstd 1.5.4" as linked, into out. */
void store_versions(char *out, size_t cap);

/* store_schema - the fields the store's index was opened with (its
 * opener's), NULL when none was given. */
const index_schema *store_schema(const store *s);

/* store_search - runs a parsed query in one read transaction: it sees
 * every record committed before it began and never waits for a writer.
 * BASE_ENOTFOUND when the store has no index yet. You own *out. */
int store_search(store *s, const index_query *q, const index_params *p,
		 size_t limit, index_result **out);

/* store_list_ids - every record id in order. You own the array and each
 * string; free with store_ids_free(). */
int store_list_ids(store *s, char ***ids, size_t *n);
void store_ids_free(char **ids, size_t n);

/* store_list_rejects - every rejection entry as a JSON array. */
int store_list_rejects(store *s, json_t **out);

/* store_record_check - the record's metadata and each page's result,
 * text and image read against their checksums, its original unpacked
 * and its SHA-256 compared with the one taken at ingest: 0, or
 * BASE_ECORRUPT with why, not naming the record again ("original's SHA-256
 * is ..., stored at ingest as ...", "the page image 'HS-000003:0001' is
 * damaged ...", or the read's error). */
int store_record_check(store *s, const char *id, char *why, size_t len);

/* store_stats - counters: records, pages, rejected, batches,
 * original_bytes, packed_bytes, store_bytes, map_bytes, index_bytes. */
int store_stats(store *s, json_t **out);

/* The review queue: records that need a person, worst first. */
typedef struct store_queue_filter {
	const char *type;    /* NULL or "" for any */
	const char *batch;
	const char *problem; /* "missing", "low confidence", "readings
			      * disagree", "unknown type" */
	const char *since;   /* for store_queue_next: records updated at or
			      * after this time (ISO) are passed over: a
			      * pass through the queue meets each once */
} store_queue_filter;

/* store_queue_list - the queue's records matching f, from the offset-th
 * for limit: *out (yours) {"total" (matching), "counts": {"type": {..},
 * "batch": {..}, "problem": {..}} over the whole queue, "records": [{"id",
 * "type", "batch", "score", "problems": [{"field", "problem",
 * "confidence"}]}]}. BASE_ENOTFOUND when the store has no queue (an older
 * store not yet written to). */
int store_queue_list(store *s, const store_queue_filter *f, size_t offset,
		     size_t limit, json_t **out);

/* store_queue_key - the record's place in the queue (an opaque key of
 * at most STORE_QKEY_MAX bytes with its NUL), or BASE_ENOTFOUND when it is
 * not queued. */
#define STORE_QKEY_MAX 48
int store_queue_key(store *s, const char *id, char key[STORE_QKEY_MAX]);

/* store_queue_next - the first record matching f after place key (""
 * for the start) other than skip, with wrap round to the start too; id
 * set, or BASE_ENOTFOUND when no other record matches. */
int store_queue_next(store *s, const store_queue_filter *f, const char *key,
		     const char *skip, int wrap, char id[STORE_ID_MAX]);

/* Accounts: {"name", "role", "hash" (Argon2id, libsodium's string form),
 * "disabled", "token" (SHA-256 of the API token), "created"}. */
#define STORE_ROLE_VIEWER 1
#define STORE_ROLE_REVIEWER 2
#define STORE_ROLE_ADMIN 3

/* store_role_of - 1..3 for "viewer", "reviewer", "admin"; 0 otherwise. */
int store_role_of(const char *role);

/* store_user_add - a new account with role and password (hashed here).
 * BASE_EEXIST when the name is taken, BASE_EINVAL for a bad name, role or a
 * password under 8 characters. */
int store_user_add(store *s, const char *name, const char *role,
		   const char *password);

/* store_user_passwd / store_user_disable - a new password; an account
 * that can no longer log in (its token dropped too). BASE_ENOTFOUND for
 * an unknown name. */
int store_user_passwd(store *s, const char *name, const char *password);
int store_user_disable(store *s, const char *name);

/* store_user_token - a new API token for name, into token (64 hex
 * digits and its NUL), good for days (1-3660) until *expires (UTC, ISO
 * 8601); read-only (a viewer's rights) unless full, then all the
 * account's role may. Only its hash is kept, so an old one stops
 * working. */
int store_user_token(store *s, const char *name, int days, int full,
		     char token[65], char expires[32]);

/* store_user_login - whether password is name's (and the account is
 * enabled): 0 with *role set, BASE_EINVAL when not (the same answer for
 * an unknown name, a wrong password and a disabled account). */
int store_user_login(store *s, const char *name, const char *password,
		     int *role);

/* store_user_by_token - the enabled account holding token: name (at
 * most 64 bytes) and *role (a viewer's for a read-only token), or
 * BASE_EINVAL; BASE_EDENIED for an expired one (or one made before tokens
 * expired). */
int store_user_by_token(store *s, const char *token, char name[65],
			int *role);

/* store_user_list - every account, without hashes. *out yours. */
int store_user_list(store *s, json_t **out);

/* store_user_count - how many accounts there are, disabled ones too (0
 * only for a store that never had one). */
int store_user_count(store *s, size_t *n);

/* store_user_role - name's role now: 0 when disabled or unknown (and
 * then returns 0 too); an error only when the store cannot be read. */
int store_user_role(store *s, const char *name, int *role);

/* The access log: who looked at or changed what, appended and never
 * rewritten. store_access_add - appends entry ({"user", "action",
 * "record" or "query", "address"}; "time" added). */
int store_access_add(store *s, json_t *entry);

/* store_access_add_many - n entries in one transaction (one commit for
 * the requests of a busy site). All or none. */
int store_access_add_many(store *s, json_t *const *entries, size_t n);

typedef struct store_access_filter {
	const char *user, *record, *since; /* NULL: any; since a date or time */
	const char *action;
	size_t limit;                      /* 0: all; else the newest limit */
} store_access_filter;

/* store_access_list - the entries matching f, oldest first, each with
 * "seq". *out yours. */
int store_access_list(store *s, const store_access_filter *f, json_t **out);

#endif
