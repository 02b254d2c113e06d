/* html.c - the site's pages' common parts: the Vietnamese labels of
 * fields and types (the field catalogue's), escaping (everything from
 * the store or a request is escaped), the page head with who is logged
 * in, and the responses with the headers every answer carries. */
#include "internal.h"

#include "../fields/fields.h"
#include "../base/base.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

/* The field catalogue the rules were loaded with. */
static const fields_catalogue *catalogue(const server *sv)
{
	return fields_rules_catalogue(sv->o->rules);
}

const char *sv_field_label(const server *sv, const char *k)
{
	return fields_label(catalogue(sv), k);
}

const char *sv_type_label(const server *sv, const char *k)
{
	return fields_type_label(catalogue(sv), k);
}

int sv_types(const server *sv)
{
	return fields_catalogue_types(catalogue(sv));
}

const char *sv_type(const server *sv, int i)
{
	const fields_type_info *t = fields_catalogue_type(catalogue(sv), i);

	return t ? t->name : NULL;
}

int sv_type_known(const server *sv, const char *k)
{
	return fields_catalogue_type_named(catalogue(sv), k) != NULL;
}

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
void sv_esc(FILE *f, const char *s)
{
	char *e = serve_html_escape(s ? s : "");

	if (e)
		fputs(e, f);
	free(e);
}

/* Writes a snippet escaped, its « » marks made <mark> elements. */
void sv_esc_marked(FILE *f, const char *s)
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

void sv_esc_value(FILE *f, json_t *v)
{
	const char *k;
	size_t i;
	json_t *e;
	int first = 1;

	if (json_is_string(v)) {
		sv_esc(f, json_string_value(v));
		return;
	}
	/* a list's entry with its details (an owner: name, year of birth,
	 * papers), its values in order */
	json_object_foreach(v, k, e) {
		if (!json_is_string(e))
			continue;
		fputs(first ? "" : ", ", f);
		sv_esc(f, json_string_value(e));
		first = 0;
	}
	json_array_foreach(v, i, e) {
		if (i)
			fputs("; ", f);
		sv_esc_value(f, e);
	}
}

void sv_note(FILE *f, const char *note, int error)
{
	if (!note)
		return;
	fputs(error ? "<p class=\"err\" role=\"alert\">"
		    : "<p class=\"ok\" role=\"status\">", f);
	sv_esc(f, note);
	fputs("</p>", f);
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
	"header nav{float:right;font-size:.9em}header nav a,header nav button"
	"{font-weight:normal;margin-left:1em;color:#fff;background:none;border:0;"
	"font-size:1em;cursor:pointer;padding:0}header form{display:inline}"
	".reviewed{background:#dcefdc;border-radius:3px;padding:0 .3em}"
	/* the station: the page beside the form */
	"main.wide{max-width:none}"
	".station{display:flex;gap:1em;align-items:flex-start}"
	".station .img{flex:1 1 55%;position:sticky;top:0;max-height:100vh;overflow:auto}"
	".station form{flex:1 1 45%;background:#fff;border:1px solid #ddd;padding:.8em}"
	".sheet{position:relative;margin-bottom:.6em}.sheet img{width:100%;display:block;border:1px solid #ccc}"
	".box{position:absolute;border:2px solid #2a6fdb;background:rgba(42,111,219,.08)}"
	".box.doubt{border-color:#d12}"
	".row{margin-bottom:.7em}.row label{display:block;font-weight:bold;font-size:.9em}"
	".row input{width:100%;box-sizing:border-box;font-size:1.05em;padding:.35em}"
	".row.doubt input{border:2px solid #d12;background:#fff6f6}"
	".row.missing input{border:2px dashed #d12}"
	".why{color:#a33;font-size:.85em}.hint{color:#555;font-size:.85em}"
	".zoom{display:none;height:7em;border:1px solid #2a6fdb;margin-top:.3em;"
	"background-repeat:no-repeat;background-color:#fff}"
	".row:focus-within .zoom{display:block}"
	".actions button,button.start{font-size:1em;padding:.5em 1em;margin:0 .5em .8em 0}"
	".counts{font-size:.9em;color:#333}.counts a{margin-right:.6em}"
	".ok{background:#e3f3e3;border:1px solid #9c9;padding:.6em}"
	"@media (max-width:30em){.hit{flex-direction:column}.hit img{width:60px}"
	".station{flex-direction:column}}";

void sv_head(FILE *f, const char *title, const who *w)
{
	fputs("<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width,"
	      "initial-scale=1\"><title>", f);
	sv_esc(f, title);
	fprintf(f, " – Tra cứu hồ sơ</title><style>%s</style>"
		"<script src=\"/static/station.js\" defer></script></head><body>"
		"<header><a href=\"/\">Tra cứu hồ sơ hộ tịch và nhà đất</a>", css);
	if (w && w->role) {
		fputs("<nav>", f);
		if (w->role >= STORE_ROLE_REVIEWER)
			fputs("<a href=\"/queue\">Hàng đợi kiểm tra</a>", f);
		if (w->role >= STORE_ROLE_ADMIN)
			fputs("<a href=\"/admin\">Quản trị</a>", f);
		if (w->session) {
			fputs("<span style=\"margin-left:1em\">", f);
			sv_esc(f, w->user);
			fputs("</span><form method=\"post\" action=\"/logout\">", f);
			sv_csrf_input(f, w);
			fputs("<button type=\"submit\">Đăng xuất</button></form>", f);
		}
		fputs("</nav>", f);
	}
	fputs("</header><main>", f);
}

void sv_csrf_input(FILE *f, const who *w)
{
	if (w && w->session)
		fprintf(f, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
			w->sess.csrf);
}

/* s percent-encoded for a query string. */
void sv_url_arg(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		if (isalnum(*p) || strchr("-._~", *p))
			fputc(*p, f);
		else if (*p == ' ')
			fputc('+', f);
		else
			fprintf(f, "%%%02X", *p);
}

enum MHD_Result sv_json(struct MHD_Connection *c, int status, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;

	json_decref(j);
	if (!text) { /* nothing to say in JSON: never a NULL to strlen */
		text = strdup("{\"error\":\"cannot encode the answer\"}");
		status = 500;
	}
	return sv_respond(c, status, "application/json; charset=utf-8", text,
			  text ? strlen(text) : 0, NULL, NULL);
}

enum MHD_Result sv_redirect(struct MHD_Connection *c, const char *to,
			    const char *cookie)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, "",
							MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	if (cookie)
		MHD_add_response_header(r, "Set-Cookie", cookie);
	MHD_add_response_header(r, "Location", to);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, 303, r);
	MHD_destroy_response(r);
	return ret;
}

const char *sv_form(const request *r, const char *k)
{
	const char *v = json_string_value(json_object_get(r->form, k));

	return v ? v : "";
}

void sv_tail(FILE *f)
{
	fputs("</main></body></html>\n", f);
}

int sv_page_open(page *p)
{
	p->buf = NULL;
	p->len = 0;
	p->f = open_memstream(&p->buf, &p->len);
	return p->f ? 0 : BASE_ENOMEM;
}

enum MHD_Result sv_respond(struct MHD_Connection *c, int status,
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
		"script-src 'self'; form-action 'self'; frame-ancestors 'none'");
	/* nothing kept by the browser unless the page says so (a page
	 * image, which does not change) */
	if (!hname || strcasecmp(hname, "Cache-Control"))
		MHD_add_response_header(r, "Cache-Control", "no-store");
	if (hname)
		MHD_add_response_header(r, hname, hvalue);
	ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result sv_send_page(struct MHD_Connection *c, int status,
				 page *p, const char *hname, const char *hvalue)
{
	fclose(p->f);
	return sv_respond(c, status, "text/html; charset=utf-8", p->buf, p->len,
		       hname, hvalue);
}

enum MHD_Result sv_message(struct MHD_Connection *c, int status,
			   const char *title, const char *text, const who *w)
{
	page p;

	if (sv_page_open(&p))
		return MHD_NO;
	sv_head(p.f, title, w);
	fprintf(p.f, "<h1>");
	sv_esc(p.f, title);
	fprintf(p.f, "</h1><p class=\"err\">");
	sv_esc(p.f, text);
	fprintf(p.f, "</p><p><a href=\"/\">Về trang tra cứu</a></p>");
	sv_tail(p.f);
	return sv_send_page(c, status, &p, NULL, NULL);
}

/* A record id as the store writes them, and nothing else. */
int sv_valid_id(const char *s, size_t n)
{
	if (n != 9 || strncmp(s, "HS-", 3))
		return 0;
	for (size_t i = 3; i < 9; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

const char *sv_arg(struct MHD_Connection *c, const char *k)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, k);
	return v ? v : "";
}

int sv_utf8_ok(const char *s)
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
	if (!sv_utf8_ok(key) || !sv_utf8_ok(value))
		*(int *)ok = 0;
	return *(int *)ok ? MHD_YES : MHD_NO;
}

/* Whether every query argument is UTF-8: text from a request reaches
 * JSON and HTML, which hold nothing else. */
int sv_args_utf8(struct MHD_Connection *c)
{
	int ok = 1;

	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, arg_utf8, &ok);
	return ok;
}

