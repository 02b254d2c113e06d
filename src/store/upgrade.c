/* upgrade.c - a store of an older schema brought up to date: in one
 * transaction its pages' words mended as their texts were, the checksums
 * of every stored value, the review queue; then its index built from
 * the stored texts on every core, in transactions of a bounded size. */
#include "store.h"

#include "../index/index.h"
#include "../base/base.h"
#include "../words/words.h"

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


/* Stored records read for indexing: where their entries lie in the map
 * (untouched until the chunk is indexed). The postings gathered are
 * written, and their transaction committed, when they pass REBUILD_OCCS
 * occurrences (about 100 MB of buffers) and at the end: each write
 * re-encodes the last block of every term it touches, so the fewer the
 * better, but one transaction's pages stay in memory until it ends. */
#define REBUILD_CHUNK 5000
#define REBUILD_OCCS ((size_t)32 << 20)

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
			rc = base_fail(BASE_ENOMEM, "out of memory");
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
				return base_fail(BASE_ENOMEM, "out of memory");
			r->pages = g;
		}
		r->pages[r->npages++] = v;
	}
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : st_db_error(rc, "cannot list",
							     s);
}

/* Every stored value's checksum, for a store from before schema 5. */
static int sums_build(store *s, MDB_txn *txn)
{
	MDB_dbi dbi[] = { s->records, s->originals, s->pages, s->texts, s->images };
	int rc = 0;

	for (size_t d = 0; d < sizeof(dbi) / sizeof(*dbi) && rc == 0; d++) {
		MDB_cursor *cur;
		MDB_val k, v;
		char tag = st_sum_tag(s, dbi[d]);
		if (!tag)
			continue;
		if ((rc = mdb_cursor_open(txn, dbi[d], &cur)))
			return st_db_error(rc, "cannot list", s);
		for (int op = MDB_FIRST; (rc = mdb_cursor_get(cur, &k, &v, op)) == 0;
		     op = MDB_NEXT)
			if ((rc = st_sum_put(s, txn, tag, k.mv_data, k.mv_size,
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

/* Before schema 6, page's words with its mended text laid over them.
 * 0, or 1 when they and the text stay as they are (no words, or too
 * long to align). */
static int words_mended(json_t *page, const char *text)
{
	json_t *words = json_object_get(page, "words"), *laid;

	if (!json_array_size(words))
		return 1; /* no words to carry the text: it stays as it is */
	if (!(laid = words_lay_text(words, text)))
		return 1; /* too long to align: as read */
	json_object_set_new(page, "words", laid);
	return 0;
}

/* The keys of every stored page (yours, and each of them). */
static int page_keys(store *s, MDB_txn *txn, char ***keys, size_t *n)
{
	MDB_cursor *cur;
	MDB_val k, v;
	size_t cap = 0;
	int rc;

	*keys = NULL;
	*n = 0;
	if ((rc = mdb_cursor_open(txn, s->pages, &cur)))
		return st_db_error(rc, "cannot list", s);
	for (int op = MDB_FIRST; (rc = mdb_cursor_get(cur, &k, &v, op)) == 0;
	     op = MDB_NEXT) {
		if (*n == cap) {
			char **g = realloc(*keys, (cap = cap ? cap * 2 : 1024) *
					   sizeof(*g));
			if (!g)
				break;
			*keys = g;
		}
		if (!((*keys)[*n] = strndup(k.mv_data, k.mv_size)))
			break;
		(*n)++;
	}
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND)
		return 0;
	return rc ? st_db_error(rc, "cannot list", s)
		  : base_fail(BASE_ENOMEM, "out of memory");
}

/* Schema 6: each page's words carry the word lists' mends that only its
 * text had, and its text is its words joined (kept in the texts
 * database, a version-2 page's own moved there). A page too long to
 * align keeps its words and its text. */
static int mend_one(store *s, MDB_txn *txn, const char *key)
{
	const char *t;
	char *text = NULL, *joined = NULL;
	int rc;
	json_t *page = st_get_json(s, txn, s->pages, key, &rc);

	if (page && (rc = st_page_text_of(s, txn, key, page, &t)) == 0 &&
	    !(text = strdup(t)))
		rc = base_fail(BASE_ENOMEM, "out of memory");
	if (rc == BASE_ENOTFOUND || rc == BASE_ECORRUPT)
		rc = 0; /* no text to carry, or damage that check names */
	if (rc || !text)
		goto out;
	if (words_mended(page, text) == 0 &&
	    (rc = words_text(json_object_get(page, "words"), &joined)))
		goto out;
	json_object_del(page, "text");
	if ((rc = st_put_json(s, txn, s->pages, key, page, "page result")) == 0)
		rc = st_put(s, txn, s->texts, key, strlen(key), joined ? joined : text,
			    strlen(joined ? joined : text) + 1, "cannot add page text");
out:
	free(joined);
	free(text);
	json_decref(page);
	return rc;
}

static int mend_pages(store *s, MDB_txn *txn)
{
	char **keys;
	size_t n;
	int rc = page_keys(s, txn, &keys, &n);

	for (size_t i = 0; i < n; i++) {
		if (rc == 0)
			rc = mend_one(s, txn, keys[i]);
		free(keys[i]);
	}
	free(keys);
	return rc;
}

/* The index of stored records is built in transactions of its own, each
 * ending when the postings it gathered pass REBUILD_OCCS occurrences (a
 * store's worth in one transaction grew 151 times for 10 times the
 * records: tests/bench/README.md). Until the last, the meta key
 * INDEX_AFTER holds the key of the last record indexed ("" before the
 * first); a store that has it is opened as one without an index, and
 * its next write goes on from there. */
#define INDEX_AFTER "index_after"

int st_index_building(store *s, MDB_txn *txn)
{
	MDB_val v;

	return st_get(s, txn, s->meta, INDEX_AFTER, strlen(INDEX_AFTER), &v) == 0;
}

/* index_step's: whether the index is whole, and for tests (SOHOA_FAULT
 * index-step:N) a step of N records. */
struct index_progress {
	int done;
	size_t step;
};

/* The records after INDEX_AFTER indexed, REBUILD_CHUNK at a time read
 * here, then parsed and gathered on every core, until REBUILD_OCCS
 * occurrences are gathered or the records end: then written, and
 * INDEX_AFTER moved on, or removed at the end. */
static int index_step(store *s, MDB_txn *txn, void *ctx)
{
	MDB_cursor *cur = NULL, *pcur = NULL, *tcur = NULL;
	MDB_val k, v, after;
	stored_rec *chunk = calloc(REBUILD_CHUNK, sizeof(*chunk));
	index_part *part[BASE_CORES_MAX] = { 0 };
	char last[STORE_ID_MAX] = "";
	struct index_progress *p = ctx;
	size_t n = 0, nt = 0, chunk_n = p->step ? p->step : REBUILD_CHUNK;
	int more = 1, op = MDB_FIRST;
	int rc = st_get(s, txn, s->meta, INDEX_AFTER, strlen(INDEX_AFTER),
			&after);

	p->done = rc == BASE_ENOTFOUND;
	if (p->done)
		return 0;
	if (chunk_n > REBUILD_CHUNK)
		chunk_n = REBUILD_CHUNK;
	index_discard(s->index); /* a retry after a full map starts anew */
	if (rc == 0 && !chunk)
		rc = base_fail(BASE_ENOMEM, "out of memory");
	if (rc == 0 && ((rc = mdb_cursor_open(txn, s->records, &cur)) ||
			(rc = mdb_cursor_open(txn, s->pages, &pcur)) ||
			(rc = mdb_cursor_open(txn, s->texts, &tcur))))
		rc = st_db_error(rc, "cannot list", s);
	if (rc == 0 && after.mv_size > 0) {
		/* on from the record after the last one indexed */
		snprintf(last, sizeof(last), "%.*s", (int)after.mv_size,
			 (char *)after.mv_data);
		k = after;
		int got = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		op = got == 0 && k.mv_size == after.mv_size &&
		     !memcmp(k.mv_data, last, k.mv_size) ? MDB_NEXT : MDB_GET_CURRENT;
		if (got == MDB_NOTFOUND)
			more = 0;
		else if (got)
			rc = st_db_error(got, "cannot list", s);
	}
	for (; rc == 0 && more; op = MDB_NEXT) {
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
		if (rc || (more && n < chunk_n))
			continue;
		if (n == 0)
			break;
		snprintf(last, sizeof(last), "%s", chunk[n - 1].id);
		rc = st_on_cores(s, n, rebuild_parse, chunk, part, &nt);
		for (size_t t = 0; t < nt && rc == 0; t++)
			rc = index_part_put(s->index, txn, part[t]);
		n = 0;
		if (index_pending(s->index) > REBUILD_OCCS || p->step)
			break;
	}
	if (rc == 0)
		rc = index_flush(s->index, txn);
	if (rc == 0 && more)
		rc = st_put_str(s, txn, s->meta, INDEX_AFTER, last,
				"cannot record the index's progress");
	else if (rc == 0 && (rc = mdb_del(txn, s->meta, &(MDB_val){
			strlen(INDEX_AFTER), INDEX_AFTER }, NULL)))
		rc = st_db_error(rc, "cannot record the index's progress", s);
	else if (rc == 0)
		p->done = 1;
	if (tcur)
		mdb_cursor_close(tcur);
	if (pcur)
		mdb_cursor_close(pcur);
	if (cur)
		mdb_cursor_close(cur);
	for (size_t i = 0; chunk && i < REBUILD_CHUNK; i++)
		free(chunk[i].pages);
	free(chunk);
	for (size_t t = 0; t < BASE_CORES_MAX; t++)
		index_part_free(&part[t]);
	if (rc)
		index_discard(s->index);
	return rc;
}

/* Brings a store of an older schema up to date in one transaction, the
 * databases it lacks made, its pages mended, its queue and checksums
 * built; when it had no index (or one being built: *ctx), the index is
 * then built in transactions of its own (index_step). */
static int upgrade_txn(store *s, MDB_txn *txn, void *ctx)
{
	struct upgrade *u = ctx;
	int rc = st_open_dbs(s, txn, MDB_CREATE);

	/* first: the index is then built from the texts as they now are */
	if (rc == 0 && u->unmended)
		rc = mend_pages(s, txn);
	if (rc == 0 && u->unindexed && !st_index_building(s, txn))
		rc = st_put_str(s, txn, s->meta, INDEX_AFTER, "",
				"cannot record the index's progress");
	if (rc == 0 && u->unqueued)
		rc = st_queue_build(s, txn);
	if (rc == 0 && u->unsummed)
		rc = sums_build(s, txn);
	if (rc == 0)
		return st_check_schema(s, txn, 1);
	index_close(&s->index);
	return rc;
}

/* (SOHOA_FAULT kill-after-index-step:K: killed after K steps of one
 * record, a test's crash in the middle) */
int st_upgrade(store *s, struct upgrade *u)
{
	struct index_progress p = { 0, (size_t)base_fault("index-step") };
	int rc = st_write(s, upgrade_txn, u), kill_after =
		base_fault("kill-after-index-step");

	if (kill_after && !p.step)
		p.step = 1;

	for (int steps = 1; rc == 0 && u->unindexed && !p.done; steps++) {
		rc = st_write(s, index_step, &p);
		if (rc == 0 && !p.done && steps == kill_after)
			raise(SIGKILL);
	}
	if (rc == 0)
		s->index_building = 0;
	return rc;
}
