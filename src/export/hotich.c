/* hotich.c - the civil-status import for the Ministry of Justice's
 * database: one PDF/A a registration and one spreadsheet (.xlsx, with
 * libxlsxwriter) a register book, a row a registration, its columns and
 * file names from hotich.conf, each field followed by its review state so
 * that nothing doubtful is loaded unseen. */
#include "export.h"
#include "internal.h"

#include "../base/base.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

typedef struct layout {
	char pdf[256], book[256], missing[64];
	json_t *types; /* type -> [[field, header]...] in the file's order */
} layout;

static int on_line(void *ctx, const char *sec, const char *key, const char *val)
{
	layout *l = ctx;

	if (!strcmp(sec, "files")) {
		if (!strcmp(key, "pdf"))
			snprintf(l->pdf, sizeof(l->pdf), "%s", val);
		else if (!strcmp(key, "book"))
			snprintf(l->book, sizeof(l->book), "%s", val);
		else if (!strcmp(key, "missing"))
			snprintf(l->missing, sizeof(l->missing), "%s", val);
		else
			return 0;
		return 1;
	}
	json_t *cols = json_object_get(l->types, sec);
	if (!cols) {
		cols = json_array();
		json_object_set_new(l->types, sec, cols);
	}
	return json_array_append_new(cols, json_pack("[s, s]", key, val)) == 0;
}

static int layout_load(layout *l, const char *dir)
{
	char path[4200];
	int rc;

	*l = (layout){ "{type}.{quyen_so}.{so}.pdf", "{type}.{quyen_so}.xlsx",
		       "khong-ro", json_object() };
	snprintf(path, sizeof(path), "%s/hotich.conf", dir ? dir : ".");
	rc = ini_parse(path, on_line, l);
	if (rc == -1)
		return base_fail(BASE_ENOTFOUND, "cannot read '%s': %s (the columns "
			       "of the civil-status import)", path, strerror(errno));
	if (rc)
		return base_fail(BASE_EIO, "%s:%d: unknown key", path, rc);
	if (!json_object_size(l->types))
		return base_fail(BASE_EIO, "%s names no type of registration", path);
	return 0;
}

/* Each field's review state, as the sheet says it. */
static const char *state_of(json_t *meta, json_t *doubt, const char *field)
{
	json_t *f = json_object_get(json_object_get(meta, "fields"), field);
	const char *src = json_string_value(json_object_get(f, "source"));

	/* no value: missing where the form requires it (a doubt), else
	 * the form has no such line (an older edition) */
	if (!f || json_is_null(json_object_get(f, "value")))
		return json_object_get(doubt, field) ? "thiếu" : "không có";
	if (src && !strcmp(src, "correction"))
		return "đã sửa";
	if (json_object_get(meta, "reviewed"))
		return "đã kiểm tra";
	if (json_object_get(doubt, field))
		return "cần kiểm tra";
	return "đọc máy";
}

/* What a file name's names in braces are filled with: type, id and
 * every field, a field of the catalogue or of a column that the record
 * lacks as the missing word. */
static json_t *name_vars(const layout *l, const fields_catalogue *cat,
			 json_t *meta, const char *id)
{
	json_t *vars = json_pack("{s:s, s:s?}", "id", id, "type",
				 json_string_value(json_object_get(meta, "type")));
	json_t *cols = json_object_get(l->types, json_string_value(json_object_get(meta, "type")));
	size_t i;
	json_t *c;
	char v[1024];

	const char *field;
	json_t *f;
	json_object_foreach(json_object_get(meta, "fields"), field, f) {
		export_value_text(json_object_get(f, "value"), v, sizeof(v));
		json_object_set_new(vars, field, json_string(*v ? v : l->missing));
	}
	for (int k = 0; k < fields_catalogue_fields(cat); k++) {
		const char *key = fields_catalogue_field(cat, k)->key;
		if (!json_object_get(vars, key))
			json_object_set_new(vars, key, json_string(l->missing));
	}
	json_array_foreach(cols, i, c)
		if (!json_object_get(vars, json_string_value(json_array_get(c, 0))))
			json_object_set_new(vars, json_string_value(json_array_get(c, 0)),
					    json_string(l->missing));
	return vars;
}

/* One book's sheet: a header row, then a row a registration. */
static int write_book(const char *path, const char *type, json_t *cols,
		      json_t *rows)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *head, *doubt, *text;
	size_t i, k, ncol = json_array_size(cols);
	json_t *c, *r;
	char sheet[32];

	if (!wb)
		return base_fail(BASE_EIO, "cannot write '%s'", path);
	snprintf(sheet, sizeof(sheet), "%.31s", type);
	ws = workbook_add_worksheet(wb, sheet);
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_text_wrap(head);
	format_set_num_format(head, "@");
	text = workbook_add_format(wb);
	format_set_num_format(text, "@");
	doubt = workbook_add_format(wb);
	format_set_num_format(doubt, "@");
	format_set_bg_color(doubt, 0xFFF2A8);
	/* every column is text: numbers keep their zeros, dates their form */
	worksheet_set_column(ws, 0, (lxw_col_t)(2 * ncol + 2), 18, text);
	json_array_foreach(cols, i, c) {
		char h[512];
		worksheet_write_string(ws, 0, (lxw_col_t)(2 * i), json_string_value(
				       json_array_get(c, 1)), head);
		snprintf(h, sizeof(h), "%s (trạng thái)", json_string_value(json_array_get(c, 1)));
		worksheet_write_string(ws, 0, (lxw_col_t)(2 * i + 1), h, head);
	}
	worksheet_write_string(ws, 0, (lxw_col_t)(2 * ncol), "Tệp PDF", head);
	worksheet_write_string(ws, 0, (lxw_col_t)(2 * ncol + 1), "Mã hồ sơ số hóa", head);
	worksheet_write_string(ws, 0, (lxw_col_t)(2 * ncol + 2), "Cần kiểm tra", head);
	worksheet_freeze_panes(ws, 1, 0);
	json_array_foreach(rows, k, r) {
		lxw_row_t row = (lxw_row_t)(k + 1);
		json_t *cells = json_object_get(r, "cells");
		json_array_foreach(cells, i, c) {
			const char *state = json_string_value(json_array_get(c, 1));
			lxw_format *fm = !strcmp(state, "cần kiểm tra") ||
					 !strcmp(state, "thiếu") ? doubt : text;
			worksheet_write_string(ws, row, (lxw_col_t)(2 * i),
					       json_string_value(json_array_get(c, 0)), fm);
			worksheet_write_string(ws, row, (lxw_col_t)(2 * i + 1), state, fm);
		}
		worksheet_write_string(ws, row, (lxw_col_t)(2 * ncol),
				       json_string_value(json_object_get(r, "pdf")), text);
		worksheet_write_string(ws, row, (lxw_col_t)(2 * ncol + 1),
				       json_string_value(json_object_get(r, "id")), text);
		worksheet_write_string(ws, row, (lxw_col_t)(2 * ncol + 2),
				       json_string_value(json_object_get(r, "doubt")), text);
	}
	lxw_error e = workbook_close(wb);
	return e == LXW_NO_ERROR ? 0 : base_fail(BASE_EIO, "cannot write '%s': %s",
					      path, lxw_strerror(e));
}

/* An export in progress: its layout, its folder while it is written,
 * the books' rows gathered, the records done, what it wrote. */
typedef struct hotich {
	store *s;
	const export_opts *o;
	layout l;
	char tmp[4200];
	json_t *books, *done;
	size_t skipped, files, bytes;
} hotich;

/* The fields of a record a person should look at: those its review
 * names (missing where the form requires them, or read with doubt). */
static json_t *doubts_of(const export_opts *o, json_t *meta)
{
	json_t *doubt = json_object(), *problems = NULL, *p;
	size_t k;

	if (!o->rules)
		return doubt;
	fields_review(o->rules, meta, o->review_below, &problems);
	json_array_foreach(problems, k, p)
		if (json_string_value(json_object_get(p, "field")))
			json_object_set_new(doubt, json_string_value(
				json_object_get(p, "field")), json_true());
	json_decref(problems);
	return doubt;
}

/* The registration's PDF, named by the layout (pdf, cap bytes: its
 * name, "" for a record stored with OCR off, which has its row alone);
 * two registrations with one name are told apart by the id. */
static int put_pdf(hotich *h, const char *id, json_t *meta, json_t *vars,
		   char *pdf, size_t cap)
{
	char path[5400];
	struct stat st;

	export_expand(h->l.pdf, vars, NULL, 1, 0, pdf, cap);
	snprintf(path, sizeof(path), "%s/%s", h->tmp, pdf);
	if (access(path, F_OK) == 0) {
		char *dot = strrchr(pdf, '.');
		char two[1024];
		snprintf(two, sizeof(two), "%.*s.%s%s", (int)(dot ? dot - pdf
			 : (long)strlen(pdf)), pdf, id, dot ? dot : "");
		snprintf(pdf, cap, "%s", two);
		snprintf(path, sizeof(path), "%s/%s", h->tmp, pdf);
	}
	export_files f = { path, NULL, NULL, NULL, NULL, NULL };
	int rc = export_render(h->s, id, meta, h->o->catalogue, &f);
	if (rc == BASE_ENOTFOUND) {
		*pdf = 0;
		return 0;
	}
	if (rc == 0) {
		h->files++;
		if (stat(path, &st) == 0)
			h->bytes += (size_t)st.st_size;
	}
	return rc;
}

/* The registration's row in its book: each column's value and state,
 * and the columns a person should look at. */
static void add_row(hotich *h, const char *id, const char *type, json_t *cols,
		    json_t *meta, json_t *doubt, const char *book, const char *pdf)
{
	json_t *cells = json_array(), *c;
	char list[1024] = "";
	size_t k, m = 0;

	json_array_foreach(cols, k, c) {
		const char *field = json_string_value(json_array_get(c, 0));
		char v[2048];
		const char *state = state_of(meta, doubt, field);
		export_value_text(json_object_get(json_object_get(json_object_get(
			meta, "fields"), field), "value"), v, sizeof(v));
		json_array_append_new(cells, json_pack("[s, s]", v, state));
		if ((!strcmp(state, "cần kiểm tra") || !strcmp(state, "thiếu")) &&
		    m < sizeof(list))
			m += (size_t)snprintf(list + m, sizeof(list) - m, "%s%s",
				m ? ", " : "", json_string_value(json_array_get(c, 1)));
	}
	json_t *rows = json_object_get(h->books, book);
	if (!rows) {
		rows = json_array();
		json_object_set_new(h->books, book, json_pack("{s:s, s:o}",
				    "type", type, "rows", rows));
	} else {
		rows = json_object_get(rows, "rows");
	}
	json_array_append_new(rows, json_pack("{s:o, s:s, s:s, s:s}",
		"cells", cells, "pdf", pdf, "id", id, "doubt", list));
	json_array_append_new(h->done, json_string(id));
}

/* One record: its PDF and its row, or skipped when it is no civil-status
 * registration of a type the layout names. */
static int put_record(hotich *h, const char *id)
{
	json_t *meta = NULL;
	int rc = store_record_get(h->s, id, &meta, NULL);
	const char *type = rc ? NULL : json_string_value(json_object_get(meta, "type"));
	json_t *cols = type ? json_object_get(h->l.types, type) : NULL;

	if (rc == 0 && !cols) {
		h->skipped++;
		json_decref(meta);
		return 0;
	}
	if (rc)
		return rc;
	json_t *doubt = doubts_of(h->o, meta);
	json_t *vars = name_vars(&h->l, h->o->catalogue, meta, id);
	char pdf[1024], book[1024];
	export_expand(h->l.book, vars, NULL, 1, 0, book, sizeof(book));
	rc = put_pdf(h, id, meta, vars, pdf, sizeof(pdf));
	if (rc == 0)
		add_row(h, id, type, cols, meta, doubt, book, pdf);
	json_decref(vars);
	json_decref(doubt);
	json_decref(meta);
	return rc;
}

/* Each book's sheet. */
static int write_books(hotich *h)
{
	const char *name;
	json_t *b;
	struct stat st;
	int rc = 0;

	json_object_foreach(h->books, name, b) {
		char path[5400];
		const char *type = json_string_value(json_object_get(b, "type"));
		snprintf(path, sizeof(path), "%s/%s", h->tmp, name);
		rc = write_book(path, type, json_object_get(h->l.types, type),
				json_object_get(b, "rows"));
		if (rc)
			break;
		if (stat(path, &st) == 0) {
			h->files++;
			h->bytes += (size_t)st.st_size;
		}
	}
	return rc;
}

/* The records done marked exported and the folder renamed into place
 * (ex_finish). */
static int finish(hotich *h, const char *name)
{
	size_t k, nd = json_array_size(h->done);
	json_t *id;
	char **list = calloc(nd + 1, sizeof(*list));
	int rc;

	if (!list)
		return base_fail(BASE_ENOMEM, "out of memory");
	json_array_foreach(h->done, k, id)
		list[k] = (char *)json_string_value(id);
	rc = ex_finish(h->s, h->o, h->tmp, list, nd, "hotich", name);
	free(list);
	return rc;
}

int export_hotich(store *s, char **ids, size_t n, const export_opts *o,
		  json_t **summary)
{
	hotich h = { .s = s, .o = o, .books = json_object(), .done = json_array() };
	struct stat st;
	double t0 = base_monotonic();
	const char *slash = strrchr(o->out, '/');
	int rc;

	*summary = NULL;
	if (stat(o->out, &st) == 0) {
		json_decref(h.books);
		json_decref(h.done);
		return base_fail(BASE_EEXIST, "'%s' exists; an export never writes "
			       "into an existing folder", o->out);
	}
	rc = layout_load(&h.l, o->settings);
	snprintf(h.tmp, sizeof(h.tmp), "%s.partial-%d", o->out, (int)getpid());
	if (rc == 0)
		rc = ex_begin(s, o->out, h.tmp, "hotich");
	if (rc == 0 && mkdir(h.tmp, 0755) < 0)
		rc = base_fail(BASE_EIO, "cannot create '%s': %s", h.tmp, strerror(errno));
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = put_record(&h, ids[i]);
		if (o->progress)
			o->progress(o->progress_ctx, i + 1, n);
	}
	if (rc == 0)
		rc = write_books(&h);
	if (rc == 0 && json_array_size(h.done) == 0)
		rc = base_fail(BASE_ENOTFOUND, "none of the %zu records is a civil-status "
			     "registration of a type hotich.conf names", n);
	if (rc == 0)
		rc = finish(&h, slash ? slash + 1 : o->out);
	if (rc && access(o->out, F_OK) != 0) {
		export_remove_tree(h.tmp);
		ex_abandon(s, o->out);
	}
	if (rc == 0)
		*summary = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:f}", "out",
			o->out, "format", "hotich", "records", (json_int_t)json_array_size(h.done),
			"skipped", (json_int_t)h.skipped, "books", (json_int_t)json_object_size(h.books),
			"files", (json_int_t)h.files, "bytes", (json_int_t)h.bytes,
			"seconds", base_monotonic() - t0);
	json_decref(h.books);
	json_decref(h.done);
	json_decref(h.l.types);
	return rc;
}
