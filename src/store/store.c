/* store.c - the archive store on LMDB: one write transaction per change,
 * a map that grows by itself, readers that never block the writer; every
 * stored value with its checksum; opening, schema checks, the writer's
 * lock. */
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


int st_db_error(int rc, const char *what, const store *s)
{
	struct statvfs fs;

	if (rc == MDB_MAP_FULL)
		return E_MAPFULL;
	/* LMDB reports a write cut short by a full disk as EIO: a disk
	 * with (almost) no room left is said to be full, not faulty */
	if ((rc == ENOSPC || rc == EIO || rc == EDQUOT) && statvfs(s->dir, &fs) == 0 &&
	    (double)fs.f_bavail * fs.f_frsize < 64.0 * (1 << 20))
		return base_fail(BASE_EIO, "store '%s': %s: the disk holding it is full "
			       "(%.1f MB free): nothing of this was stored; free "
			       "some space there and run it again", s->dir, what,
			       (double)fs.f_bavail * fs.f_frsize / (1 << 20));
	return base_fail(BASE_EDB, "store '%s': %s: %s", s->dir, what,
		       mdb_strerror(rc));
}

int st_txn_begin(store *s, unsigned flags, MDB_txn **txn)
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
		return st_db_error(rc, "cannot begin transaction", s);
	}
	return 0;
}

void st_txn_abort(store *s, MDB_txn *txn)
{
	mdb_txn_abort(txn);
	pthread_rwlock_unlock(&s->resize_lock);
}

int st_txn_commit(store *s, MDB_txn *txn)
{
	int rc = mdb_txn_commit(txn);

	pthread_rwlock_unlock(&s->resize_lock);
	return rc ? st_db_error(rc, "cannot commit", s) : 0;
}

int st_map_grow(store *s)
{
	MDB_envinfo info;
	size_t want;
	int rc;

	pthread_rwlock_wrlock(&s->resize_lock);
	mdb_env_info(s->env, &info);
	want = info.me_mapsize * 2;
	if (want > MAP_MAX) {
		pthread_rwlock_unlock(&s->resize_lock);
		return base_fail(BASE_EDB, "store '%s' is full at %zu bytes",
			       s->dir, info.me_mapsize);
	}
	rc = mdb_env_set_mapsize(s->env, want);
	pthread_rwlock_unlock(&s->resize_lock);
	if (rc)
		return st_db_error(rc, "cannot grow the map", s);
	return 0;
}

/* Whether less than want bytes of the map are free (want 0: less than
 * a quarter of it). */
int st_map_tight(store *s, size_t want)
{
	MDB_envinfo info;
	MDB_stat st;

	if (mdb_env_info(s->env, &info) || mdb_env_stat(s->env, &st))
		return 0;
	size_t used = (info.me_last_pgno + 1) * (size_t)st.ms_psize;
	if (!want)
		want = info.me_mapsize / 4;
	return used + want > info.me_mapsize;
}

/* Runs fn in a write transaction and commits it, growing the map and
 * running fn again from scratch whenever the map is full. A map three
 * quarters used is grown first: a big transaction (a bulk batch, an
 * index build) run twice cost as much as the map it waited for. */
int st_write(store *s, txn_fn fn, void *ctx)
{
	if (st_map_tight(s, 0))
		st_map_grow(s); /* when it cannot, the write may still fit */
	for (;;) {
		MDB_txn *txn;
		int rc = st_txn_begin(s, 0, &txn);

		if (rc)
			return rc;
		rc = fn(s, txn, ctx);
		if (rc == 0)
			rc = st_txn_commit(s, txn);
		else
			st_txn_abort(s, txn);
		if (rc != E_MAPFULL)
			return rc;
		rc = st_map_grow(s);
		if (rc)
			return rc;
	}
}

/* Checksums (schema 5): every value of the records, originals, pages,
 * texts and images databases has its SHA-256 in "sums", under the
 * database's letter, ':' and the value's key, written in the same
 * transaction. st_get() verifies it on every read and `check` reads them
 * all: a flipped byte anywhere in a record is found, never exported. */
static const char *sum_name(char tag)
{
	switch (tag) {
	case 'r': return "record";
	case 'o': return "original";
	case 'p': return "page result";
	case 't': return "page text";
	case 'i': return "page image";
	}
	return "value";
}

char st_sum_tag(const store *s, MDB_dbi dbi)
{
	if (!s->has_sums)
		return 0;
	return dbi == s->records ? 'r' : dbi == s->originals ? 'o'
	       : dbi == s->pages ? 'p' : (s->has_texts && dbi == s->texts) ? 't'
	       : dbi == s->images ? 'i' : 0;
}

int st_sum_put(store *s, MDB_txn *txn, char tag, const void *k,
		   size_t klen, const void *v, size_t vlen)
{
	char key[STORE_ID_MAX + 24], hex[65];
	MDB_val kk = { klen + 2, key }, vv = { 64, hex };
	int rc;

	if (klen > sizeof(key) - 2)
		return base_fail(BASE_EINVAL, "key too long for a checksum");
	key[0] = tag;
	key[1] = ':';
	memcpy(key + 2, k, klen);
	if ((rc = base_sha256_hex(v, vlen, hex)))
		return rc;
	rc = mdb_put(txn, s->sums, &kk, &vv, 0);
	return rc ? st_db_error(rc, "cannot store a checksum", s) : 0;
}

static int sum_verify(store *s, MDB_txn *txn, char tag, const void *k,
		      size_t klen, const MDB_val *v)
{
	char key[STORE_ID_MAX + 24], hex[65];
	MDB_val kk = { klen + 2, key }, sum;
	int rc;

	if (klen > sizeof(key) - 2)
		return 0;
	key[0] = tag;
	key[1] = ':';
	memcpy(key + 2, k, klen);
	rc = mdb_get(txn, s->sums, &kk, &sum);
	if (rc == MDB_NOTFOUND)
		return base_fail(BASE_ECORRUPT, "store '%s': the %s '%.*s' has no "
			       "checksum", s->dir, sum_name(tag), (int)klen,
			       (const char *)k);
	if (rc)
		return st_db_error(rc, "cannot read a checksum", s);
	if ((rc = base_sha256_hex(v->mv_data, v->mv_size, hex)))
		return rc;
	if (sum.mv_size != 64 || memcmp(sum.mv_data, hex, 64))
		return base_fail(BASE_ECORRUPT, "store '%s': the %s '%.*s' is "
			       "damaged (its SHA-256 differs from the one stored "
			       "with it)", s->dir, sum_name(tag), (int)klen,
			       (const char *)k);
	return 0;
}

int st_put(store *s, MDB_txn *txn, MDB_dbi dbi, const void *k,
	       size_t klen, const void *v, size_t vlen, const char *what)
{
	MDB_val key = { klen, (void *)k }, val = { vlen, (void *)v };
	int rc = mdb_put(txn, dbi, &key, &val, 0);
	char tag = st_sum_tag(s, dbi);

	if (rc)
		return st_db_error(rc, what, s);
	return tag ? st_sum_put(s, txn, tag, k, klen, v, vlen) : 0;
}

int st_put_str(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
		   const char *v, const char *what)
{
	return st_put(s, txn, dbi, k, strlen(k), v, strlen(v), what);
}

int st_put_json(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
		json_t *j, const char *what)
{
	char *text = json_dumps(j, JSON_COMPACT);
	int rc;

	if (!text)
		return base_fail(BASE_ENOMEM, "cannot encode %s", what);
	rc = st_put_str(s, txn, dbi, k, text, what);
	free(text);
	return rc;
}

/* Looks k up; *v points into the map and lives until the txn ends. */
int st_get(store *s, MDB_txn *txn, MDB_dbi dbi, const void *k,
	       size_t klen, MDB_val *v)
{
	MDB_val key = { klen, (void *)k };
	int rc = mdb_get(txn, dbi, &key, v);
	char tag;

	if (rc == MDB_NOTFOUND)
		return BASE_ENOTFOUND;
	if (rc)
		return st_db_error(rc, "read failed", s);
	return (tag = st_sum_tag(s, dbi)) ? sum_verify(s, txn, tag, k, klen, v) : 0;
}

json_t *st_get_json(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
		    int *rc)
{
	MDB_val v;
	json_error_t jerr;
	json_t *j;

	*rc = st_get(s, txn, dbi, k, strlen(k), &v);
	if (*rc)
		return NULL;
	j = json_loadb(v.mv_data, v.mv_size, 0, &jerr);
	if (!j)
		*rc = base_fail(BASE_ECORRUPT, "store '%s': entry '%s' is not "
			      "valid JSON: %s", s->dir, k, jerr.text);
	return j;
}

int64_t st_get_counter(store *s, MDB_txn *txn, const char *name)
{
	MDB_val v;
	char buf[32];

	if (st_get(s, txn, s->meta, name, strlen(name), &v) || v.mv_size >= 32)
		return 0;
	memcpy(buf, v.mv_data, v.mv_size);
	buf[v.mv_size] = '\0';
	return strtoll(buf, NULL, 10);
}

int st_set_counter(store *s, MDB_txn *txn, const char *name,
		   int64_t value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)value);
	return st_put_str(s, txn, s->meta, name, buf, "cannot update counter");
}

int st_add_counter(store *s, MDB_txn *txn, const char *name,
		       int64_t delta)
{
	return st_set_counter(s, txn, name, st_get_counter(s, txn, name) + delta);
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
int st_open_dbs(store *s, MDB_txn *txn, unsigned flags)
{
	for (size_t i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++) {
		MDB_dbi *dbi = (MDB_dbi *)((char *)s + dbs[i].off);
		int rc = mdb_dbi_open(txn, dbs[i].name, flags, dbi);

		if (rc == MDB_NOTFOUND)
			return BASE_ENOTFOUND;
		if (rc)
			return st_db_error(rc, "cannot open database", s);
	}
	int rc = mdb_dbi_open(txn, "texts", flags, &s->texts);
	if (rc && rc != MDB_NOTFOUND)
		return st_db_error(rc, "cannot open database", s);
	s->has_texts = rc == 0;
	rc = mdb_dbi_open(txn, "sums", flags, &s->sums);
	if (rc && rc != MDB_NOTFOUND)
		return st_db_error(rc, "cannot open database", s);
	s->has_sums = rc == 0;
	/* schema 4's: all four or none */
	static const char *const four[] = { "users", "access", "queue", "queue_of" };
	MDB_dbi *dbi4[] = { &s->users, &s->access, &s->queue, &s->queue_of };
	s->has_queue = 1;
	for (size_t i = 0; i < 4; i++) {
		rc = mdb_dbi_open(txn, four[i], flags, dbi4[i]);
		if (rc && rc != MDB_NOTFOUND)
			return st_db_error(rc, "cannot open database", s);
		if (rc)
			s->has_queue = 0;
	}
	index_close(&s->index);
	rc = index_open(&s->index, txn, flags, s->schema);
	return rc == BASE_ENOTFOUND && !(flags & MDB_CREATE) ? 0 : rc;
}

int st_check_schema(store *s, MDB_txn *txn, int may_write)
{
	int64_t v = st_get_counter(s, txn, "schema");

	s->version = may_write ? STORE_SCHEMA_VERSION : v;
	if (v < STORE_SCHEMA_VERSION && may_write) {
		/* new, or older: what it lacks was made in this txn */
		char buf[16];
		snprintf(buf, sizeof(buf), "%d", STORE_SCHEMA_VERSION);
		return st_put_str(s, txn, s->meta, "schema", buf,
			       "cannot record schema");
	}
	if (v > STORE_SCHEMA_VERSION)
		return base_fail(BASE_EVERSION, "store '%s' has schema version "
			       "%lld, newer than this sohoa understands (%d); "
			       "use a newer sohoa", s->dir, (long long)v,
			       STORE_SCHEMA_VERSION);
	return 0;
}

static int init_write(store *s, MDB_txn *txn, void *ctx)
{
	int rc = st_open_dbs(s, txn, MDB_CREATE);

	(void)ctx;
	return rc ? rc : st_check_schema(s, txn, 1);
}


struct cores_ctx {
	int (*fn)(core_run *);
	void *ctx;
	index_part **part;
};

static int core_fn(void *ctx, size_t run, size_t from, size_t to)
{
	struct cores_ctx *c = ctx;
	core_run m = { c->ctx, c->part ? c->part[run] : NULL, from, to };

	return c->fn(&m);
}

int st_on_cores(const store *s, size_t n, int (*fn)(core_run *),
		    void *ctx, index_part *part[BASE_CORES_MAX], size_t *nt)
{
	struct cores_ctx c = { fn, ctx, part };

	*nt = base_runs(n, 64);
	for (size_t t = 0; part && t < *nt; t++) {
		/* a run again after a full map starts from empty */
		index_part_free(&part[t]);
		if (!(part[t] = index_part_new(s->schema)))
			return base_fail(BASE_ENOMEM, "out of memory");
	}
	return base_on_cores(n, 64, core_fn, &c);
}
/* Readers open the databases in a read transaction so that opening never
 * waits for a running ingest; only a new store needs a write. */
static int init_store(store *s, int create, int write)
{
	MDB_txn *txn;
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	if (rc)
		return rc;
	rc = st_open_dbs(s, txn, 0);
	if (rc == 0)
		rc = st_check_schema(s, txn, 0);
	if (rc == 0 && s->index && (s->index_building = st_index_building(s, txn)))
		index_close(&s->index); /* not searched until it is whole */
	if (rc == 0) {
		/* (a queue that a tool of an earlier sohoa left behind is
		 * built again like a missing one) */
		struct upgrade u = { !s->index, !s->has_queue ||
				     st_get_counter(s, txn, "queue_stale") > 0,
				     !s->has_sums, s->version < 6 };
		rc = st_txn_commit(s, txn);
		/* a store of an older schema is upgraded on its first write */
		if (rc == 0 && (create || write) &&
		    (u.unindexed || u.unqueued || !s->has_texts || u.unsummed ||
		     u.unmended || s->version < STORE_SCHEMA_VERSION))
			rc = st_upgrade(s, &u);
		return rc;
	}
	st_txn_abort(s, txn);
	if (rc != BASE_ENOTFOUND)
		return rc;
	if (!create)
		return base_fail(BASE_ENOTFOUND, "store '%s' is not initialised",
			       s->dir);
	return st_write(s, init_write, NULL);
}

static void read_fault(store *s)
{
	s->fault_before = base_fault("kill-before-commit");
	s->fault_after = base_fault("kill-after-commit");
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
			return base_fail(BASE_ENOTFOUND, "no store at '%s' "
				       "(run 'sohoa ingest' to create one)",
				       dir);
		rc = base_mkdir_p(dir);
		if (rc)
			return rc;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return base_fail(BASE_ENOMEM, "out of memory");
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	s->lock_fd = -1;
	pthread_rwlock_init(&s->resize_lock, NULL);
	read_fault(s);
	s->queue_review = o->queue_review;
	s->queue_review_ctx = o->queue_review_ctx;
	s->schema = o->schema;
	rc = mdb_env_create(&s->env);
	if (rc == 0)
		rc = mdb_env_set_maxdbs(s->env, 32);
	if (rc == 0)
		rc = mdb_env_set_mapsize(s->env, o->map_size ? o->map_size
					 : (size_t)64 << 20);
	if (rc == 0)
		rc = mdb_env_open(s->env, dir, o->bulk ? MDB_NOSYNC : 0, 0644);
	if (rc) {
		rc = base_fail(rc == ENOENT ? BASE_ENOTFOUND : BASE_EDB,
			     "cannot open store '%s': %s", dir,
			     mdb_strerror(rc));
		store_close(&s);
		return rc;
	}
	rc = init_store(s, o->create, o->write);
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
		return base_fail(BASE_EIO, "cannot open '%s': %s", path,
			       strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		n = pread(fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		close(fd);
		return base_fail(BASE_EBUSY, "another ingest is running on store "
			       "'%s' (pid %s); wait for it to finish",
			       s->dir, *buf ? buf : "unknown");
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
		close(fd);
		return base_fail(BASE_EIO, "cannot write '%s': %s", path,
			       strerror(errno));
	}
	s->lock_fd = fd;
	return 0;
}
