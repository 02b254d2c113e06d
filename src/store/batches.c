/* batches.c - the store's rejections (a file refused, with its reason,
 * one entry however often it comes back) and its batches (an id handed
 * out at the start, the summary kept at the end, read back for the
 * morning report). */
#include "internal.h"

#include "../base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

static int reject_txn(store *s, MDB_txn *txn, void *ctx)
{
	json_t *rej = ctx, *old;
	const char *sha = json_string_value(json_object_get(rej, "sha256"));
	const char *path = json_string_value(json_object_get(rej, "path"));
	char key[4200];
	int rc;

	/* Keyed by content when it could be read, else by path, so that a
	 * file rejected night after night stays one entry. */
	if (sha)
		snprintf(key, sizeof(key), "sha:%s", sha);
	else
		snprintf(key, sizeof(key), "path:%s", path ? path : "");
	key[500] = '\0'; /* under LMDB's key limit */
	old = st_get_json(s, txn, s->rejects, key, &rc);
	json_object_set_new(rej, "times",
			    json_integer(old ? json_integer_value(json_object_get(
						       old, "times")) + 1 : 1));
	if (old && json_object_get(old, "first_seen"))
		json_object_set(rej, "first_seen",
				json_object_get(old, "first_seen"));
	json_decref(old);
	if (rc && rc != BASE_ENOTFOUND)
		return rc;
	return st_put_json(s, txn, s->rejects, key, rej, "cannot record rejection");
}

int store_reject_add(store *s, json_t *reject)
{
	char stamp[32];

	base_now_iso(stamp);
	json_object_set_new(reject, "first_seen", json_string(stamp));
	json_object_set_new(reject, "last_seen", json_string(stamp));
	return st_write(s, reject_txn, reject);
}

static int batch_begin_txn(store *s, MDB_txn *txn, void *ctx)
{
	char *batch = ctx;
	int64_t n = st_get_counter(s, txn, "next_batch");

	if (n < 1)
		n = 1;
	snprintf(batch, STORE_ID_MAX, "B-%06lld", (long long)n);
	return st_set_counter(s, txn, "next_batch", n + 1);
}

int store_batch_begin(store *s, char batch[STORE_ID_MAX])
{
	return st_write(s, batch_begin_txn, batch);
}

struct batch_ctx {
	const char *batch;
	json_t *summary;
};

static int batch_finish_txn(store *s, MDB_txn *txn, void *ctx)
{
	struct batch_ctx *c = ctx;

	return st_put_json(s, txn, s->batches, c->batch, c->summary,
			"cannot record batch");
}

int store_batch_finish(store *s, const char *batch, json_t *summary)
{
	struct batch_ctx c = { batch, summary };

	return st_write(s, batch_finish_txn, &c);
}

int store_list_rejects(store *s, json_t **out)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	*out = json_array();
	if (rc)
		return rc;
	if (mdb_cursor_open(txn, s->rejects, &cur) == 0) {
		for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
		     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
			json_t *j = json_loadb(v.mv_data, v.mv_size, 0, NULL);
			if (j)
				json_array_append_new(*out, j);
		}
		mdb_cursor_close(cur);
	}
	st_txn_abort(s, txn);
	return 0;
}


int store_batch_get(store *s, const char *batch, json_t **summary)
{
	MDB_txn *txn;
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	*summary = NULL;
	if (rc)
		return rc;
	*summary = st_get_json(s, txn, s->batches, batch, &rc);
	st_txn_abort(s, txn);
	if (rc == BASE_ENOTFOUND)
		return base_fail(BASE_ENOTFOUND, "store '%s' has no batch '%s'",
			       s->dir, batch);
	return rc;
}

int store_batch_last(store *s, char batch[STORE_ID_MAX])
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	batch[0] = '\0';
	if (rc)
		return rc;
	/* ids are B- and six digits, so the last key is the newest */
	rc = mdb_cursor_open(txn, s->batches, &cur);
	if (rc == 0) {
		rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
		if (rc == 0 && k.mv_size < STORE_ID_MAX)
			snprintf(batch, STORE_ID_MAX, "%.*s", (int)k.mv_size,
				 (const char *)k.mv_data);
		mdb_cursor_close(cur);
	}
	st_txn_abort(s, txn);
	if (rc == MDB_NOTFOUND || !batch[0])
		return base_fail(BASE_ENOTFOUND, "store '%s' has no finished batch yet",
			       s->dir);
	return rc ? st_db_error(rc, "cannot read batches", s) : 0;
}

void store_versions(char *out, size_t cap)
{
	int major, minor, patch;

	mdb_version(&major, &minor, &patch);
	snprintf(out, cap, "lmdb %d.%d.%d, zstd %s", major, minor, patch,
		 ZSTD_versionString());
}
