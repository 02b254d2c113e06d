/* csip.c - an E-ARK CSIP 2.0.4 information package (SIP, AIP or DIP) of
 * stored records: METS.xml at the root, each record's description under
 * metadata/descriptive/, PREMIS under metadata/preservation/, the
 * originals, PDF/A, page images and ALTO under representations/rep1/
 * data/, the schemas used under schemas/. Names come from csip.conf. */
#include "export.h"
#include "internal.h"

#include "../base/base.h"

#include <errno.h>
#include <ini.h>
#include <libxml/xmlwriter.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SOHOA_VERSION
#define SOHOA_VERSION "dev"
#endif

#define REP "representations/rep1/data"

/* The schemas a package carries (and verify reads). */
static const char *const schema_files[] = {
	"mets.xsd", "xlink.xsd", "DILCISExtensionMETS.xsd", "alto-3-0.xsd",
};

/* csip.conf, with its built-in defaults. */
typedef struct settings {
	char original[256], pdf[256], page_image[256], alto[256], metadata[256];
	char retention[128], access[128], language[64], dates[256];
	json_t *titles, *keywords; /* type -> template */
	const fields_catalogue *cat; /* the export's, not csip.conf's */
} settings;

static int on_setting(void *ctx, const char *sec, const char *key,
		      const char *val)
{
	settings *s = ctx;
	struct { const char *sec, *key; char *to; size_t cap; } map[] = {
		{ "names", "original", s->original, sizeof(s->original) },
		{ "names", "pdf", s->pdf, sizeof(s->pdf) },
		{ "names", "page_image", s->page_image, sizeof(s->page_image) },
		{ "names", "alto", s->alto, sizeof(s->alto) },
		{ "names", "metadata", s->metadata, sizeof(s->metadata) },
		{ "describe", "retention", s->retention, sizeof(s->retention) },
		{ "describe", "access", s->access, sizeof(s->access) },
		{ "describe", "language", s->language, sizeof(s->language) },
		{ "describe", "dates", s->dates, sizeof(s->dates) },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (!strcmp(sec, map[i].sec) && !strcmp(key, map[i].key)) {
			snprintf(map[i].to, map[i].cap, "%s", val);
			return 1;
		}
	if (!strcmp(sec, "titles"))
		return json_object_set_new(s->titles, key, json_string(val)) == 0;
	if (!strcmp(sec, "keywords"))
		return json_object_set_new(s->keywords, key, json_string(val)) == 0;
	return 0;
}

static int settings_load(settings *s, const char *dir)
{
	char path[4200];

	*s = (settings){ "{code}.{seq}.{ext}", "{code}.{seq}.pdf",
		"{code}.{seq}.p{page}.tif", "{code}.{seq}.p{page}.xml",
		"{code}.{seq}.xml", "Vĩnh viễn", "Hạn chế", "Tiếng Việt",
		"", json_object(), json_object(), NULL };
	snprintf(path, sizeof(path), "%s/csip.conf", dir ? dir : ".");
	int rc = ini_parse(path, on_setting, s);
	if (rc == -1 && errno == ENOENT)
		return 0; /* the built-in names */
	if (rc)
		return base_fail(BASE_EIO, "%s: %s", path, rc < 0 ? "cannot be read"
			       : "unknown key or section (see its line)");
	return 0;
}

static void settings_free(settings *s)
{
	json_decref(s->titles);
	json_decref(s->keywords);
}

void export_safe(const char *v, char *out, size_t cap)
{
	size_t o = 0;

	for (; v && *v && o + 1 < cap; v++) {
		unsigned char c = (unsigned char)*v;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
		if (!ok && (c & 0xc0) == 0x80)
			continue; /* one '_' for a multibyte character */
		out[o++] = ok ? (char)c : '_';
	}
	out[o] = 0;
}

void export_value_text(json_t *v, char *out, size_t cap)
{
	const char *s = json_string_value(v);
	size_t n = 0, i;
	json_t *e;
	int y, m, d;

	*out = 0;
	if (s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 &&
	    s[4] == '-' && s[7] == '-') {
		snprintf(out, cap, "%02d/%02d/%04d", d, m, y);
		return;
	}
	if (s) {
		snprintf(out, cap, "%s", s);
		return;
	}
	json_array_foreach(v, i, e)
		if (json_is_string(e) && n < cap)
			n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? ", " : "",
					      json_string_value(e));
}

void export_expand(const char *t, json_t *vars, json_t *fields, int file,
		   int page_fmt, char *out, size_t cap)
{
	size_t o = 0;

	while (*t && o + 1 < cap) {
		const char *close = *t == '{' ? strchr(t, '}') : NULL;
		if (!close) {
			if (*t == '%' && page_fmt && o + 2 < cap)
				out[o++] = '%';
			out[o++] = *t++;
			continue;
		}
		char name[64], val[1024] = "", fixed[1024];
		snprintf(name, sizeof(name), "%.*s", (int)(close - t - 1), t + 1);
		t = close + 1;
		if (page_fmt && !strcmp(name, "page")) {
			snprintf(val, sizeof(val), "%%d");
		} else if (json_object_get(vars, name)) {
			snprintf(val, sizeof(val), "%s", json_string_value(
					json_object_get(vars, name)));
		} else if (fields) {
			export_value_text(json_object_get(json_object_get(fields, name),
						   "value"), val, sizeof(val));
		}
		if (file && !(page_fmt && !strcmp(name, "page"))) {
			export_safe(val, fixed, sizeof(fixed));
			snprintf(val, sizeof(val), "%s", fixed);
		}
		for (const char *v = val; *v && o + 2 < cap; v++) {
			if (*v == '%' && page_fmt && !(file && !strcmp(name, "page")))
				out[o++] = '%';
			out[o++] = *v;
		}
	}
	out[o] = 0;
}

/* Adds tmp/rel to the package's list, hashed. */
static int pkg_add(csip_pkg *p, const char *rel, char group, const char *mime,
		   const char *owner)
{
	char path[5700];
	unsigned char *data = NULL, md[EVP_MAX_MD_SIZE];
	size_t len = 0;
	unsigned n = 0;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", p->tmp, rel);
	rc = base_read_file(path, (size_t)1 << 31, &data, &len);
	if (rc)
		return rc;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		csip_file *v = realloc(p->v, cap * sizeof(*v));
		if (!v) {
			free(data);
			return base_fail(BASE_ENOMEM, "out of memory");
		}
		p->v = v;
		p->cap = cap;
	}
	csip_file *f = &p->v[p->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->rel, sizeof(f->rel), "%.*s", (int)sizeof(f->rel) - 1, rel);
	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	base_hex(md, n, f->sha256);
	f->bytes = len;
	f->group = group;
	f->mime = mime;
	snprintf(f->owner, sizeof(f->owner), "%s", owner ? owner : "");
	base_now_iso(f->created);
	free(data);
	return 0;
}

static int put(csip_pkg *p, const char *rel, const void *data, size_t len,
	       char group, const char *mime, const char *owner)
{
	char path[5700];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", p->tmp, rel);
	rc = base_write_file_atomic(path, data, len);
	return rc ? rc : pkg_add(p, rel, group, mime, owner);
}

static int mkdirs(const char *base, const char *rel)
{
	char path[4800];

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	for (char *s = path + strlen(base) + 1; ; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = 0;
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return base_fail(BASE_EIO, "cannot create '%s': %s", path,
				       strerror(errno));
		*s = c;
		if (!c)
			break;
	}
	return 0;
}

/* The record's file code (mã hồ sơ), as the bag's archive description
 * gives it: phông.mục lục.hồ sơ số, else the record id. */
static void file_code(json_t *meta, const char *id, char *out, size_t cap)
{
	json_t *a = json_object_get(meta, "archive");
	const char *ph = json_string_value(json_object_get(a, "phong"));
	const char *ml = json_string_value(json_object_get(a, "muc_luc"));
	const char *hs = json_string_value(json_object_get(a, "ho_so_so"));

	if (ph && hs)
		snprintf(out, cap, "%s.%s.%s", ph, ml ? ml : "", hs);
	else
		snprintf(out, cap, "%s", id);
}

static void el(xmlTextWriterPtr x, const char *name, const char *label,
	       const char *value)
{
	if (!value || !*value)
		return;
	xmlTextWriterStartElement(x, BAD_CAST name);
	if (label)
		xmlTextWriterWriteAttribute(x, BAD_CAST "label", BAD_CAST label);
	xmlTextWriterWriteString(x, BAD_CAST value);
	xmlTextWriterEndElement(x);
}

/* metadata/descriptive/NAME.xml: the archive's metadata of the
 * document (Thông tư 05/2025/TT-BNV's names as labels) and its fields,
 * each with its source, confidence and whether a person checked it. */
static int describe(const char *path, const settings *cs, const char *id,
		    json_t *meta, const char *code, int seq, int docs,
		    const char *original, const char *pdf, int pages)
{
	xmlBufferPtr out;
	xmlTextWriterPtr x = ex_xml_writer(&out);
	json_t *fields = json_object_get(meta, "fields"), *f, *a;
	const char *type = json_string_value(json_object_get(meta, "type"));
	const char *k;
	char buf[2048], num[32], when[64] = "";
	json_t *vars = json_pack("{s:s, s:s}", "id", id, "code", code);

	if (!x) {
		json_decref(vars);
		return base_fail(BASE_EIO, "cannot write '%s'", path);
	}
	xmlTextWriterSetIndent(x, 1);
	xmlTextWriterStartDocument(x, NULL, "UTF-8", NULL);
	xmlTextWriterStartElementNS(x, NULL, BAD_CAST "record",
				    BAD_CAST "urn:sohoa:record:1");
	xmlTextWriterWriteAttribute(x, BAD_CAST "id", BAD_CAST id);
	if (type)
		xmlTextWriterWriteAttribute(x, BAD_CAST "type", BAD_CAST type);
	xmlTextWriterStartElement(x, BAD_CAST "archive");
	el(x, "ma_ho_so", "Mã hồ sơ", code);
	snprintf(num, sizeof(num), "%02d", seq);
	el(x, "so_thu_tu", "Số thứ tự văn bản", num);
	const char *tt = json_string_value(json_object_get(cs->titles, type ? type : ""));
	export_expand(tt ? tt : json_string_value(json_object_get(cs->titles, "other"))
	       ? json_string_value(json_object_get(cs->titles, "other")) : "{id}",
	       vars, fields, 0, 0, buf, sizeof(buf));
	el(x, "tieu_de", "Tiêu đề", buf);
	el(x, "thoi_han_bao_quan", "Thời hạn bảo quản", cs->retention);
	el(x, "che_do_su_dung", "Chế độ sử dụng", cs->access);
	el(x, "ngon_ngu", "Ngôn ngữ", cs->language);
	/* the time span: the first date field of the list the record has */
	char dl[256], *save = NULL;
	snprintf(dl, sizeof(dl), "%s", cs->dates);
	for (char *d = strtok_r(dl, " ,", &save); d && !*when; d = strtok_r(NULL, " ,", &save))
		export_value_text(json_object_get(json_object_get(fields, d), "value"),
			   when, sizeof(when));
	el(x, "thoi_gian_bat_dau", "Thời gian bắt đầu", when);
	el(x, "thoi_gian_ket_thuc", "Thời gian kết thúc", when);
	/* keywords: the type's, then the names the record holds */
	const char *kw = json_string_value(json_object_get(cs->keywords, type ? type : ""));
	size_t n = (size_t)snprintf(buf, sizeof(buf), "%s", kw ? kw : "");
	for (int i = 0; i < fields_catalogue_fields(cs->cat) && n < sizeof(buf); i++) {
		const fields_field *p = fields_catalogue_field(cs->cat, i);
		char v[1024];
		if (!p->person)
			continue;
		export_value_text(json_object_get(json_object_get(fields, p->key),
					   "value"), v, sizeof(v));
		if (*v)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
					      n ? "; " : "", v);
	}
	el(x, "tu_khoa", "Từ khóa", buf);
	snprintf(num, sizeof(num), "%d", docs);
	el(x, "tong_so_van_ban", "Tổng số văn bản", num);
	snprintf(num, sizeof(num), "%d", pages);
	el(x, "so_luong_trang", "Số lượng trang", num);
	a = json_object_get(meta, "archive");
	static const char *const from_batch[][3] = {
		{ "phong", "phong", "Phông" }, { "muc_luc", "muc_luc", "Mục lục" },
		{ "hop", "hop", "Hộp số" }, { "ho_so_so", "ho_so_so", "Hồ sơ số" },
		{ "so_to", "so_luong_to", "Số lượng tờ" },
		{ "tinh_trang", "tinh_trang_vat_ly", "Tình trạng vật lý" },
		{ "ghi_chu", "ghi_chu", "Ghi chú" },
	};
	for (size_t i = 0; i < sizeof(from_batch) / sizeof(*from_batch); i++)
		el(x, from_batch[i][1], from_batch[i][2], json_string_value(
			json_object_get(a, from_batch[i][0])));
	xmlTextWriterEndElement(x); /* archive */
	xmlTextWriterStartElement(x, BAD_CAST "fields");
	json_object_foreach(fields, k, f) {
		char v[2048];
		export_value_text(json_object_get(f, "value"), v, sizeof(v));
		xmlTextWriterStartElement(x, BAD_CAST "field");
		xmlTextWriterWriteAttribute(x, BAD_CAST "name", BAD_CAST k);
		if (json_string_value(json_object_get(f, "source")))
			xmlTextWriterWriteAttribute(x, BAD_CAST "source", BAD_CAST
				json_string_value(json_object_get(f, "source")));
		xmlTextWriterWriteFormatAttribute(x, BAD_CAST "confidence", "%.2f",
			json_number_value(json_object_get(f, "confidence")));
		/* checked by a person: corrected, or the record accepted */
		const char *src = json_string_value(json_object_get(f, "source"));
		xmlTextWriterWriteAttribute(x, BAD_CAST "reviewed", BAD_CAST
			(json_object_get(meta, "reviewed") ||
			 (src && !strcmp(src, "correction")) ? "true" : "false"));
		xmlTextWriterWriteString(x, BAD_CAST v);
		xmlTextWriterEndElement(x);
	}
	xmlTextWriterEndElement(x); /* fields */
	xmlTextWriterStartElement(x, BAD_CAST "files");
	el(x, "original", NULL, original);
	el(x, "pdf", NULL, pdf);
	xmlTextWriterEndElement(x);
	json_decref(vars);
	return ex_xml_save(x, out, path);
}

/* One record: original, PDF/A, page images, ALTO, description. */
static int put_record(csip_pkg *p, const settings *cs, store *s,
		      const char *id, json_t *meta, const char *code, int seq,
		      int docs)
{
	char seqs[16], ext[8], tmpl[1024], rel[1200], abs_pdf[5700],
	     abs_img[5700], abs_alto[5700], orig_rel[1200];
	const char *src = json_string_value(json_object_get(json_object_get(
				meta, "source"), "path"));
	const char *dot = src ? strrchr(src, '.') : NULL;
	int np = (int)json_array_size(json_object_get(meta, "pages")), rc;
	void *orig = NULL;
	size_t olen = 0;

	snprintf(seqs, sizeof(seqs), "%02d", seq);
	snprintf(ext, sizeof(ext), "%s", dot && !strcasecmp(dot, ".tiff") ? "tiff" : "tif");
	json_t *vars = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "code", code,
				 "seq", seqs, "ext", ext);
	export_expand(cs->original, vars, NULL, 1, 0, tmpl, sizeof(tmpl));
	snprintf(orig_rel, sizeof(orig_rel), REP "/%s", tmpl);
	rc = store_original_get(s, id, &orig, &olen);
	if (rc == 0)
		rc = put(p, orig_rel, orig, olen, 'R', "image/tiff", id);
	free(orig);
	/* the PDF/A, each page's image and ALTO */
	char pdf_name[1024], img_pat[1024], alto_pat[1024], img_ref[1024];
	export_expand(cs->pdf, vars, NULL, 1, 0, pdf_name, sizeof(pdf_name));
	export_expand(cs->page_image, vars, NULL, 1, 1, img_pat, sizeof(img_pat));
	export_expand(cs->alto, vars, NULL, 1, 1, alto_pat, sizeof(alto_pat));
	snprintf(abs_pdf, sizeof(abs_pdf), "%s/" REP "/%s", p->tmp, pdf_name);
	snprintf(abs_img, sizeof(abs_img), "%s/" REP "/%s", p->tmp, img_pat);
	snprintf(abs_alto, sizeof(abs_alto), "%s/" REP "/%s", p->tmp, alto_pat);
	snprintf(img_ref, sizeof(img_ref), "%s", img_pat);
	export_files f = { abs_pdf, NULL, NULL, abs_img, abs_alto, img_ref };
	int rendered = 0;
	if (rc == 0) {
		rc = export_render(s, id, meta, cs->cat, &f);
		if (rc == BASE_ENOTFOUND) {
			/* stored with OCR off: the original alone */
			rc = 0;
		} else {
			rendered = rc == 0;
		}
	}
	if (rendered) {
		snprintf(rel, sizeof(rel), REP "/%s", pdf_name);
		rc = pkg_add(p, rel, 'R', "application/pdf", id);
		for (int n = 1; rc == 0 && n <= np; n++) {
			char name[1100];
			snprintf(name, sizeof(name), img_pat, n);
			snprintf(rel, sizeof(rel), REP "/%s", name);
			rc = pkg_add(p, rel, 'R', "image/tiff", id);
			snprintf(name, sizeof(name), alto_pat, n);
			snprintf(rel, sizeof(rel), REP "/%s", name);
			if (rc == 0)
				rc = pkg_add(p, rel, 'R', "application/xml", id);
		}
	}
	/* the description */
	if (rc == 0) {
		char mname[1024], mpath[5700];
		export_expand(cs->metadata, vars, NULL, 1, 0, mname, sizeof(mname));
		snprintf(rel, sizeof(rel), "metadata/descriptive/%s", mname);
		snprintf(mpath, sizeof(mpath), "%s/%s", p->tmp, rel);
		rc = describe(mpath, cs, id, meta, code, seq, docs,
			      strrchr(orig_rel, '/') + 1, rendered ? pdf_name : NULL, np);
		if (rc == 0)
			rc = pkg_add(p, rel, 'D', "application/xml", id);
	}
	json_decref(vars);
	return rc;
}

static int copy_schemas(csip_pkg *p, const char *dir)
{
	char path[4200], rel[256];
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof(schema_files) / sizeof(*schema_files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, schema_files[i]);
		rc = base_read_file(path, 16 << 20, &data, &len);
		if (rc) {
			rc = base_fail(BASE_ENOTFOUND, "cannot read the schema '%s' "
				     "([export] schemas)", path);
			break;
		}
		snprintf(rel, sizeof(rel), "schemas/%s", schema_files[i]);
		rc = put(p, rel, data, len, 'S', "application/xml", NULL);
		free(data);
		data = NULL;
	}
	return rc;
}

/* Without [describe] dates: the dates the catalogue dates each type
 * by, in its order. */
static void default_dates(settings *cs)
{
	if (cs->dates[0])
		return;
	for (int i = 0; i < fields_catalogue_types(cs->cat); i++) {
		const char *d = fields_catalogue_type(cs->cat, i)->date;
		size_t n = strlen(cs->dates);
		int seen = 0;
		for (int j = 0; j < i; j++)
			seen |= !strcmp(fields_catalogue_type(cs->cat, j)->date, d);
		if (*d && !seen && n + strlen(d) + 2 < sizeof(cs->dates))
			snprintf(cs->dates + n, sizeof(cs->dates) - n, "%s%s",
				 n ? " " : "", d);
	}
}

/* The package's folders (inside the bag's payload with --bag) and its
 * schemas. */
static int make_folders(csip_pkg *p, const export_opts *o)
{
	int rc = 0;

	if (o->bag)
		rc = mkdirs(p->top, p->tmp + strlen(p->top) + 1);
	if (rc == 0)
		rc = mkdirs(p->tmp, "metadata/descriptive");
	if (rc == 0)
		rc = mkdirs(p->tmp, "metadata/preservation");
	if (rc == 0)
		rc = mkdirs(p->tmp, REP);
	if (rc == 0)
		rc = mkdirs(p->tmp, "schemas");
	if (rc == 0)
		rc = copy_schemas(p, o->schemas);
	return rc;
}

/* The file codes first, each record's into codes, and how many
 * documents each has into counts; a record's metadata is read again
 * when it is written (a district's export is too large to hold). */
static int file_codes(store *s, char **ids, size_t n, json_t *counts,
		      json_t *codes)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		json_t *meta = NULL;
		char code[512];
		rc = store_record_get(s, ids[i], &meta, NULL);
		if (rc == 0) {
			file_code(meta, ids[i], code, sizeof(code));
			json_object_set_new(counts, code, json_integer(json_integer_value(
						json_object_get(counts, code)) + 1));
			json_array_append_new(codes, json_string(code));
		}
		json_decref(meta);
	}
	return rc;
}

/* Every record's files and description, numbered within its file
 * code. */
static int put_records(csip_pkg *p, const settings *cs, store *s, char **ids,
		       size_t n, const export_opts *o, json_t *counts,
		       json_t *codes)
{
	json_t *seen = json_object();
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		json_t *meta = NULL;
		const char *code = json_string_value(json_array_get(codes, i));
		int seq = (int)json_integer_value(json_object_get(seen, code)) + 1;
		json_object_set_new(seen, code, json_integer(seq));
		rc = store_record_get(s, ids[i], &meta, NULL);
		if (rc == 0)
			rc = put_record(p, cs, s, ids[i], meta, code, seq,
					(int)json_integer_value(json_object_get(counts, code)));
		json_decref(meta);
		if (o->progress)
			o->progress(o->progress_ctx, i + 1, n);
		if (base_fault("kill-export") == (int)i + 1)
			raise(SIGKILL);
	}
	json_decref(seen);
	return rc;
}

int export_csip(store *s, char **ids, size_t n, const export_opts *o,
		json_t **summary)
{
	csip_pkg p = { 0 };
	settings cs;
	struct stat st;
	double t0 = base_monotonic();
	const char *slash = strrchr(o->out, '/');
	json_t *counts = json_object(), *codes = json_array();
	int rc, made = 0;

	*summary = NULL;
	rc = settings_load(&cs, o->settings);
	cs.cat = o->catalogue;
	default_dates(&cs);
	if (rc == 0 && stat(o->out, &st) == 0)
		rc = base_fail(BASE_EEXIST, "'%s' exists; an export never writes "
			     "into an existing folder", o->out);
	snprintf(p.objid, sizeof(p.objid), "%s", slash ? slash + 1 : o->out);
	snprintf(p.kind, sizeof(p.kind), "%s", o->package ? o->package : "SIP");
	/* --bag: the package is the bag's payload, data/NAME/ */
	snprintf(p.top, sizeof(p.top), "%s.partial-%d", o->out, (int)getpid());
	if (o->bag)
		snprintf(p.tmp, sizeof(p.tmp), "%s/data/%s", p.top, p.objid);
	else
		snprintf(p.tmp, sizeof(p.tmp), "%s", p.top);
	if (rc == 0)
		rc = ex_begin(s, o->out, p.top, "csip");
	if (rc == 0 && mkdir(p.top, 0755) < 0) {
		rc = base_fail(BASE_EIO, "cannot create '%s': %s", p.top, strerror(errno));
		ex_abandon(s, o->out);
	}
	made = rc == 0;
	if (rc == 0)
		rc = make_folders(&p, o);
	if (rc == 0)
		rc = file_codes(s, ids, n, counts, codes);
	if (rc == 0)
		rc = put_records(&p, &cs, s, ids, n, o, counts, codes);
	if (rc == 0)
		rc = csip_premis(&p, s, ids, n);
	if (rc == 0)
		rc = pkg_add(&p, "metadata/preservation/premis.xml", 'P',
			     "application/xml", NULL);
	if (rc == 0)
		rc = csip_mets(&p);
	if (rc == 0 && o->bag)
		rc = export_bag_seal(p.top, o, n);
	if (rc == 0)
		rc = ex_finish(s, o, p.top, ids, n, "package", p.objid);
	if (rc && made && access(o->out, F_OK) != 0) {
		/* a failed export leaves nothing behind */
		export_remove_tree(p.top);
		ex_abandon(s, o->out);
	}
	if (rc == 0) {
		size_t bytes = 0;
		for (size_t i = 0; i < p.n; i++)
			bytes += p.v[i].bytes;
		*summary = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:b, s:f}",
			"package", o->out, "format", "csip", "type", p.kind,
			"records", (json_int_t)n, "files", (json_int_t)p.n + 1,
			"bytes", (json_int_t)bytes, "bag", o->bag,
			"seconds", base_monotonic() - t0);
	}
	settings_free(&cs);
	json_decref(counts);
	json_decref(codes);
	free(p.v);
	return rc;
}
