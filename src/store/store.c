/* store.c - the archive store on LMDB: one write transaction per change,
 * a map that grows by itself, readers that never block the writer. */
#include "store.h"

#include "../index/index.h"
#include "../sh/sh.h"

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

/* Internal only: a put or commit hit MDB_MAP_FULL; store_write() grows
 * the map and runs the transaction again. Never leaves this file. */
#define E_MAPFULL (-1000)
_Static_assert(E_MAPFULL == INDEX_EMAPFULL, "the index's map-full code");

#define MAP_MAX ((size_t)1 << 40)

struct store {
	MDB_env *env;
	MDB_dbi meta, records, originals, sha, history, rejects, batches;
	MDB_dbi pages, images;
	index_db *index; /* NULL in a store from before the index, read-only */
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

static int db_error(int rc, const char *what, const store *s)
{
	if (rc == MDB_MAP_FULL)
		return E_MAPFULL;
	return sh_fail(SH_EDB, "store '%s': %s: %s", s->dir, what,
		       mdb_strerror(rc));
}

static int txn_begin(store *s, unsigned flags, MDB_txn **txn)
{
	int rc;

	pthread_rwlock_rdlock(&s->resize_lock);
	rc = mdb_txn_begin(s->env, NULL, flags, txn);
	if (rc == MDB_MAP_RESIZED) {
		/* Another process grew the map: adopt its size. */
		pthread_rwlock_unlock(&s->resize_lock);
		pthread_rwlock_wrlock(&s->resize_lock);
		mdb_env_set_mapsize(s->env, 0);
		pthread_rwlock_unlock(&s->resize_lock);
		pthread_rwlock_rdlock(&s->resize_lock);
		rc = mdb_txn_begin(s->env, NULL, flags, txn);
	}
	if (rc) {
		pthread_rwlock_unlock(&s->resize_lock);
		return db_error(rc, "cannot begin transaction", s);
	}
	return 0;
}

static void txn_abort(store *s, MDB_txn *txn)
{
	mdb_txn_abort(txn);
	pthread_rwlock_unlock(&s->resize_lock);
}

static int txn_commit(store *s, MDB_txn *txn)
{
	int rc = mdb_txn_commit(txn);

	pthread_rwlock_unlock(&s->resize_lock);
	return rc ? db_error(rc, "cannot commit", s) : 0;
}

static int map_grow(store *s)
{
	MDB_envinfo info;
	size_t want;
	int rc;

	pthread_rwlock_wrlock(&s->resize_lock);
	mdb_env_info(s->env, &info);
	want = info.me_mapsize * 2;
	if (want > MAP_MAX) {
		pthread_rwlock_unlock(&s->resize_lock);
		return sh_fail(SH_EDB, "store '%s' is full at %zu bytes",
			       s->dir, info.me_mapsize);
	}
	rc = mdb_env_set_mapsize(s->env, want);
	pthread_rwlock_unlock(&s->resize_lock);
	if (rc)
		return db_error(rc, "cannot grow the map", s);
	return 0;
}

/* Runs fn in a write transaction and commits it, growing the map and
 * running fn again from scratch whenever the map is full. */
static int store_write(store *s, txn_fn fn, void *ctx)
{
	for (;;) {
		MDB_txn *txn;
		int rc = txn_begin(s, 0, &txn);

		if (rc)
			return rc;
		rc = fn(s, txn, ctx);
		if (rc == 0)
			rc = txn_commit(s, txn);
		else
			txn_abort(s, txn);
		if (rc != E_MAPFULL)
			return rc;
		rc = map_grow(s);
		if (rc)
			return rc;
	}
}

static int put(store *s, MDB_txn *txn, MDB_dbi dbi, const void *k,
	       size_t klen, const void *v, size_t vlen, const char *what)
{
	MDB_val key = { klen, (void *)k }, val = { vlen, (void *)v };
	int rc = mdb_put(txn, dbi, &key, &val, 0);

	return rc ? db_error(rc, what, s) : 0;
}

static int put_str(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
		   const char *v, const char *what)
{
	return put(s, txn, dbi, k, strlen(k), v, strlen(v), what);
}

static int put_json(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
		    json_t *j, const char *what)
{
	char *text = json_dumps(j, JSON_COMPACT);
	int rc;

	if (!text)
		return sh_fail(SH_ENOMEM, "cannot encode %s", what);
	rc = put_str(s, txn, dbi, k, text, what);
	free(text);
	return rc;
}

/* Looks k up; *v points into the map and lives until the txn ends. */
static int get(store *s, MDB_txn *txn, MDB_dbi dbi, const void *k,
	       size_t klen, MDB_val *v)
{
	MDB_val key = { klen, (void *)k };
	int rc = mdb_get(txn, dbi, &key, v);

	if (rc == MDB_NOTFOUND)
		return SH_ENOTFOUND;
	return rc ? db_error(rc, "read failed", s) : 0;
}

static json_t *get_json(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
			int *rc)
{
	MDB_val v;
	json_error_t jerr;
	json_t *j;

	*rc = get(s, txn, dbi, k, strlen(k), &v);
	if (*rc)
		return NULL;
	j = json_loadb(v.mv_data, v.mv_size, 0, &jerr);
	if (!j)
		*rc = sh_fail(SH_ECORRUPT, "store '%s': entry '%s' is not "
			      "valid JSON: %s", s->dir, k, jerr.text);
	return j;
}

static int64_t get_counter(store *s, MDB_txn *txn, const char *name)
{
	MDB_val v;
	char buf[32];

	if (get(s, txn, s->meta, name, strlen(name), &v) || v.mv_size >= 32)
		return 0;
	memcpy(buf, v.mv_data, v.mv_size);
	buf[v.mv_size] = '\0';
	return strtoll(buf, NULL, 10);
}

static int set_counter(store *s, MDB_txn *txn, const char *name,
		       int64_t value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)value);
	return put_str(s, txn, s->meta, name, buf, "cannot update counter");
}

static int add_counter(store *s, MDB_txn *txn, const char *name,
		       int64_t delta)
{
	return set_counter(s, txn, name, get_counter(s, txn, name) + delta);
}

static const struct {
	const char *name;
	size_t off;
} dbs[] = {
	{ "meta", offsetof(store, meta) },
	{ "records", offsetof(store, records) },
	{ "originals", offsetof(store, originals) },
	{ "sha", offsetof(store, sha) },
	{ "history", offsetof(store, history) },
	{ "rejects", offsetof(store, rejects) },
	{ "batches", offsetof(store, batches) },
	{ "pages", offsetof(store, pages) },
	{ "images", offsetof(store, images) },
};

/* Opens every database; creates them and records the schema version
 * when allowed to write (a new store). */
static int open_dbs(store *s, MDB_txn *txn, unsigned flags)
{
	for (size_t i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++) {
		MDB_dbi *dbi = (MDB_dbi *)((char *)s + dbs[i].off);
		int rc = mdb_dbi_open(txn, dbs[i].name, flags, dbi);

		if (rc == MDB_NOTFOUND)
			return SH_ENOTFOUND;
		if (rc)
			return db_error(rc, "cannot open database", s);
	}
	index_close(&s->index);
	int rc = index_open(&s->index, txn, flags);
	return rc == SH_ENOTFOUND && !(flags & MDB_CREATE) ? 0 : rc;
}

static int check_schema(store *s, MDB_txn *txn, int may_write)
{
	int64_t v = get_counter(s, txn, "schema");

	if (v == 0 && may_write) {
		char buf[16];
		snprintf(buf, sizeof(buf), "%d", STORE_SCHEMA_VERSION);
		return put_str(s, txn, s->meta, "schema", buf,
			       "cannot record schema");
	}
	if (v > STORE_SCHEMA_VERSION)
		return sh_fail(SH_EVERSION, "store '%s' has schema version "
			       "%lld, newer than this sohoa understands (%d); "
			       "use a newer sohoa", s->dir, (long long)v,
			       STORE_SCHEMA_VERSION);
	return 0;
}

static int init_write(store *s, MDB_txn *txn, void *ctx)
{
	int rc = open_dbs(s, txn, MDB_CREATE);

	(void)ctx;
	return rc ? rc : check_schema(s, txn, 1);
}

static json_t *get_json(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
		       int *rc);
static void page_key(char *key, size_t len, const char *id, int n);

/* Indexes every stored record: the upgrade of a store made before the
 * index, in one transaction. */
static int index_build_txn(store *s, MDB_txn *txn, void *ctx)
{
	MDB_cursor *cur;
	MDB_val k, v;
	size_t count = 0;
	int rc = index_open(&s->index, txn, MDB_CREATE);

	(void)ctx;
	if (rc == 0)
		rc = mdb_cursor_open(txn, s->records, &cur);
	if (rc)
		return rc < 0 ? rc : db_error(rc, "cannot list", s);
	for (int op = MDB_FIRST; rc == 0 &&
	     (rc = mdb_cursor_get(cur, &k, &v, op)) == 0; op = MDB_NEXT) {
		char id[STORE_ID_MAX], key[64];
		json_t *meta = json_loadb(v.mv_data, v.mv_size, 0, NULL);
		json_t *pages = json_array(), *res;
		snprintf(id, sizeof(id), "%.*s", (int)k.mv_size,
			 (char *)k.mv_data);
		for (int n = 1; n <= (int)json_array_size(json_object_get(meta,
							"pages")); n++) {
			int r;
			page_key(key, sizeof(key), id, n);
			res = get_json(s, txn, s->pages, key, &r);
			json_array_append_new(pages, res ? res : json_null());
		}
		rc = meta ? index_record_add(s->index, txn, id, meta, pages) : 0;
		json_decref(pages);
		json_decref(meta);
		/* postings are gathered in memory: write them now and then */
		if (rc == 0 && ++count % 5000 == 0)
			rc = index_flush(s->index, txn);
	}
	if (rc == MDB_NOTFOUND)
		rc = index_flush(s->index, txn);
	mdb_cursor_close(cur);
	if (rc == 0) {
		char v[16];
		snprintf(v, sizeof(v), "%d", STORE_SCHEMA_VERSION);
		return put_str(s, txn, s->meta, "schema", v,
			       "cannot record schema");
	}
	index_close(&s->index);
	return rc < 0 ? rc : db_error(rc, "cannot index", s);
}

/* Readers open the databases in a read transaction so that opening never
 * waits for a running ingest; only a new store needs a write. */
static int init_store(store *s, int create)
{
	MDB_txn *txn;
	int rc = txn_begin(s, MDB_RDONLY, &txn);

	if (rc)
		return rc;
	rc = open_dbs(s, txn, 0);
	if (rc == 0)
		rc = check_schema(s, txn, 0);
	if (rc == 0) {
		rc = txn_commit(s, txn);
		/* a store from before the index gets one on its first write */
		if (rc == 0 && !s->index && create)
			rc = store_write(s, index_build_txn, NULL);
		return rc;
	}
	txn_abort(s, txn);
	if (rc != SH_ENOTFOUND)
		return rc;
	if (!create)
		return sh_fail(SH_ENOTFOUND, "store '%s' is not initialised",
			       s->dir);
	return store_write(s, init_write, NULL);
}

static void read_fault(store *s)
{
	const char *f = getenv("SOHOA_FAULT");

	if (!f)
		return;
	if (!strncmp(f, "kill-before-commit:", 19))
		s->fault_before = atoi(f + 19);
	else if (!strncmp(f, "kill-after-commit:", 18))
		s->fault_after = atoi(f + 18);
}

int store_open(store **out, const char *dir, const store_opts *o)
{
	char path[4200];
	struct stat st;
	store *s;
	int rc;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	if (stat(path, &st) < 0) {
		if (!o->create)
			return sh_fail(SH_ENOTFOUND, "no store at '%s' "
				       "(run 'sohoa ingest' to create one)",
				       dir);
		rc = sh_mkdir_p(dir);
		if (rc)
			return rc;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return sh_fail(SH_ENOMEM, "out of memory");
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	s->lock_fd = -1;
	pthread_rwlock_init(&s->resize_lock, NULL);
	read_fault(s);
	rc = mdb_env_create(&s->env);
	if (rc == 0)
		rc = mdb_env_set_maxdbs(s->env, 16);
	if (rc == 0)
		rc = mdb_env_set_mapsize(s->env, o->map_size ? o->map_size
					 : (size_t)64 << 20);
	if (rc == 0)
		rc = mdb_env_open(s->env, dir, o->bulk ? MDB_NOSYNC : 0, 0644);
	if (rc) {
		rc = sh_fail(rc == ENOENT ? SH_ENOTFOUND : SH_EDB,
			     "cannot open store '%s': %s", dir,
			     mdb_strerror(rc));
		store_close(&s);
		return rc;
	}
	rc = init_store(s, o->create);
	if (rc) {
		store_close(&s);
		return rc;
	}
	*out = s;
	return 0;
}

void store_close(store **sp)
{
	store *s = sp ? *sp : NULL;

	if (!s)
		return;
	index_close(&s->index);
	if (s->env) {
		mdb_env_sync(s->env, 1); /* a bulk load is durable on close */
		mdb_env_close(s->env);
	}
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	pthread_rwlock_destroy(&s->resize_lock);
	free(s);
	*sp = NULL;
}

const char *store_dir(const store *s)
{
	return s->dir;
}

int store_writer_lock(store *s)
{
	char path[4200], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/ingest.lock", s->dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return sh_fail(SH_EIO, "cannot open '%s': %s", path,
			       strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		n = pread(fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		close(fd);
		return sh_fail(SH_EBUSY, "another ingest is running on store "
			       "'%s' (pid %s); wait for it to finish",
			       s->dir, *buf ? buf : "unknown");
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
		close(fd);
		return sh_fail(SH_EIO, "cannot write '%s': %s", path,
			       strerror(errno));
	}
	s->lock_fd = fd;
	return 0;
}

/* A compression context a thread, made on first use and freed with the
 * thread: making one for each record was a tenth of storing it. */
static pthread_key_t pack_key;
static pthread_once_t pack_once = PTHREAD_ONCE_INIT;

static void pack_ctx_free(void *c)
{
	ZSTD_freeCCtx(c);
}

static void pack_init(void)
{
	pthread_key_create(&pack_key, pack_ctx_free);
}

int store_pack(const void *data, size_t len, int level, void **out,
	       size_t *out_len)
{
	ZSTD_CCtx *cctx;
	size_t cap = ZSTD_compressBound(len), n;
	void *buf = malloc(cap);

	*out = NULL;
	pthread_once(&pack_once, pack_init);
	if (!(cctx = pthread_getspecific(pack_key)) &&
	    (cctx = ZSTD_createCCtx()) && pthread_setspecific(pack_key, cctx)) {
		ZSTD_freeCCtx(cctx);
		cctx = NULL;
	}
	if (!cctx || !buf) {
		free(buf);
		return sh_fail(SH_ENOMEM, "cannot compress: out of memory");
	}
	/* every parameter set again: the context keeps the last call's */
	ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
	ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
	ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
	n = ZSTD_compress2(cctx, buf, cap, data, len);
	if (ZSTD_isError(n)) {
		free(buf);
		return sh_fail(SH_ECODEC, "cannot compress: %s",
			       ZSTD_getErrorName(n));
	}
	*out = buf;
	*out_len = n;
	return 0;
}

int store_unpack(const void *data, size_t len, size_t max_len, void **out,
		 size_t *out_len)
{
	unsigned long long size = ZSTD_getFrameContentSize(data, len);
	void *buf;
	size_t n;

	*out = NULL;
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
		return sh_fail(SH_ECORRUPT, "stored frame is damaged");
	if (size > max_len)
		return sh_fail(SH_ECORRUPT, "stored frame claims %llu bytes, "
			       "expected at most %zu", size, max_len);
	buf = malloc(size ? size : 1);
	if (!buf)
		return sh_fail(SH_ENOMEM, "cannot unpack: out of memory");
	n = ZSTD_decompress(buf, size, data, len);
	if (ZSTD_isError(n) || n != size) {
		free(buf);
		return sh_fail(SH_ECORRUPT, "stored frame is damaged: %s",
			       ZSTD_isError(n) ? ZSTD_getErrorName(n)
					       : "short");
	}
	*out = buf;
	*out_len = n;
	return 0;
}

static int history_put(store *s, MDB_txn *txn, const char *id,
		       json_t *event)
{
	char prefix[STORE_ID_MAX + 2], key[STORE_ID_MAX + 16];
	MDB_cursor *cur;
	MDB_val k, v;
	size_t plen;
	unsigned seq = 0;
	char stamp[32];
	int rc;

	if (!json_object_get(event, "time")) {
		sh_now_iso(stamp);
		json_object_set_new(event, "time", json_string(stamp));
	}
	if (!json_object_get(event, "user"))
		json_object_set_new(event, "user", json_string(sh_user()));
	plen = (size_t)snprintf(prefix, sizeof(prefix), "%s:", id);
	rc = mdb_cursor_open(txn, s->history, &cur);
	if (rc)
		return db_error(rc, "cannot read history", s);
	k.mv_size = plen;
	k.mv_data = prefix;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	     rc == 0 && k.mv_size > plen && !memcmp(k.mv_data, prefix, plen);
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		seq++;
	mdb_cursor_close(cur);
	snprintf(key, sizeof(key), "%s%08u", prefix, seq + 1);
	return put_json(s, txn, s->history, key, event, "cannot add history");
}

static void page_key(char *key, size_t len, const char *id, int n)
{
	snprintf(key, len, "%s:%04d", id, n);
}

/* Each page's OCR result and cleaned image, in the record's txn. */
static int pages_put(store *s, MDB_txn *txn, const char *id,
		     const store_new_record *r)
{
	char key[STORE_ID_MAX + 8];
	json_t *res;
	size_t i;
	int rc;

	json_array_foreach(r->page_results, i, res) {
		page_key(key, sizeof(key), id, (int)i + 1);
		if (json_is_object(res)) {
			rc = put_json(s, txn, s->pages, key, res,
				      "cannot add page text");
			if (rc)
				return rc;
		}
		if (r->images && r->images[i]) {
			rc = put(s, txn, s->images, key, strlen(key),
				 r->images[i], r->image_lens[i],
				 "cannot add page image");
			if (rc)
				return rc;
		}
	}
	return 0;
}

struct add_ctx {
	const store_new_record *r;
	char *id;
};

struct many_ctx {
	const store_new_record *r;
	size_t n;
	char (*ids)[STORE_ID_MAX];
	int *rcs;
};

static void maybe_fault(int at, int n)
{
	if (at > 0 && n == at)
		raise(SIGKILL);
}

static int record_put(store *s, MDB_txn *txn, struct add_ctx *c);

static int record_add_txn(store *s, MDB_txn *txn, void *ctx)
{
	int rc;

	index_discard(s->index); /* a retry starts from nothing */
	rc = record_put(s, txn, ctx);
	if (rc == 0 && s->index)
		rc = index_flush(s->index, txn);
	if (rc == 0)
		maybe_fault(s->fault_before, s->records_added + 1);
	return rc;
}

/* Many records in one transaction: the bulk loader's way, where one
 * commit and one write of each term's postings serve them all. */
static int batch_add_txn(store *s, MDB_txn *txn, void *ctx)
{
	struct many_ctx *b = ctx;
	int rc = 0;

	index_discard(s->index);
	for (size_t i = 0; i < b->n && (rc == 0 || rc == SH_EEXIST); i++) {
		struct add_ctx c = { &b->r[i], b->ids[i] };
		rc = b->rcs[i] = record_put(s, txn, &c);
	}
	if (rc == SH_EEXIST)
		rc = 0;
	if (rc == 0 && s->index)
		rc = index_flush(s->index, txn);
	return rc;
}

int store_record_add_batch(store *s, const store_new_record *r, size_t n,
			   char (*ids)[STORE_ID_MAX], int *rcs)
{
	struct many_ctx b = { r, n, ids, rcs };
	int rc = store_write(s, batch_add_txn, &b);

	if (rc == 0)
		s->records_added += (int)n;
	return rc;
}

static int record_put(store *s, MDB_txn *txn, struct add_ctx *c)
{
	const store_new_record *r = c->r;
	MDB_val key, val, v;
	json_t *ev;
	int64_t next;
	int rc;

	rc = get(s, txn, s->sha, r->sha256, 64, &v);
	if (rc == 0) {
		snprintf(c->id, STORE_ID_MAX, "%.*s", (int)v.mv_size,
			 (char *)v.mv_data);
		return SH_EEXIST;
	}
	if (rc != SH_ENOTFOUND)
		return rc;
	next = get_counter(s, txn, "next_id");
	if (next < 1)
		next = 1;
	snprintf(c->id, STORE_ID_MAX, "HS-%06lld", (long long)next);
	json_object_set_new(r->meta, "id", json_string(c->id));
	rc = put_json(s, txn, s->records, c->id, r->meta, "cannot add record");
	if (rc)
		return rc;
	/* Reserve, then copy: the packed original goes straight into the map
	 * without a second buffer. */
	key.mv_size = strlen(c->id);
	key.mv_data = c->id;
	val.mv_size = r->packed_len;
	rc = mdb_put(txn, s->originals, &key, &val, MDB_RESERVE);
	if (rc)
		return db_error(rc, "cannot add original", s);
	memcpy(val.mv_data, r->packed, r->packed_len);
	rc = put(s, txn, s->sha, r->sha256, 64, c->id, strlen(c->id),
		 "cannot index checksum");
	if (rc)
		return rc;
	rc = pages_put(s, txn, c->id, r);
	if (rc == 0 && s->index)
		rc = index_record_add(s->index, txn, c->id, r->meta,
				      r->page_results);
	if (rc)
		return rc;
	ev = json_pack("{s:s, s:s, s:s}", "event", "ingested", "batch",
		       r->batch, "user", r->user ? r->user : sh_user());
	rc = history_put(s, txn, c->id, ev);
	json_decref(ev);
	if (rc == 0)
		rc = set_counter(s, txn, "next_id", next + 1);
	if (rc == 0)
		rc = add_counter(s, txn, "pages", r->pages);
	if (rc == 0)
		rc = add_counter(s, txn, "original_bytes", (int64_t)r->bytes);
	if (rc == 0)
		rc = add_counter(s, txn, "packed_bytes",
				 (int64_t)r->packed_len);
	return rc;
}

int store_record_add(store *s, const store_new_record *r,
		     char id[STORE_ID_MAX])
{
	struct add_ctx c = { r, id };
	int rc = store_write(s, record_add_txn, &c);

	if (rc == 0) {
		s->records_added++;
		maybe_fault(s->fault_after, s->records_added);
	}
	return rc;
}

int store_sha_lookup(store *s, const char *sha256, char id[STORE_ID_MAX])
{
	MDB_txn *txn;
	MDB_val v;
	int rc = txn_begin(s, MDB_RDONLY, &txn);

	if (rc)
		return rc;
	rc = get(s, txn, s->sha, sha256, 64, &v);
	if (rc == 0)
		snprintf(id, STORE_ID_MAX, "%.*s", (int)v.mv_size,
			 (char *)v.mv_data);
	txn_abort(s, txn);
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
	int rc = txn_begin(s, MDB_RDONLY, &txn);

	if (meta)
		*meta = NULL;
	if (history)
		*history = NULL;
	if (rc)
		return rc;
	m = get_json(s, txn, s->records, id, &rc);
	if (rc == SH_ENOTFOUND)
		rc = sh_fail(SH_ENOTFOUND, "no record '%s' in store '%s'", id,
			     s->dir);
	if (rc == 0 && history)
		*history = history_read(s, txn, id);
	txn_abort(s, txn);
	if (rc == 0 && meta)
		*meta = m;
	else
		json_decref(m);
	return rc;
}

int store_original_get(store *s, const char *id, void **data, size_t *len)
{
	MDB_txn *txn;
	MDB_val v;
	json_t *m;
	size_t bytes;
	int rc = txn_begin(s, MDB_RDONLY, &txn);

	*data = NULL;
	*len = 0;
	if (rc)
		return rc;
	m = get_json(s, txn, s->records, id, &rc);
	if (rc == SH_ENOTFOUND)
		rc = sh_fail(SH_ENOTFOUND, "no record '%s' in store '%s'", id,
			     s->dir);
	if (rc == 0) {
		bytes = (size_t)json_integer_value(
			json_object_get(json_object_get(m, "source"), "bytes"));
		rc = get(s, txn, s->originals, id, strlen(id), &v);
		if (rc == SH_ENOTFOUND)
			rc = sh_fail(SH_ECORRUPT, "record '%s' has no stored "
				     "original", id);
	}
	/* Unpack straight from the map while the read txn pins it. */
	if (rc == 0) {
		rc = store_unpack(v.mv_data, v.mv_size, bytes, data, len);
		if (rc == SH_ECORRUPT)
			rc = sh_fail(SH_ECORRUPT, "record '%s': %s", id,
				     sh_errmsg());
	}
	txn_abort(s, txn);
	json_decref(m);
	return rc;
}

int store_page_get(store *s, const char *id, int n, json_t **result)
{
	char key[STORE_ID_MAX + 8];
	MDB_txn *txn;
	int rc = txn_begin(s, MDB_RDONLY, &txn);

	*result = NULL;
	if (rc)
		return rc;
	page_key(key, sizeof(key), id, n);
	*result = get_json(s, txn, s->pages, key, &rc);
	txn_abort(s, txn);
	return rc;
}

int store_image_get(store *s, const char *id, int n, void **data,
		    size_t *len)
{
	char key[STORE_ID_MAX + 8];
	MDB_txn *txn;
	MDB_val v;
	int rc = txn_begin(s, MDB_RDONLY, &txn);

	*data = NULL;
	*len = 0;
	if (rc)
		return rc;
	page_key(key, sizeof(key), id, n);
	rc = get(s, txn, s->images, key, strlen(key), &v);
	if (rc == 0) {
		*data = malloc(v.mv_size ? v.mv_size : 1);
		if (*data) {
			memcpy(*data, v.mv_data, v.mv_size);
			*len = v.mv_size;
		} else {
			rc = sh_fail(SH_ENOMEM, "out of memory");
		}
	} else if (rc == SH_ENOTFOUND) {
		sh_fail(rc, "record '%s' has no image of page %d", id, n);
	}
	txn_abort(s, txn);
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
	int rc = get(s, txn, s->records, c->id, strlen(c->id), &v);

	if (rc == SH_ENOTFOUND)
		return sh_fail(SH_ENOTFOUND, "no record '%s'", c->id);
	return rc ? rc : history_put(s, txn, c->id, c->event);
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

	meta = get_json(s, txn, s->records, c->id, &rc);
	if (rc == SH_ENOTFOUND)
		return sh_fail(SH_ENOTFOUND, "no record '%s' in store '%s'",
			       c->id, s->dir);
	if (rc)
		return rc;
	event = json_object();
	json_t *old = json_deep_copy(meta);
	rc = c->fn(meta, event, c->ctx);
	if (rc == 0)
		rc = put_json(s, txn, s->records, c->id, meta,
			      "cannot update record");
	/* a correction is searchable in the same instant it is stored */
	if (rc == 0 && s->index)
		rc = index_record_fields(s->index, txn, c->id, old, meta);
	json_decref(old);
	if (rc == 0)
		rc = history_put(s, txn, c->id, event);
	json_decref(event);
	json_decref(meta);
	return rc;
}

int store_record_update(store *s, const char *id,
			int (*fn)(json_t *meta, json_t *event, void *ctx),
			void *ctx)
{
	struct update_ctx c = { id, fn, ctx };

	return store_write(s, record_update_txn, &c);
}

int store_history_append(store *s, const char *id, json_t *event)
{
	struct hist_ctx c = { id, event };

	return store_write(s, history_append_txn, &c);
}

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
	old = get_json(s, txn, s->rejects, key, &rc);
	json_object_set_new(rej, "times",
			    json_integer(old ? json_integer_value(json_object_get(
						       old, "times")) + 1 : 1));
	if (old && json_object_get(old, "first_seen"))
		json_object_set(rej, "first_seen",
				json_object_get(old, "first_seen"));
	json_decref(old);
	if (rc && rc != SH_ENOTFOUND)
		return rc;
	return put_json(s, txn, s->rejects, key, rej, "cannot record rejection");
}

int store_reject_add(store *s, json_t *reject)
{
	char stamp[32];

	sh_now_iso(stamp);
	json_object_set_new(reject, "first_seen", json_string(stamp));
	json_object_set_new(reject, "last_seen", json_string(stamp));
	return store_write(s, reject_txn, reject);
}

static int batch_begin_txn(store *s, MDB_txn *txn, void *ctx)
{
	char *batch = ctx;
	int64_t n = get_counter(s, txn, "next_batch");

	if (n < 1)
		n = 1;
	snprintf(batch, STORE_ID_MAX, "B-%06lld", (long long)n);
	return set_counter(s, txn, "next_batch", n + 1);
}

int store_batch_begin(store *s, char batch[STORE_ID_MAX])
{
	return store_write(s, batch_begin_txn, batch);
}

struct batch_ctx {
	const char *batch;
	json_t *summary;
};

static int batch_finish_txn(store *s, MDB_txn *txn, void *ctx)
{
	struct batch_ctx *c = ctx;

	return put_json(s, txn, s->batches, c->batch, c->summary,
			"cannot record batch");
}

int store_batch_finish(store *s, const char *batch, json_t *summary)
{
	struct batch_ctx c = { batch, summary };

	return store_write(s, batch_finish_txn, &c);
}

int store_search(store *s, const index_query *q, const index_params *p,
		 size_t limit, index_result **out)
{
	MDB_txn *txn;
	int rc;

	*out = NULL;
	if (!s->index)
		return sh_fail(SH_ENOTFOUND, "store '%s' has no search index "
			       "yet (it was made by an older sohoa); run "
			       "'sohoa ingest' on any folder to build it", s->dir);
	rc = txn_begin(s, MDB_RDONLY, &txn);
	if (rc)
		return rc;
	rc = index_search(s->index, txn, q, p, limit, out);
	txn_abort(s, txn);
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
	int rc = txn_begin(s, MDB_RDONLY, &txn);

	*ids = NULL;
	*n = 0;
	if (rc)
		return rc;
	mdb_stat(txn, s->records, &st);
	arr = calloc(st.ms_entries + 1, sizeof(*arr));
	rc = mdb_cursor_open(txn, s->records, &cur);
	if (!arr || rc) {
		txn_abort(s, txn);
		free(arr);
		return arr ? db_error(rc, "cannot list", s)
			   : sh_fail(SH_ENOMEM, "out of memory");
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	     rc == 0 && cnt < st.ms_entries;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		arr[cnt++] = strndup(k.mv_data, k.mv_size);
	mdb_cursor_close(cur);
	txn_abort(s, txn);
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

int store_list_rejects(store *s, json_t **out)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = txn_begin(s, MDB_RDONLY, &txn);

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
	txn_abort(s, txn);
	return 0;
}

int store_stats(store *s, json_t **out)
{
	MDB_txn *txn;
	MDB_stat rs, js, bs;
	MDB_envinfo info;
	struct stat st;
	char path[4200];
	int rc = txn_begin(s, MDB_RDONLY, &txn);

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
			 "pages", (json_int_t)get_counter(s, txn, "pages"),
			 "rejected", (json_int_t)js.ms_entries,
			 "batches", (json_int_t)bs.ms_entries,
			 "original_bytes",
			 (json_int_t)get_counter(s, txn, "original_bytes"),
			 "packed_bytes",
			 (json_int_t)get_counter(s, txn, "packed_bytes"),
			 "store_bytes",
			 (json_int_t)(stat(path, &st) == 0 ? st.st_size : 0),
			 "map_bytes", (json_int_t)info.me_mapsize,
			 "index_bytes", (json_int_t)ix_bytes,
			 "schema", STORE_SCHEMA_VERSION);
	txn_abort(s, txn);
	return *out ? 0 : sh_fail(SH_ENOMEM, "out of memory");
}
