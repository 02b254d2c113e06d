/* ingest.c - the batch pipeline: workers read, hash, validate and pack
 * files in parallel; one writer stores them in input order, one record
 * per transaction, so the batch is deterministic and crash-safe.
 * With OCR, a record's pages are the unit of work: once a worker has
 * validated a file, any free worker reads any of its pages (the
 * earliest record's first, so records finish in order); whoever ends
 * the record's last part (a page, or packing the original) reads its
 * fields and hands it to the writer. */
#include "ingest.h"

#include "../base/base.h"
#include "../text/text.h"
#include "../words/words.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>

enum { ST_PENDING, ST_STORE, ST_DUPLICATE, ST_REJECT };

/* A record's time, by step: its pages' (summed) and its own. */
enum { T_PREPARE, T_ORIENT, T_RECOGNISE, T_ENCODE, T_FIELDS, T_PACK,
       T_WRITE, T_N };
static const char *const t_names[T_N] = { "prepare", "orient", "recognise",
	"encode", "fields", "pack", "write" };

struct slot {
	int ready, status;
	char sha[65];
	size_t bytes;
	void *packed;
	size_t packed_len;
	json_t *pages;
	char reason[600];
	char id[STORE_ID_MAX];
	ocr_page *ocr; /* one per page when OCR ran */
	int ocr_n;
	json_t *page_results; /* the pages' OCR results (or null), in order */
	double ocr_confidence; /* their mean, 0-100 */
	char ocr_error[300];  /* why OCR could not run at all, or "" */
	int review;     /* stored, and its fields need a person */
	json_t *fields; /* {"type", "type_confidence", "fields"} */
	/* while its pages are read */
	unsigned char *data; /* the file, shared by its page readers */
	size_t len;
	int opened;     /* validated: its pages are open to any worker */
	int next_page;  /* the first page no worker has taken */
	int left;       /* parts still running: its pages, and packing */
	int *worker;    /* the worker that read each page */
	char pack_error[300];
	double seconds[T_N]; /* where its time went */
};

struct pipeline {
	store *s;
	char *const *files;
	size_t count;
	const ingest_opts *o;
	struct slot *slots;
	size_t next, written, window;
	int stop, opening; /* files being validated now */
	ocr_engine **engines; /* one per worker, or NULL */
	char arch_dir[4096];   /* the folder whose batch.csv is in arch */
	json_t *arch;
	char arch_error[512];
	json_t *warnings; /* the batch's own: each unreadable batch.csv once */
	pthread_mutex_t mu;
	pthread_cond_t ready, room;
};

static void reject(struct slot *sl, const char *fmt, const char *detail)
{
	sl->status = ST_REJECT;
	snprintf(sl->reason, sizeof(sl->reason), fmt, detail);
}

/* A record whose every part is done: its pages' results in order,
 * their mean confidence, its fields. The worker that ends the last part
 * does this, then the writer may take it. */
static void finish(struct pipeline *p, struct slot *sl)
{
	double sum = 0, t0 = base_monotonic();

	if (sl->pack_error[0]) {
		reject(sl, "%s", sl->pack_error);
	} else if (sl->ocr) {
		sl->page_results = json_array();
		for (int k = 0; k < sl->ocr_n; k++) {
			json_array_append(sl->page_results, sl->ocr[k].result ?
					  sl->ocr[k].result : json_null());
			sum += (double)json_integer_value(json_object_get(
				sl->ocr[k].result, "confidence"));
			for (int t = 0; t < OCR_T_N; t++)
				sl->seconds[t] += sl->ocr[k].seconds[t];
		}
		sl->ocr_confidence = sl->ocr_n ? round(sum / sl->ocr_n * 10) / 10 : 0;
		/* the word lists' mends laid on the words, whose text is
		 * then the page's */
		json_t *mends = NULL;
		if (p->o->rules)
			fields_extract(p->o->rules, sl->page_results, &sl->fields,
				       &mends);
		if (words_mend(sl->page_results, mends)) {
			snprintf(sl->pack_error, sizeof(sl->pack_error), "%s",
				 base_errmsg());
			reject(sl, "%s", sl->pack_error);
		}
		json_decref(mends);
		sl->seconds[T_FIELDS] = base_monotonic() - t0;
	}
	if (!sl->pack_error[0])
		sl->status = ST_STORE;
	free(sl->data);
	sl->data = NULL;
	pthread_mutex_lock(&p->mu);
	sl->ready = 1;
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->mu);
}

/* One part of record i is done; the last one finishes it. */
static void part_done(struct pipeline *p, struct slot *sl)
{
	int last;

	pthread_mutex_lock(&p->mu);
	last = --sl->left == 0;
	pthread_mutex_unlock(&p->mu);
	if (last)
		finish(p, sl);
}

/* Reads, hashes and validates file i; its pages are then open to every
 * worker while this one packs the original. Never touches the store's
 * writer. */
static void open_file(struct pipeline *p, size_t i, int with_ocr)
{
	struct slot *sl = &p->slots[i];
	const char *path = p->files[i];
	unsigned char *data = NULL;
	size_t len = 0;
	char reason[512];
	double t0;
	int rc, n;

	rc = base_read_file(path, p->o->limits.max_file_bytes, &data, &len);
	if (rc) {
		reject(sl, "%s", base_errmsg());
		goto done;
	}
	sl->bytes = len;
	if (base_sha256_hex(data, len, sl->sha)) {
		reject(sl, "%s", base_errmsg());
		goto done;
	}
	/* Known content needs no validation or packing: the writer checks
	 * again inside its transaction. */
	if (store_sha_lookup(p->s, sl->sha, sl->id) == 0) {
		sl->status = ST_DUPLICATE;
		goto done;
	}
	rc = ingest_tiff_inspect(data, len, &p->o->limits, &sl->pages, reason,
				 sizeof(reason));
	if (rc) {
		reject(sl, "%s", reason);
		goto done;
	}
	n = (int)json_array_size(sl->pages);
	sl->data = data;
	sl->len = len;
	data = NULL;
	sl->left = 1;
	if (with_ocr && n > 0) {
		sl->ocr = calloc((size_t)n, sizeof(*sl->ocr));
		sl->worker = calloc((size_t)n, sizeof(*sl->worker));
		if (!sl->ocr || !sl->worker) {
			snprintf(sl->ocr_error, sizeof(sl->ocr_error),
				 "OCR could not run: out of memory");
			free(sl->ocr);
			sl->ocr = NULL;
		} else {
			sl->ocr_n = n;
			sl->left += n;
		}
	}
	pthread_mutex_lock(&p->mu);
	sl->opened = 1;
	p->opening--;
	pthread_cond_broadcast(&p->room);
	pthread_mutex_unlock(&p->mu);
	t0 = base_monotonic();
	rc = store_pack(sl->data, sl->len, p->o->zstd_level, &sl->packed,
			&sl->packed_len);
	sl->seconds[T_PACK] = base_monotonic() - t0;
	if (rc)
		snprintf(sl->pack_error, sizeof(sl->pack_error), "%s", base_errmsg());
	part_done(p, sl);
	return;
done:
	free(data);
	pthread_mutex_lock(&p->mu);
	p->opening--;
	sl->ready = 1;
	pthread_cond_broadcast(&p->ready);
	pthread_cond_broadcast(&p->room);
	pthread_mutex_unlock(&p->mu);
}

struct worker_arg {
	struct pipeline *p;
	ocr_engine *engine;
	int index;
};

/* A page of the earliest record that has one left (with p->mu held):
 * its slot, and the page in *k; NULL when none is waiting. */
static struct slot *page_job(struct pipeline *p, int *k)
{
	for (size_t i = p->written; i < p->next; i++) {
		struct slot *sl = &p->slots[i];
		if (sl->opened && sl->next_page < sl->ocr_n) {
			*k = sl->next_page++;
			return sl;
		}
	}
	return NULL;
}

static void *worker(void *arg)
{
	struct worker_arg *a = arg;
	struct pipeline *p = a->p;

	for (;;) {
		struct slot *sl = NULL;
		size_t i = 0;
		int k = 0, open = 0;

		pthread_mutex_lock(&p->mu);
		for (;;) {
			if (p->stop)
				break;
			if ((sl = page_job(p, &k)))
				break;
			/* with OCR, files are validated one at a time (it
			 * takes milliseconds) so that a record's pages are
			 * open before the next file is: a free worker takes
			 * a page of it rather than a record of its own */
			if (p->next < p->count && p->next < p->written + p->window &&
			    (!p->engines || p->opening == 0)) {
				i = p->next++;
				p->opening++;
				open = 1;
				break;
			}
			/* nothing left to open and no page waiting: done,
			 * unless a file being opened brings pages */
			if (p->next >= p->count && p->opening == 0)
				break;
			pthread_cond_wait(&p->room, &p->mu);
		}
		pthread_mutex_unlock(&p->mu);
		if (open) {
			open_file(p, i, a->engine != NULL);
		} else if (sl) {
			ocr_page_read(a->engine, sl->data, sl->len, k, &sl->ocr[k]);
			sl->worker[k] = a->index;
			part_done(p, sl);
		} else {
			return NULL;
		}
	}
}

/* Hands the slot's OCR results to the record: the results and images
 * stay the slot's, the two pointer arrays are the caller's to free. */
static void ocr_attach(struct slot *sl, store_new_record *r)
{
	unsigned char **img;
	size_t *lens;

	if (!sl->page_results)
		return;
	img = calloc((size_t)sl->ocr_n, sizeof(*img));
	lens = calloc((size_t)sl->ocr_n, sizeof(*lens));
	for (int k = 0; img && lens && k < sl->ocr_n; k++) {
		img[k] = sl->ocr[k].image;
		lens[k] = sl->ocr[k].image_len;
	}
	r->page_results = sl->page_results;
	r->images = img;
	r->image_lens = lens;
}

/* A file's name into o's "path": as it is when it is UTF-8; else (old
 * shares name files in TCVN3 or VNI) its bytes escaped as \xNN, and
 * exactly in "path_hex". A name never stops a batch. */
static void set_path(json_t *o, const char *path)
{
	if (text_utf8_ok(path, strlen(path))) {
		json_object_set_new(o, "path", json_string(path));
		return;
	}
	char *shown = text_printable(path);
	size_t n = strlen(path);
	char *hex = malloc(2 * n + 1);
	if (hex)
		base_hex(path, n, hex);
	json_object_set_new(o, "path", json_string(shown ? shown : "?"));
	json_object_set_new(o, "path_hex", json_string(hex ? hex : ""));
	free(shown);
	free(hex);
}

/* A message that may quote a file's name, as a JSON string: names that
 * are not UTF-8 escaped as in set_path. */
static json_t *jtext(const char *msg)
{
	if (text_utf8_ok(msg, strlen(msg)))
		return json_string(msg);
	char *shown = text_printable(msg);
	json_t *j = json_string(shown ? shown : "?");
	free(shown);
	return j;
}

/* The batch.csv row for path, read once a folder (the writer's). A
 * batch.csv that cannot be read is named in *error. */
static json_t *archive_row(struct pipeline *p, const char *path,
			   const char **error)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1,
		 slash ? path : ".");
	if (!p->arch || strcmp(dir, p->arch_dir)) {
		json_decref(p->arch);
		p->arch_error[0] = 0;
		if (ingest_archive_csv(dir, &p->arch)) {
			snprintf(p->arch_error, sizeof(p->arch_error), "%s",
				 base_errmsg());
			json_array_append_new(p->warnings, jtext(p->arch_error));
		}
		snprintf(p->arch_dir, sizeof(p->arch_dir), "%s", dir);
	}
	*error = p->arch_error[0] ? p->arch_error : NULL;
	return json_object_get(p->arch, slash ? slash + 1 : path);
}

static char *absolute(const char *path)
{
	char buf[PATH_MAX];

	return strdup(realpath(path, buf) ? buf : path);
}

/* A stored record's metadata: where it came from, its pages and OCR,
 * its archive row, type, fields and the pages left unreadable; what in
 * it needs a person goes into r (and whether, into sl->review). */
static json_t *record_meta(struct pipeline *p, struct slot *sl,
			   const char *path, const char *batch,
			   store_new_record *r)
{
	char *abs = absolute(path), stamp[32];
	json_t *source = json_object(), *meta;

	base_now_iso(stamp);
	set_path(source, abs ? abs : path);
	free(abs);
	json_object_set_new(source, "sha256", json_string(sl->sha));
	json_object_set_new(source, "bytes", json_integer((json_int_t)sl->bytes));
	json_object_set_new(source, "pages", json_integer(r->pages));
	meta = json_pack("{s:n, s:o, s:s, s:s, s:I, s:O, s:{}}", "type",
			 "source", source, "batch", batch, "ingested", stamp,
			 "packed_bytes", (json_int_t)sl->packed_len,
			 "pages", sl->pages, "fields");
	const char *arch_error;
	json_t *arch = archive_row(p, path, &arch_error);
	if (arch)
		json_object_set(meta, "archive", arch);
	if (arch_error)
		json_object_set_new(meta, "archive_error", jtext(arch_error));
	if (r->page_results)
		json_object_set_new(meta, "ocr_confidence",
				    json_real(sl->ocr_confidence));
	if (sl->fields) {
		json_object_set(meta, "type", json_object_get(sl->fields, "type"));
		if (json_object_get(sl->fields, "edition"))
			json_object_set(meta, "edition",
					json_object_get(sl->fields, "edition"));
		json_object_set(meta, "type_confidence",
				json_object_get(sl->fields, "type_confidence"));
		json_object_set(meta, "fields", json_object_get(sl->fields, "fields"));
	}
	json_t *unreadable = json_array();
	for (int k = 0; k < sl->ocr_n; k++)
		/* a page left unrecognised (over its budget, or that could
		 * not be read) needs a person as much */
		if (!sl->ocr[k].result ||
		    json_is_true(json_object_get(sl->ocr[k].result, "unreadable")))
			json_array_append_new(unreadable, json_integer(k + 1));
	if (json_array_size(unreadable))
		json_object_set(meta, "unreadable_pages", unreadable);
	json_decref(unreadable);
	/* what needs a person: said in the batch report, and handed to the
	 * store with the record (its place in the review queue) */
	if (p->o->rules && sl->fields) {
		r->review = fields_review(p->o->rules, meta, p->o->review_below,
					  &r->problems);
		sl->review = json_array_size(r->problems) > 0;
	}
	return meta;
}

/* Stores slot sl as a new record (a duplicate's status said instead);
 * the store's error, else 0. */
static int store_slot(struct pipeline *p, struct slot *sl, const char *path,
		      const char *batch)
{
	store_new_record r = { 0 };
	int rc;

	r.sha256 = sl->sha;
	r.packed = sl->packed;
	r.packed_len = sl->packed_len;
	r.bytes = sl->bytes;
	r.pages = (int)json_array_size(sl->pages);
	r.batch = batch;
	ocr_attach(sl, &r);
	r.meta = record_meta(p, sl, path, batch, &r);
	double t0 = base_monotonic();
	rc = store_record_add(p->s, &r, sl->id);
	sl->seconds[T_WRITE] = base_monotonic() - t0;
	json_decref(r.meta);
	json_decref(r.problems);
	free((void *)r.images);
	free((void *)r.image_lens);
	if (rc == BASE_EEXIST) {
		sl->status = ST_DUPLICATE;
		rc = 0;
	}
	return rc;
}

/* A rejected file in the store's list of rejects. */
static int reject_slot(struct pipeline *p, const struct slot *sl,
		       const char *path, const char *batch)
{
	json_t *rej = json_pack("{s:o, s:s}", "reason", jtext(sl->reason),
				"batch", batch);
	int rc;

	set_path(rej, path);
	if (sl->sha[0])
		json_object_set_new(rej, "sha256", json_string(sl->sha));
	rc = store_reject_add(p->s, rej);
	json_decref(rej);
	return rc;
}

/* A stored or duplicate file's report entry: its id, pages, what OCR
 * said, and for a new record the seconds of each step and the workers
 * that read its pages. */
static void report_entry(const struct slot *sl, json_t *entry)
{
	json_object_set_new(entry, "status", json_string(
		sl->status == ST_STORE ? "stored" : "duplicate"));
	json_object_set_new(entry, "id", json_string(sl->id));
	if (sl->pages)
		json_object_set_new(entry, "pages", json_integer(
			(json_int_t)json_array_size(sl->pages)));
	json_object_set_new(entry, "sha256", json_string(sl->sha));
	if (sl->status != ST_STORE)
		return;
	if (sl->ocr || sl->ocr_error[0]) {
		json_t *warn = json_array();
		if (sl->ocr_error[0])
			json_array_append_new(warn, jtext(sl->ocr_error));
		for (int k = 0; k < sl->ocr_n; k++)
			if (sl->ocr[k].error[0])
				json_array_append_new(warn, jtext(sl->ocr[k].error));
		if (sl->page_results)
			json_object_set_new(entry, "ocr_confidence",
					    json_real(sl->ocr_confidence));
		if (sl->fields)
			json_object_set(entry, "type",
					json_object_get(sl->fields, "type"));
		if (sl->review)
			json_object_set_new(entry, "review", json_true());
		if (json_array_size(warn))
			json_object_set_new(entry, "warnings", warn);
		else
			json_decref(warn);
	}
	json_t *t = json_object(), *w = json_array();
	for (int k = 0; k < T_N; k++)
		json_object_set_new(t, t_names[k], json_real(
			round(sl->seconds[k] * 1e4) / 1e4));
	json_object_set_new(entry, "seconds", t);
	for (int k = 0; sl->worker && k < sl->ocr_n; k++)
		json_array_append_new(w, json_integer(sl->worker[k]));
	json_object_set_new(entry, "workers", w);
}

/* Stores one finished slot and returns its report entry (or NULL with
 * *rc set when the store itself failed). */
static json_t *commit_slot(struct pipeline *p, size_t i, const char *batch,
			   int *rc)
{
	struct slot *sl = &p->slots[i];
	const char *path = p->files[i];
	json_t *entry = json_object();

	set_path(entry, path);
	*rc = sl->status == ST_STORE ? store_slot(p, sl, path, batch) :
	      sl->status == ST_REJECT ? reject_slot(p, sl, path, batch) : 0;
	if (*rc) {
		json_decref(entry);
		return NULL;
	}
	if (sl->status == ST_REJECT) {
		json_object_set_new(entry, "status", json_string("rejected"));
		json_object_set_new(entry, "reason", jtext(sl->reason));
		return entry;
	}
	report_entry(sl, entry);
	return entry;
}

static void slot_clear(struct slot *sl)
{
	ocr_pages_free(sl->ocr, sl->ocr_n);
	sl->ocr = NULL;
	json_decref(sl->page_results);
	sl->page_results = NULL;
	json_decref(sl->fields);
	sl->fields = NULL;
	sl->ocr_n = 0;
	free(sl->packed);
	sl->packed = NULL;
	json_decref(sl->pages);
	sl->pages = NULL;
	free(sl->data);
	sl->data = NULL;
	free(sl->worker);
	sl->worker = NULL;
}

static long max_rss_kb(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

/* The writer: takes slots in input order as workers finish them. */
static int write_all(struct pipeline *p, const char *batch, json_t *files,
		     ingest_progress *pr, double t0)
{
	int rc = 0;

	for (size_t i = 0; i < p->count; i++) {
		json_t *entry;

		pthread_mutex_lock(&p->mu);
		while (!p->slots[i].ready)
			pthread_cond_wait(&p->ready, &p->mu);
		pthread_mutex_unlock(&p->mu);
		entry = commit_slot(p, i, batch, &rc);
		if (!entry)
			break;
		switch (p->slots[i].status) {
		case ST_STORE:
			pr->stored++;
			pr->review += p->slots[i].review != 0;
			pr->pages += (long)json_array_size(p->slots[i].pages);
			break;
		case ST_DUPLICATE: pr->duplicates++; break;
		default: pr->rejected++; break;
		}
		slot_clear(&p->slots[i]);
		json_array_append_new(files, entry);
		pr->done = i + 1;
		pr->seconds = base_monotonic() - t0;
		if (p->o->progress)
			p->o->progress(p->o->progress_ctx, pr);
		pthread_mutex_lock(&p->mu);
		p->written = i + 1;
		pthread_cond_broadcast(&p->room);
		pthread_mutex_unlock(&p->mu);
		if (p->o->cancel && *p->o->cancel) {
			rc = base_fail(BASE_ECANCELED, "batch %s interrupted after "
				     "%zu of %zu files", batch, i + 1,
				     p->count);
			break;
		}
	}
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->room);
	pthread_mutex_unlock(&p->mu);
	return rc;
}

static void engines_destroy(ocr_engine **e, int n)
{
	for (int j = 0; e && j < n; j++)
		ocr_engine_destroy(&e[j]);
	free(e);
}

/* One engine per worker, loaded before the batch starts: a language that
 * will not load stops the batch before any file is touched. */
static int engines_create(ocr_engine ***out, int n, const ocr_opts *o)
{
	ocr_engine **e = calloc((size_t)n, sizeof(*e));
	int rc = 0;

	*out = NULL;
	if (!e)
		return base_fail(BASE_ENOMEM, "out of memory");
	ocr_init();
	for (int j = 0; rc == 0 && j < n; j++)
		rc = ocr_engine_create(&e[j], o);
	if (rc) {
		engines_destroy(e, n);
		return rc;
	}
	*out = e;
	return 0;
}

int ingest_run(store *s, char *const *files, size_t count,
	       const ingest_opts *o, json_t **report)
{
	struct pipeline p = { 0 };
	struct worker_arg *args;
	ingest_progress pr = { 0 };
	char batch[STORE_ID_MAX], started[32], finished[32];
	int jobs = o->jobs > 0 ? o->jobs : 1, rc;
	pthread_t *th;
	json_t *list;
	double t0 = base_monotonic();

	*report = NULL;
	if (o->ocr) {
		rc = engines_create(&p.engines, jobs, o->ocr);
		if (rc)
			return rc;
	}
	rc = store_batch_begin(s, batch);
	if (rc) {
		engines_destroy(p.engines, jobs);
		return rc;
	}
	base_now_iso(started);
	p.s = s;
	p.files = files;
	p.count = count;
	p.o = o;
	p.warnings = json_array();
	p.window = (size_t)jobs * 2 + 2;
	p.slots = calloc(count ? count : 1, sizeof(*p.slots));
	th = calloc((size_t)jobs, sizeof(*th));
	args = calloc((size_t)jobs, sizeof(*args));
	list = json_array();
	if (!p.slots || !th || !args || !list) {
		free(p.slots);
		free(th);
		free(args);
		json_decref(list);
		engines_destroy(p.engines, jobs);
		return base_fail(BASE_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.ready, NULL);
	pthread_cond_init(&p.room, NULL);
	pr.total = count;
	for (int j = 0; j < jobs; j++) {
		args[j].p = &p;
		args[j].engine = p.engines ? p.engines[j] : NULL;
		args[j].index = j;
		pthread_create(&th[j], NULL, worker, &args[j]);
	}
	rc = write_all(&p, batch, list, &pr, t0);
	for (int j = 0; j < jobs; j++)
		pthread_join(th[j], NULL);
	for (size_t i = 0; i < count; i++)
		slot_clear(&p.slots[i]);
	base_now_iso(finished);
	*report = json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:I, s:I, s:I,"
			    " s:I, s:I, s:I, s:f, s:b, s:I, s:O}", "batch", batch,
			    "store", store_dir(s), "started", started,
			    "finished", finished, "jobs", jobs, "files", list,
			    "total", (json_int_t)count,
			    "stored", (json_int_t)pr.stored,
			    "duplicates", (json_int_t)pr.duplicates,
			    "rejected", (json_int_t)pr.rejected,
			    "review", (json_int_t)pr.review,
			    "pages", (json_int_t)pr.pages,
			    "seconds", base_monotonic() - t0,
			    "complete", rc == 0 && pr.done == count,
			    "max_rss_kb", (json_int_t)max_rss_kb(),
			    "warnings", p.warnings);
	if (rc == 0 || rc == BASE_ECANCELED) {
		json_t *summary = json_deep_copy(*report);
		json_object_del(summary, "files");
		store_batch_finish(s, batch, summary);
		json_decref(summary);
	}
	pthread_cond_destroy(&p.room);
	pthread_cond_destroy(&p.ready);
	pthread_mutex_destroy(&p.mu);
	json_decref(p.arch);
	json_decref(p.warnings);
	free(th);
	free(args);
	free(p.slots);
	engines_destroy(p.engines, jobs);
	return rc;
}
