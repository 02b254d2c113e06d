/* bag.c - writing a BagIt bag of stored records: per record its
 * original, its PDF/A, each page's cleaned image and ALTO (from the
 * stored words, render.c) and record.json; records.csv for registry databases; manifests in SHA-256
 * and SHA-512; all under a temporary name until complete. */
#include "export.h"
#include "internal.h"

#include "../base/base.h"

#include <errno.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

/* One payload or tag file and its checksums (hex). */
typedef struct entry {
	char rel[128];
	char sha256[65], sha512[129];
	size_t bytes;
} entry;

typedef struct bag {
	char tmp[4200];
	const fields_catalogue *cat;
	entry *v;
	size_t n, cap, bytes;
} bag;

static void digest(const char *alg, const void *data, size_t len, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	EVP_Digest(data, len, md, &n, EVP_get_digestbyname(alg), NULL);
	base_hex(md, n, out);
}

/* Writes data to tmp/rel and lists it with its checksums. */
static int bag_put(bag *b, const char *rel, const void *data, size_t len)
{
	char path[4400];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", b->tmp, rel);
	rc = base_write_file_atomic(path, data, len);
	if (rc)
		return rc;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		entry *v = realloc(b->v, cap * sizeof(*v));
		if (!v)
			return base_fail(BASE_ENOMEM, "out of memory");
		b->v = v;
		b->cap = cap;
	}
	entry *e = &b->v[b->n++];
	snprintf(e->rel, sizeof(e->rel), "%s", rel);
	digest("SHA256", data, len, e->sha256);
	digest("SHA512", data, len, e->sha512);
	e->bytes = len;
	if (!strncmp(rel, "data/", 5))
		b->bytes += len;
	return 0;
}

/* Lists a file another library wrote (the PDF, the ALTO XML). */
static int bag_adopt(bag *b, const char *rel)
{
	char path[4400];
	unsigned char *data;
	size_t len;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", b->tmp, rel);
	rc = base_read_file(path, (size_t)1 << 31, &data, &len);
	if (rc == 0)
		rc = bag_put(b, rel, data, len);
	free(data);
	return rc;
}

static int mkdir_in(const bag *b, const char *rel)
{
	char path[4400];

	snprintf(path, sizeof(path), "%s/%s", b->tmp, rel);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return base_fail(BASE_EIO, "cannot create '%s': %s", path,
			       strerror(errno));
	return 0;
}

/* The original's name in the bag: ASCII, from the record id and the
 * source's extension. */
static void original_name(json_t *meta, char *out, size_t len)
{
	const char *p = json_string_value(json_object_get(json_object_get(
					meta, "source"), "path"));
	const char *dot = p ? strrchr(p, '.') : NULL;

	snprintf(out, len, "original%s", dot && !strcasecmp(dot, ".tiff")
		 ? ".tiff" : ".tif");
}

/* The archive description in the Vietnamese names of the archives'
 * rules (Thông tư 02/2019/TT-BNV, now 05/2025/TT-BNV). */
static json_t *archive_meta(json_t *meta, const char *id)
{
	json_t *a = json_object_get(meta, "archive");
	const char *ph = json_string_value(json_object_get(a, "phong"));
	const char *ml = json_string_value(json_object_get(a, "muc_luc"));
	const char *hs = json_string_value(json_object_get(a, "ho_so_so"));
	char code[256];

	/* Mã hồ sơ: phông.mục lục.số hồ sơ when the batch says them */
	if (ph && hs)
		snprintf(code, sizeof(code), "%s.%s.%s", ph, ml ? ml : "", hs);
	else
		snprintf(code, sizeof(code), "%s", id);
	json_t *out = json_pack("{s:s, s:I, s:s, s:s, s:O}", "Mã hồ sơ", code,
		"Số lượng trang", (json_int_t)json_array_size(json_object_get(
				meta, "pages")), "Ngôn ngữ", "Tiếng Việt",
		"Mức độ tin cậy", "Số hóa", "Thời gian số hóa",
		json_object_get(meta, "ingested"));
	static const char *const map[][2] = {
		{ "phong", "Phông" }, { "muc_luc", "Mục lục" },
		{ "hop", "Hộp số" }, { "ho_so_so", "Hồ sơ số" },
		{ "ghi_chu", "Ghi chú" },
	};
	for (size_t i = 0; i < 5; i++) {
		json_t *v = json_object_get(a, map[i][0]);
		if (v)
			json_object_set(out, map[i][1], v);
	}
	return out;
}

static json_t *record_json(json_t *meta, json_t *history, const char *id,
			   const char *original, int rendered)
{
	json_t *pages = json_array(), *p;
	size_t i;

	json_array_foreach(json_object_get(meta, "pages"), i, p) {
		json_t *pj = json_pack("{s:O, s:O, s:O}", "n", json_object_get(p,
			"n"), "width", json_object_get(p, "width"), "height",
			json_object_get(p, "height"));
		if (rendered) {
			char name[32];
			snprintf(name, sizeof(name), "page-%zu.tif", i + 1);
			json_object_set_new(pj, "image", json_string(name));
			snprintf(name, sizeof(name), "page-%zu.xml", i + 1);
			json_object_set_new(pj, "alto", json_string(name));
		}
		json_array_append_new(pages, pj);
	}
	return json_pack("{s:s, s:O, s:O, s:o, s:O, s:o, s:{s:s, s:s?},"
			 " s:O, s:O}",
		"id", id, "type", json_object_get(meta, "type"),
		"fields", json_object_get(meta, "fields"),
		"archive", archive_meta(meta, id),
		"ocr_confidence", json_object_get(meta, "ocr_confidence")
			? json_object_get(meta, "ocr_confidence") : json_null(),
		"pages", pages,
		"files", "original", original,
		"pdf", rendered ? "record.pdf" : NULL,
		"source", json_object_get(meta, "source"),
		"history", history);
}

/* Appends one CSV cell, quoted when it must be (RFC 4180). */
static void csv_cell(FILE *f, const char *s, int first)
{
	if (!first)
		fputc(',', f);
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* The columns of records.csv: every field of the catalogue that
 * exports carry, in its order; a record fills those of its type. */
static const fields_field *csv_field(const fields_catalogue *cat, int i)
{
	const fields_field *f = fields_catalogue_field(cat, i);

	return f && f->export ? f : NULL;
}

static void csv_row(FILE *f, const fields_catalogue *cat, const char *id,
		    json_t *meta)
{
	json_t *fields = json_object_get(meta, "fields");

	csv_cell(f, id, 1);
	csv_cell(f, json_string_value(json_object_get(meta, "type")), 0);
	for (int i = 0; i < fields_catalogue_fields(cat); i++) {
		const fields_field *c = csv_field(cat, i);
		if (!c)
			continue;
		json_t *v = json_object_get(json_object_get(fields, c->key),
					    "value"), *e;
		if (json_is_array(v)) {
			/* a list (owners) in one cell, "; " between names */
			char buf[2048] = "";
			size_t k, n = 0;
			json_array_foreach(v, k, e)
				if (json_is_string(e))
					n += (size_t)snprintf(buf + n, n < sizeof(buf) ?
						sizeof(buf) - n : 0, "%s%s", k ? "; " : "",
						json_string_value(e));
			csv_cell(f, buf, 0);
		} else {
			csv_cell(f, json_string_value(v), 0);
		}
	}
	csv_cell(f, json_string_value(json_object_get(json_object_get(meta,
				"source"), "path")), 0);
	fputs("\r\n", f);
}

/* Everything of one record under data/ID/: the original, the PDF/A,
 * each page's cleaned image and ALTO, record.json. */
static int put_record(bag *b, store *s, const char *id, json_t *meta,
		      json_t *history)
{
	char rel[256], name[32], pdf[4400], img[4400], alto[4400];
	void *orig = NULL;
	size_t olen;
	int np = (int)json_array_size(json_object_get(meta, "pages"));
	int rc, rendered = 0;

	snprintf(rel, sizeof(rel), "data/%s", id);
	rc = mkdir_in(b, rel);
	if (rc == 0)
		rc = store_original_get(s, id, &orig, &olen);
	original_name(meta, name, sizeof(name));
	snprintf(rel, sizeof(rel), "data/%s/%s", id, name);
	if (rc == 0)
		rc = bag_put(b, rel, orig, olen);
	free(orig);
	if (rc == 0) {
		snprintf(pdf, sizeof(pdf), "%s/data/%s/record.pdf", b->tmp, id);
		snprintf(img, sizeof(img), "%s/data/%s/page-%%d.tif", b->tmp, id);
		snprintf(alto, sizeof(alto), "%s/data/%s/page-%%d.xml", b->tmp, id);
		export_files f = { pdf, NULL, NULL, img, alto, NULL };
		rc = export_render(s, id, meta, b->cat, &f);
		if (rc == 0) {
			snprintf(rel, sizeof(rel), "data/%s/record.pdf", id);
			rc = bag_adopt(b, rel);
			for (int n = 1; rc == 0 && n <= np; n++) {
				snprintf(rel, sizeof(rel), "data/%s/page-%d.tif", id, n);
				rc = bag_adopt(b, rel);
				snprintf(rel, sizeof(rel), "data/%s/page-%d.xml", id, n);
				if (rc == 0)
					rc = bag_adopt(b, rel);
			}
			rendered = rc == 0;
		} else if (rc == BASE_ENOTFOUND) {
			/* no cleaned page: record.json says there is no PDF;
			 * a damaged page image stops the export instead */
			rc = 0;
		}
	}
	if (rc == 0) {
		json_t *rj = record_json(meta, history, id, name, rendered);
		char *text = json_dumps(rj, JSON_INDENT(2) | JSON_REAL_PRECISION(4));
		snprintf(rel, sizeof(rel), "data/%s/record.json", id);
		rc = text ? bag_put(b, rel, text, strlen(text))
			  : base_fail(BASE_ENOMEM, "out of memory");
		free(text);
		json_decref(rj);
	}
	return rc;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->rel, ((const entry *)b)->rel);
}

/* manifest-ALG.txt over the entries from..to, "checksum  path". */
static int manifest(bag *b, const char *name, size_t from, size_t to,
		    int sha512)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return base_fail(BASE_ENOMEM, "out of memory");
	for (size_t i = from; i < to; i++)
		fprintf(f, "%s  %s\n", sha512 ? b->v[i].sha512 : b->v[i].sha256,
			b->v[i].rel);
	fclose(f);
	rc = bag_put(b, name, buf, len);
	free(buf);
	return rc;
}

/* records.csv, the manifests, bag-info.txt, bagit.txt, tagmanifest. */
static int finish(bag *b, size_t records, const export_opts *o,
		  const char *csv, size_t csv_len)
{
	char info[2048], date[32];
	size_t payload;
	int rc = csv ? bag_put(b, "data/records.csv", csv, csv_len) : 0;

	if (rc)
		return rc;
	payload = b->n;
	qsort(b->v, payload, sizeof(*b->v), cmp_entry);
	base_now_iso(date);
	date[10] = 0;
	snprintf(info, sizeof(info),
		 "Source-Organization: %s\n"
		 "Bagging-Date: %s\n"
		 "Payload-Oxum: %zu.%zu\n"
		 "Bag-Software-Agent: sohoa\n"
		 "Record-Count: %zu\n"
		 "Selection: %s\n",
		 o->organization, date, b->bytes, payload, records,
		 o->selection ? o->selection : "all");
	rc = manifest(b, "manifest-sha256.txt", 0, payload, 0);
	if (rc == 0)
		rc = manifest(b, "manifest-sha512.txt", 0, payload, 1);
	if (rc == 0)
		rc = bag_put(b, "bag-info.txt", info, strlen(info));
	static const char bagit[] = "BagIt-Version: 1.0\n"
				    "Tag-File-Character-Encoding: UTF-8\n";
	if (rc == 0)
		rc = bag_put(b, "bagit.txt", bagit, strlen(bagit));
	if (rc == 0) {
		qsort(b->v + payload, b->n - payload, sizeof(*b->v), cmp_entry);
		rc = manifest(b, "tagmanifest-sha256.txt", payload, b->n, 0);
	}
	return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void export_remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int export_bag(store *s, char **ids, size_t n, const export_opts *o,
	       json_t **summary)
{
	bag b = { .cat = o->catalogue };
	char *csv = NULL;
	size_t csv_len = 0;
	struct stat st;
	double t0 = base_monotonic();
	int rc = 0, kill = base_fault("kill-export");
	FILE *cf;

	*summary = NULL;
	if (stat(o->out, &st) == 0)
		return base_fail(BASE_EEXIST, "'%s' exists; an export never writes "
			       "into an existing folder", o->out);
	snprintf(b.tmp, sizeof(b.tmp), "%s.partial-%d", o->out, (int)getpid());
	if ((rc = ex_begin(s, o->out, b.tmp, "bag")))
		return rc;
	if (mkdir(b.tmp, 0755) < 0) {
		rc = base_fail(BASE_EIO, "cannot create '%s': %s", b.tmp,
			     strerror(errno));
		ex_abandon(s, o->out);
		return rc;
	}
	rc = mkdir_in(&b, "data");
	cf = open_memstream(&csv, &csv_len);
	/* a byte-order mark: spreadsheet programs then read UTF-8 */
	fputs("\xef\xbb\xbf" "id,type", cf);
	for (int i = 0; i < fields_catalogue_fields(o->catalogue); i++)
		if (csv_field(o->catalogue, i))
			fprintf(cf, ",%s", csv_field(o->catalogue, i)->key);
	fputs(",source_file\r\n", cf);
	for (size_t i = 0; i < n && rc == 0; i++) {
		json_t *meta = NULL, *history = NULL;
		rc = store_record_get(s, ids[i], &meta, &history);
		if (rc == 0)
			rc = put_record(&b, s, ids[i], meta, history);
		if (rc == 0)
			csv_row(cf, o->catalogue, ids[i], meta);
		json_decref(meta);
		json_decref(history);
		if (o->progress)
			o->progress(o->progress_ctx, i + 1, n);
		if (kill && (int)i + 1 == kill)
			raise(SIGKILL);
	}
	fclose(cf);
	if (rc == 0)
		rc = finish(&b, n, o, csv, csv_len);
	free(csv);
	/* complete: only now does a folder of that name appear, and its
	 * records are marked with the access log's entry */
	const char *slash = strrchr(o->out, '/');
	if (rc == 0)
		rc = ex_finish(s, o, b.tmp, ids, n, "bag", slash ? slash + 1 : o->out);
	if (rc && access(o->out, F_OK) != 0) {
		/* a failed export leaves nothing behind */
		export_remove_tree(b.tmp);
		ex_abandon(s, o->out);
	}
	if (rc == 0) {
		*summary = json_pack("{s:s, s:I, s:I, s:I, s:f}", "bag", o->out,
				     "records", (json_int_t)n, "files",
				     (json_int_t)b.n, "bytes", (json_int_t)b.bytes,
				     "seconds", base_monotonic() - t0);
	}
	free(b.v);
	return rc;
}

/* export_bag_seal's walk: every file under data/, listed. */
static bag *sealing;
static int seal_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag != FTW_F)
		return 0;
	return bag_adopt(sealing, path + strlen(sealing->tmp) + 1);
}

int export_bag_seal(const char *top, const export_opts *o, size_t records)
{
	bag b = { 0 };
	char data[4300];
	int rc;

	snprintf(b.tmp, sizeof(b.tmp), "%s", top);
	snprintf(data, sizeof(data), "%s/data", top);
	sealing = &b;  /* (nftw has no context pointer; one export at a time) */
	rc = nftw(data, seal_one, 16, FTW_PHYS);
	sealing = NULL;
	if (rc == 0)
		rc = finish(&b, records, o, NULL, 0);
	free(b.v);
	return rc;
}
