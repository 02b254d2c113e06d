/* pages.c - what every account may do: search, a record's page, its
 * page images, original and PDF, the search API. Each view of a record
 * and each search is in the access log. */
#include "internal.h"

#include "../export/export.h"
#include "../fields/fields.h"
#include "../records/records.h"
#include "../index/index.h"
#include "../ocr/ocr.h"
#include "../base/base.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT_MAX 100

/* The search as `sohoa search --json` answers it, with the site's
 * catalogue and ranking. */
static int search(const server *sv, const char *query, size_t limit,
		  json_t **out)
{
	return records_search(sv->s, fields_rules_catalogue(sv->o->rules),
			      sv->o->search, query, limit, out);
}

static int year_ok(const char *y)
{
	return !*y || (strlen(y) == 4 && isdigit((unsigned char)y[0]) &&
		       isdigit((unsigned char)y[1]) && isdigit((unsigned char)y[2]) &&
		       isdigit((unsigned char)y[3]));
}

static void search_form(const server *sv, FILE *f, const char *q,
			const char *type, const char *from, const char *to)
{
	fputs("<form class=\"search\" method=\"get\" action=\"/\" role=\"search\">"
	      "<input type=\"search\" name=\"q\" autofocus maxlength=\"500\" "
	      "placeholder=\"Họ tên, số, quyển số... (vd: nguyen van an)\" "
	      "aria-label=\"Từ khóa\" value=\"", f);
	sv_esc(f, q);
	fputs("\"><select name=\"type\" aria-label=\"Loại hồ sơ\">"
	      "<option value=\"\">Mọi loại</option>", f);
	for (int i = 0; i < sv_types(sv); i++) {
		fprintf(f, "<option value=\"%s\"%s>", sv_type(sv, i),
			!strcmp(type, sv_type(sv, i)) ? " selected" : "");
		sv_esc(f, sv_type_label(sv, sv_type(sv, i)));
		fputs("</option>", f);
	}
	fputs("</select><input type=\"number\" name=\"from\" min=\"1900\" "
	      "max=\"2100\" placeholder=\"Từ năm\" aria-label=\"Từ năm\" value=\"", f);
	sv_esc(f, from);
	fputs("\"><input type=\"number\" name=\"to\" min=\"1900\" max=\"2100\" "
	      "placeholder=\"Đến năm\" aria-label=\"Đến năm\" value=\"", f);
	sv_esc(f, to);
	fputs("\"><button type=\"submit\">Tìm</button></form>", f);
}

/* The query the form means: its words, the type, and the years as the
 * type's date in the field catalogue (registrations: the registration
 * date, land certificates: the issue date); with no type, each record's
 * own (INDEX_RECORD_DATE). */
static void form_query(const server *sv, char *out, size_t len, const char *q,
		       const char *type, const char *from, const char *to)
{
	const fields_catalogue *cat = fields_rules_catalogue(sv->o->rules);
	const fields_type_info *t = fields_catalogue_type_named(cat, type);
	const char *date = t && t->date[0] ? t->date : INDEX_RECORD_DATE;
	size_t n = (size_t)snprintf(out, len, "%s", q);

	if (*type && n < len)
		n += (size_t)snprintf(out + n, len - n, " type:%s", type);
	if ((*from || *to) && n < len)
		snprintf(out + n, len - n, " %s:%s..%s", date, from, to);
}

/* The name of a hit (the first of its record's people, in the field
 * catalogue's order), or NULL. */
static const char *hit_name(const server *sv, json_t *h)
{
	const fields_catalogue *cat = fields_rules_catalogue(sv->o->rules);
	json_t *f = json_object_get(h, "fields");

	for (int i = 0; i < fields_catalogue_fields(cat); i++) {
		const fields_field *ff = fields_catalogue_field(cat, i);
		if (!ff->person)
			continue;
		json_t *v = json_object_get(f, ff->key);
		if (json_is_array(v))
			v = json_array_get(v, 0);
		if (json_is_string(v))
			return json_string_value(v);
	}
	return NULL;
}

/* When nothing matched the words as typed (only near spellings, or all
 * but one word), the best hit's name as a query of as many words, when
 * that query finds records: "Có phải bạn muốn tìm". The folded query
 * into out, or "" when there is none to offer. */
static void suggestion(server *sv, const char *q, json_t *res, char *out,
		       size_t len)
{
	json_t *hits = json_object_get(res, "hits"), *again = NULL;
	const char *name = hit_name(sv, json_array_get(hits, 0));
	int only_near = json_array_size(hits) > 0;
	char typed[1024], *f = out;
	size_t i, wq = 0, wn = 0;
	json_t *h;

	out[0] = '\0';
	json_array_foreach(hits, i, h)
		if (!json_is_true(json_object_get(h, "fuzzy")) &&
		    !json_is_true(json_object_get(h, "partial")))
			only_near = 0;
	if (!only_near || strchr(q, ':') || strchr(q, '"'))
		return;
	index_fold(q, NULL, 0, typed, sizeof(typed));
	h = json_array_get(hits, 0);
	if (json_is_true(json_object_get(h, "partial"))) {
		/* all the words but the one the best hit lacks */
		char lack[128], *w, *save = NULL;
		size_t o = 0;
		index_fold(json_string_value(json_array_get(json_object_get(h,
				"lacking"), 0)), NULL, 0, lack, sizeof(lack));
		for (w = strtok_r(typed, " ", &save); w; w = strtok_r(NULL, " ", &save))
			if (strcmp(w, lack) && o + strlen(w) + 2 < len)
				o += (size_t)snprintf(f + o, len - o, "%s%s", o ? " " : "", w);
		return;
	}
	if (!name)
		return;
	index_fold(name, NULL, 0, f, len);
	for (const char *p = typed; *p; p++)
		wq += *p == ' ';
	for (const char *p = f; *p; p++)
		wn += *p == ' ';
	if (wq != wn || !strcmp(typed, f) ||
	    search(sv, f, 1, &again) ||
	    json_integer_value(json_object_get(again, "total")) == 0)
		out[0] = '\0';
	json_decref(again);
}

enum MHD_Result sv_page_search(server *sv, struct MHD_Connection *c, const who *w)
{
	const char *q = sv_arg(c, "q"), *type = sv_arg(c, "type");
	const char *from = sv_arg(c, "from"), *to = sv_arg(c, "to");
	char query[1400];
	json_t *res = NULL, *h;
	size_t i;
	page p;
	int status = 200, rc = 0;

	if (strlen(q) > 1000)
		return sv_message(c, 400, "Từ khóa quá dài", "Hãy gõ ngắn hơn "
			       "1000 ký tự.", w);
	if (*type && !sv_type_known(sv, type))
		return sv_message(c, 400, "Loại hồ sơ không hợp lệ", type, w);
	if (!year_ok(from) || !year_ok(to))
		return sv_message(c, 400, "Năm không hợp lệ", "Năm có 4 chữ số, "
			       "ví dụ 1995.", w);
	form_query(sv, query, sizeof(query), q, type, from, to);
	if ((*q || *type || *from || *to) &&
	    sv_access(sv, w, "search", NULL, query, NULL))
		return sv_unlogged(c, "/", w);
	if (sv_page_open(&p))
		return MHD_NO;
	sv_head(p.f, *q ? q : "Tra cứu", w);
	search_form(sv, p.f, q, type, from, to);
	if (*q || *type || *from || *to) {
		rc = search(sv, query, 20, &res);
		if (rc) {
			status = rc == BASE_EINVAL ? 400 : 500;
			fputs("<p class=\"err\">Không tìm được: <code>", p.f);
			sv_esc(p.f, base_errmsg());
			fputs("</code></p>", p.f);
		}
	} else {
		fputs("<p>Gõ họ tên (có dấu hoặc không dấu), số và quyển số "
		      "(<code>so:38/1999 quyen_so:01</code>), số thửa "
		      "(<code>thua_dat_so:912 to_ban_do_so:38</code>) hoặc "
		      "năm (<code>ngay_sinh:1985</code>).</p>", p.f);
	}
	if (res) {
		char better[1024];
		json_int_t partial = json_integer_value(json_object_get(res, "partial"));
		fprintf(p.f, "<p class=\"meta\">%lld hồ sơ phù hợp%s",
			(long long)json_integer_value(json_object_get(res, "total")),
			json_is_true(json_object_get(res, "fuzzy"))
			? " (gồm cả kết quả gần đúng, đánh dấu ≈)" : "");
		if (partial)
			fprintf(p.f, "; %lld hồ sơ khớp một phần (thiếu một từ), "
				"xếp sau", (long long)partial);
		fputs("</p>", p.f);
		suggestion(sv, q, res, better, sizeof(better));
		if (*better) {
			fputs("<p class=\"suggest\">Có phải bạn muốn tìm: <a href=\"/?q=", p.f);
			sv_url_arg(p.f, better);
			fputs("\">", p.f);
			sv_esc(p.f, better);
			fputs("</a></p>", p.f);
		}
	}
	json_array_foreach(json_object_get(res, "hits"), i, h) {
		const char *id = json_string_value(json_object_get(h, "id"));
		const char *k;
		json_t *v;
		int first = 1;
		fprintf(p.f, "<div class=\"hit\"><a href=\"/record/%s\">"
			"<img src=\"/page/%s/1.png?w=180\" alt=\"Trang 1 của %s\" "
			"loading=\"lazy\"></a><div><h2><a href=\"/record/%s\">",
			id, id, id, id);
		sv_esc(p.f, sv_type_label(sv, json_string_value(json_object_get(h, "type"))));
		fprintf(p.f, " · %s%s</a>%s</h2><div class=\"meta\">", id,
			json_is_true(json_object_get(h, "fuzzy")) ? " ≈" : "",
			json_is_true(json_object_get(h, "reviewed"))
			? " <span class=\"reviewed\">đã kiểm tra</span>" : "");
		if (json_is_true(json_object_get(h, "partial"))) {
			fputs("<span class=\"partial\">khớp một phần, thiếu «", p.f);
			sv_esc(p.f, json_string_value(json_array_get(json_object_get(h, "lacking"), 0)));
			fputs("»</span> · ", p.f);
		}
		json_object_foreach(json_object_get(h, "fields"), k, v) {
			fputs(first ? "" : " · ", p.f);
			sv_esc(p.f, sv_field_label(sv, k));
			fputs(": <b>", p.f);
			sv_esc_value(p.f, v);
			fputs("</b>", p.f);
			first = 0;
		}
		fputs("</div><p class=\"snip\">", p.f);
		sv_esc_marked(p.f, json_string_value(json_object_get(h, "snippet")));
		fputs("</p></div></div>", p.f);
	}
	json_decref(res);
	sv_tail(p.f);
	return sv_send_page(c, status, &p, NULL, NULL);
}

/* A record's fields with their labels and confidence, those a person
 * corrected marked. */
static void record_fields(const server *sv, FILE *f, json_t *meta)
{
	json_t *fields, *v;
	const char *k;

	fputs("</p><h2>Thông tin</h2><table><tr><th>Trường</th><th>Giá trị</th>"
	      "<th>Độ tin cậy</th></tr>", f);
	fields = json_object_get(meta, "fields");
	json_object_foreach(fields, k, v) {
		double conf = json_number_value(json_object_get(v, "confidence"));
		int corrected = !strcmp(json_string_value(json_object_get(v,
						"source")) ?: "", "correction");
		if (*k == '_')
			continue;
		fputs("<tr><td>", f);
		sv_esc(f, sv_field_label(sv, k));
		fputs("</td><td>", f);
		sv_esc_value(f, json_object_get(v, "value"));
		if (corrected)
			fputs(" <span class=\"corr\">đã sửa</span>", f);
		fprintf(f, "</td><td%s>%.0f%%</td></tr>", conf < 0.85 ?
			" class=\"low\"" : "", conf * 100);
	}
	fputs("</table>", f);
}

/* Each page's image and its recognised text. */
static void record_pages(const server *sv, FILE *f, const char *id, json_t *meta)
{
	size_t np;

	np = json_array_size(json_object_get(meta, "pages"));
	for (size_t n = 1; n <= np; n++) {
		char *text = NULL;
		fprintf(f, "<h2>Trang %zu</h2><div class=\"pages\">"
			"<a href=\"/page/%s/%zu.png\" title=\"Xem cỡ lớn\">"
			"<img src=\"/page/%s/%zu.png?w=900\" alt=\"Trang %zu\"></a>"
			"</div>", n, id, n, id, n, n);
		if (store_page_text(sv->s, id, (int)n, &text) == 0) {
			fputs("<details><summary>Chữ nhận dạng (OCR)</summary><pre>",
			      f);
			sv_esc(f, text);
			fputs("</pre></details>", f);
		}
		free(text);
	}
}

/* The record's history: each event, who, the fields it changed. */
static void record_history(const server *sv, FILE *f, json_t *hist)
{
	json_t *ev;
	size_t i;

	fputs("<h2>Lịch sử</h2><table><tr><th>Thời gian</th><th>Sự kiện</th>"
	      "<th>Người</th><th>Chi tiết</th></tr>", f);
	json_array_foreach(hist, i, ev) {
		json_t *ch;
		size_t j;
		fputs("<tr><td>", f);
		sv_esc(f, json_string_value(json_object_get(ev, "time")));
		fputs("</td><td>", f);
		sv_esc(f, json_string_value(json_object_get(ev, "event")));
		fputs("</td><td>", f);
		sv_esc(f, json_string_value(json_object_get(ev, "user")));
		fputs("</td><td>", f);
		json_array_foreach(json_object_get(ev, "changes"), j, ch) {
			sv_esc(f, sv_field_label(sv, json_string_value(json_object_get(ch,
							"field"))));
			fputs(": ", f);
			sv_esc_value(f, json_object_get(ch, "old"));
			fputs(" → ", f);
			sv_esc_value(f, json_object_get(ch, "new"));
			fputs("<br>", f);
		}
		if (json_object_get(ev, "batch")) {
			fputs("lô ", f);
			sv_esc(f, json_string_value(json_object_get(ev, "batch")));
		}
		if (json_object_get(ev, "bag")) {
			fputs("gói ", f);
			sv_esc(f, json_string_value(json_object_get(ev, "bag")));
		}
		fputs("</td></tr>", f);
	}
	fputs("</table>", f);
}

enum MHD_Result sv_page_record(server *sv, struct MHD_Connection *c,
			       const char *id, const who *w)
{
	json_t *meta = NULL, *hist = NULL;
	page p;
	int rc = store_record_get(sv->s, id, &meta, &hist);

	if (rc == BASE_ENOTFOUND)
		return sv_message(c, 404, "Không có hồ sơ", id, w);
	if (rc)
		return sv_message(c, 500, "Lỗi đọc hồ sơ", base_errmsg(), w);
	if (sv_access(sv, w, "view-record", id, NULL, NULL)) {
		json_decref(meta);
		json_decref(hist);
		return sv_unlogged(c, "/record/", w);
	}
	if (sv_page_open(&p)) {
		json_decref(meta);
		json_decref(hist);
		return MHD_NO;
	}
	sv_head(p.f, id, w);
	fprintf(p.f, "<h1>%s · ", id);
	sv_esc(p.f, sv_type_label(sv, json_string_value(json_object_get(meta, "type"))));
	json_t *rv = json_object_get(meta, "reviewed");
	if (rv) {
		fputs(" <span class=\"reviewed\">đã kiểm tra: ", p.f);
		sv_esc(p.f, json_string_value(json_object_get(rv, "user")));
		fputs("</span>", p.f);
	}
	fprintf(p.f, "</h1><p><a href=\"/original/%s\" download>Tải bản gốc "
		"(TIFF)</a> · <a href=\"/pdf/%s\" download>Tải PDF</a>", id, id);
	if (w->role >= STORE_ROLE_REVIEWER)
		fprintf(p.f, " · <a href=\"/review/%s\">Kiểm tra, sửa thông tin</a>", id);
	record_fields(sv, p.f, meta);
	record_pages(sv, p.f, id, meta);
	record_history(sv, p.f, hist);
	sv_tail(p.f);
	json_decref(meta);
	json_decref(hist);
	return sv_send_page(c, 200, &p, NULL, NULL);
}

enum MHD_Result sv_page_image(server *sv, struct MHD_Connection *c,
			      const char *id, int n, const who *w)
{
	json_t *meta = NULL;
	void *g4;
	size_t len, png_len;
	unsigned char *png;
	double scale = 1;
	const char *width_arg = sv_arg(c, "w");
	int rc = store_image_get(sv->s, id, n, &g4, &len);

	if (rc == BASE_ENOTFOUND)
		return sv_message(c, 404, "Không có trang", id, w);
	if (rc)
		return sv_message(c, 500, "Lỗi đọc trang", base_errmsg(), w);
	if (*width_arg && store_record_get(sv->s, id, &meta, NULL) == 0) {
		long want = strtol(width_arg, NULL, 10);
		json_t *pg = json_array_get(json_object_get(meta, "pages"),
					    (size_t)n - 1);
		long width = (long)json_integer_value(json_object_get(pg, "width"));
		if (want >= 40 && want <= 4000 && width > want)
			scale = (double)want / (double)width;
		json_decref(meta);
	}
	if (sv_access(sv, w, "view-page", id, NULL, NULL)) {
		free(g4);
		return sv_unlogged(c, "/page/", w);
	}
	rc = ocr_image_to_png(g4, len, scale, &png, &png_len);
	free(g4);
	if (rc)
		return sv_message(c, 500, "Lỗi ảnh", base_errmsg(), w);
	/* a stored page never changes: the browser may keep it a while
	 * (the station shows it twice, beside the form and in the zoom) */
	return sv_respond(c, 200, "image/png", png, png_len, "Cache-Control",
			  "private, max-age=600");
}

enum MHD_Result sv_page_original(server *sv, struct MHD_Connection *c,
				 const char *id, const who *w)
{
	void *data;
	size_t len;
	char disp[64];
	int rc = store_original_get(sv->s, id, &data, &len);

	if (rc == BASE_ENOTFOUND)
		return sv_message(c, 404, "Không có hồ sơ", id, w);
	if (rc)
		return sv_message(c, 500, "Lỗi đọc bản gốc", base_errmsg(), w);
	if (sv_access(sv, w, "download-original", id, NULL, NULL)) {
		free(data);
		return sv_unlogged(c, "/original/", w);
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s.tif\"", id);
	return sv_respond(c, 200, "image/tiff", data, len, "Content-Disposition",
		       disp);
}

enum MHD_Result sv_api_search(server *sv, struct MHD_Connection *c, const who *w)
{
	const char *q = sv_arg(c, "q"), *l = sv_arg(c, "limit");
	long limit = *l ? strtol(l, NULL, 10) : 10;
	json_t *res;
	int rc;

	if (limit < 1 || limit > LIMIT_MAX)
		limit = 10;
	rc = strlen(q) > 1000 ? base_fail(BASE_EINVAL, "bad query: longer than "
					"1000 bytes")
			      : search(sv, q,
					      (size_t)limit, &res);
	if (rc)
		res = json_pack("{s:s, s:s}", "query", q, "error", base_errmsg());
	else if (sv_access(sv, w, "search", NULL, q, NULL)) {
		json_decref(res);
		return sv_unlogged(c, "/api/search", w);
	}
	return sv_json(c, rc == 0 ? 200 : rc == BASE_EINVAL ? 400 : 500, res);
}

/* /pdf/ID: the record's PDF/A, made on request in memory from the
 * stored cleaned pages and their current words (nothing recognised
 * again, nothing written to disk). */
enum MHD_Result sv_page_pdf(server *sv, struct MHD_Connection *c,
			    const char *id, const who *w)
{
	json_t *meta = NULL;
	char disp[64];
	unsigned char *pdf = NULL;
	size_t len = 0;
	int rc = store_record_get(sv->s, id, &meta, NULL);

	if (rc == BASE_ENOTFOUND)
		return sv_message(c, 404, "Không có hồ sơ", id, w);
	if (rc) {
		json_decref(meta);
		return sv_message(c, 500, "Không có PDF", base_errmsg(), w);
	}
	export_files f = { NULL, &pdf, &len, NULL, NULL, NULL };
	rc = export_render(sv->s, id, meta, fields_rules_catalogue(sv->o->rules), &f);
	json_decref(meta);
	if (rc)
		return sv_message(c, rc == BASE_ENOTFOUND ? 404 : 500, "Không có PDF",
			       base_errmsg(), w);
	if (sv_access(sv, w, "download-pdf", id, NULL, NULL)) {
		free(pdf);
		return sv_unlogged(c, "/pdf/", w);
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s.pdf\"", id);
	return sv_respond(c, 200, "application/pdf", pdf, len,
		       "Content-Disposition", disp);
}

