/* merge.c - shard stores brought into one store by one writer: each
 * shard checked first (its place in the batch, its schema, its fixity,
 * that its task finished), then its records taken in the batch's order,
 * bit for bit, new ids given by the store, a content already held kept
 * once; the review queue and the index written with each record as
 * ingest writes them; a shard merged once is never merged again. */
#include "ingest.h"

#include "../base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What became of a shard's record: the id it has in the store merged
 * into, and whether the merge stored it or found its content there. */
typedef struct merged {
	char shard_id[STORE_ID_MAX], id[STORE_ID_MAX];
	const char *path; /* its source path, the meta's */
	int duplicate;
	json_t *meta;
} merged;

/* An id's number, for the batch's order ("HS-000010" after "HS-000009",
 * and after "HS-999999" too). */
static long long id_number(const char *id)
{
	const char *d = strchr(id, '-');

	return d ? atoll(d + 1) : 0;
}

static int by_id(const void *a, const void *b)
{
	long long x = id_number(*(char *const *)a), y = id_number(*(char *const *)b);

	return x < y ? -1 : x > y;
}

/* Whether shard store sh may be merged: the same schema, a
 * shard of batch, finished, every record checking. 0, or a reason in
 * why (BASE_EINVAL). */
static int shard_ok(store *sh, const char *batch,
		    ingest_shard *at, json_t **summary, char **ids, size_t n,
		    char *why, size_t len)
{
	json_t *stats = NULL;
	char bad[512];
	int rc = store_stats(sh, &stats);
	json_int_t schema = json_integer_value(json_object_get(stats, "schema"));

	json_decref(stats);
	if (rc == 0 && schema != STORE_SCHEMA_VERSION)
		return snprintf(why, len, "its schema is %lld, this sohoa's %d "
				"(ingest it with this sohoa)", (long long)schema,
				STORE_SCHEMA_VERSION), BASE_EINVAL;
	if (rc == 0 && (rc = ingest_shard_get(sh, at, summary)) == 0 &&
	    strcmp(at->batch, batch))
		return snprintf(why, len, "it is a shard of batch %s, not of %s",
				at->batch, batch), BASE_EINVAL;
	if (rc == 0 && !ingest_shard_done(at, *summary))
		return snprintf(why, len, "its task did not finish (shard %d of "
				"%d: %zu files; run cluster submit again)",
				at->index, at->of, at->count), BASE_EINVAL;
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (store_record_check(sh, ids[i], bad, sizeof(bad)))
			return snprintf(why, len, "it does not check: %s: %s", ids[i],
					bad), BASE_EINVAL;
	if (rc)
		snprintf(why, len, "%s", base_errmsg());
	return rc ? BASE_EINVAL : 0;
}

/* One record of sh into s as ingest would have stored it: its
 * original as stored, its pages' results and images, its metadata of
 * batch, its review from the rules. */
static int merge_record(store *s, store *sh, merged *m, const char *batch,
			const ingest_opts *o)
{
	store_new_record r = { 0 };
	json_t *meta = NULL, *pages = json_array();
	void *packed = NULL;
	size_t packed_len = 0, np;
	unsigned char **img = NULL;
	size_t *lens = NULL;
	int rc = store_record_get(sh, m->shard_id, &meta, NULL);

	if (rc == 0)
		rc = store_original_packed(sh, m->shard_id, &packed, &packed_len);
	np = json_array_size(json_object_get(meta, "pages"));
	img = calloc(np + 1, sizeof(*img));
	lens = calloc(np + 1, sizeof(*lens));
	if (rc == 0 && (!img || !lens || !pages))
		rc = base_fail(BASE_ENOMEM, "out of memory");
	for (size_t k = 0; rc == 0 && k < np; k++) {
		json_t *page = NULL;
		rc = store_page_get(sh, m->shard_id, (int)k + 1, &page);
		if (rc == 0 || rc == BASE_ENOTFOUND)
			rc = json_array_append_new(pages, page ? page : json_null());
		if (rc == 0) {
			void *data = NULL;
			rc = store_image_get(sh, m->shard_id, (int)k + 1, &data, &lens[k]);
			img[k] = data;
			if (rc == BASE_ENOTFOUND)
				rc = 0;
		}
	}
	if (rc == 0) {
		json_t *source = json_object_get(meta, "source");
		json_object_del(meta, "id");
		json_object_set_new(meta, "batch", json_string(batch));
		r.sha256 = json_string_value(json_object_get(source, "sha256"));
		r.meta = meta;
		r.packed = packed;
		r.packed_len = packed_len;
		r.bytes = (size_t)json_integer_value(json_object_get(source, "bytes"));
		r.pages = (int)np;
		r.batch = batch;
		/* a record stored without OCR has no page results */
		int any = 0;
		for (size_t k = 0; k < np; k++)
			any |= !json_is_null(json_array_get(pages, k));
		r.page_results = any ? pages : NULL;
		r.images = any ? img : NULL;
		r.image_lens = any ? lens : NULL;
		if (o->rules && json_object_get(meta, "ocr_confidence"))
			r.review = fields_review(o->rules, meta, o->review_below,
						 &r.problems);
		rc = r.sha256 ? store_record_add(s, &r, m->id)
			      : base_fail(BASE_ECORRUPT, "%s has no SHA-256",
					  m->shard_id);
		m->duplicate = rc == BASE_EEXIST;
		if (rc == BASE_EEXIST)
			rc = 0;
	}
	m->meta = meta;
	m->path = json_string_value(json_object_get(json_object_get(meta,
						"source"), "path"));
	json_decref(r.problems);
	for (size_t k = 0; img && k < np; k++)
		free(img[k]);
	free(img);
	free(lens);
	free(packed);
	json_decref(pages);
	return rc;
}

/* A shard given to merge: open, its records in order, and what the
 * checks found. */
typedef struct shard_in {
	const char *dir;
	store *st;
	ingest_shard at;
	char **ids;
	size_t n;
	json_t *summary;
	char note[INGEST_BATCH_MAX + 32]; /* s's mark that it was merged */
	int before;                       /* merged into s before */
	char why[1024];                   /* refused: the reason */
} shard_in;

/* Opens shard in->dir and reads which shard of which batch it is
 * (why set when it cannot be opened; a store that is no shard is
 * refused by shard_check, with the reason). */
static void shard_find(store *s, shard_in *in)
{
	store_opts so = { .schema = store_schema(s) };

	in->at.index = -1;
	if (store_open(&in->st, in->dir, &so))
		snprintf(in->why, sizeof(in->why), "%s", base_errmsg());
	else if (ingest_shard_get(in->st, &in->at, NULL))
		in->at.index = -1;
}

/* Refused ones first, then in the batch's order. */
static int by_shard(const void *a, const void *b)
{
	const shard_in *x = a, *y = b;

	return x->at.index < y->at.index ? -1 : x->at.index > y->at.index;
}

/* Whether the opened shard in may be merged into s (why set when it is
 * refused), and whether it was merged before. */
static int shard_check(store *s, shard_in *in, const char *cluster)
{
	json_t *notes = NULL;
	int rc;

	if (in->why[0])
		return 0;
	if ((rc = store_list_ids(in->st, &in->ids, &in->n)))
		return rc;
	qsort(in->ids, in->n, sizeof(*in->ids), by_id);
	if (shard_ok(in->st, cluster, &in->at, &in->summary, in->ids, in->n,
		     in->why, sizeof(in->why)))
		return 0;
	/* (fixed width: a note is found by its name's beginning) */
	snprintf(in->note, sizeof(in->note), "merged:%s:%06d", cluster,
		 in->at.index);
	if ((rc = store_note_list(s, in->note, &notes)) == 0)
		in->before = json_array_size(notes) > 0;
	json_decref(notes);
	return rc;
}

/* The shard's records into s as batch, each a row of files in order
 * (its rejects after them), s's mark put when all are in. */
static int shard_merge(store *s, shard_in *in, const char *batch,
		       const ingest_opts *o, json_t *files)
{
	json_t *rejects = NULL, *r;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < in->n; i++) {
		merged m = { .meta = NULL };
		snprintf(m.shard_id, sizeof(m.shard_id), "%s", in->ids[i]);
		if (o->cancel && *o->cancel)
			rc = base_fail(BASE_ECANCELED, "merge interrupted at %s of "
				       "'%s'", in->ids[i], in->dir);
		else
			rc = merge_record(s, in->st, &m, batch, o);
		if (rc == 0)
			json_array_append_new(files, json_pack("{s:s?, s:s, s:s, s:O?}",
				"path", m.path, "status", m.duplicate ? "duplicate"
				: "stored", "id", m.id, "sha256", json_object_get(
					json_object_get(m.meta, "source"), "sha256")));
		json_decref(m.meta);
	}
	if (rc == 0 && (rc = store_list_rejects(in->st, &rejects)) == 0)
		json_array_foreach(rejects, i, r) {
			json_object_set_new(r, "batch", json_string(batch));
			json_object_del(r, "times");
			if ((rc = store_reject_add(s, r)))
				break;
			json_array_append_new(files, json_pack("{s:O?, s:s, s:O?}",
				"path", json_object_get(r, "path"), "status",
				"rejected", "reason", json_object_get(r, "reason")));
		}
	json_decref(rejects);
	if (rc == 0) {
		json_t *mark = json_pack("{s:s, s:s}", "store", in->dir, "batch", batch);
		rc = mark ? store_note_put(s, in->note, mark)
			  : base_fail(BASE_ENOMEM, "out of memory");
		json_decref(mark);
	}
	return rc;
}

static json_t *task_json(const shard_in *in)
{
	return json_pack("{s:s, s:i, s:i, s:b, s:O?, s:O?, s:O?, s:O?}",
			 "store", in->dir, "shard", in->at.index, "of", in->at.of,
			 "merged_before", in->before,
			 "jobs", json_object_get(in->summary, "jobs"),
			 "seconds", json_object_get(in->summary, "seconds"),
			 "started", json_object_get(in->summary, "started"),
			 "max_rss_kb", json_object_get(in->summary, "max_rss_kb"));
}

static void totals(json_t *report)
{
	json_int_t stored = 0, dup = 0, rej = 0;
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(report, "files"), i, f) {
		const char *st = json_string_value(json_object_get(f, "status"));
		stored += st && !strcmp(st, "stored");
		dup += st && !strcmp(st, "duplicate");
		rej += st && !strcmp(st, "rejected");
	}
	json_object_set_new(report, "total", json_integer((json_int_t)i));
	json_object_set_new(report, "stored", json_integer(stored));
	json_object_set_new(report, "duplicates", json_integer(dup));
	json_object_set_new(report, "rejected", json_integer(rej));
}

int ingest_merge(store *s, char *const *dirs, size_t n, const char *of_batch,
		 const ingest_opts *o, json_t **report)
{
	char cluster[INGEST_BATCH_MAX] = "", batch[STORE_ID_MAX] = "", stamp[32];
	shard_in *in = calloc(n + 1, sizeof(*in));
	double t0 = base_monotonic();
	size_t to_merge = 0;
	int rc = 0;

	*report = NULL;
	if (!in) {
		rc = base_fail(BASE_ENOMEM, "out of memory");
		goto out;
	}
	/* each shard opened once; the batch is the one asked for, else the
	 * first shard's */
	for (size_t i = 0; i < n; i++) {
		in[i].dir = dirs[i];
		shard_find(s, &in[i]);
		if (!cluster[0] && in[i].at.index >= 0)
			snprintf(cluster, sizeof(cluster), "%s", in[i].at.batch);
	}
	if (of_batch && *of_batch)
		snprintf(cluster, sizeof(cluster), "%s", of_batch);
	qsort(in, n, sizeof(*in), by_shard);
	base_now_iso(stamp);
	/* every shard checked before the first record is taken */
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = shard_check(s, &in[i], cluster);
		to_merge += rc == 0 && !in[i].why[0] && !in[i].before;
	}
	/* a batch only when something is merged: twice changes nothing */
	if (rc == 0 && to_merge)
		rc = store_batch_begin(s, batch);
	*report = json_pack("{s:s?, s:s, s:s, s:s, s:[], s:[], s:[]}", "batch",
			    batch[0] ? batch : NULL, "cluster", cluster, "store",
			    store_dir(s), "started", stamp, "shards", "refused",
			    "files");
	if (!*report) {
		rc = rc ? rc : base_fail(BASE_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (in[i].why[0]) {
			json_array_append_new(json_object_get(*report, "refused"),
				json_pack("{s:s, s:s}", "store", in[i].dir, "reason",
					  in[i].why));
			continue;
		}
		if (!in[i].before)
			rc = shard_merge(s, &in[i], batch, o,
					 json_object_get(*report, "files"));
		if (rc == 0)
			json_array_append_new(json_object_get(*report, "shards"),
					      task_json(&in[i]));
	}
	base_now_iso(stamp);
	totals(*report);
	json_object_set_new(*report, "finished", json_string(stamp));
	json_object_set_new(*report, "seconds", json_real(base_monotonic() - t0));
	json_object_set_new(*report, "complete", json_boolean(rc == 0));
	if (batch[0] && (rc == 0 || rc == BASE_ECANCELED)) {
		json_t *summary = json_deep_copy(*report);
		json_object_del(summary, "files");
		int frc = store_batch_finish(s, batch, summary);
		json_decref(summary);
		rc = rc ? rc : frc;
	}
out:
	for (size_t i = 0; in && i < n; i++) {
		store_ids_free(in[i].ids, in[i].n);
		json_decref(in[i].summary);
		store_close(&in[i].st);
	}
	free(in);
	return rc;
}
