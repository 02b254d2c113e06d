/* serve.c - the clerks' site: search, record, page image, original, PDF
 * and the search API over libmicrohttpd, everything from the store or
 * the query HTML-escaped, one request a line in the log. */
#include "serve.h"

#include "../export/export.h"
#include "../index/index.h"
#include "../ocr/ocr.h"
#include "../sh/sh.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <utf8proc.h>
#include <netdb.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define URL_MAX 2048
#define BODY_MAX 512
#define LIMIT_MAX 100

typedef struct server {
	store *s;
	const serve_opts *o;
	int need_token;
} server;

/* What a request carries between libmicrohttpd's calls (POST bodies). */
typedef struct request {
	double t0;
	char body[BODY_MAX + 1];
	size_t len;
	int too_big;
} request;

typedef struct page {
	FILE *f;
	char *buf;
	size_t len;
} page;

static const char *const field_names[][2] = {
	{ "so", "Số" }, { "quyen_so", "Quyển số" }, { "ho_ten", "Họ và tên" },
	{ "gioi_tinh", "Giới tính" }, { "ngay_sinh", "Ngày sinh" },
	{ "noi_sinh", "Nơi sinh" }, { "dan_toc", "Dân tộc" },
	{ "quoc_tich", "Quốc tịch" }, { "que_quan", "Quê quán" },
	{ "ho_ten_me", "Họ tên mẹ" }, { "ho_ten_cha", "Họ tên cha" },
	{ "ho_ten_chong", "Họ tên chồng" }, { "ngay_sinh_chong", "Ngày sinh chồng" },
	{ "ho_ten_vo", "Họ tên vợ" }, { "ngay_sinh_vo", "Ngày sinh vợ" },
	{ "ngay_chet", "Ngày chết" }, { "noi_chet", "Nơi chết" },
	{ "noi_dang_ky", "Nơi đăng ký" }, { "ngay_dang_ky", "Ngày đăng ký" },
	{ "so_phat_hanh", "Số phát hành" }, { "so_vao_so", "Số vào sổ" },
	{ "chu_su_dung", "Chủ sử dụng" }, { "thua_dat_so", "Thửa đất số" },
	{ "to_ban_do_so", "Tờ bản đồ số" }, { "dia_chi", "Địa chỉ" },
	{ "dien_tich", "Diện tích (m²)" },
	{ "muc_dich_su_dung", "Mục đích sử dụng" },
	{ "thoi_han_su_dung", "Thời hạn sử dụng" },
	{ "nguon_goc_su_dung", "Nguồn gốc sử dụng" }, { "ngay_cap", "Ngày cấp" },
};

static const char *const type_names[][2] = {
	{ "khai-sinh", "Khai sinh" }, { "ket-hon", "Kết hôn" },
	{ "khai-tu", "Khai tử" }, { "gcn", "Giấy chứng nhận QSDĐ" },
	{ "unknown", "Chưa rõ loại" },
};

static const char *label(const char *const (*t)[2], size_t n, const char *k)
{
	for (size_t i = 0; k && i < n; i++)
		if (!strcmp(t[i][0], k))
			return t[i][1];
	return k ? k : "";
}

#define FIELD_LABEL(k) label(field_names, sizeof(field_names) / sizeof(*field_names), k)
#define TYPE_LABEL(k) label(type_names, sizeof(type_names) / sizeof(*type_names), k)

char *serve_html_escape(const char *s)
{
	size_t n = 0;
	char *out, *o;

	for (const char *p = s; p && *p; p++)
		n += *p == '&' ? 5 : *p == '<' || *p == '>' ? 4 :
		     *p == '"' || *p == '\'' ? 6 : 1;
	o = out = malloc(n + 1);
	if (!out)
		return NULL;
	for (const char *p = s; p && *p; p++) {
		switch (*p) {
		case '&': memcpy(o, "&amp;", 5); o += 5; break;
		case '<': memcpy(o, "&lt;", 4); o += 4; break;
		case '>': memcpy(o, "&gt;", 4); o += 4; break;
		case '"': memcpy(o, "&quot;", 6); o += 6; break;
		case '\'': memcpy(o, "&#39;", 5); o += 5; break;
		default: *o++ = *p;
		}
	}
	*o = 0;
	return out;
}

/* Writes s escaped. */
static void esc(FILE *f, const char *s)
{
	char *e = serve_html_escape(s ? s : "");

	if (e)
		fputs(e, f);
	free(e);
}

/* Writes a snippet escaped, its « » marks made <mark> elements. */
static void esc_marked(FILE *f, const char *s)
{
	char *e = serve_html_escape(s ? s : "");

	for (const char *p = e; p && *p; p++) {
		if (!strncmp(p, "«", 2)) {
			fputs("<mark>", f);
			p++;
		} else if (!strncmp(p, "»", 2)) {
			fputs("</mark>", f);
			p++;
		} else {
			fputc(*p, f);
		}
	}
	free(e);
}

static void esc_value(FILE *f, json_t *v)
{
	size_t i;
	json_t *e;

	if (json_is_string(v)) {
		esc(f, json_string_value(v));
		return;
	}
	json_array_foreach(v, i, e) {
		if (i)
			fputs("; ", f);
		esc(f, json_string_value(e));
	}
}

static const char css[] =
	"body{font-family:'Noto Sans','DejaVu Sans',sans-serif;margin:0;"
	"color:#1b1b1b;background:#f6f5f1}"
	"header{background:#7a1f1f;color:#fff;padding:.6em 1em}"
	"header a{color:#fff;text-decoration:none;font-weight:bold}"
	"main{max-width:60em;margin:0 auto;padding:1em}"
	"form.search{display:flex;flex-wrap:wrap;gap:.5em;margin-bottom:1em}"
	"form.search input[type=search]{flex:1 1 16em;font-size:1.1em;padding:.4em}"
	"form.search select,form.search input,form.search button{font-size:1em;padding:.4em}"
	".hit{display:flex;gap:1em;background:#fff;border:1px solid #ddd;"
	"border-radius:4px;padding:.6em;margin-bottom:.6em}"
	".hit img{width:90px;height:auto;border:1px solid #ccc;background:#fff}"
	".hit h2{font-size:1.05em;margin:0 0 .3em}"
	".meta{color:#555;font-size:.9em}.snip{margin:.3em 0 0}"
	"mark{background:#ffe36e}"
	"table{border-collapse:collapse;width:100%;background:#fff}"
	"td,th{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}"
	".corr{background:#e3f3e3;font-size:.8em;padding:0 .3em;border-radius:3px}"
	".low{color:#a33}"
	"pre{white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:.6em}"
	".pages img{max-width:100%;border:1px solid #ccc;background:#fff}"
	".err{background:#fde;border:1px solid #c99;padding:.6em}"
	".partial{background:#fff1d6;border-radius:3px;padding:0 .3em}"
	".suggest{font-size:1.05em}"
	"@media (max-width:30em){.hit{flex-direction:column}.hit img{width:60px}}";

static void head(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width,"
	      "initial-scale=1\"><title>", f);
	esc(f, title);
	fprintf(f, " – Tra cứu hồ sơ</title><style>%s</style></head><body>"
		"<header><a href=\"/\">Tra cứu hồ sơ hộ tịch và nhà đất</a>"
		"</header><main>", css);
}

static void tail(FILE *f)
{
	fputs("</main></body></html>\n", f);
}

static int page_open(page *p)
{
	p->buf = NULL;
	p->len = 0;
	p->f = open_memstream(&p->buf, &p->len);
	return p->f ? 0 : SH_ENOMEM;
}

static void log_line(server *sv, struct MHD_Connection *c, const char *method,
		     const char *url, int status, double t0)
{
	char line[600], now[32];

	(void)c;
	if (!sv->o->log)
		return;
	sh_now_iso(now);
	snprintf(line, sizeof(line), "%s %s %.300s %d %.1fms", now, method,
		 url, status, (sh_monotonic() - t0) * 1000);
	sv->o->log(line);
}

/* Queues buf (which the response then owns) with the headers every
 * answer carries: nothing from outside the machine, no sniffing. */
static enum MHD_Result respond(struct MHD_Connection *c, int status,
			       const char *type, void *buf, size_t len,
			       const char *hname, const char *hvalue)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, buf,
						MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	if (!r) {
		free(buf);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy",
		"default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
		"form-action 'self'; frame-ancestors 'none'");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	if (hname)
		MHD_add_response_header(r, hname, hvalue);
	ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_page(struct MHD_Connection *c, int status,
				 page *p, const char *hname, const char *hvalue)
{
	fclose(p->f);
	return respond(c, status, "text/html; charset=utf-8", p->buf, p->len,
		       hname, hvalue);
}

static enum MHD_Result message(struct MHD_Connection *c, int status,
			       const char *title, const char *text)
{
	page p;

	if (page_open(&p))
		return MHD_NO;
	head(p.f, title);
	fprintf(p.f, "<h1>");
	esc(p.f, title);
	fprintf(p.f, "</h1><p class=\"err\">");
	esc(p.f, text);
	fprintf(p.f, "</p><p><a href=\"/\">Về trang tra cứu</a></p>");
	tail(p.f);
	return send_page(c, status, &p, NULL, NULL);
}

/* A record id as the store writes them, and nothing else. */
static int valid_id(const char *s, size_t n)
{
	if (n != 9 || strncmp(s, "HS-", 3))
		return 0;
	for (size_t i = 3; i < 9; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static const char *arg(struct MHD_Connection *c, const char *k)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, k);
	return v ? v : "";
}

static int utf8_ok(const char *s)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;

	for (utf8proc_ssize_t k; u && *u; u += k)
		if ((k = utf8proc_iterate(u, -1, &cp)) <= 0)
			return 0;
	return 1;
}

/* MHD_KeyValueIterator: clears *ok at a key or value that is not UTF-8. */
static enum MHD_Result arg_utf8(void *ok, enum MHD_ValueKind kind,
				const char *key, const char *value)
{
	(void)kind;
	if (!utf8_ok(key) || !utf8_ok(value))
		*(int *)ok = 0;
	return *(int *)ok ? MHD_YES : MHD_NO;
}

/* Whether every query argument is UTF-8: text from a request reaches
 * JSON and HTML, which hold nothing else. */
static int args_are_utf8(struct MHD_Connection *c)
{
	int ok = 1;

	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, arg_utf8, &ok);
	return ok;
}

static int year_ok(const char *y)
{
	return !*y || (strlen(y) == 4 && isdigit((unsigned char)y[0]) &&
		       isdigit((unsigned char)y[1]) && isdigit((unsigned char)y[2]) &&
		       isdigit((unsigned char)y[3]));
}

static void search_form(FILE *f, const char *q, const char *type,
			const char *from, const char *to)
{
	fputs("<form class=\"search\" method=\"get\" action=\"/\" role=\"search\">"
	      "<input type=\"search\" name=\"q\" autofocus maxlength=\"500\" "
	      "placeholder=\"Họ tên, số, quyển số... (vd: nguyen van an)\" "
	      "aria-label=\"Từ khóa\" value=\"", f);
	esc(f, q);
	fputs("\"><select name=\"type\" aria-label=\"Loại hồ sơ\">"
	      "<option value=\"\">Mọi loại</option>", f);
	for (size_t i = 0; i < 4; i++) {
		fprintf(f, "<option value=\"%s\"%s>", type_names[i][0],
			!strcmp(type, type_names[i][0]) ? " selected" : "");
		esc(f, type_names[i][1]);
		fputs("</option>", f);
	}
	fputs("</select><input type=\"number\" name=\"from\" min=\"1900\" "
	      "max=\"2100\" placeholder=\"Từ năm\" aria-label=\"Từ năm\" value=\"", f);
	esc(f, from);
	fputs("\"><input type=\"number\" name=\"to\" min=\"1900\" max=\"2100\" "
	      "placeholder=\"Đến năm\" aria-label=\"Đến năm\" value=\"", f);
	esc(f, to);
	fputs("\"><button type=\"submit\">Tìm</button></form>", f);
}

/* The query the form means: its words, the type, and the years as the
 * registration date (the issue date for land certificates). */
static void form_query(char *out, size_t len, const char *q, const char *type,
		       const char *from, const char *to)
{
	size_t n = (size_t)snprintf(out, len, "%s", q);

	if (*type && n < len)
		n += (size_t)snprintf(out + n, len - n, " type:%s", type);
	if ((*from || *to) && n < len)
		snprintf(out + n, len - n, " %s:%s..%s",
			 !strcmp(type, "gcn") ? "ngay_cap" : "ngay_dang_ky",
			 from, to);
}

/* The name of a hit (its record's person), or NULL. */
static const char *hit_name(json_t *h)
{
	static const char *const keys[] = { "ho_ten", "ho_ten_chong", "chu_su_dung" };
	json_t *f = json_object_get(h, "fields");

	for (size_t i = 0; i < 3; i++) {
		json_t *v = json_object_get(f, keys[i]);
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
	const char *name = hit_name(json_array_get(hits, 0));
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
	    sv->o->search(sv->o->search_ctx, sv->s, f, 1, &again) ||
	    json_integer_value(json_object_get(again, "total")) == 0)
		out[0] = '\0';
	json_decref(again);
}

/* s percent-encoded for a query string. */
static void url_arg(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (isalnum(*p) || strchr("-._~", *p))
			fputc(*p, f);
		else if (*p == ' ')
			fputc('+', f);
		else
			fprintf(f, "%%%02X", *p);
}

static enum MHD_Result page_search(server *sv, struct MHD_Connection *c)
{
	const char *q = arg(c, "q"), *type = arg(c, "type");
	const char *from = arg(c, "from"), *to = arg(c, "to");
	char query[1400];
	json_t *res = NULL, *h;
	size_t i;
	page p;
	int status = 200, rc = 0;

	if (strlen(q) > 1000)
		return message(c, 400, "Từ khóa quá dài", "Hãy gõ ngắn hơn "
			       "1000 ký tự.");
	if (*type && !strcmp(TYPE_LABEL(type), type))
		return message(c, 400, "Loại hồ sơ không hợp lệ", type);
	if (!year_ok(from) || !year_ok(to))
		return message(c, 400, "Năm không hợp lệ", "Năm có 4 chữ số, "
			       "ví dụ 1995.");
	if (page_open(&p))
		return MHD_NO;
	head(p.f, *q ? q : "Tra cứu");
	search_form(p.f, q, type, from, to);
	form_query(query, sizeof(query), q, type, from, to);
	if (*q || *type || *from || *to) {
		rc = sv->o->search(sv->o->search_ctx, sv->s, query, 20, &res);
		if (rc) {
			status = rc == SH_EINVAL ? 400 : 500;
			fputs("<p class=\"err\">Không tìm được: <code>", p.f);
			esc(p.f, sh_errmsg());
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
			url_arg(p.f, better);
			fputs("\">", p.f);
			esc(p.f, better);
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
		esc(p.f, TYPE_LABEL(json_string_value(json_object_get(h, "type"))));
		fprintf(p.f, " · %s%s</a></h2><div class=\"meta\">", id,
			json_is_true(json_object_get(h, "fuzzy")) ? " ≈" : "");
		if (json_is_true(json_object_get(h, "partial"))) {
			fputs("<span class=\"partial\">khớp một phần, thiếu «", p.f);
			esc(p.f, json_string_value(json_array_get(json_object_get(h, "lacking"), 0)));
			fputs("»</span> · ", p.f);
		}
		json_object_foreach(json_object_get(h, "fields"), k, v) {
			fputs(first ? "" : " · ", p.f);
			esc(p.f, FIELD_LABEL(k));
			fputs(": <b>", p.f);
			esc_value(p.f, v);
			fputs("</b>", p.f);
			first = 0;
		}
		fputs("</div><p class=\"snip\">", p.f);
		esc_marked(p.f, json_string_value(json_object_get(h, "snippet")));
		fputs("</p></div></div>", p.f);
	}
	json_decref(res);
	tail(p.f);
	return send_page(c, status, &p, NULL, NULL);
}

static enum MHD_Result page_record(server *sv, struct MHD_Connection *c,
				   const char *id)
{
	json_t *meta = NULL, *hist = NULL, *fields, *v, *ev;
	const char *k;
	size_t i, np;
	page p;
	int rc = store_record_get(sv->s, id, &meta, &hist);

	if (rc == SH_ENOTFOUND)
		return message(c, 404, "Không có hồ sơ", id);
	if (rc)
		return message(c, 500, "Lỗi đọc hồ sơ", sh_errmsg());
	if (page_open(&p)) {
		json_decref(meta);
		json_decref(hist);
		return MHD_NO;
	}
	head(p.f, id);
	fprintf(p.f, "<h1>%s · ", id);
	esc(p.f, TYPE_LABEL(json_string_value(json_object_get(meta, "type"))));
	fprintf(p.f, "</h1><p><a href=\"/original/%s\" download>Tải bản gốc "
		"(TIFF)</a> · <a href=\"/pdf/%s\" download>Tải PDF</a></p>"
		"<h2>Thông tin</h2><table><tr><th>Trường</th><th>Giá trị</th>"
		"<th>Độ tin cậy</th></tr>", id, id);
	fields = json_object_get(meta, "fields");
	json_object_foreach(fields, k, v) {
		double conf = json_number_value(json_object_get(v, "confidence"));
		int corrected = !strcmp(json_string_value(json_object_get(v,
						"source")) ?: "", "correction");
		if (*k == '_')
			continue;
		fputs("<tr><td>", p.f);
		esc(p.f, FIELD_LABEL(k));
		fputs("</td><td>", p.f);
		esc_value(p.f, json_object_get(v, "value"));
		if (corrected)
			fputs(" <span class=\"corr\">đã sửa</span>", p.f);
		fprintf(p.f, "</td><td%s>%.0f%%</td></tr>", conf < 0.85 ?
			" class=\"low\"" : "", conf * 100);
	}
	fputs("</table>", p.f);
	np = json_array_size(json_object_get(meta, "pages"));
	for (size_t n = 1; n <= np; n++) {
		char *text = NULL;
		fprintf(p.f, "<h2>Trang %zu</h2><div class=\"pages\">"
			"<a href=\"/page/%s/%zu.png\" title=\"Xem cỡ lớn\">"
			"<img src=\"/page/%s/%zu.png?w=900\" alt=\"Trang %zu\"></a>"
			"</div>", n, id, n, id, n, n);
		if (store_page_text(sv->s, id, (int)n, &text) == 0) {
			fputs("<details><summary>Chữ nhận dạng (OCR)</summary><pre>",
			      p.f);
			esc(p.f, text);
			fputs("</pre></details>", p.f);
		}
		free(text);
	}
	fputs("<h2>Lịch sử</h2><table><tr><th>Thời gian</th><th>Sự kiện</th>"
	      "<th>Người</th><th>Chi tiết</th></tr>", p.f);
	json_array_foreach(hist, i, ev) {
		json_t *ch;
		size_t j;
		fputs("<tr><td>", p.f);
		esc(p.f, json_string_value(json_object_get(ev, "time")));
		fputs("</td><td>", p.f);
		esc(p.f, json_string_value(json_object_get(ev, "event")));
		fputs("</td><td>", p.f);
		esc(p.f, json_string_value(json_object_get(ev, "user")));
		fputs("</td><td>", p.f);
		json_array_foreach(json_object_get(ev, "changes"), j, ch) {
			esc(p.f, FIELD_LABEL(json_string_value(json_object_get(ch,
							"field"))));
			fputs(": ", p.f);
			esc_value(p.f, json_object_get(ch, "old"));
			fputs(" → ", p.f);
			esc_value(p.f, json_object_get(ch, "new"));
			fputs("<br>", p.f);
		}
		if (json_object_get(ev, "batch")) {
			fputs("lô ", p.f);
			esc(p.f, json_string_value(json_object_get(ev, "batch")));
		}
		if (json_object_get(ev, "bag")) {
			fputs("gói ", p.f);
			esc(p.f, json_string_value(json_object_get(ev, "bag")));
		}
		fputs("</td></tr>", p.f);
	}
	fputs("</table>", p.f);
	tail(p.f);
	json_decref(meta);
	json_decref(hist);
	return send_page(c, 200, &p, NULL, NULL);
}

static enum MHD_Result page_image(server *sv, struct MHD_Connection *c,
				  const char *id, int n)
{
	json_t *meta = NULL;
	void *g4;
	size_t len, png_len;
	unsigned char *png;
	double scale = 1;
	const char *w = arg(c, "w");
	int rc = store_image_get(sv->s, id, n, &g4, &len);

	if (rc == SH_ENOTFOUND)
		return message(c, 404, "Không có trang", id);
	if (rc)
		return message(c, 500, "Lỗi đọc trang", sh_errmsg());
	if (*w && store_record_get(sv->s, id, &meta, NULL) == 0) {
		long want = strtol(w, NULL, 10);
		json_t *pg = json_array_get(json_object_get(meta, "pages"),
					    (size_t)n - 1);
		long width = (long)json_integer_value(json_object_get(pg, "width"));
		if (want >= 40 && want <= 4000 && width > want)
			scale = (double)want / (double)width;
		json_decref(meta);
	}
	rc = ocr_image_to_png(g4, len, scale, &png, &png_len);
	free(g4);
	if (rc)
		return message(c, 500, "Lỗi ảnh", sh_errmsg());
	return respond(c, 200, "image/png", png, png_len, NULL, NULL);
}

static enum MHD_Result page_original(server *sv, struct MHD_Connection *c,
				     const char *id)
{
	void *data;
	size_t len;
	char disp[64];
	int rc = store_original_get(sv->s, id, &data, &len);

	if (rc == SH_ENOTFOUND)
		return message(c, 404, "Không có hồ sơ", id);
	if (rc)
		return message(c, 500, "Lỗi đọc bản gốc", sh_errmsg());
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s.tif\"", id);
	return respond(c, 200, "image/tiff", data, len, "Content-Disposition",
		       disp);
}

static enum MHD_Result api_search(server *sv, struct MHD_Connection *c)
{
	const char *q = arg(c, "q"), *l = arg(c, "limit");
	long limit = *l ? strtol(l, NULL, 10) : 10;
	json_t *res;
	char *text;
	int rc;

	if (limit < 1 || limit > LIMIT_MAX)
		limit = 10;
	rc = strlen(q) > 1000 ? sh_fail(SH_EINVAL, "bad query: longer than "
					"1000 bytes")
			      : sv->o->search(sv->o->search_ctx, sv->s, q,
					      (size_t)limit, &res);
	if (rc)
		res = json_pack("{s:s, s:s}", "query", q, "error", sh_errmsg());
	text = res ? json_dumps(res, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
	json_decref(res);
	if (!text) { /* nothing to say in JSON: never a NULL to strlen */
		text = strdup("{\"error\":\"cannot encode the answer\"}");
		return respond(c, 500, "application/json; charset=utf-8", text,
			       text ? strlen(text) : 0, NULL, NULL);
	}
	return respond(c, rc == 0 ? 200 : rc == SH_EINVAL ? 400 : 500,
		       "application/json; charset=utf-8", text, strlen(text),
		       NULL, NULL);
}

/* The token from "Authorization: Bearer" or the login cookie. */
static int authorised(server *sv, struct MHD_Connection *c)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    "Authorization");
	const char *ck = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
						     "sohoa_token");
	size_t n = strlen(sv->o->token);
	const char *given = h && !strncmp(h, "Bearer ", 7) ? h + 7 : ck;

	if (!sv->need_token)
		return 1;
	/* compared in constant time: no timing tells the token */
	return given && strlen(given) == n &&
	       CRYPTO_memcmp(given, sv->o->token, n) == 0;
}

static enum MHD_Result login_form(struct MHD_Connection *c, int status,
				  const char *note)
{
	page p;

	if (page_open(&p))
		return MHD_NO;
	head(p.f, "Đăng nhập");
	fputs("<h1>Đăng nhập</h1>", p.f);
	if (note) {
		fputs("<p class=\"err\">", p.f);
		esc(p.f, note);
		fputs("</p>", p.f);
	}
	fputs("<form method=\"post\" action=\"/login\"><label>Mã truy cập "
	      "<input type=\"password\" name=\"token\" autofocus></label> "
	      "<button type=\"submit\">Vào</button></form>", p.f);
	tail(p.f);
	return send_page(c, status, &p, NULL, NULL);
}

/* token=... from an urlencoded form body. */
static void form_value(char *body, const char *key, char *out, size_t len)
{
	size_t k = strlen(key);

	out[0] = 0;
	for (char *p = strtok(body, "&"); p; p = strtok(NULL, "&"))
		if (!strncmp(p, key, k) && p[k] == '=') {
			snprintf(out, len, "%s", p + k + 1);
			for (char *s = out; *s; s++)
				if (*s == '+')
					*s = ' ';
			MHD_http_unescape(out);
			return;
		}
}

static enum MHD_Result do_login(server *sv, struct MHD_Connection *c,
				request *r)
{
	char token[256], cookie[400];

	if (r->too_big)
		return login_form(c, 413, "Dữ liệu quá dài.");
	r->body[r->len] = 0;
	form_value(r->body, "token", token, sizeof(token));
	if (!sv->need_token || (strlen(token) == strlen(sv->o->token) &&
	    CRYPTO_memcmp(token, sv->o->token, strlen(token)) == 0)) {
		struct MHD_Response *resp = MHD_create_response_from_buffer(0,
					"", MHD_RESPMEM_PERSISTENT);
		enum MHD_Result ret;
		snprintf(cookie, sizeof(cookie), "sohoa_token=%s; HttpOnly; "
			 "SameSite=Strict; Path=/", token);
		MHD_add_response_header(resp, "Set-Cookie", cookie);
		MHD_add_response_header(resp, "Location", "/");
		ret = MHD_queue_response(c, 303, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	return login_form(c, 401, "Mã truy cập không đúng.");
}

/* /pdf/ID: the record's searchable PDF, made on request by Tesseract's
 * renderer from the stored cleaned pages. */
static enum MHD_Result page_pdf(server *sv, struct MHD_Connection *c,
				const char *id)
{
	json_t *meta = NULL;
	char dir[] = "/tmp/sohoa-pdf.XXXXXX", base[64], path[128], disp[64];
	unsigned char *pdf = NULL;
	size_t len = 0;
	ocr_engine *e = NULL;
	int rc = store_record_get(sv->s, id, &meta, NULL), np;

	if (rc == SH_ENOTFOUND)
		return message(c, 404, "Không có hồ sơ", id);
	if (rc || !sv->o->ocr) {
		json_decref(meta);
		return message(c, rc ? 500 : 404, "Không có PDF", rc ? sh_errmsg()
			       : "OCR đang tắt trên máy chủ này.");
	}
	np = (int)json_array_size(json_object_get(meta, "pages"));
	json_decref(meta);
	if (!mkdtemp(dir))
		return message(c, 500, "Không có PDF", "cannot make a temporary "
			       "folder");
	snprintf(base, sizeof(base), "%s/r", dir);
	rc = ocr_engine_create(&e, sv->o->ocr);
	if (rc == 0)
		rc = export_render(sv->s, e, id, np, base, base);
	ocr_engine_destroy(&e);
	snprintf(path, sizeof(path), "%s.pdf", base);
	if (rc == 0)
		rc = sh_read_file(path, (size_t)1 << 30, &pdf, &len);
	unlink(path);
	snprintf(path, sizeof(path), "%s.xml", base);
	unlink(path);
	rmdir(dir);
	if (rc)
		return message(c, rc == SH_ENOTFOUND ? 404 : 500, "Không có PDF",
			       sh_errmsg());
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s.pdf\"", id);
	return respond(c, 200, "application/pdf", pdf, len,
		       "Content-Disposition", disp);
}

static enum MHD_Result route(server *sv, struct MHD_Connection *c,
			     const char *url, const char *method, request *r)
{
	size_t n = strlen(url);
	int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");

	if (!strcmp(url, "/login"))
		return !strcmp(method, "POST") ? do_login(sv, c, r)
					       : login_form(c, 200, NULL);
	if (!authorised(sv, c)) {
		if (!strncmp(url, "/api/", 5)) {
			char *t = strdup("{\"error\":\"unauthorised: send "
					 "Authorization: Bearer TOKEN\"}");
			return respond(c, 401, "application/json", t, strlen(t),
				       "WWW-Authenticate", "Bearer");
		}
		return login_form(c, 401, "Cần mã truy cập.");
	}
	if (!get)
		return message(c, 405, "Không hỗ trợ", method);
	if (!args_are_utf8(c)) {
		if (!strncmp(url, "/api/", 5)) {
			char *t = strdup("{\"error\":\"a query argument is not valid UTF-8\"}");
			return respond(c, 400, "application/json; charset=utf-8", t,
				       t ? strlen(t) : 0, NULL, NULL);
		}
		return message(c, 400, "Yêu cầu không hợp lệ",
			       "Tham số không phải UTF-8.");
	}
	if (!strcmp(url, "/"))
		return page_search(sv, c);
	if (!strcmp(url, "/api/search"))
		return api_search(sv, c);
	if (!strncmp(url, "/record/", 8) && valid_id(url + 8, n - 8))
		return page_record(sv, c, url + 8);
	if (!strncmp(url, "/original/", 10) && valid_id(url + 10, n - 10))
		return page_original(sv, c, url + 10);
	if (!strncmp(url, "/pdf/", 5) && valid_id(url + 5, n - 5))
		return page_pdf(sv, c, url + 5);
	if (!strncmp(url, "/page/", 6) && n > 19 && valid_id(url + 6, 9) &&
	    url[15] == '/' && !strcmp(url + n - 4, ".png")) {
		char num[8] = "";
		size_t k = n - 4 - 16;
		int page = 0;
		if (k >= 1 && k <= 3) {
			memcpy(num, url + 16, k);
			page = atoi(num);
			for (size_t i = 0; i < k; i++)
				if (!isdigit((unsigned char)num[i]))
					page = 0;
		}
		if (page >= 1) {
			char id[10];
			memcpy(id, url + 6, 9);
			id[9] = 0;
			return page_image(sv, c, id, page);
		}
	}
	return message(c, 404, "Không có trang này", url);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	server *sv = cls;
	request *r = *con_cls;
	enum MHD_Result ret;

	(void)version;
	if (!r) {
		/* first call: headers only */
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		r->t0 = sh_monotonic();
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_size) {
		if (r->len + *upload_size > BODY_MAX)
			r->too_big = 1;
		else {
			memcpy(r->body + r->len, upload, *upload_size);
			r->len += *upload_size;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (strlen(url) > URL_MAX) {
		ret = message(c, 414, "Địa chỉ quá dài", "");
		log_line(sv, c, method, "(too long)", 414, r->t0);
		return ret;
	}
	ret = route(sv, c, url, method, r);
	/* the status was queued with the response; recompute it for the log
	 * from what route answered is not exposed, so ask the connection */
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
					MHD_CONNECTION_INFO_HTTP_STATUS);
	log_line(sv, c, method, url, ci ? (int)ci->http_status : 0, r->t0);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

/* ADDR:PORT (or [ADDR]:PORT) into a socket address; sets *loopback. */
static int parse_listen(const char *l, struct sockaddr_storage *sa,
			int *loopback)
{
	char host[256];
	const char *colon = strrchr(l, ':');
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST |
					      AI_NUMERICSERV }, *ai;
	size_t hl;

	if (!colon || colon == l)
		return sh_fail(SH_EINVAL, "--listen wants ADDR:PORT, not '%s'", l);
	hl = (size_t)(colon - l);
	if (*l == '[' && hl >= 2 && l[hl - 1] == ']') {
		l++;
		hl -= 2;
	}
	snprintf(host, sizeof(host), "%.*s", (int)hl, l);
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
		return sh_fail(SH_EINVAL, "--listen: '%s' is not an address and "
			       "port", l);
	memcpy(sa, ai->ai_addr, ai->ai_addrlen);
	*loopback = ai->ai_family == AF_INET
		? (ntohl(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr)
		   >> 24) == 127
		: IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)
					 ai->ai_addr)->sin6_addr);
	freeaddrinfo(ai);
	return 0;
}

int serve_run(store *s, const serve_opts *o)
{
	struct sockaddr_storage sa;
	server sv = { s, o, 0 };
	struct MHD_Daemon *d;
	int loopback = 0, rc = parse_listen(o->listen, &sa, &loopback);

	if (rc)
		return rc;
	sv.need_token = !loopback;
	if (sv.need_token && (!o->token || strlen(o->token) < 8))
		return sh_fail(SH_EINVAL, "listening on %s, beyond this machine, "
			       "needs an access token of 8 characters or more "
			       "([serve] token in the config)", o->listen);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
			     (sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
			     0, NULL, NULL, handler, &sv,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_THREAD_POOL_SIZE,
			     (unsigned)(o->threads > 0 ? o->threads : 4),
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
			     MHD_OPTION_CONNECTION_LIMIT, 256u,
			     MHD_OPTION_CONNECTION_TIMEOUT, 30u,
			     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
			     MHD_OPTION_END);
	if (!d)
		return sh_fail(SH_EIO, "cannot listen on %s (in use, or not an "
			       "address of this machine)", o->listen);
	while (!*o->stop)
		usleep(100000);
	MHD_stop_daemon(d);
	return 0;
}
