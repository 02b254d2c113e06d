/* ingest.h - a scan batch into the store: walk folders, validate each
 * TIFF with libtiff, hash, deduplicate and store, with N workers. */
#ifndef INGEST_H
#define INGEST_H

#include <jansson.h>
#include <signal.h>
#include <stddef.h>

#include "../fields/fields.h"
#include "../ocr/ocr.h"
#include "../store/store.h"

typedef struct ingest_limits {
	long max_side;         /* pixels a side, e.g. 30000 */
	double max_megapixels; /* per page, e.g. 300 */
	size_t max_file_bytes;
} ingest_limits;

typedef struct ingest_progress {
	size_t done, total;
	size_t stored, duplicates, rejected, review;
	long pages;
	double seconds;
} ingest_progress;

typedef struct ingest_opts {
	int jobs;
	int zstd_level;
	ingest_limits limits;
	/* Called by the writer after every file; may be NULL. */
	void (*progress)(void *ctx, const ingest_progress *p);
	void *progress_ctx;
	/* When the pointed-to flag becomes non-zero the batch stops after
	 * the file being stored; may be NULL. */
	volatile sig_atomic_t *cancel;
	/* OCR settings; NULL stores images without reading their text */
	const ocr_opts *ocr;
	/* document types and fields, read from the OCR text; NULL or no
	 * OCR leaves type null and fields empty */
	const fields_rules *rules;
	/* a stored record whose fields need a person (fields_review at
	 * this confidence) is counted in the report's "review" */
	double review_below;
} ingest_opts;

/* ingest_archive_csv - the archive description of the files in dir,
 * from dir/batch.csv when there is one: {"file name": {"phong",
 * "muc_luc", "hop", "ho_so_so", "ghi_chu"}} (empty cells left out). No
 * file gives an empty object; a file without a "file" column first is
 * BASE_EFORMAT. You own *out. */
int ingest_archive_csv(const char *dir, json_t **out);

/* ingest_versions - "libtiff 4.5.0" as linked, into out. */
void ingest_versions(char *out, size_t cap);

/* ingest_tiff_inspect - validates a TIFF held in memory, page by page,
 * before any image is allocated: every directory readable, dimensions
 * within limits, a colour mode and compression we handle, and every
 * strip or tile present and decodable.
 * Notes:
 *  1. On success *pages is yours: an array of {"n", "width", "height",
 *     "dpi", "mode", "bits", "compression"}.
 *  2. On failure returns BASE_EFORMAT or BASE_ELIMIT and writes the reason
 *     (`truncated at page 2`, `not a TIFF file`) into reason. */
int ingest_tiff_inspect(const void *buf, size_t len, const ingest_limits *l,
			json_t **pages, char *reason, size_t reason_len);

/* ingest_collect - expands paths into the list of files to ingest:
 * files as given, folders walked recursively for .tif/.tiff (any case),
 * sorted. Paths that cannot be read stay in the list and are rejected
 * later with their reason. You own *files: free with ingest_files_free. */
int ingest_collect(char *const *paths, int n, char ***files, size_t *count);
void ingest_files_free(char **files, size_t count);

/* ingest_run - ingests files into s as one batch. Each file ends as
 * stored, duplicate or rejected; *report receives the batch report
 * (yours). With o->ocr every page is recognised by one engine per worker
 * (loaded before the first file); a page without text is a warning in
 * the report, never a reason to drop the record. Returns 0 when the
 * batch ran (whatever was rejected), BASE_ECANCELED when interrupted,
 * another code when it could not run (an OCR language that will not
 * load, a store that cannot be written). */
int ingest_run(store *s, char *const *files, size_t count,
	       const ingest_opts *o, json_t **report);

/* A batch spread over many machines (sohoa cluster): its file list,
 * written once; each task's share of it, ingested into a store of its
 * own (a shard); the shards merged into one store. */
#define INGEST_BATCH_MAX 64
typedef struct ingest_shard {
	char batch[INGEST_BATCH_MAX]; /* the batch's name */
	int index, of;                /* this shard, of how many (from 0) */
	size_t total;                 /* files in the batch */
	size_t first, count;          /* this shard's: [first, first + count) */
} ingest_shard;

/* A batch's list: its name, its files, and where each of its shares
 * begins (bounds[0..of], bounds[of] == count; NULL when it is shared
 * by count of files alone). */
typedef struct ingest_list {
	char batch[INGEST_BATCH_MAX];
	char **files;
	size_t count;
	size_t *bounds;
	int of;
} ingest_list;

/* ingest_list_write - the batch's files into path (atomically): a line
 * "# sohoa batch NAME", a line "# sohoa shares N b1 .. bN-1" when there
 * are bounds, then a file a line. BASE_EINVAL naming a file whose name
 * holds a line break. ingest_list_read - reads one back into *l (yours:
 * ingest_list_free, which takes one never read). BASE_EINVAL when path
 * is no such list. */
int ingest_list_write(const char *path, const ingest_list *l);
int ingest_list_read(const char *path, ingest_list *l);
void ingest_list_free(ingest_list *l);

/* ingest_list_shares - bounds (of + 1 of them, yours) cutting files into
 * `of` contiguous shares of about as many pages each (a file's pages
 * read from its TIFF directories; one for a file that cannot be read):
 * shards in order are the batch in order, and end about together. NULL
 * when out of memory. */
size_t *ingest_list_shares(char *const *files, size_t n, int of);

/* ingest_tiff_pages - how many pages (directories) the TIFF at path
 * holds; 1 when it cannot be read (it is rejected at ingest). */
size_t ingest_tiff_pages(const char *path);

/* ingest_shard_of - shard index of `of` of list l: its share as the
 * list's bounds say (for that many shards), else a share by count of
 * files; contiguous, so that the shards in order are the batch in
 * order. BASE_EINVAL for an index outside 0..of-1. */
int ingest_shard_of(const ingest_list *l, int index, int of, ingest_shard *out);

/* ingest_shard_mark - marks s as shard sh (before its first file): a
 * store marked as another shard or batch is refused (BASE_EINVAL,
 * naming both). ingest_shard_get - the shard s is (BASE_ENOTFOUND,
 * saying so, for a store that is none) and, when summary is not NULL,
 * the summary of its last finished run (NULL before any). */
int ingest_shard_mark(store *s, const ingest_shard *sh);
int ingest_shard_get(store *s, ingest_shard *sh, json_t **summary);

/* ingest_shard_done - whether summary (ingest_shard_get's) is of a run
 * that went through all of shard sh's files. */
int ingest_shard_done(const ingest_shard *sh, json_t *summary);

/* ingest_merge - the shard stores dirs into s, in one writer, in their
 * batch's order (shard by shard, each in the order of its ids): each
 * record's original bit for bit, its pages, text, images and fields,
 * its review from o->rules, a new id from s; a record whose content s
 * holds already is a duplicate. A shard is refused, with its reason in
 * the report's "refused", when it cannot be opened, is of a batch
 * other than of_batch (NULL: the first shard's), of another schema,
 * does not check (store_record_check) or its task did not finish; a
 * shard merged into s before adds nothing. *report (yours) is the
 * batch's, kept as s's batch summary: "files" in the batch's order,
 * "shards" with each task's jobs and seconds. 0, BASE_ECANCELED when
 * o->cancel was set, or the store's error. */
int ingest_merge(store *s, char *const *dirs, size_t n, const char *of_batch,
		 const ingest_opts *o, json_t **report);

/* ingest_schema - the fields of cat the index keeps, in its order, as
 * the schema a store opens with: into f (at most cap of them), *out
 * pointing at f (which must outlive the store). */
void ingest_schema(const fields_catalogue *cat, index_field *f, int cap,
		   index_schema *out);

#endif
