/* records.c - records added: each one's entries encoded before the
 * transaction, its id claimed (one a file's SHA-256), written with its
 * history, index and queue entries and counters; many in one
 * transaction for the bulk loader. */
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

int st_history_put(store *s, MDB_txn *txn, const char *id,
		       json_t *event)
{
	char key[STORE_ID_MAX + 16], stamp[32];
	int rc;

	if (!json_object_get(event, "time")) {
		base_now_iso(stamp);
		json_object_set_new(event, "time", json_string(stamp));
	}
	if (!json_object_get(event, "user"))
		json_object_set_new(event, "user", json_string(base_user()));
	rc = history_key(s, txn, id, key);
	return rc ? rc : st_put_json(s, txn, s->history, key, event,
				  "cannot add history");
}

void st_page_key(char *key, size_t len, const char *id, int n)
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
	base_now_iso(stamp);
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
		return base_fail(BASE_ENOMEM, "cannot encode a record");
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
			return base_fail(BASE_ENOMEM, "cannot encode a page");
		}
	}
	return 0;
}

/* Claims a new record's id: BASE_EEXIST (id: the stored one) when its
 * SHA-256 is stored already; otherwise id is "HS-" *next, written into
 * r->meta and the checksum index, and *next moves on. */
static int record_claim(store *s, MDB_txn *txn, const store_new_record *r,
			int64_t *next, char id[STORE_ID_MAX])
{
	MDB_val v;
	int rc = st_get(s, txn, s->sha, r->sha256, 64, &v);

	if (rc == 0) {
		snprintf(id, STORE_ID_MAX, "%.*s", (int)v.mv_size,
			 (char *)v.mv_data);
		return BASE_EEXIST;
	}
	if (rc != BASE_ENOTFOUND)
		return rc;
	snprintf(id, STORE_ID_MAX, "HS-%06lld", (long long)(*next)++);
	json_object_set_new(r->meta, "id", json_string(id));
	return st_put(s, txn, s->sha, r->sha256, 64, id, strlen(id),
		   "cannot index checksum");
}

/* Writes a claimed record's entries: metadata, original, pages' results
 * and images, and its first history event. */
static int record_write(store *s, MDB_txn *txn, const store_new_record *r,
			const char *id, const ready *w)
{
	char key[STORE_ID_MAX + 16];
	MDB_val k = { strlen(id), (void *)id }, val = { r->packed_len, NULL };
	int rc = st_put_str(s, txn, s->records, id, w->meta, "cannot add record");

	if (rc)
		return rc;
	/* reserve, then copy: the packed original goes straight into the
	 * map without a second buffer */
	rc = mdb_put(txn, s->originals, &k, &val, MDB_RESERVE);
	if (rc)
		return st_db_error(rc, "cannot add original", s);
	memcpy(val.mv_data, r->packed, r->packed_len);
	if (s->has_sums && (rc = st_sum_put(s, txn, 'o', id, strlen(id), r->packed,
					 r->packed_len)))
		return rc;
	for (size_t i = 0; i < w->npages; i++) {
		st_page_key(key, sizeof(key), id, (int)i + 1);
		if (w->pages[i])
			rc = st_put_str(s, txn, s->pages, key, w->pages[i],
				     "cannot add page result");
		/* with its NUL: the index reads it where it lies */
		if (rc == 0 && w->texts[i])
			rc = st_put(s, txn, s->texts, key, strlen(key), w->texts[i],
				 strlen(w->texts[i]) + 1, "cannot add page text");
		if (rc == 0 && r->images && r->images[i])
			rc = st_put(s, txn, s->images, key, strlen(key),
				 r->images[i], r->image_lens[i],
				 "cannot add page image");
		if (rc)
			return rc;
	}
	rc = history_key(s, txn, id, key);
	if (rc == 0)
		rc = st_put_str(s, txn, s->history, key, w->event,
			     "cannot add history");
	st_review review = { r->review, r->problems };
	return rc ? rc : st_queue_put(s, txn, id, r->meta, &review);
}

/* The store's totals after records of pages, bytes and packed bytes. */
static int counters_add(store *s, MDB_txn *txn, int64_t next, int64_t pages,
			int64_t bytes, int64_t packed)
{
	int rc = st_set_counter(s, txn, "next_id", next);

	if (rc == 0)
		rc = st_add_counter(s, txn, "pages", pages);
	if (rc == 0)
		rc = st_add_counter(s, txn, "original_bytes", bytes);
	if (rc == 0)
		rc = st_add_counter(s, txn, "packed_bytes", packed);
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
		rc = record_ready(r, base_user(), &w);
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
	index_part *part[BASE_CORES_MAX];
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
		if (rc == BASE_EEXIST)
			rc = 0;
	}
	if (rc == 0)
		rc = st_on_cores(s, b->n, many_ready, b, s->index ? b->part : NULL,
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
		return base_fail(BASE_ENOMEM, "out of memory");
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
	for (int grow = 0; grow < 8 && st_map_tight(s, want); grow++)
		if (st_map_grow(s))
			break;
	snprintf(user, sizeof(user), "%s", base_user());
	b.user = user;
	rc = st_write(s, batch_add_txn, &b);
	for (int t = 0; t < BASE_CORES_MAX; t++)
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
