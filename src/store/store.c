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
		return sh_fail(SH_EIO, "store '%s': %s: the disk holding it is full "
			       "(%.1f MB free): nothing of this was stored; free "
			       "some space there and run it again", s->dir, what,
			       (double)fs.f_bavail * fs.f_frsize / (1 << 20));
	return sh_fail(SH_EDB, "store '%s': %s: %s", s->dir, what,
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
		return st_db_error(rc, "cannot grow the map", s);
	return 0;
}

/* Whether less than want bytes of the map are free (want 0: less than
 * a quarter of it). */
static int map_tight(store *s, size_t want)
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
	if (map_tight(s, 0))
		map_grow(s); /* when it cannot, the write may still fit */
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
		rc = map_grow(s);
		if (rc)
			return rc;
	}
}

/* Checksums (schema 5): every value of the records, originals, pages,
 * texts and images databases has its SHA-256 in "sums", under the
 * database's letter, ':' and the value's key, written in the same
 * transaction. get() verifies it on every read and `check` reads them
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

static char sum_tag(const store *s, MDB_dbi dbi)
{
	if (!s->has_sums)
		return 0;
	return dbi == s->records ? 'r' : dbi == s->originals ? 'o'
	       : dbi == s->pages ? 'p' : (s->has_texts && dbi == s->texts) ? 't'
	       : dbi == s->images ? 'i' : 0;
}

static int sum_put(store *s, MDB_txn *txn, char tag, const void *k,
		   size_t klen, const void *v, size_t vlen)
{
	char key[STORE_ID_MAX + 24], hex[65];
	MDB_val kk = { klen + 2, key }, vv = { 64, hex };
	int rc;

	if (klen > sizeof(key) - 2)
		return sh_fail(SH_EINVAL, "key too long for a checksum");
	key[0] = tag;
	key[1] = ':';
	memcpy(key + 2, k, klen);
	sh_sha256_hex(v, vlen, hex);
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
		return sh_fail(SH_ECORRUPT, "store '%s': the %s '%.*s' has no "
			       "checksum", s->dir, sum_name(tag), (int)klen,
			       (const char *)k);
	if (rc)
		return st_db_error(rc, "cannot read a checksum", s);
	sh_sha256_hex(v->mv_data, v->mv_size, hex);
	if (sum.mv_size != 64 || memcmp(sum.mv_data, hex, 64))
		return sh_fail(SH_ECORRUPT, "store '%s': the %s '%.*s' is "
			       "damaged (its SHA-256 differs from the one stored "
			       "with it)", s->dir, sum_name(tag), (int)klen,
			       (const char *)k);
	return 0;
}

static int put(store *s, MDB_txn *txn, MDB_dbi dbi, const void *k,
	       size_t klen, const void *v, size_t vlen, const char *what)
{
	MDB_val key = { klen, (void *)k }, val = { vlen, (void *)v };
	int rc = mdb_put(txn, dbi, &key, &val, 0);
	char tag = sum_tag(s, dbi);

	if (rc)
		return st_db_error(rc, what, s);
	return tag ? sum_put(s, txn, tag, k, klen, v, vlen) : 0;
}

static int put_str(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
		   const char *v, const char *what)
{
	return put(s, txn, dbi, k, strlen(k), v, strlen(v), what);
}

int st_put_json(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
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
	char tag;

	if (rc == MDB_NOTFOUND)
		return SH_ENOTFOUND;
	if (rc)
		return st_db_error(rc, "read failed", s);
	return (tag = sum_tag(s, dbi)) ? sum_verify(s, txn, tag, k, klen, v) : 0;
}

json_t *st_get_json(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k,
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

int64_t st_get_counter(store *s, MDB_txn *txn, const char *name)
{
	MDB_val v;
	char buf[32];

	if (get(s, txn, s->meta, name, strlen(name), &v) || v.mv_size >= 32)
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
	return put_str(s, txn, s->meta, name, buf, "cannot update counter");
}

static int add_counter(store *s, MDB_txn *txn, const char *name,
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
static int open_dbs(store *s, MDB_txn *txn, unsigned flags)
{
	for (size_t i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++) {
		MDB_dbi *dbi = (MDB_dbi *)((char *)s + dbs[i].off);
		int rc = mdb_dbi_open(txn, dbs[i].name, flags, dbi);

		if (rc == MDB_NOTFOUND)
			return SH_ENOTFOUND;
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
	return rc == SH_ENOTFOUND && !(flags & MDB_CREATE) ? 0 : rc;
}

static int check_schema(store *s, MDB_txn *txn, int may_write)
{
	int64_t v = st_get_counter(s, txn, "schema");

	if (v < STORE_SCHEMA_VERSION && may_write) {
		/* new, or older: what it lacks was made in this txn */
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

static void page_key(char *key, size_t len, const char *id, int n);

/* Runs fn on the runs of [0, n) (sh_on_cores: one a core, at least 64
 * items each) with its index part when parts are asked for: *nt new
 * empty parts, each to hold its run's postings in order. */
typedef struct core_run {
	void *ctx;
	index_part *part;
	size_t from, to;
} core_run;

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

static int on_cores(const store *s, size_t n, int (*fn)(core_run *),
		    void *ctx, index_part *part[SH_CORES_MAX], size_t *nt)
{
	struct cores_ctx c = { fn, ctx, part };

	*nt = sh_runs(n, 64);
	for (size_t t = 0; part && t < *nt; t++) {
		/* a run again after a full map starts from empty */
		index_part_free(&part[t]);
		if (!(part[t] = index_part_new(s->schema)))
			return sh_fail(SH_ENOMEM, "out of memory");
	}
	return sh_on_cores(n, 64, core_fn, &c);
}

/* Stored records read for indexing: where their entries lie in the map
 * (untouched until the chunk is indexed). The postings gathered are
 * written when they pass REBUILD_OCCS occurrences (about 400 MB of
 * buffers) and at the end: each write re-encodes the last block of
 * every term it touches, so the fewer the better. */
#define REBUILD_CHUNK 5000
#define REBUILD_OCCS ((size_t)128 << 20)

typedef struct stored_rec {
	char id[STORE_ID_MAX];
	MDB_val meta;
	MDB_val *pages; /* texts (with their NUL), or version-2 pages' JSON */
	size_t npages;
	int texts;
} stored_rec;

static int rebuild_parse(core_run *m)
{
	stored_rec *v = m->ctx;
	int rc = 0;

	for (size_t i = m->from; i < m->to && rc == 0; i++) {
		json_t *meta = json_loadb(v[i].meta.mv_data, v[i].meta.mv_size,
					  0, NULL);
		const char **texts = calloc(v[i].npages + 1, sizeof(*texts));
		json_t *pages = json_array();
		if (!texts || !pages)
			rc = sh_fail(SH_ENOMEM, "out of memory");
		for (size_t k = 0; k < v[i].npages && rc == 0; k++) {
			json_t *res;
			if (v[i].texts) {
				texts[k] = v[i].pages[k].mv_data;
				continue;
			}
			res = json_loadb(v[i].pages[k].mv_data,
					 v[i].pages[k].mv_size, 0, NULL);
			json_array_append_new(pages, res ? res : json_null());
			texts[k] = json_string_value(json_object_get(res, "text"));
		}
		/* an unreadable record stays out of the index, as before */
		if (meta && rc == 0)
			rc = index_part_add_texts(m->part, v[i].id, meta, texts,
						  v[i].npages);
		free(texts);
		json_decref(pages);
		json_decref(meta);
	}
	return rc;
}

/* Where the entries of db whose keys begin "ID:" lie, into r->pages. */
static int stored_pages(store *s, MDB_cursor *cur, stored_rec *r)
{
	char prefix[STORE_ID_MAX + 2];
	size_t plen = (size_t)snprintf(prefix, sizeof(prefix), "%s:", r->id),
	       cap = 0;
	MDB_val k = { plen, prefix }, v;
	int rc;

	r->npages = 0;
	for (int op = MDB_SET_RANGE; (rc = mdb_cursor_get(cur, &k, &v, op)) == 0 &&
	     k.mv_size > plen && !memcmp(k.mv_data, prefix, plen); op = MDB_NEXT) {
		if (r->npages == cap) {
			MDB_val *g = realloc(r->pages, (cap = cap ? cap * 2 : 4) *
					     sizeof(*g));
			if (!g)
				return sh_fail(SH_ENOMEM, "out of memory");
			r->pages = g;
		}
		r->pages[r->npages++] = v;
	}
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : st_db_error(rc, "cannot list",
							     s);
}

/* Brings a store of an older schema up to date, in one transaction:
 * the databases it lacks are made and, when *ctx says it had no index,
 * every stored record is indexed, REBUILD_CHUNK records at a time read
 * here, then parsed and gathered on every core. */
struct upgrade {
	int unindexed, unqueued; /* unqueued: no queue, or one left behind */
	int unsummed;            /* no checksums (before schema 5) */
};

/* Every stored value's checksum, for a store from before schema 5. */
static int sums_build(store *s, MDB_txn *txn)
{
	MDB_dbi dbi[] = { s->records, s->originals, s->pages, s->texts, s->images };
	int rc = 0;

	for (size_t d = 0; d < sizeof(dbi) / sizeof(*dbi) && rc == 0; d++) {
		MDB_cursor *cur;
		MDB_val k, v;
		char tag = sum_tag(s, dbi[d]);
		if (!tag)
			continue;
		if ((rc = mdb_cursor_open(txn, dbi[d], &cur)))
			return st_db_error(rc, "cannot list", s);
		for (int op = MDB_FIRST; (rc = mdb_cursor_get(cur, &k, &v, op)) == 0;
		     op = MDB_NEXT)
			if ((rc = sum_put(s, txn, tag, k.mv_data, k.mv_size,
					  v.mv_data, v.mv_size)))
				break;
		mdb_cursor_close(cur);
		if (rc == MDB_NOTFOUND)
			rc = 0;
		else if (rc > 0)
			rc = st_db_error(rc, "cannot list", s);
	}
	return rc;
}

static int upgrade_txn(store *s, MDB_txn *txn, void *ctx)
{
	MDB_cursor *cur = NULL, *pcur = NULL, *tcur = NULL;
	MDB_val k, v;
	stored_rec *chunk = calloc(REBUILD_CHUNK, sizeof(*chunk));
	index_part *part[SH_CORES_MAX] = { 0 };
	size_t n = 0, nt = 0;
	struct upgrade *u = ctx;
	int rc = open_dbs(s, txn, MDB_CREATE), more = u->unindexed;

	if (!chunk && rc == 0)
		rc = sh_fail(SH_ENOMEM, "out of memory");
	if (rc == 0 && more && ((rc = mdb_cursor_open(txn, s->records, &cur)) ||
	    (rc = mdb_cursor_open(txn, s->pages, &pcur)) ||
	    (rc = mdb_cursor_open(txn, s->texts, &tcur))))
		rc = st_db_error(rc, "cannot list", s);
	for (int op = MDB_FIRST; rc == 0 && more; op = MDB_NEXT) {
		int got = mdb_cursor_get(cur, &k, &v, op);
		if (got && got != MDB_NOTFOUND) {
			rc = st_db_error(got, "cannot list", s);
			break;
		}
		more = got == 0;
		if (more) {
			/* the record's texts, or a version-2 record's pages */
			stored_rec *r = &chunk[n++];
			snprintf(r->id, sizeof(r->id), "%.*s", (int)k.mv_size,
				 (char *)k.mv_data);
			r->meta = v;
			rc = stored_pages(s, tcur, r);
			r->texts = r->npages > 0;
			if (rc == 0 && !r->texts)
				rc = stored_pages(s, pcur, r);
		}
		if (rc || (more && n < REBUILD_CHUNK))
			continue;
		rc = on_cores(s, n, rebuild_parse, chunk, part, &nt);
		for (size_t t = 0; t < nt && rc == 0; t++)
			rc = index_part_put(s->index, txn, part[t]);
		if (rc == 0 && (!more || index_pending(s->index) > REBUILD_OCCS))
			rc = index_flush(s->index, txn);
		n = 0;
	}
	if (tcur)
		mdb_cursor_close(tcur);
	if (pcur)
		mdb_cursor_close(pcur);
	if (cur)
		mdb_cursor_close(cur);
	for (size_t i = 0; chunk && i < REBUILD_CHUNK; i++)
		free(chunk[i].pages);
	free(chunk);
	for (size_t t = 0; t < SH_CORES_MAX; t++)
		index_part_free(&part[t]);
	if (rc == 0 && u->unqueued)
		rc = st_queue_build(s, txn);
	if (rc == 0 && u->unsummed)
		rc = sums_build(s, txn);
	if (rc == 0)
		return check_schema(s, txn, 1);
	index_close(&s->index);
	return rc;
}

/* Readers open the databases in a read transaction so that opening never
 * waits for a running ingest; only a new store needs a write. */
static int init_store(store *s, int create, int write)
{
	MDB_txn *txn;
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	if (rc)
		return rc;
	rc = open_dbs(s, txn, 0);
	if (rc == 0)
		rc = check_schema(s, txn, 0);
	if (rc == 0) {
		struct upgrade u = { !s->index, !s->has_queue ||
				     (s->review && st_get_counter(s, txn, "queue_stale") > 0),
				     !s->has_sums };
		rc = st_txn_commit(s, txn);
		/* a store of an older schema is upgraded on its first write */
		if (rc == 0 && (create || write) && (u.unindexed || u.unqueued ||
						     !s->has_texts || u.unsummed))
			rc = st_write(s, upgrade_txn, &u);
		return rc;
	}
	st_txn_abort(s, txn);
	if (rc != SH_ENOTFOUND)
		return rc;
	if (!create)
		return sh_fail(SH_ENOTFOUND, "store '%s' is not initialised",
			       s->dir);
	return st_write(s, init_write, NULL);
}

static void read_fault(store *s)
{
	s->fault_before = sh_fault("kill-before-commit");
	s->fault_after = sh_fault("kill-after-commit");
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
	s->review = o->review;
	s->review_ctx = o->review_ctx;
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
		rc = sh_fail(rc == ENOENT ? SH_ENOTFOUND : SH_EDB,
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

/* The key of a record's next history event: "ID:" and its number. */
static int history_key(store *s, MDB_txn *txn, const char *id,
		       char key[STORE_ID_MAX + 16])
{
	char prefix[STORE_ID_MAX + 2];
	MDB_cursor *cur;
	MDB_val k, v;
	size_t plen;
	unsigned seq = 0;
	int rc;

	plen = (size_t)snprintf(prefix, sizeof(prefix), "%s:", id);
	rc = mdb_cursor_open(txn, s->history, &cur);
	if (rc)
		return st_db_error(rc, "cannot read history", s);
	k.mv_size = plen;
	k.mv_data = prefix;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	     rc == 0 && k.mv_size > plen && !memcmp(k.mv_data, prefix, plen);
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		seq++;
	mdb_cursor_close(cur);
	snprintf(key, STORE_ID_MAX + 16, "%s%08u", prefix, seq + 1);
	return 0;
}

static int history_put(store *s, MDB_txn *txn, const char *id,
		       json_t *event)
{
	char key[STORE_ID_MAX + 16], stamp[32];
	int rc;

	if (!json_object_get(event, "time")) {
		sh_now_iso(stamp);
		json_object_set_new(event, "time", json_string(stamp));
	}
	if (!json_object_get(event, "user"))
		json_object_set_new(event, "user", json_string(sh_user()));
	rc = history_key(s, txn, id, key);
	return rc ? rc : st_put_json(s, txn, s->history, key, event,
				  "cannot add history");
}

static void page_key(char *key, size_t len, const char *id, int n)
{
	snprintf(key, len, "%s:%04d", id, n);
}

/* A new record's entries as JSON text, made before they are written
 * (a batch makes them on every core, outside LMDB). */
typedef struct ready {
	char *meta, *event;
	char **pages; /* a page's OCR result without its text; NULL: none */
	const char **texts; /* its text (the caller's); NULL: none */
	size_t npages;
} ready;

static void ready_free(ready *w)
{
	free(w->meta);
	free(w->event);
	for (size_t i = 0; i < w->npages; i++)
		free(w->pages[i]);
	free(w->pages);
	free(w->texts);
	memset(w, 0, sizeof(*w));
}

/* Encodes r's entries: its metadata (which holds its id by now), its
 * "ingested" event by user, its pages' results. */
static int record_ready(const store_new_record *r, const char *user,
			ready *w)
{
	char stamp[32];
	json_t *ev, *res;
	size_t i;

	memset(w, 0, sizeof(*w));
	sh_now_iso(stamp);
	ev = json_pack("{s:s, s:s, s:s, s:s}", "event", "ingested", "batch",
		       r->batch, "user", r->user ? r->user : user, "time",
		       stamp);
	w->meta = json_dumps(r->meta, JSON_COMPACT);
	w->event = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	json_decref(ev);
	w->npages = json_array_size(r->page_results);
	w->pages = calloc(w->npages + 1, sizeof(*w->pages));
	w->texts = calloc(w->npages + 1, sizeof(*w->texts));
	if (!w->meta || !w->event || !w->pages || !w->texts) {
		ready_free(w);
		return sh_fail(SH_ENOMEM, "cannot encode a record");
	}
	json_array_foreach(r->page_results, i, res) {
		json_t *rest;
		if (!json_is_object(res))
			continue;
		/* the text goes apart: a shallow copy without it is dumped */
		w->texts[i] = json_string_value(json_object_get(res, "text"));
		rest = json_copy(res);
		if (rest)
			json_object_del(rest, "text");
		w->pages[i] = rest ? json_dumps(rest, JSON_COMPACT) : NULL;
		json_decref(rest);
		if (!w->pages[i]) {
			ready_free(w);
			return sh_fail(SH_ENOMEM, "cannot encode a page");
		}
	}
	return 0;
}

/* Claims a new record's id: SH_EEXIST (id: the stored one) when its
 * SHA-256 is stored already; otherwise id is "HS-" *next, written into
 * r->meta and the checksum index, and *next moves on. */
static int record_claim(store *s, MDB_txn *txn, const store_new_record *r,
			int64_t *next, char id[STORE_ID_MAX])
{
	MDB_val v;
	int rc = get(s, txn, s->sha, r->sha256, 64, &v);

	if (rc == 0) {
		snprintf(id, STORE_ID_MAX, "%.*s", (int)v.mv_size,
			 (char *)v.mv_data);
		return SH_EEXIST;
	}
	if (rc != SH_ENOTFOUND)
		return rc;
	snprintf(id, STORE_ID_MAX, "HS-%06lld", (long long)(*next)++);
	json_object_set_new(r->meta, "id", json_string(id));
	return put(s, txn, s->sha, r->sha256, 64, id, strlen(id),
		   "cannot index checksum");
}

/* Writes a claimed record's entries: metadata, original, pages' results
 * and images, and its first history event. */
static int record_write(store *s, MDB_txn *txn, const store_new_record *r,
			const char *id, const ready *w)
{
	char key[STORE_ID_MAX + 16];
	MDB_val k = { strlen(id), (void *)id }, val = { r->packed_len, NULL };
	int rc = put_str(s, txn, s->records, id, w->meta, "cannot add record");

	if (rc)
		return rc;
	/* reserve, then copy: the packed original goes straight into the
	 * map without a second buffer */
	rc = mdb_put(txn, s->originals, &k, &val, MDB_RESERVE);
	if (rc)
		return st_db_error(rc, "cannot add original", s);
	memcpy(val.mv_data, r->packed, r->packed_len);
	if (s->has_sums && (rc = sum_put(s, txn, 'o', id, strlen(id), r->packed,
					 r->packed_len)))
		return rc;
	for (size_t i = 0; i < w->npages; i++) {
		page_key(key, sizeof(key), id, (int)i + 1);
		if (w->pages[i])
			rc = put_str(s, txn, s->pages, key, w->pages[i],
				     "cannot add page result");
		/* with its NUL: the index reads it where it lies */
		if (rc == 0 && w->texts[i])
			rc = put(s, txn, s->texts, key, strlen(key), w->texts[i],
				 strlen(w->texts[i]) + 1, "cannot add page text");
		if (rc == 0 && r->images && r->images[i])
			rc = put(s, txn, s->images, key, strlen(key),
				 r->images[i], r->image_lens[i],
				 "cannot add page image");
		if (rc)
			return rc;
	}
	rc = history_key(s, txn, id, key);
	if (rc == 0)
		rc = put_str(s, txn, s->history, key, w->event,
			     "cannot add history");
	return rc ? rc : st_queue_put(s, txn, id, r->meta);
}

/* The store's totals after records of pages, bytes and packed bytes. */
static int counters_add(store *s, MDB_txn *txn, int64_t next, int64_t pages,
			int64_t bytes, int64_t packed)
{
	int rc = st_set_counter(s, txn, "next_id", next);

	if (rc == 0)
		rc = add_counter(s, txn, "pages", pages);
	if (rc == 0)
		rc = add_counter(s, txn, "original_bytes", bytes);
	if (rc == 0)
		rc = add_counter(s, txn, "packed_bytes", packed);
	return rc;
}

struct add_ctx {
	const store_new_record *r;
	char *id;
};

static void maybe_fault(int at, int n)
{
	if (at > 0 && n == at)
		raise(SIGKILL);
}

static int record_add_txn(store *s, MDB_txn *txn, void *ctx)
{
	struct add_ctx *c = ctx;
	const store_new_record *r = c->r;
	int64_t next = st_get_counter(s, txn, "next_id");
	ready w = { 0 };
	int rc;

	index_discard(s->index); /* a retry starts from nothing */
	if (next < 1)
		next = 1;
	rc = record_claim(s, txn, r, &next, c->id);
	if (rc == 0)
		rc = record_ready(r, sh_user(), &w);
	if (rc == 0)
		rc = record_write(s, txn, r, c->id, &w);
	ready_free(&w);
	if (rc == 0 && s->index)
		rc = index_record_add(s->index, txn, c->id, r->meta,
				      r->page_results);
	if (rc == 0)
		rc = counters_add(s, txn, next, r->pages, (int64_t)r->bytes,
				  (int64_t)r->packed_len);
	if (rc == 0 && s->index)
		rc = index_flush(s->index, txn);
	if (rc == 0)
		maybe_fault(s->fault_before, s->records_added + 1);
	return rc;
}

/* Many records in one transaction: the bulk loader's way, where one
 * commit and one write of each term's postings serve them all. Only
 * this thread touches LMDB; between claiming the ids and writing, the
 * records are encoded and their postings gathered on every core. */
struct many_ctx {
	const store_new_record *r;
	size_t n;
	char (*ids)[STORE_ID_MAX];
	int *rcs;
	ready *w;
	const char *user;
	index_part *part[SH_CORES_MAX];
};

static int many_ready(core_run *m)
{
	struct many_ctx *b = m->ctx;
	int rc = 0;

	for (size_t i = m->from; i < m->to && rc == 0; i++) {
		if (b->rcs[i])
			continue;
		rc = record_ready(&b->r[i], b->user, &b->w[i]);
		if (rc == 0 && m->part)
			rc = index_part_add(m->part, b->ids[i], b->r[i].meta,
					    b->r[i].page_results);
	}
	return rc;
}

static int batch_add_txn(store *s, MDB_txn *txn, void *ctx)
{
	struct many_ctx *b = ctx;
	int64_t next = st_get_counter(s, txn, "next_id"), pages = 0, bytes = 0,
		packed = 0;
	size_t nt = 0;
	int rc = 0;

	index_discard(s->index);
	if (next < 1)
		next = 1;
	for (size_t i = 0; i < b->n && rc == 0; i++) {
		rc = b->rcs[i] = record_claim(s, txn, &b->r[i], &next, b->ids[i]);
		if (rc == SH_EEXIST)
			rc = 0;
	}
	if (rc == 0)
		rc = on_cores(s, b->n, many_ready, b, s->index ? b->part : NULL,
			      &nt);
	for (size_t i = 0; i < b->n && rc == 0; i++) {
		if (b->rcs[i])
			continue;
		rc = record_write(s, txn, &b->r[i], b->ids[i], &b->w[i]);
		pages += b->r[i].pages;
		bytes += (int64_t)b->r[i].bytes;
		packed += (int64_t)b->r[i].packed_len;
	}
	for (size_t i = 0; i < b->n; i++)
		ready_free(&b->w[i]);
	if (rc == 0)
		rc = counters_add(s, txn, next, pages, bytes, packed);
	for (size_t t = 0; t < nt && rc == 0 && s->index; t++)
		rc = index_part_put(s->index, txn, b->part[t]);
	if (rc == 0 && s->index)
		rc = index_flush(s->index, txn);
	return rc;
}

int store_record_add_batch(store *s, const store_new_record *r, size_t n,
			   char (*ids)[STORE_ID_MAX], int *rcs)
{
	struct many_ctx b = { r, n, ids, rcs, calloc(n + 1, sizeof(ready)),
			      NULL, { 0 } };
	char user[64];
	int rc;

	if (!b.w)
		return sh_fail(SH_ENOMEM, "out of memory");
	/* room for the batch, about, before it starts: a full map would
	 * run it all again */
	size_t want = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *res;
		size_t k;
		want += r[i].packed_len + 4096;
		json_array_foreach(r[i].page_results, k, res) {
			const char *t = json_string_value(json_object_get(res,
								  "text"));
			want += t ? 3 * strlen(t) : 0;
		}
	}
	for (int grow = 0; grow < 8 && map_tight(s, want); grow++)
		if (map_grow(s))
			break;
	snprintf(user, sizeof(user), "%s", sh_user());
	b.user = user;
	rc = st_write(s, batch_add_txn, &b);
	for (int t = 0; t < SH_CORES_MAX; t++)
		index_part_free(&b.part[t]);
	free(b.w);
	if (rc == 0)
		s->records_added += (int)n;
	return rc;
}

int store_record_add(store *s, const store_new_record *r,
		     char id[STORE_ID_MAX])
{
	struct add_ctx c = { r, id };
	int rc = st_write(s, record_add_txn, &c);

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
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	if (rc)
		return rc;
	rc = get(s, txn, s->sha, sha256, 64, &v);
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
	if (rc == SH_ENOTFOUND)
		rc = sh_fail(SH_ENOTFOUND, "no record '%s' in store '%s'", id,
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
	st_txn_abort(s, txn);
	json_decref(m);
	return rc;
}

int store_page_get(store *s, const char *id, int n, json_t **result)
{
	char key[STORE_ID_MAX + 8];
	MDB_txn *txn;
	MDB_val v;
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	*result = NULL;
	if (rc)
		return rc;
	page_key(key, sizeof(key), id, n);
	*result = st_get_json(s, txn, s->pages, key, &rc);
	if (rc == 0 && s->has_texts &&
	    (rc = get(s, txn, s->texts, key, strlen(key), &v)) == 0)
		json_object_set_new(*result, "text",
				    json_stringn(v.mv_data, v.mv_size - 1));
	else if (rc == SH_ENOTFOUND && *result)
		rc = 0; /* no text, or a version-2 page holding its own */
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
	MDB_txn *txn;
	MDB_val v;
	json_t *page;
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

	*text = NULL;
	if (rc)
		return rc;
	page_key(key, sizeof(key), id, n);
	rc = s->has_texts ? get(s, txn, s->texts, key, strlen(key), &v)
			  : SH_ENOTFOUND;
	if (rc == 0 && !(*text = strndup(v.mv_data, v.mv_size - 1)))
		rc = sh_fail(SH_ENOMEM, "out of memory");
	if (rc == SH_ENOTFOUND && (page = st_get_json(s, txn, s->pages, key,
						   &rc))) {
		/* a version-2 page */
		const char *t = json_string_value(json_object_get(page, "text"));
		rc = t ? 0 : SH_ENOTFOUND;
		if (t && !(*text = strdup(t)))
			rc = sh_fail(SH_ENOMEM, "out of memory");
		json_decref(page);
	}
	st_txn_abort(s, txn);
	return rc;
}

int store_image_get(store *s, const char *id, int n, void **data,
		    size_t *len)
{
	char key[STORE_ID_MAX + 8];
	MDB_txn *txn;
	MDB_val v;
	int rc = st_txn_begin(s, MDB_RDONLY, &txn);

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

	meta = st_get_json(s, txn, s->records, c->id, &rc);
	if (rc == SH_ENOTFOUND)
		return sh_fail(SH_ENOTFOUND, "no record '%s' in store '%s'",
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
			sh_now_iso(stamp);
			json_object_set_new(event, "time", json_string(stamp));
		}
		if (!json_object_get(event, "user"))
			json_object_set_new(event, "user", json_string(sh_user()));
		json_object_set_new(meta, "version", json_integer(v > 0 ? v + 1 : 2));
		json_object_set_new(meta, "updated", json_pack("{s:O, s:O}",
			"user", json_object_get(event, "user"),
			"time", json_object_get(event, "time")));
		rc = st_put_json(s, txn, s->records, c->id, meta,
			      "cannot update record");
	}
	if (rc == 0)
		rc = st_queue_put(s, txn, c->id, meta);
	/* a correction is searchable in the same instant it is stored */
	if (rc == 0 && s->index)
		rc = index_record_fields(s->index, txn, c->id, old, meta);
	json_decref(old);
	/* the access-log entries fn gave: with the change, or neither */
	json_t *log = json_incref(json_object_get(event, "access"));
	json_object_del(event, "access");
	if (rc == 0)
		rc = history_put(s, txn, c->id, event);
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
static void note_key(char *key, size_t len, const char *name)
{
	char h[65];

	sh_sha256_hex(name, strlen(name), h);
	snprintf(key, len, "note:%s", h);
}

struct note_ctx {
	const char *name;
	json_t *value;
};

static int note_put_txn(store *s, MDB_txn *txn, void *ctx)
{
	struct note_ctx *c = ctx;
	char key[80];

	note_key(key, sizeof(key), c->name);
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
		note_key(key, sizeof(key), m->drop);
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
	if (!s->index)
		return sh_fail(SH_ENOTFOUND, "store '%s' has no search index "
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
			   : sh_fail(SH_ENOMEM, "out of memory");
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
			 "schema", STORE_SCHEMA_VERSION);
	st_txn_abort(s, txn);
	return *out ? 0 : sh_fail(SH_ENOMEM, "out of memory");
}
