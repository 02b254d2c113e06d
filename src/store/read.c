/* read.c - records read (metadata, history, originals, pages, texts,
 * images, each checked against its checksum) and updated; notes, the
 * search, listing and the store's totals. */
#include "store.h"

#include "../index/index.h"
#include "../base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "internal.h"

#include <errno.h>
#include <sys/statvfs.h>


int store_sha_lookup(store *s, const char *sha256, char id[STORE_ID_MAX])
{
	MDB_txn *txn;
	MDB_val v;
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	if (rc)
		return rc;
	rc = st_get(s, txn, s->sha, sha256, 64, &v);
	if (rc == 0)
		snprintf(id, STORE_ID_MAX, "%.*s", (int)v.mv_size,
			 (char *)v.mv_data);
	st_txn_abort(s, txn);
	return rc;
}

static json_t *history_read(store *s, MDB_txn *txn, const char *id)
{
	char prefix[STORE_ID_MAX + 2];
	json_t *arr = json_array();
	MDB_cursor *cur;
	MDB_val k, v;
	size_t plen = (size_t)snprintf(prefix, sizeof(prefix), "%s:", id);
	int rc;

	if (mdb_cursor_open(txn, s->history, &cur))
		return arr;
	k.mv_size = plen;
	k.mv_data = prefix;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	     rc == 0 && k.mv_size > plen && !memcmp(k.mv_data, prefix, plen);
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		json_t *ev = json_loadb(v.mv_data, v.mv_size, 0, NULL);
		if (ev)
			json_array_append_new(arr, ev);
	}
	mdb_cursor_close(cur);
	return arr;
}

int store_record_get(store *s, const char *id, json_t **meta,
		     json_t **history)
{
	MDB_txn *txn;
	json_t *m;
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	if (meta)
		*meta = NULL;
	if (history)
		*history = NULL;
	if (rc)
		return rc;
	m = st_get_json(s, txn, s->records, id, &rc);
	if (rc == BASE_ENOTFOUND)
		rc = base_fail(BASE_ENOTFOUND, "no record '%s' in store '%s'", id,
			     s->dir);
	if (rc == 0 && history)
		*history = history_read(s, txn, id);
	st_txn_abort(s, txn);
	if (rc == 0 && meta)
		*meta = m;
	else
		json_decref(m);
	return rc;
}

int store_original_packed(store *s, const char *id, void **data, size_t *len)
{
	MDB_txn *txn;
	MDB_val v;
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	*data = NULL;
	*len = 0;
	if (rc)
		return rc;
	rc = st_get(s, txn, s->originals, id, strlen(id), &v);
	if (rc == BASE_ENOTFOUND)
		rc = base_fail(BASE_ENOTFOUND, "no original of '%s' in store '%s'",
			     id, s->dir);
	if (rc == 0 && !(*data = malloc(v.mv_size ? v.mv_size : 1)))
		rc = base_fail(BASE_ENOMEM, "out of memory");
	if (rc == 0) {
		memcpy(*data, v.mv_data, v.mv_size);
		*len = v.mv_size;
	}
	st_txn_abort(s, txn);
	return rc;
}

int store_original_get(store *s, const char *id, void **data, size_t *len)
{
	MDB_txn *txn;
	MDB_val v;
	json_t *m;
	size_t bytes;
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	*data = NULL;
	*len = 0;
	if (rc)
		return rc;
	m = st_get_json(s, txn, s->records, id, &rc);
	if (rc == BASE_ENOTFOUND)
		rc = base_fail(BASE_ENOTFOUND, "no record '%s' in store '%s'", id,
			     s->dir);
	if (rc == 0) {
		bytes = (size_t)json_integer_value(
			json_object_get(json_object_get(m, "source"), "bytes"));
		rc = st_get(s, txn, s->originals, id, strlen(id), &v);
		if (rc == BASE_ENOTFOUND)
			rc = base_fail(BASE_ECORRUPT, "record '%s' has no stored "
				     "original", id);
	}
	/* Unpack straight from the map while the read txn pins it. */
	if (rc == 0) {
		rc = store_unpack(v.mv_data, v.mv_size, bytes, data, len);
		if (rc == BASE_ECORRUPT)
			rc = base_fail(BASE_ECORRUPT, "record '%s': %s", id,
				     base_errmsg());
	}
	st_txn_abort(s, txn);
	json_decref(m);
	return rc;
}

/* A read transaction, and page n's key in the pages' databases. */
static int page_begin(store *s, const char *id, int n, MDB_txn **txn,
		      char key[STORE_ID_MAX + 8])
{
	int rc = st_txn_begin(s, MDB_RDONLY, txn);

	if (rc == 0)
		st_page_key(key, STORE_ID_MAX + 8, id, n);
	return rc;
}

int st_page_text_of(store *s, MDB_txn *txn, const char *key, json_t *page,
		    const char **text)
{
	MDB_val v;
	int rc = s->has_texts ? st_get(s, txn, s->texts, key, strlen(key), &v)
			      : BASE_ENOTFOUND;

	*text = NULL;
	if (rc == 0) {
		/* stored with its NUL */
		if (!v.mv_size || ((char *)v.mv_data)[v.mv_size - 1])
			return base_fail(BASE_ECORRUPT, "store '%s': text '%s' "
				       "is not a string", s->dir, key);
		*text = v.mv_data;
	} else if (rc == BASE_ENOTFOUND) {
		/* a version-2 page holds its own */
		*text = json_string_value(json_object_get(page, "text"));
		rc = *text ? 0 : BASE_ENOTFOUND;
	}
	return rc;
}

int store_page_get(store *s, const char *id, int n, json_t **result)
{
	char key[STORE_ID_MAX + 8];
	const char *text;
	MDB_txn *txn;
	int rc;

	*result = NULL;
	if ((rc = page_begin(s, id, n, &txn, key)))
		return rc;
	*result = st_get_json(s, txn, s->pages, key, &rc);
	if (rc == 0 && (rc = st_page_text_of(s, txn, key, *result, &text)) == 0)
		json_object_set_new(*result, "text", json_string(text));
	else if (rc == BASE_ENOTFOUND && *result)
		rc = 0; /* a page without text */
	st_txn_abort(s, txn);
	if (rc) {
		json_decref(*result);
		*result = NULL;
	}
	return rc;
}

int store_page_text(store *s, const char *id, int n, char **text)
{
	char key[STORE_ID_MAX + 8];
	const char *t = NULL;
	MDB_txn *txn;
	json_t *page = NULL;
	int rc;

	*text = NULL;
	if ((rc = page_begin(s, id, n, &txn, key)))
		return rc;
	/* the page is parsed only when it may hold its own */
	rc = st_page_text_of(s, txn, key, NULL, &t);
	if (rc == BASE_ENOTFOUND && (page = st_get_json(s, txn, s->pages, key,
						       &rc)))
		rc = st_page_text_of(s, txn, key, page, &t);
	if (rc == 0 && !(*text = strdup(t)))
		rc = base_fail(BASE_ENOMEM, "out of memory");
	json_decref(page);
	st_txn_abort(s, txn);
	return rc;
}

int store_image_get(store *s, const char *id, int n, void **data,
		    size_t *len)
{
	char key[STORE_ID_MAX + 8];
	MDB_txn *txn;
	MDB_val v;
	int rc;

	*data = NULL;
	*len = 0;
	if ((rc = page_begin(s, id, n, &txn, key)))
		return rc;
	rc = st_get(s, txn, s->images, key, strlen(key), &v);
	if (rc == 0) {
		*data = malloc(v.mv_size ? v.mv_size : 1);
		if (*data) {
			memcpy(*data, v.mv_data, v.mv_size);
			*len = v.mv_size;
		} else {
			rc = base_fail(BASE_ENOMEM, "out of memory");
		}
	} else if (rc == BASE_ENOTFOUND) {
		base_fail(rc, "record '%s' has no image of page %d", id, n);
	}
	st_txn_abort(s, txn);
	return rc;
}

struct hist_ctx {
	const char *id;
	json_t *event;
};

static int history_append_txn(store *s, MDB_txn *txn, void *ctx)
{
	struct hist_ctx *c = ctx;
	MDB_val v;
	int rc = st_get(s, txn, s->records, c->id, strlen(c->id), &v);

	if (rc == BASE_ENOTFOUND)
		return base_fail(BASE_ENOTFOUND, "no record '%s'", c->id);
	return rc ? rc : st_history_put(s, txn, c->id, c->event);
}

struct update_ctx {
	const char *id;
	int (*fn)(json_t *meta, json_t *event, void *ctx);
	void *ctx;
};

static int record_update_txn(store *s, MDB_txn *txn, void *ctx)
{
	struct update_ctx *c = ctx;
	json_t *meta, *event;
	int rc;

	meta = st_get_json(s, txn, s->records, c->id, &rc);
	if (rc == BASE_ENOTFOUND)
		return base_fail(BASE_ENOTFOUND, "no record '%s' in store '%s'",
			       c->id, s->dir);
	if (rc)
		return rc;
	event = json_object();
	json_t *old = json_deep_copy(meta);
	rc = c->fn(meta, event, c->ctx);
	if (rc == 0) {
		/* who changed it last and when, for the next save's check */
		json_int_t v = json_integer_value(json_object_get(meta, "version"));
		char stamp[32];
		if (!json_object_get(event, "time")) {
			base_now_iso(stamp);
			json_object_set_new(event, "time", json_string(stamp));
		}
		if (!json_object_get(event, "user"))
			json_object_set_new(event, "user", json_string(base_user()));
		json_object_set_new(meta, "version", json_integer(v > 0 ? v + 1 : 2));
		json_object_set_new(meta, "updated", json_pack("{s:O, s:O}",
			"user", json_object_get(event, "user"),
			"time", json_object_get(event, "time")));
		rc = st_put_json(s, txn, s->records, c->id, meta,
			      "cannot update record");
	}
	/* the review fn gave, else the place the record had */
	json_t *rv = json_object_get(event, "review");
	st_review review = { json_number_value(json_object_get(rv, "score")),
			     json_object_get(rv, "problems") };
	if (rc == 0)
		rc = st_queue_put(s, txn, c->id, meta, rv ? &review : NULL);
	json_object_del(event, "review");
	/* a correction is searchable in the same instant it is stored */
	if (rc == 0 && s->index)
		rc = index_record_fields(s->index, txn, c->id, old, meta);
	json_decref(old);
	/* the access-log entries fn gave: with the change, or neither */
	json_t *log = json_incref(json_object_get(event, "access"));
	json_object_del(event, "access");
	if (rc == 0)
		rc = st_history_put(s, txn, c->id, event);
	if (rc == 0 && json_array_size(log)) {
		json_t *e;
		size_t i;
		json_t *entries[64];
		size_t n = 0;
		json_array_foreach(log, i, e)
			if (n < 64)
				entries[n++] = e;
		rc = st_access_put(s, txn, entries, n);
	}
	json_decref(log);
	json_decref(event);
	json_decref(meta);
	return rc;
}

int store_record_update(store *s, const char *id,
			int (*fn)(json_t *meta, json_t *event, void *ctx),
			void *ctx)
{
	struct update_ctx c = { id, fn, ctx };

	return st_write(s, record_update_txn, &c);
}

/* Notes: small JSON values under "note:" keys of the meta database, for
 * work that spans a transaction and a file system change (an export's
 * package renamed into place), so that a kill between them is finished
 * or undone by the next writer instead of forgotten. */
static int note_key(char *key, size_t len, const char *name)
{
	char h[65];
	int rc = base_sha256_hex(name, strlen(name), h);

	snprintf(key, len, "note:%s", h);
	return rc;
}

struct note_ctx {
	const char *name;
	json_t *value;
};

static int note_put_txn(store *s, MDB_txn *txn, void *ctx)
{
	struct note_ctx *c = ctx;
	char key[80];
	int rc = note_key(key, sizeof(key), c->name);

	if (rc)
		return rc;
	json_object_set_new(c->value, "note", json_string(c->name));
	return st_put_json(s, txn, s->meta, key, c->value, "cannot store a note");
}

int store_note_put(store *s, const char *name, json_t *value)
{
	struct note_ctx c = { name, value };

	return st_write(s, note_put_txn, &c);
}

int store_note_list(store *s, const char *prefix, json_t **out)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k = { 5, "note:" }, v;
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	*out = json_array();
	if (rc)
		return rc;
	if ((rc = mdb_cursor_open(txn, s->meta, &cur))) {
		st_txn_abort(s, txn);
		return st_db_error(rc, "cannot list notes", s);
	}
	for (int op = MDB_SET_RANGE; (rc = mdb_cursor_get(cur, &k, &v, op)) == 0 &&
	     k.mv_size > 5 && !memcmp(k.mv_data, "note:", 5); op = MDB_NEXT) {
		json_t *n = json_loadb(v.mv_data, v.mv_size, 0, NULL);
		const char *name = json_string_value(json_object_get(n, "note"));
		if (name && !strncmp(name, prefix, strlen(prefix)))
			json_array_append(*out, n);
		json_decref(n);
	}
	mdb_cursor_close(cur);
	st_txn_abort(s, txn);
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : st_db_error(rc, "cannot list notes", s);
}

struct update_many {
	char *const *ids;
	size_t n;
	int (*fn)(json_t *meta, json_t *event, void *ctx);
	void *ctx;
	json_t *const *entries;
	size_t nentries;
	const char *drop;
};

static int many_txn(store *s, MDB_txn *txn, void *ctx)
{
	struct update_many *m = ctx;
	int rc = 0;

	for (size_t i = 0; i < m->n && rc == 0; i++) {
		struct update_ctx c = { m->ids[i], m->fn, m->ctx };
		rc = record_update_txn(s, txn, &c);
	}
	if (rc == 0 && m->nentries)
		rc = st_access_put(s, txn, m->entries, m->nentries);
	if (rc == 0 && m->drop) {
		char key[80];
		MDB_val k;
		if ((rc = note_key(key, sizeof(key), m->drop)))
			return rc;
		k.mv_data = key;
		k.mv_size = strlen(key);
		rc = mdb_del(txn, s->meta, &k, NULL);
		rc = rc == MDB_NOTFOUND ? 0 : rc ? st_db_error(rc, "cannot drop a note", s) : 0;
	}
	return rc;
}

int store_records_update(store *s, char *const *ids, size_t n,
			 int (*fn)(json_t *meta, json_t *event, void *ctx),
			 void *ctx, json_t *const *entries, size_t nentries,
			 const char *drop)
{
	struct update_many m = { ids, n, fn, ctx, entries, nentries, drop };

	return st_write(s, many_txn, &m);
}

int store_history_append(store *s, const char *id, json_t *event)
{
	struct hist_ctx c = { id, event };

	return st_write(s, history_append_txn, &c);
}

const index_schema *store_schema(const store *s)
{
	return s ? s->schema : NULL;
}

int store_search(store *s, const index_query *q, const index_params *p,
		 size_t limit, index_result **out)
{
	MDB_txn *txn;
	int rc;

	*out = NULL;
	if (!s->index && s->index_building)
		return base_fail(BASE_ENOTFOUND, "store '%s' has a search index "
			       "not yet whole (its building stopped); run "
			       "'sohoa ingest' on any folder to finish it", s->dir);
	if (!s->index)
		return base_fail(BASE_ENOTFOUND, "store '%s' has no search index "
			       "yet (it was made by an older sohoa); run "
			       "'sohoa ingest' on any folder to build it", s->dir);
	rc = st_txn_begin(s, MDB_RDONLY, &txn);
	if (rc)
		return rc;
	rc = index_search(s->index, txn, q, p, limit, out);
	st_txn_abort(s, txn);
	return rc;
}

int store_list_ids(store *s, char ***ids, size_t *n)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	MDB_stat st;
	char **arr = NULL;
	size_t cnt = 0;
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	*ids = NULL;
	*n = 0;
	if (rc)
		return rc;
	mdb_stat(txn, s->records, &st);
	arr = calloc(st.ms_entries + 1, sizeof(*arr));
	rc = mdb_cursor_open(txn, s->records, &cur);
	if (!arr || rc) {
		st_txn_abort(s, txn);
		free(arr);
		return arr ? st_db_error(rc, "cannot list", s)
			   : base_fail(BASE_ENOMEM, "out of memory");
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	     rc == 0 && cnt < st.ms_entries;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		arr[cnt++] = strndup(k.mv_data, k.mv_size);
	mdb_cursor_close(cur);
	st_txn_abort(s, txn);
	*ids = arr;
	*n = cnt;
	return 0;
}

void store_ids_free(char **ids, size_t n)
{
	for (size_t i = 0; ids && i < n; i++)
		free(ids[i]);
	free(ids);
}

int store_stats(store *s, json_t **out)
{
	MDB_txn *txn;
	MDB_stat rs, js, bs;
	MDB_envinfo info;
	struct stat st;
	char path[4200];
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	*out = NULL;
	if (rc)
		return rc;
	mdb_stat(txn, s->records, &rs);
	mdb_stat(txn, s->rejects, &js);
	mdb_stat(txn, s->batches, &bs);
	mdb_env_info(s->env, &info);
	snprintf(path, sizeof(path), "%s/data.mdb", s->dir);
	size_t ix_bytes = 0, ix_keys = 0;
	if (s->index)
		index_size(s->index, txn, &ix_bytes, &ix_keys);
	*out = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i}",
			 "records", (json_int_t)rs.ms_entries,
			 "pages", (json_int_t)st_get_counter(s, txn, "pages"),
			 "rejected", (json_int_t)js.ms_entries,
			 "batches", (json_int_t)bs.ms_entries,
			 "original_bytes",
			 (json_int_t)st_get_counter(s, txn, "original_bytes"),
			 "packed_bytes",
			 (json_int_t)st_get_counter(s, txn, "packed_bytes"),
			 "store_bytes",
			 (json_int_t)(stat(path, &st) == 0 ? st.st_size : 0),
			 "map_bytes", (json_int_t)info.me_mapsize,
			 "index_bytes", (json_int_t)ix_bytes,
			 "schema", (json_int_t)s->version);
	st_txn_abort(s, txn);
	return *out ? 0 : base_fail(BASE_ENOMEM, "out of memory");
}
