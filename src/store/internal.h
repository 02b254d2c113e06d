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
	double (*review)(void *ctx, json_t *meta, json_t **problems);
	void *review_ctx;
	index_db *index; /* NULL in a store from before the index, read-only */
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
/* JSON values under string keys; st_get_json sets *rc (SH_ENOTFOUND
 * when absent) and returns NULL then. */
int st_put_json(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
		json_t *j, const char *what);
json_t *st_get_json(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
		    int *rc);
/* The store's counters ("next_batch", ...) in its meta database. */
int64_t st_get_counter(store *s, MDB_txn *txn, const char *name);
int st_set_counter(store *s, MDB_txn *txn, const char *name, int64_t v);

/* st_queue_put - a record's place in the review queue from its metadata
 * (the store's review hook says what needs a person): its old entry
 * removed, a new one written when it needs a person and is not marked
 * reviewed. Nothing when the store has no hook or no queue. */
int st_queue_put(store *s, MDB_txn *txn, const char *id, json_t *meta);
/* st_access_put - appends entries to the access log in txn (access.c). */
int st_access_put(store *s, MDB_txn *txn, json_t *const *entries, size_t n);
/* st_queue_build - every record's entry, for a store from before the
 * queue (schema 4's upgrade). */
int st_queue_build(store *s, MDB_txn *txn);

#endif
