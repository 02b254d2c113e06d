/* ixbench.c - the search index without OCR, for `make bench` and the
 * relevance test: loads the generator's ground truth as records, times
 * queries in-process, and checks that each record is found by its name
 * and by its number and book.
 *
 *   ixbench load --store DIR [--tsv FILE] GENDIR
 *   ixbench query --store DIR QUERIES      (lines: class TAB query ...)
 *   ixbench relevance --store DIR GENDIR
 *   ixbench top5 --store DIR QUERIES   (lines: class TAB query TAB - TAB
 *                                    the record meant TAB its folded name):
 *                                    per class the share found in the top 5
 *   ixbench reindex --store DIR x   (after store_poke DIR unindex 1: times
 *                                    building the index of stored records)
 */
#include "../../src/index/index.h"
#include "../../src/ingest/ingest.h"
#include "../../src/base/base.h"
#include "../../src/store/store.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The repository's field catalogue ($RULES, else config/fields/) as the
 * index keeps it, as sohoa opens its stores with it. */
static index_field schema_fields[128];
static index_schema schema;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The truth files of dir (*.json), sorted. */
static char **truth_files(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".json"))
			continue;
		if (*n == cap)
			v = realloc(v, (cap = cap ? cap * 2 : 1024) * sizeof(*v));
		if (asprintf(&v[(*n)++], "%s/%s", dir, e->d_name) < 0)
			exit(1);
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), by_name);
	return v;
}

/* A tab-free copy of s for the TSV file. */
static void tsv_put(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' ? ' ' : *s, f);
}

static const char *first_value(json_t *v)
{
	return json_is_array(v) ? json_string_value(json_array_get(v, 0))
				: json_string_value(v);
}

/* A record made from one truth file, and what it holds. */
typedef struct loaded {
	store_new_record r;
	char sha[65];
	json_t *meta, *pages;
	void *packed;
	char *raw;
} loaded;

static void loaded_free(loaded *l)
{
	json_decref(l->meta);
	json_decref(l->pages);
	free(l->packed);
	free(l->raw);
	memset(l, 0, sizeof(*l));
}

static void tsv_row(FILE *tsv, json_t *t, json_t *pages)
{
	json_t *f = json_object_get(t, "fields"), *p;
	size_t k;

	json_array_foreach(pages, k, p) {
		tsv_put(tsv, json_string_value(json_object_get(p, "text")));
		fputc(' ', tsv);
	}
	/* the columns FTS5 gets: names, so, quyen_so, type, parcel */
	const char *nm = first_value(json_object_get(f, "ho_ten"));
	if (!nm) nm = first_value(json_object_get(f, "ho_ten_chong"));
	if (!nm) nm = first_value(json_object_get(f, "chu_su_dung"));
	const char *cols[] = { nm, first_value(json_object_get(f, "so")),
		first_value(json_object_get(f, "quyen_so")),
		json_string_value(json_object_get(t, "type")),
		first_value(json_object_get(f, "thua_dat_so")),
		first_value(json_object_get(f, "to_ban_do_so")) };
	for (int c = 0; c < 6; c++) {
		fputc('\t', tsv);
		tsv_put(tsv, cols[c] ? cols[c] : "");
	}
	fputc('\n', tsv);
}

/* load --doubt P: P in a hundred records get one field read at
 * confidence 0.55 (the review queue's share measured on the bench
 * corpus is about a third), spread evenly over the files' order. */
static int doubt_pct;
static long records_made;

/* Makes the record of truth file path: its fields as read values of
 * confidence 1 (but see doubt_pct), its printed lines as the pages'
 * text, the truth file itself as the original. */
static int make_record(const char *path, FILE *tsv, loaded *l)
{
	json_t *t = json_load_file(path, 0, NULL), *lines, *pl, *v;
	json_t *fields = json_object(), *info = json_array();
	const char *name;
	size_t k, j, plen;

	if (!t) {
		fprintf(stderr, "ixbench: cannot read '%s'\n", path);
		return 1;
	}
	l->raw = json_dumps(t, JSON_COMPACT);
	base_sha256_hex(l->raw, strlen(l->raw), l->sha);
	int doubted = (int)((records_made++ * 37) % 100) < doubt_pct;
	json_object_foreach(json_object_get(t, "fields"), name, v) {
		json_object_set_new(fields, name, json_pack("{s:O, s:f, s:s}",
				"value", v, "confidence", doubted ? 0.55 : 1.0,
				"source", "generated"));
		doubted = 0;
	}
	l->pages = json_array();
	json_array_foreach(json_object_get(t, "page_lines"), k, lines) {
		size_t len = 0;
		char *text = calloc(1, 1);
		json_array_foreach(lines, j, pl) {
			const char *s = json_string_value(pl);
			size_t sl = strlen(s);
			text = realloc(text, len + sl + 2);
			memcpy(text + len, s, sl);
			len += sl;
			text[len++] = '\n';
			text[len] = 0;
		}
		json_array_append_new(l->pages, json_pack("{s:s}", "text", text));
		json_array_append_new(info, json_pack("{s:I}", "n",
						      (json_int_t)k + 1));
		free(text);
	}
	l->meta = json_pack("{s:O, s:{s:s, s:s, s:I, s:I}, s:o, s:o}",
		"type", json_object_get(t, "type"), "source", "path", path,
		"sha256", l->sha, "bytes", (json_int_t)strlen(l->raw), "pages",
		(json_int_t)json_array_size(l->pages), "pages", info,
		"fields", fields);
	if (tsv)
		tsv_row(tsv, t, l->pages);
	json_decref(t);
	if (store_pack(l->raw, strlen(l->raw), 1, &l->packed, &plen))
		return 1;
	store_new_record r = { l->sha, l->meta, l->packed, plen,
			       strlen(l->raw), (int)json_array_size(l->pages),
			       "B-LOAD", "ixbench", l->pages, NULL, NULL, 0, NULL };
	l->r = r;
	return 0;
}

#define LOAD_BATCH 10000

/* Loads the files LOAD_BATCH records to a transaction. */
static int load(store *s, char **files, size_t n, FILE *tsv)
{
	static loaded l[LOAD_BATCH];
	static store_new_record r[LOAD_BATCH];
	static char ids[LOAD_BATCH][STORE_ID_MAX];
	static int rcs[LOAD_BATCH];
	double t0 = base_monotonic(), storing = 0;

	for (size_t i = 0; i < n; i += LOAD_BATCH) {
		size_t m = n - i < LOAD_BATCH ? n - i : LOAD_BATCH;
		int rc = 0;
		for (size_t k = 0; k < m && rc == 0; k++) {
			rc = make_record(files[i + k], tsv, &l[k]);
			r[k] = l[k].r;
		}
		double t = base_monotonic();
		if (rc == 0 && store_record_add_batch(s, r, m, ids, rcs)) {
			fprintf(stderr, "ixbench: %s\n", base_errmsg());
			rc = 1;
		}
		storing += base_monotonic() - t;
		for (size_t k = 0; k < m; k++)
			loaded_free(&l[k]);
		if (rc)
			return 1;
		if (isatty(2))
			fprintf(stderr, "\rloaded %zu/%zu", i + m, n);
	}
	fprintf(stderr, "%s", isatty(2) ? "\n" : "");
	/* the second figure is the store's own work: records and index */
	printf("loaded %zu records in %.2f s, storing and indexing %.2f s\n",
	       n, base_monotonic() - t0, storing);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

#define WARMUP 50

/* Times every query of the file, in-process; per class: count, p50 and
 * p99 in milliseconds, and the mean number of hits. */
static int query(store *s, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[2048], cls[16][32];
	double *ms[16] = { 0 }, hits[16] = { 0 };
	size_t cnt[16] = { 0 }, ncls = 0;
	index_params p;
	/* IXBENCH_EACH=1: every query's class, time, matches on stderr */
	int each = getenv("IXBENCH_EACH") != NULL;

	if (!f) {
		perror(path);
		return 1;
	}
	index_params_default(&p);
	/* as sohoa serve answers: memory kept between queries, and warm
	 * (the first WARMUP queries run once untimed, as fts5.py does) */
	base_malloc_keep();
	for (int w = 0; w < WARMUP && fgets(line, sizeof(line), f); w++) {
		char *tab = strchr(line, '\t');
		index_query *q;
		index_result *r;
		if (!tab)
			continue;
		tab[strcspn(tab + 1, "\t\n") + 1] = 0;
		if (index_query_parse(&schema, tab + 1, &q) == 0 &&
		    store_search(s, q, &p, 10, &r) == 0)
			index_result_free(&r);
		index_query_free(&q);
	}
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t');
		size_t c;
		index_query *q;
		index_result *r;
		if (!tab)
			continue;
		*tab = 0;
		/* class TAB query [TAB the reference tool's form of it] */
		tab[strcspn(tab + 1, "\t\n") + 1] = 0;
		for (c = 0; c < ncls && strcmp(cls[c], line); c++)
			;
		if (c == ncls) {
			if (ncls == 16)
				continue;
			snprintf(cls[ncls++], 32, "%.31s", line);
		}
		double t0 = base_monotonic();
		int rc = index_query_parse(&schema, tab + 1, &q);
		if (rc == 0)
			rc = store_search(s, q, &p, 10, &r);
		double t = (base_monotonic() - t0) * 1000;
		index_query_free(&q);
		if (rc) {
			fprintf(stderr, "ixbench: %s: %s\n", tab + 1, base_errmsg());
			continue;
		}
		hits[c] += (double)r->total;
		if (each)
			fprintf(stderr, "%s\t%.3f\t%zu\t%s\n", line, t,
				r->total, tab + 1);
		index_result_free(&r);
		ms[c] = realloc(ms[c], (cnt[c] + 1) * sizeof(double));
		ms[c][cnt[c]++] = t;
	}
	fclose(f);
	for (size_t c = 0; c < ncls; c++) {
		qsort(ms[c], cnt[c], sizeof(double), cmp_double);
		printf("%s\t%zu\t%.3f\t%.3f\t%.1f\n", cls[c], cnt[c],
		       ms[c][cnt[c] / 2], ms[c][(cnt[c] * 99) / 100],
		       hits[c] / (double)cnt[c]);
		free(ms[c]);
	}
	return 0;
}

/* The id of the record loaded from truth file path. */
static json_t *run(store *s, const char *text, index_result **r)
{
	index_query *q;
	index_params p;

	index_params_default(&p);
	*r = NULL;
	if (index_query_parse(&schema, text, &q) == 0)
		store_search(s, q, &p, 50, r);
	index_query_free(&q);
	return NULL;
}

/* For every record: its name typed without tones puts it in the top 3,
 * or every record of the same name ranks above the others; its so,
 * quyen_so and type put it first (or tied with records that share all
 * three). Prints one "ok"/"not ok" line per rule. */
static int relevance(store *s, char **files, size_t n)
{
	size_t name_bad = 0, num_bad = 0, names = 0, nums = 0;
	char **ids;
	size_t nid;

	if (store_list_ids(s, &ids, &nid) || nid != n) {
		printf("not ok - the store holds %zu records, the corpus %zu\n",
		       nid, n);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *t = json_load_file(files[i], 0, NULL);
		json_t *f = json_object_get(t, "fields");
		const char *type = json_string_value(json_object_get(t, "type"));
		const char *nm = first_value(json_object_get(f, "ho_ten"));
		char folded[512], q[1024];
		index_result *r;

		if (!nm) nm = first_value(json_object_get(f, "ho_ten_chong"));
		if (!nm) nm = first_value(json_object_get(f, "chu_su_dung"));
		index_fold(nm, NULL, 0, folded, sizeof(folded));
		run(s, folded, &r);
		names++;
		/* the record's position, and how many share its name */
		size_t at = r ? r->n : 0, same = 0;
		for (size_t k = 0; r && k < r->n; k++) {
			json_t *m = NULL;
			if (!strcmp(r->hits[k].id, ids[i]))
				at = k;
			store_record_get(s, r->hits[k].id, &m, NULL);
			json_t *mf = json_object_get(m, "fields");
			const char *o = first_value(json_object_get(json_object_get(
						mf, "ho_ten"), "value"));
			if (!o) o = first_value(json_object_get(json_object_get(
						mf, "ho_ten_chong"), "value"));
			if (!o) o = first_value(json_object_get(json_object_get(
						mf, "chu_su_dung"), "value"));
			char of[512];
			index_fold(o ? o : "", NULL, 0, of, sizeof(of));
			if (!strcmp(of, folded) && k == same)
				same++;
			json_decref(m);
		}
		if (!r || (at >= 3 && at >= same)) {
			name_bad++;
			printf("# %s: '%s' ranks it %zu of %zu\n", ids[i], folded,
			       at + 1, r ? r->total : 0);
		}
		index_result_free(&r);
		const char *so = json_string_value(json_object_get(f, "so"));
		const char *qs = json_string_value(json_object_get(f, "quyen_so"));
		if (so && qs) {
			nums++;
			snprintf(q, sizeof(q), "so:\"%s\" quyen_so:\"%s\" type:%s",
				 so, qs, type);
			run(s, q, &r);
			if (!r || r->n == 0 || (strcmp(r->hits[0].id, ids[i]) &&
			    r->hits[0].score != 0 && (r->n < 2 ||
			    r->hits[0].score != r->hits[1].score))) {
				num_bad++;
				printf("# %s: '%s' puts %s first\n", ids[i], q,
				       r && r->n ? r->hits[0].id : "nothing");
			}
			index_result_free(&r);
		}
		json_decref(t);
	}
	store_ids_free(ids, nid);
	printf("%s - %zu of %zu records are in the top 3 for their name "
	       "typed without tones (or behind only namesakes)\n",
	       name_bad ? "not ok" : "ok", names - name_bad, names);
	printf("%s - %zu of %zu records come first for so + quyen_so + "
	       "type\n", num_bad ? "not ok" : "ok", nums - num_bad, nums);
	return name_bad || num_bad;
}

/* The folded name of a stored record (its person), into out. */
static void stored_name(store *s, const char *id, char *out, size_t len)
{
	json_t *m = NULL, *f;
	const char *nm;

	out[0] = 0;
	if (store_record_get(s, id, &m, NULL))
		return;
	f = json_object_get(m, "fields");
	nm = first_value(json_object_get(json_object_get(f, "ho_ten"), "value"));
	if (!nm) nm = first_value(json_object_get(json_object_get(f, "ho_ten_chong"), "value"));
	if (!nm) nm = first_value(json_object_get(json_object_get(f, "chu_su_dung"), "value"));
	if (nm)
		index_fold(nm, NULL, 0, out, len);
	json_decref(m);
}

/* For each query the rank of the record meant among the hits, not
 * counting those above it that bear the same name (as right an answer
 * to a name query): found when under 5. Prints per class: queries,
 * share found, how many returned nothing. */
static int top5(store *s, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096], cls[16][32], name[512];
	size_t ncls = 0, cnt[16] = { 0 }, found[16] = { 0 }, empty[16] = { 0 };
	index_params p;

	if (!f)
		return 1;
	index_params_default(&p);
	while (fgets(line, sizeof(line), f)) {
		char *col[5] = { line };
		int nc = 1;
		line[strcspn(line, "\n")] = 0;
		for (char *t = line; nc < 5 && (t = strchr(t, '\t')); nc++) {
			*t++ = 0;
			col[nc] = t;
		}
		if (nc < 5)
			continue;
		size_t c;
		for (c = 0; c < ncls && strcmp(cls[c], col[0]); c++)
			;
		if (c == ncls) {
			if (ncls == 16)
				continue;
			snprintf(cls[ncls++], 32, "%.31s", col[0]);
		}
		index_query *q;
		index_result *r = NULL;
		cnt[c]++;
		if (index_query_parse(&schema, col[1], &q) == 0)
			store_search(s, q, &p, 50, &r);
		index_query_free(&q);
		if (!r || r->n == 0) {
			empty[c]++;
			index_result_free(&r);
			continue;
		}
		size_t rank = 0;
		for (size_t k = 0; k < r->n; k++) {
			if (!strcmp(r->hits[k].id, col[3])) {
				found[c] += rank < 5;
				break;
			}
			stored_name(s, r->hits[k].id, name, sizeof(name));
			rank += !*col[4] || strcmp(name, col[4]);
		}
		index_result_free(&r);
	}
	fclose(f);
	for (size_t c = 0; c < ncls; c++)
		printf("%s\t%zu\t%.3f\t%zu\n", cls[c], cnt[c],
		       cnt[c] ? (double)found[c] / (double)cnt[c] : 0, empty[c]);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *tsvp = NULL, *mode = argc > 1 ? argv[1] : "";
	store_opts o = { .create = 1, .bulk = !strcmp(mode, "load") };
	store *s;
	int a = 2, rc;

	for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
		if (!strcmp(argv[a], "--store"))
			dir = argv[a + 1];
		else if (!strcmp(argv[a], "--tsv"))
			tsvp = argv[a + 1];
		else if (!strcmp(argv[a], "--doubt"))
			doubt_pct = atoi(argv[a + 1]);
	}
	if (!dir || a >= argc) {
		fprintf(stderr, "usage: ixbench load|query|relevance|top5 --store DIR "
			"[--tsv FILE] [--doubt PERCENT] GENDIR|QUERIES\n");
		return 2;
	}
	fields_catalogue *cat = NULL;
	if (fields_catalogue_load(getenv("RULES") ? getenv("RULES") : "config/fields",
				  &cat)) {
		fprintf(stderr, "ixbench: %s\n", base_errmsg());
		return 1;
	}
	ingest_schema(cat, schema_fields, 128, &schema);
	o.schema = &schema;
	double t0 = base_monotonic();
	if (store_open(&s, dir, &o)) {
		fprintf(stderr, "ixbench: %s\n", base_errmsg());
		return 1;
	}
	if (!strcmp(mode, "reindex")) {
		/* a store without an index gets one when opened to write */
		store_close(&s);
		printf("indexed the stored records in %.2f s\n",
		       base_monotonic() - t0);
		return 0;
	}
	if (!strcmp(mode, "query")) {
		rc = query(s, argv[a]);
	} else if (!strcmp(mode, "top5")) {
		rc = top5(s, argv[a]);
	} else {
		size_t n;
		char **files = truth_files(argv[a], &n);
		FILE *tsv = tsvp ? fopen(tsvp, "w") : NULL;
		rc = !strcmp(mode, "load") ? load(s, files, n, tsv)
					   : relevance(s, files, n);
		if (tsv)
			fclose(tsv);
		for (size_t i = 0; i < n; i++)
			free(files[i]);
		free(files);
	}
	store_close(&s);
	return rc;
}
