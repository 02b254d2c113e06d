/* queue.c - the review queue: the records that need a person, worst
 * first, kept in the transaction that stores or changes each record so
 * that it is never behind them. A queue entry's key orders it (the
 * score inverted, then the id); its value is a line of text that a scan
 * of the whole queue reads without parsing JSON: type, batch, problem
 * kinds and the problems. */
#include "internal.h"

#include "../base/base.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The problem kinds fields_review gives, as bits in an entry. */
static const char *const kinds[] = { "unknown type", "missing",
				     "readings disagree", "low confidence",
				     "unreadable page" };
#define NKINDS (sizeof(kinds) / sizeof(*kinds))
#define SCORE_TOP 99999999LL

static int kind_bit(const char *problem)
{
	for (size_t i = 0; problem && i < NKINDS; i++)
		if (!strcmp(kinds[i], problem))
			return 1 << i;
	return 0;
}

/* An entry's value: "type\tbatch\tbits\tupdated\tfield|problem|conf;..."
 * (updated: the time of the record's last update, "" if none). */
static char *entry_line(json_t *meta, json_t *problems)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	json_t *p;
	int bits = 0;

	if (!f)
		return NULL;
	json_array_foreach(problems, i, p)
		bits |= kind_bit(json_string_value(json_object_get(p, "problem")));
	fprintf(f, "%s\t%s\t%d\t%s\t", json_string_value(json_object_get(meta, "type")) ?: "",
		json_string_value(json_object_get(meta, "batch")) ?: "", bits,
		json_string_value(json_object_get(json_object_get(meta, "updated"),
						  "time")) ?: "");
	json_array_foreach(problems, i, p) {
		json_t *c = json_object_get(p, "confidence");
		fprintf(f, "%s%s|%s|", i ? ";" : "",
			json_string_value(json_object_get(p, "field")) ?: "",
			json_string_value(json_object_get(p, "problem")) ?: "");
		if (json_is_number(c))
			fprintf(f, "%.2f", json_number_value(c));
	}
	fclose(f);
	return buf;
}

static int del_key(store *s, MDB_txn *txn, MDB_dbi dbi, const char *k, size_t n)
{
	MDB_val key = { n, (void *)k };
	int rc = mdb_del(txn, dbi, &key, NULL);

	return rc && rc != MDB_NOTFOUND ? st_db_error(rc, "cannot update the review queue", s) : 0;
}

/* One entry, split in place: id, type, batch, kinds, problems. */
typedef struct entry {
	char key[STORE_QKEY_MAX];
	const char *id, *type, *batch, *problems, *updated;
	size_t type_len, batch_len, problems_len, updated_len;
	int bits;
	double score;
} entry;

static int entry_read(const MDB_val *k, const MDB_val *v, entry *e)
{
	const char *p = v->mv_data, *end = p + v->mv_size, *t;

	if (k->mv_size >= sizeof(e->key) || k->mv_size < 10)
		return -1;
	memcpy(e->key, k->mv_data, k->mv_size);
	e->key[k->mv_size] = 0;
	e->id = e->key + 9;
	e->score = (double)(SCORE_TOP - atoll(e->key)) / 100;
	e->type = p;
	if (!(t = memchr(p, '\t', (size_t)(end - p))))
		return -1;
	e->type_len = (size_t)(t - p);
	e->batch = p = t + 1;
	if (!(t = memchr(p, '\t', (size_t)(end - p))))
		return -1;
	e->batch_len = (size_t)(t - p);
	p = t + 1;
	e->bits = atoi(p);
	if (!(t = memchr(p, '\t', (size_t)(end - p))))
		return -1;
	e->updated = p = t + 1;
	if (!(t = memchr(p, '\t', (size_t)(end - p))))
		return -1;
	e->updated_len = (size_t)(t - p);
	e->problems = t + 1;
	e->problems_len = (size_t)(end - t - 1);
	return 0;
}

static int is(const char *want, const char *s, size_t n)
{
	return !want || !*want || (strlen(want) == n && !memcmp(want, s, n));
}

static int matches(const store_queue_filter *f, const entry *e)
{
	return !f || (is(f->type, e->type, e->type_len) &&
		      is(f->batch, e->batch, e->batch_len) &&
		      (!f->problem || !*f->problem || (e->bits & kind_bit(f->problem))));
}

/* Counts by a short key (a type, a batch): open addressing, so that a
 * scan of the whole queue counts without a JSON object per entry. */
#define TALLY_SLOTS 4096
typedef struct tally {
	struct { const char *k; size_t n; long count; } slot[TALLY_SLOTS];
	char keys[TALLY_SLOTS][STORE_ID_MAX + 40];
	int full;
} tally;

static void tally_add(tally *t, const char *k, size_t n)
{
	uint32_t h = 2166136261u;

	if (n >= sizeof(t->keys[0]))
		n = sizeof(t->keys[0]) - 1;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	for (uint32_t i = 0; i < TALLY_SLOTS; i++) {
		uint32_t at = (h + i) % TALLY_SLOTS;
		if (!t->slot[at].k) {
			memcpy(t->keys[at], k, n);
			t->keys[at][n] = 0;
			t->slot[at].k = t->keys[at];
			t->slot[at].n = n;
		}
		if (t->slot[at].n == n && !memcmp(t->slot[at].k, k, n)) {
			t->slot[at].count++;
			return;
		}
	}
	t->full = 1; /* more distinct keys than slots: those are not counted */
}

static json_t *tally_json(const tally *t)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < TALLY_SLOTS; i++)
		if (t->slot[i].k)
			json_object_set_new(o, t->slot[i].k, json_integer(t->slot[i].count));
	return o;
}

static json_t *entry_json(const entry *e)
{
	json_t *problems = json_array();
	char buf[2048], *save = NULL;

	snprintf(buf, sizeof(buf), "%.*s", (int)e->problems_len, e->problems);
	for (char *p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
		char *a = strchr(p, '|'), *b = a ? strchr(a + 1, '|') : NULL;
		if (!b)
			continue;
		*a = *b = 0;
		json_t *pj = json_pack("{s:s, s:s}", "field", p, "problem", a + 1);
		if (b[1])
			json_object_set_new(pj, "confidence", json_real(atof(b + 1)));
		json_array_append_new(problems, pj);
	}
	/* a record without a batch has null, as its metadata says */
	return json_pack("{s:s, s:s%, s:o, s:f, s:o}", "id", e->id, "type",
			 e->type, e->type_len, "batch", e->batch_len ?
			 json_stringn(e->batch, e->batch_len) : json_null(),
			 "score", e->score, "problems", problems);
}

int st_queue_put(store *s, MDB_txn *txn, const char *id, json_t *meta,
		 const st_review *review)
{
	MDB_val k = { strlen(id), (void *)id }, v;
	st_review kept = { 0, NULL };
	char key[STORE_QKEY_MAX], *line;
	int rc;

	if (!s->has_queue)
		return 0;
	rc = mdb_get(txn, s->queue_of, &k, &v);
	if (rc == 0) {
		char old[STORE_QKEY_MAX];
		snprintf(old, sizeof(old), "%.*s", (int)v.mv_size, (char *)v.mv_data);
		if (!review) {
			/* the place it had, its line read back */
			MDB_val ok = { strlen(old), old }, ov = { 0, NULL };
			entry e;
			rc = mdb_get(txn, s->queue, &ok, &ov);
			if (rc && rc != MDB_NOTFOUND)
				return st_db_error(rc, "cannot read the review queue", s);
			json_t *was = rc == 0 && !entry_read(&ok, &ov, &e)
				      ? entry_json(&e) : NULL;
			if (was) {
				kept.score = e.score;
				kept.problems = json_incref(json_object_get(was, "problems"));
				json_decref(was);
			} else {
				/* a damaged or lost line (derived data) stops no
				 * change: the record keeps the place its key holds,
				 * and says its problems are to be found again */
				long long inv = atoll(old);
				kept.score = inv > 0 && inv < SCORE_TOP
					     ? (double)(SCORE_TOP - inv) / 100 : 1;
				kept.problems = json_pack("[{s:s, s:s}]", "field", "review",
							  "problem", "lost: review again");
			}
			review = &kept;
		}
		if ((rc = del_key(s, txn, s->queue, old, strlen(old))) ||
		    (rc = del_key(s, txn, s->queue_of, id, strlen(id))))
			goto out;
	} else if (rc != MDB_NOTFOUND) {
		return st_db_error(rc, "cannot read the review queue", s);
	}
	rc = 0;
	/* a record stored without OCR has nothing to review yet; one a
	 * person accepted has been reviewed */
	if (!review || review->score <= 0 || json_is_null(json_object_get(meta, "type")) ||
	    !json_object_get(meta, "type") || json_object_get(meta, "reviewed"))
		goto out;
	long long inv = SCORE_TOP - llround(fmin(review->score, 999999) * 100);
	snprintf(key, sizeof(key), "%08lld %s", inv < 0 ? 0 : inv, id);
	line = entry_line(meta, review->problems);
	if (!line) {
		rc = base_fail(BASE_ENOMEM, "out of memory");
		goto out;
	}
	MDB_val qk = { strlen(key), key }, qv = { strlen(line), line };
	MDB_val ok = { strlen(id), (void *)id }, ov = { strlen(key), key };
	rc = mdb_put(txn, s->queue, &qk, &qv, 0);
	if (rc == 0)
		rc = mdb_put(txn, s->queue_of, &ok, &ov, 0);
	free(line);
	rc = rc ? st_db_error(rc, "cannot update the review queue", s) : 0;
out:
	json_decref(kept.problems);
	return rc;
}

int st_queue_build(store *s, MDB_txn *txn)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	if (!s->queue_review)
		return base_fail(BASE_EVERSION, "store '%s' needs its review queue "
			       "built from its records' fields, which takes the "
			       "field rules", s->dir);
	if ((rc = mdb_drop(txn, s->queue, 0)) || (rc = mdb_drop(txn, s->queue_of, 0)))
		return st_db_error(rc, "cannot empty the review queue", s);
	if ((rc = st_set_counter(s, txn, "queue_stale", 0)))
		return rc;
	rc = mdb_cursor_open(txn, s->records, &cur);
	if (rc)
		return st_db_error(rc, "cannot list records", s);
	for (int op = MDB_FIRST; (rc = mdb_cursor_get(cur, &k, &v, op)) == 0;
	     op = MDB_NEXT) {
		char id[STORE_ID_MAX];
		json_error_t err;
		json_t *meta = json_loadb(v.mv_data, v.mv_size, 0, &err);
		snprintf(id, sizeof(id), "%.*s", (int)k.mv_size, (char *)k.mv_data);
		if (!meta)
			continue; /* `check` names a damaged record */
		st_review r = { 0, NULL };
		r.score = s->queue_review(s->queue_review_ctx, meta, &r.problems);
		rc = st_queue_put(s, txn, id, meta, &r);
		json_decref(r.problems);
		json_decref(meta);
		if (rc)
			break;
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc ? (rc < 0 ? rc : st_db_error(rc, "cannot list records", s)) : 0;
}

/* Opens a read transaction on a queue that is up to date: BASE_ENOTFOUND
 * when there is none, or a tool of an earlier sohoa, which stored
 * records without their review, left it behind (no writer of this one
 * can). */
static int queue_begin(store *s, MDB_txn **txn)
{
	int rc;

	if (!s->has_queue)
		return base_fail(BASE_ENOTFOUND, "store '%s' has no review queue yet "
			       "(it is made on the store's first write by this "
			       "sohoa)", s->dir);
	if ((rc = st_txn_begin(s, MDB_RDONLY, txn)))
		return rc;
	if (st_get_counter(s, *txn, "queue_stale") > 0) {
		st_txn_abort(s, *txn);
		return base_fail(BASE_ENOTFOUND, "the review queue of '%s' is behind "
			       "(records were stored by an older tool that did not keep "
			       "it); the next write by sohoa builds it again", s->dir);
	}
	return 0;
}

int store_queue_list(store *s, const store_queue_filter *f, size_t offset,
		     size_t limit, json_t **out)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	size_t total = 0;
	json_t *res, *counts, *records;
	int rc;

	*out = NULL;
	if ((rc = queue_begin(s, &txn)))
		return rc;
	if ((rc = mdb_cursor_open(txn, s->queue, &cur))) {
		st_txn_abort(s, txn);
		return st_db_error(rc, "cannot read the review queue", s);
	}
	tally *types = calloc(1, sizeof(*types)), *batches = calloc(1, sizeof(*batches));
	long problems[NKINDS] = { 0 };
	records = json_array();
	for (int op = MDB_FIRST; types && batches &&
	     (rc = mdb_cursor_get(cur, &k, &v, op)) == 0; op = MDB_NEXT) {
		entry e;
		if (entry_read(&k, &v, &e))
			continue;
		tally_add(types, e.type, e.type_len);
		tally_add(batches, e.batch, e.batch_len);
		for (size_t i = 0; i < NKINDS; i++)
			problems[i] += (e.bits >> i) & 1;
		if (!matches(f, &e))
			continue;
		if (total >= offset && (!limit || total < offset + limit))
			json_array_append_new(records, entry_json(&e));
		total++;
	}
	mdb_cursor_close(cur);
	st_txn_abort(s, txn);
	if (!types || !batches || rc != MDB_NOTFOUND) {
		free(types);
		free(batches);
		json_decref(records);
		return types && batches ? st_db_error(rc, "cannot read the review queue", s)
					: base_fail(BASE_ENOMEM, "out of memory");
	}
	json_t *pj = json_object();
	for (size_t i = 0; i < NKINDS; i++)
		if (problems[i])
			json_object_set_new(pj, kinds[i], json_integer(problems[i]));
	counts = json_pack("{s:o, s:o, s:o}", "type", tally_json(types), "batch",
			   tally_json(batches), "problem", pj);
	free(types);
	free(batches);
	res = json_pack("{s:I, s:o, s:o}", "total", (json_int_t)total, "counts",
			counts, "records", records);
	if (!res)
		return base_fail(BASE_ENOMEM, "out of memory");
	*out = res;
	return 0;
}

int store_queue_key(store *s, const char *id, char key[STORE_QKEY_MAX])
{
	MDB_txn *txn;
	MDB_val k = { strlen(id), (void *)id }, v;
	int rc;

	if ((rc = queue_begin(s, &txn)))
		return rc;
	rc = mdb_get(txn, s->queue_of, &k, &v);
	if (rc == 0)
		snprintf(key, STORE_QKEY_MAX, "%.*s", (int)v.mv_size, (char *)v.mv_data);
	st_txn_abort(s, txn);
	if (rc == MDB_NOTFOUND)
		return BASE_ENOTFOUND;
	return rc ? st_db_error(rc, "cannot read the review queue", s) : 0;
}

int store_queue_next(store *s, const store_queue_filter *f, const char *key,
		     const char *skip, int wrap, char id[STORE_ID_MAX])
{
	MDB_txn *txn;
	MDB_cursor *cur;
	int rc, found = 0;

	if ((rc = queue_begin(s, &txn)))
		return rc;
	if ((rc = mdb_cursor_open(txn, s->queue, &cur))) {
		st_txn_abort(s, txn);
		return st_db_error(rc, "cannot read the review queue", s);
	}
	/* from the place on, then from the start up to it */
	for (int round = 0; round < (wrap ? 2 : 1) && !found; round++) {
		MDB_val k = { round || !key ? 0 : strlen(key), (void *)(key ? key : "") }, v;
		int op = k.mv_size ? MDB_SET_RANGE : MDB_FIRST;
		for (; (rc = mdb_cursor_get(cur, &k, &v, op)) == 0; op = MDB_NEXT) {
			entry e;
			if (entry_read(&k, &v, &e))
				continue;
			if (round && key && strcmp(e.key, key) >= 0)
				break;
			if ((skip && !strcmp(e.id, skip)) || !matches(f, &e))
				continue;
			/* changed since the pass began: seen in this pass */
			if (f && f->since && *f->since && e.updated_len &&
			    strncmp(e.updated, f->since, e.updated_len) >= 0)
				continue;
			snprintf(id, STORE_ID_MAX, "%s", e.id);
			found = 1;
			break;
		}
		if (rc && rc != MDB_NOTFOUND)
			break;
		rc = 0;
	}
	mdb_cursor_close(cur);
	st_txn_abort(s, txn);
	if (rc)
		return st_db_error(rc, "cannot read the review queue", s);
	return found ? 0 : BASE_ENOTFOUND;
}
