/* internal.h - the store module's own: the handle's insides and the
 * transaction helpers its files share (records, history, packing and
 * the index in store.c; rejections and batches in batches.c; the
 * review queue in queue.c; accounts in users.c; the access log in
 * access.c; checksums in fixity.c). Nothing outside src/store/
 * includes it. */
#ifndef STORE_INTERNAL_H
#define STORE_INTERNAL_H

#include "store.h"

#include "../index/index.h"
#include "../base/base.h"

#include <lmdb.h>
#include <pthread.h>
#include <stdint.h>

/* Internal only: a put or commit hit MDB_MAP_FULL; st_write() grows
 * the map and runs the transaction again. Never leaves this file. */
#define E_MAPFULL (-1000)
_Static_assert(E_MAPFULL == INDEX_EMAPFULL, "the index's map-full code");

#define MAP_MAX ((size_t)1 << 40)

struct store {
	MDB_env *env;
	MDB_dbi meta, records, originals, sha, history, rejects, batches;
	MDB_dbi pages, images;
	MDB_dbi texts;   /* page text (schema 3); has_texts 0 in an older store */
	int has_texts;
	/* schema 4: accounts, the access log and the review queue (the
	 * queue's entries by their order, and each record's entry key) */
	MDB_dbi users, access, queue, queue_of;
	int has_queue;
	/* schema 5: each stored value's SHA-256 (store.c, "Checksums") */
	MDB_dbi sums;
	int has_sums;
	/* the schema it was opened with (before 6, its pages' words are
	 * as read, the word lists' mends only in their texts) */
	int64_t version;
	double (*queue_review)(void *ctx, json_t *meta, json_t **problems);
	void *queue_review_ctx;
	index_db *index; /* NULL in a store from before the index, read-only */
	int index_building; /* (then NULL too) an index not yet whole */
	const index_schema *schema; /* the fields the index keeps */
	/* mdb_env_set_mapsize() needs every transaction of this process
	 * closed: transactions hold this shared, a resize holds it alone. */
	pthread_rwlock_t resize_lock;
	int lock_fd;
	char dir[4096];
	/* Fault injection for tests (SOHOA_FAULT=kill-before-commit:N or
	 * kill-after-commit:N): the process kills itself at the Nth record. */
	int fault_before, fault_after, records_added;
};

typedef int (*txn_fn)(store *s, MDB_txn *txn, void *ctx);

/* An LMDB error as a store error naming the store (E_MAPFULL for a full
 * map, which st_write() handles). */
int st_db_error(int rc, const char *what, const store *s);
/* Transactions under the resize lock: begin, abort, commit. */
int st_txn_begin(store *s, unsigned flags, MDB_txn **txn);
void st_txn_abort(store *s, MDB_txn *txn);
int st_txn_commit(store *s, MDB_txn *txn);
/* st_write - runs fn in a write transaction and commits it; a full map
 * is grown and fn run again. fn's error aborts it. */
int st_write(store *s, txn_fn fn, void *ctx);
/* JSON values under string keys; st_get_json sets *rc (BASE_ENOTFOUND
 * when absent) and returns NULL then. */
int st_put_json(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
		json_t *j, const char *what);
json_t *st_get_json(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
		    int *rc);
/* The store's counters ("next_batch", ...) in its meta database. */
int64_t st_get_counter(store *s, MDB_txn *txn, const char *name);
int st_set_counter(store *s, MDB_txn *txn, const char *name, int64_t v);

/* st_queue_put - a record's place in the review queue from its metadata
 * and its review (what needs a person: a score, 0 for nothing, and the
 * problems, the caller's): its old entry removed, a new one written when
 * it needs a person and is not marked reviewed. review NULL keeps the
 * score and problems of the entry it had, refreshed from meta. Nothing
 * when the store has no queue. */
typedef struct st_review {
	double score;
	json_t *problems;
} st_review;
int st_queue_put(store *s, MDB_txn *txn, const char *id, json_t *meta,
		 const st_review *review);
/* st_access_put - appends entries to the access log in txn (access.c). */
int st_access_put(store *s, MDB_txn *txn, json_t *const *entries, size_t n);
/* st_queue_build - every record's entry, for a store from before the
 * queue (schema 4's upgrade) or that a tool of an earlier sohoa left
 * behind (its counter "queue_stale"), from the opener's queue_review. */
int st_queue_build(store *s, MDB_txn *txn);

/* store.c: the map grown (by half), whether less than want bytes of it
 * are free; checksums' tags and their entries; raw values under keys
 * (st_get's *v lives until the transaction ends); counters added to;
 * the databases opened (created with MDB_CREATE); the schema checked
 * (and, may_write, brought up to date). */
int st_map_grow(store *s);
int st_map_tight(store *s, size_t want);
char st_sum_tag(const store *s, MDB_dbi dbi);
int st_sum_put(store *s, MDB_txn *txn, char tag, const void *k, size_t klen,
	       const void *v, size_t vlen);
int st_put(store *s, MDB_txn *txn, MDB_dbi dbi, const void *k, size_t klen,
	   const void *v, size_t vlen, const char *what);
int st_put_str(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
	       const char *v, const char *what);
int st_get(store *s, MDB_txn *txn, MDB_dbi dbi, const void *k, size_t klen,
	   MDB_val *v);
int st_add_counter(store *s, MDB_txn *txn, const char *name, int64_t by);
int st_open_dbs(store *s, MDB_txn *txn, unsigned flags);
int st_check_schema(store *s, MDB_txn *txn, int may_write);

/* Runs fn on the runs of [0, n) (base_on_cores: one a core, at least 64
 * items each) with its index part when parts are asked for: *nt new
 * empty parts, each to hold its run's postings in order. */
typedef struct core_run {
	void *ctx;
	index_part *part;
	size_t from, to;
} core_run;
int st_on_cores(const store *s, size_t n, int (*fn)(core_run *), void *ctx,
		index_part *part[BASE_CORES_MAX], size_t *nt);

/* upgrade.c: what an older store lacks, found when it opens, and
 * st_upgrade, which brings it up to date (the index last, in
 * transactions of its own); st_index_building: whether txn's store has
 * an index still being built (then opened as one without). */
struct upgrade {
	int unindexed, unqueued; /* unqueued: no queue, or one left behind */
	int unsummed;            /* no checksums (before schema 5) */
	int unmended;            /* words as read (before schema 6) */
};
int st_upgrade(store *s, struct upgrade *u);
int st_index_building(store *s, MDB_txn *txn);
/* read.c: page key's text (the texts database's, else a version-2
 * page's own); BASE_ENOTFOUND for none. *text points into the map or
 * into page (a parsed page, may be NULL) and lives as long as both. */
int st_page_text_of(store *s, MDB_txn *txn, const char *key, json_t *page,
		    const char **text);

/* records.c: a history event appended under the record's next key; a
 * page's key, "ID:N". */
int st_history_put(store *s, MDB_txn *txn, const char *id, json_t *event);
void st_page_key(char *key, size_t len, const char *id, int n);

#endif
