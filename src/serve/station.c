/* station.c - the review station of the data-entry room: the queue of
 * records that need a person (worst first, filtered, with counts), and a
 * record's page image beside a plain form of its fields, doubted and
 * missing ones first, the words each was read from outlined. Enter saves
 * and opens the next record; Ctrl+Enter (or the accept button's access
 * key) accepts the record as it stands. Values are checked as `correct`
 * checks them; a save made against a version someone else has changed
 * since is refused, naming who and when. Works without JavaScript. */
#include "internal.h"

#include "../fields/fields.h"
#include "../base/base.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define QUEUE_PAGE 50
#define MAX_NAMES 40

const char sv_station_js[] =
	"/* station.js - comfort only: the site works without it */\n"
	"document.addEventListener('keydown', function (e) {\n"
	"  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {\n"
	"    var b = document.getElementById('accept');\n"
	"    if (b) { e.preventDefault(); b.click(); }\n"
	"  }\n"
	"});\n";

static void filter_of(struct MHD_Connection *c, store_queue_filter *f)
{
	f->type = sv_arg(c, "type");
	f->batch = sv_arg(c, "batch");
	f->problem = sv_arg(c, "problem");
	f->since = sv_arg(c, "pass");
}

/* "type=..&batch=..&problem=..&pass=.." of the filter, for links (pass:
 * when the person began going through the queue). */
static void filter_qs(FILE *out, const store_queue_filter *f)
{
	const char *k[] = { "type", "batch", "problem", "pass" };
	const char *v[] = { f->type, f->batch, f->problem, f->since };
	int first = 1;

	for (int i = 0; i < 4; i++) {
		if (!v[i] || !*v[i])
			continue;
		fprintf(out, "%s%s=", first ? "" : "&amp;", k[i]);
		sv_url_arg(out, v[i]);
		first = 0;
	}
}

static void filter_hidden(FILE *out, const store_queue_filter *f)
{
	const char *k[] = { "type", "batch", "problem", "pass" };
	const char *v[] = { f->type, f->batch, f->problem, f->since };

	for (int i = 0; i < 4; i++) {
		if (!v[i] || !*v[i])
			continue;
		fprintf(out, "<input type=\"hidden\" name=\"%s\" value=\"", k[i]);
		sv_esc(out, v[i]);
		fputs("\">", out);
	}
}

static const char *problem_label(const char *p)
{
	if (!p)
		return "";
	if (!strcmp(p, "missing"))
		return "thiếu";
	if (!strcmp(p, "low confidence"))
		return "độ tin cậy thấp";
	if (!strcmp(p, "readings disagree"))
		return "hai cách đọc khác nhau";
	if (!strcmp(p, "unknown type"))
		return "chưa rõ loại";
	if (!strcmp(p, "unreadable page"))
		return "trang đọc không được";
	return p;
}

static void count_links(const server *sv, FILE *out, json_t *counts,
			const char *what, const char *title,
			const store_queue_filter *f)
{
	const char *k;
	json_t *v;

	fprintf(out, "<p class=\"counts\"><b>%s:</b> ", title);
	json_object_foreach(json_object_get(counts, what), k, v) {
		store_queue_filter g = *f;
		if (!strcmp(what, "type"))
			g.type = k;
		else if (!strcmp(what, "batch"))
			g.batch = k;
		else
			g.problem = k;
		fputs("<a href=\"/queue?", out);
		filter_qs(out, &g);
		fputs("\">", out);
		sv_esc(out, !strcmp(what, "type") ? sv_type_label(sv, k) :
		       !strcmp(what, "problem") ? problem_label(k) : k);
		fprintf(out, "</a>(%lld) ", (long long)json_integer_value(v));
	}
	fputs("</p>", out);
}

enum MHD_Result sv_page_queue(server *sv, struct MHD_Connection *c, const who *w)
{
	store_queue_filter f;
	/* a place in the queue: bounded, so the next page's is too */
	long from = sv_arg_count(c, "from", 100000000);
	json_t *q = NULL, *r;
	char first[STORE_ID_MAX];
	size_t i;
	page p;
	int rc;

	filter_of(c, &f);
	rc = store_queue_list(sv->s, &f, (size_t)from, QUEUE_PAGE, &q);
	if (rc)
		return sv_message(c, 500, "Không đọc được hàng đợi", base_errmsg(), w);
	if (sv_page_open(&p)) {
		json_decref(q);
		return MHD_NO;
	}
	sv_head(p.f, "Hàng đợi kiểm tra", w);
	fputs("<h1>Hàng đợi kiểm tra</h1>", p.f);
	if (*sv_arg(c, "done"))
		fputs("<p class=\"ok\">Đã xem hết các hồ sơ trong hàng đợi này.</p>", p.f);
	fprintf(p.f, "<p><b>%lld</b> hồ sơ cần người kiểm tra", (long long)
		json_integer_value(json_object_get(q, "total")));
	if (*f.type || *f.batch || *f.problem) {
		fputs(" (đang lọc: ", p.f);
		if (*f.type)
			sv_esc(p.f, sv_type_label(sv, f.type)), fputs(" ", p.f);
		if (*f.batch)
			fputs("lô ", p.f), sv_esc(p.f, f.batch), fputs(" ", p.f);
		if (*f.problem)
			sv_esc(p.f, problem_label(f.problem));
		fputs(") · <a href=\"/queue\">bỏ lọc</a>", p.f);
	}
	fputs("</p>", p.f);
	count_links(sv, p.f, json_object_get(q, "counts"), "type", "Loại", &f);
	count_links(sv, p.f, json_object_get(q, "counts"), "problem", "Vấn đề", &f);
	count_links(sv, p.f, json_object_get(q, "counts"), "batch", "Lô", &f);
	if (store_queue_next(sv->s, &f, "", NULL, 0, first) == 0) {
		/* a pass through the queue begins now: what is saved from
		 * here on is not offered again in it */
		char now[32];
		store_queue_filter g = f;
		base_now_iso(now);
		g.since = now;
		fprintf(p.f, "<form method=\"get\" action=\"/review/%s\">", first);
		filter_hidden(p.f, &g);
		fputs("<button type=\"submit\" autofocus class=\"start\">Bắt đầu "
		      "(Enter)</button></form>", p.f);
	}
	fputs("<table><tr><th>Hồ sơ</th><th>Loại</th><th>Lô</th><th>Cần xem</th>"
	      "<th>Mức</th></tr>", p.f);
	json_array_foreach(json_object_get(q, "records"), i, r) {
		const char *id = json_string_value(json_object_get(r, "id"));
		json_t *pr;
		size_t j;
		fprintf(p.f, "<tr><td><a href=\"/review/%s?", id);
		filter_qs(p.f, &f);
		fprintf(p.f, "\">%s</a></td><td>", id);
		sv_esc(p.f, sv_type_label(sv, json_string_value(json_object_get(r, "type"))));
		fputs("</td><td>", p.f);
		sv_esc(p.f, json_string_value(json_object_get(r, "batch")));
		fputs("</td><td>", p.f);
		json_array_foreach(json_object_get(r, "problems"), j, pr) {
			fputs(j ? "; " : "", p.f);
			sv_esc(p.f, sv_field_label(sv, json_string_value(json_object_get(pr, "field"))));
			fputs(": ", p.f);
			sv_esc(p.f, problem_label(json_string_value(json_object_get(pr, "problem"))));
		}
		fprintf(p.f, "</td><td>%.1f</td></tr>",
			json_number_value(json_object_get(r, "score")));
	}
	fputs("</table>", p.f);
	if ((json_int_t)from + QUEUE_PAGE < json_integer_value(json_object_get(q, "total"))) {
		fprintf(p.f, "<p><a href=\"/queue?from=%ld&amp;", from + QUEUE_PAGE);
		filter_qs(p.f, &f);
		fputs("\">Trang sau</a></p>", p.f);
	}
	json_decref(q);
	sv_tail(p.f);
	return sv_send_page(c, 200, &p, NULL, NULL);
}

enum MHD_Result sv_api_queue(server *sv, struct MHD_Connection *c, const who *w)
{
	store_queue_filter f;
	long from = sv_arg_count(c, "from", 100000000), limit = sv_arg_count(c, "limit", 1000);
	json_t *q = NULL;
	int rc;

	(void)w;
	filter_of(c, &f);
	if (limit < 1 || limit > 1000)
		limit = QUEUE_PAGE;
	rc = store_queue_list(sv->s, &f, (size_t)from, (size_t)limit, &q);
	if (rc)
		return sv_json(c, 500, json_pack("{s:s}", "error", base_errmsg()));
	return sv_json(c, 200, q);
}

/* A field's value as the form shows it (and as a save compares it):
 * dates as dd/mm/yyyy, lists joined by "; ". */
static void shown(json_t *v, char *out, size_t len)
{
	const char *s = json_string_value(v);
	size_t i, o = 0;
	json_t *e;

	out[0] = 0;
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if (json_is_string(e) && o < len)
				o += (size_t)snprintf(out + o, len - o, "%s%s", i ? "; " : "",
						      json_string_value(e));
		return;
	}
	if (!s)
		return;
	if (strlen(s) == 10 && s[4] == '-' && s[7] == '-')
		snprintf(out, len, "%.2s/%.2s/%.4s", s + 8, s + 5, s);
	else
		snprintf(out, len, "%s", s);
}

static void trim(const char *in, char *out, size_t len)
{
	while (*in == ' ' || *in == '\t')
		in++;
	snprintf(out, len, "%s", in);
	for (size_t n = strlen(out); n && (out[n - 1] == ' ' || out[n - 1] == '\t'); n--)
		out[n - 1] = 0;
}

/* The time of an ISO stamp as a person reads it: "09:12 ngày 01/12/2026"
 * (the server's local time). */
static void when(const char *iso, char *out, size_t len)
{
	struct tm tm = { 0 }, lt;

	if (!iso || !strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(out, len, "%s", iso ? iso : "?");
		return;
	}
	time_t t = timegm(&tm);
	localtime_r(&t, &lt);
	strftime(out, len, "%H:%M ngày %d/%m/%Y", &lt);
}

int serve_version_check(json_t *meta, long version, char *msg, size_t len)
{
	json_int_t now = json_integer_value(json_object_get(meta, "version"));
	json_t *up = json_object_get(meta, "updated");
	char t[64];

	if ((now > 0 ? now : 1) == version)
		return 0;
	when(json_string_value(json_object_get(up, "time")), t, sizeof(t));
	snprintf(msg, len, "Hồ sơ đã được %s sửa lúc %s, tải lại rồi sửa tiếp.",
		 json_string_value(json_object_get(up, "user")) ?: "người khác", t);
	return BASE_ECONFLICT;
}

/* What a save carries into the update. */
typedef struct save {
	const fields_rules *rules;
	double review_below;
	const request *r;
	const who *w;
	long version;
	int accept, changed;
	json_t *errors;   /* field -> why it was refused */
	json_t *typed;    /* field -> what the person typed (a conflict) */
	char conflict[256];
} save;

static int field_change(save *sv, json_t *meta, json_t *changes,
			const char *name, const char *given)
{
	json_t *fields = json_object_get(meta, "fields"), *value = NULL;
	const char *type = json_string_value(json_object_get(meta, "type"));
	char now[4096], want[4096];

	if (!strcmp(name, "type"))
		snprintf(now, sizeof(now), "%s", type ? type : "");
	else
		shown(json_object_get(json_object_get(fields, name), "value"), now,
		      sizeof(now));
	trim(given, want, sizeof(want));
	if (!strcmp(now, want))
		return 0;
	json_object_set_new(sv->typed, name, json_string(want));
	if (!*want) {
		json_object_set_new(sv->errors, name, json_string(
			"không để trống một ô đã có giá trị; sửa thành giá trị đúng"));
		return 0;
	}
	if (fields_validate(sv->rules, type, name, want, &value)) {
		json_object_set_new(sv->errors, name, json_string(base_errmsg()));
		return 0;
	}
	fields_apply(meta, name, value, changes);
	json_decref(value);
	sv->changed++;
	return 0;
}

/* store_record_update's fn: the version check, then each field the
 * person changed, checked; nothing is written when any is refused. */
static int apply_save(json_t *meta, json_t *event, void *ctx)
{
	save *sv = ctx;
	json_t *changes = json_array();
	const char *names[MAX_NAMES], *kinds[MAX_NAMES];
	int n;

	if (serve_version_check(meta, sv->version, sv->conflict, sizeof(sv->conflict))) {
		json_decref(changes);
		return base_fail(BASE_ECONFLICT, "%s", sv->conflict);
	}
	/* the type first: the other fields are checked as its */
	if (json_object_get(sv->r->form, "type"))
		field_change(sv, meta, changes, "type", sv_form(sv->r, "type"));
	n = fields_names(sv->rules, json_string_value(json_object_get(meta, "type")),
			 names, kinds, MAX_NAMES);
	for (int i = 0; i < n; i++)
		if (json_object_get(sv->r->form, names[i]) && strcmp(kinds[i], "details"))
			field_change(sv, meta, changes, names[i], sv_form(sv->r, names[i]));
	if (json_object_size(sv->errors)) {
		json_decref(changes);
		return base_fail(BASE_EINVAL, "some values were refused");
	}
	if (!sv->changed && !sv->accept) {
		json_decref(changes);
		return BASE_EEXIST; /* nothing to write */
	}
	json_object_set_new(event, "event", json_string(sv->accept ? "reviewed" : "corrected"));
	json_object_set_new(event, "user", json_string(sv->w->user));
	json_object_set_new(event, "changes", changes);
	json_object_set_new(event, "via", json_string("station"));
	char now[32];
	base_now_iso(now);
	if (sv->accept)
		json_object_set_new(meta, "reviewed", json_pack("{s:s, s:s}", "user",
				    sv->w->user, "time", now));
	/* its place in the review queue, as saved */
	json_object_set_new(event, "review", fields_review_json(sv->rules, meta,
								 sv->review_below));
	/* the access log's entries, in the change's own transaction: a
	 * correction is never without its entry (store_record_update) */
	json_t *log = json_array();
	const char *id = json_string_value(json_object_get(meta, "id"));
	if (sv->changed) {
		char detail[512] = "";
		size_t o = 0;
		const char *k;
		json_t *v;
		json_object_foreach(sv->typed, k, v)
			if (o < sizeof(detail))
				o += (size_t)snprintf(detail + o, sizeof(detail) - o,
						      "%s%s", o ? "," : "", k);
		json_array_append_new(log, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s}",
			"user", sv->w->user, "action", "correct", "address", sv->w->addr,
			"time", now, "record", id, "detail", detail));
	}
	if (sv->accept)
		json_array_append_new(log, json_pack("{s:s, s:s, s:s, s:s, s:s?}",
			"user", sv->w->user, "action", "accept", "address", sv->w->addr,
			"time", now, "record", id));
	json_object_set_new(event, "access", log);
	return 0;
}

/* The left side: each page with the words of each field outlined. */
static void sheets(const server *sv, FILE *f, const char *id, json_t *meta,
		   json_t *doubted)
{
	json_t *pages = json_object_get(meta, "pages"), *fields = json_object_get(meta, "fields");
	size_t np = json_array_size(pages);

	/* the field being edited: its words stand out on the page */
	const char *k0;
	json_t *v0;
	fputs("<style>", f);
	json_object_foreach(fields, k0, v0)
		if (json_object_get(v0, "box"))
			fprintf(f, ".station:has(#f-%s:focus) .box[data-field=%s]"
				"{outline:3px solid #f0a000;background:rgba(240,160,0,.15)}", k0, k0);
	fputs("</style><div class=\"img\">", f);
	for (size_t n = 1; n <= np; n++) {
		json_t *pg = json_array_get(pages, n - 1), *v;
		double W = (double)json_integer_value(json_object_get(pg, "width"));
		double H = (double)json_integer_value(json_object_get(pg, "height"));
		const char *k;
		/* the page at full size, bilevel: as quick to make as a scaled
		 * one is slow (12 ms against 36-90 ms), and the zoom below
		 * reuses it */
		fprintf(f, "<div class=\"sheet\"><img src=\"/page/%s/%zu.png\" "
			"alt=\"Trang %zu của %s\">", id, n, n, id);
		json_object_foreach(fields, k, v) {
			json_t *b = json_object_get(v, "box");
			if (W <= 0 || H <= 0 || json_array_size(b) != 5 ||
			    json_integer_value(json_array_get(b, 0)) != (json_int_t)n)
				continue;
			fprintf(f, "<div class=\"box%s\" data-field=\"%s\" title=\"",
				json_object_get(doubted, k) ? " doubt" : "", k);
			sv_esc(f, sv_field_label(sv, k));
			fprintf(f, "\" style=\"left:%.2f%%;top:%.2f%%;width:%.2f%%;height:%.2f%%\"></div>",
				100 * json_number_value(json_array_get(b, 1)) / W,
				100 * json_number_value(json_array_get(b, 2)) / H,
				100 * json_number_value(json_array_get(b, 3)) / W,
				100 * json_number_value(json_array_get(b, 4)) / H);
		}
		fputs("</div>", f);
	}
	fputs("</div>", f);
}

/* A zoom on the field's words, shown while its input has the focus
 * (CSS :focus-within, no script). */
static void zoom(FILE *f, const char *id, json_t *meta, json_t *field)
{
	json_t *b = json_object_get(field, "box");
	int n = (int)json_integer_value(json_array_get(b, 0));
	json_t *pg = json_array_get(json_object_get(meta, "pages"), (size_t)n - 1);
	double W = (double)json_integer_value(json_object_get(pg, "width"));
	double H = (double)json_integer_value(json_object_get(pg, "height"));

	if (json_array_size(b) != 5 || W <= 0 || H <= 0)
		return;
	double x = json_number_value(json_array_get(b, 1)), y = json_number_value(json_array_get(b, 2));
	double bw = json_number_value(json_array_get(b, 3)), bh = json_number_value(json_array_get(b, 4));
	/* the words with a margin fill the zoom's width */
	double fw = fmin(1, (bw + W * 0.06) / W), x0 = fmax(0, x / W - 0.03);
	double px = fw < 1 ? fmin(100, 100 * x0 / (1 - fw)) : 0;
	double py = fmin(100, fmax(0, 100 * (y + bh / 2) / H));
	fprintf(f, "<div class=\"zoom\" aria-hidden=\"true\" style=\"background-image:"
		"url('/page/%s/%d.png');background-size:%.1f%% auto;"
		"background-position:%.1f%% %.1f%%\"></div>", id, n, 100 / fw, px, py);
}

typedef struct form_state {
	json_t *posted;   /* values to show instead of the stored (a refusal) */
	json_t *errors;   /* field -> reason */
	const char *note, *note_class;
	json_t *typed;    /* a conflict: what the person had typed */
} form_state;

static void field_row(const server *sv, FILE *f, const char *id, json_t *meta,
		      const char *name, const char *kind, const char *problem,
		      const form_state *st, int first)
{
	json_t *field = json_object_get(json_object_get(meta, "fields"), name);
	json_t *readings = json_object_get(field, "readings"), *e;
	const char *posted = json_string_value(json_object_get(st->posted, name));
	const char *why = json_string_value(json_object_get(st->errors, name));
	char value[4096];
	size_t i;

	if (!strcmp(name, "type"))
		snprintf(value, sizeof(value), "%s",
			 json_string_value(json_object_get(meta, "type")) ?: "");
	else
		shown(json_object_get(field, "value"), value, sizeof(value));
	fprintf(f, "<div class=\"row%s\"><label for=\"f-%s\">", problem ?
		(!strcmp(problem, "missing") ? " doubt missing" : " doubt") : "", name);
	sv_esc(f, !strcmp(name, "type") ? "Loại hồ sơ" : sv_field_label(sv, name));
	if (problem) {
		fputs(" <span class=\"why\">(", f);
		sv_esc(f, problem_label(problem));
		fputs(")</span>", f);
	}
	fprintf(f, "</label><input id=\"f-%s\" name=\"%s\"%s%s value=\"", name, name,
		first ? " autofocus" : "", !strcmp(kind, "date") ?
		" placeholder=\"dd/mm/yyyy\"" : !strcmp(kind, "list") ?
		" placeholder=\"nhiều tên cách nhau bằng ;\"" : "");
	sv_esc(f, posted ? posted : value);
	fputs("\">", f);
	if (why) {
		fprintf(f, "<div class=\"why\" id=\"why-%s\" role=\"alert\">", name);
		sv_esc(f, why);
		fputs("</div>", f);
	}
	if (field) {
		fputs("<div class=\"hint\">", f);
		if (!strcmp(json_string_value(json_object_get(field, "source")) ?: "", "correction"))
			fputs("đã sửa", f);
		else
			fprintf(f, "máy đọc, độ tin cậy %.0f%%",
				100 * json_number_value(json_object_get(field, "confidence")));
		json_array_foreach(readings, i, e) {
			fputs(i ? " / " : "; các cách đọc: ", f);
			sv_esc(f, json_string_value(e));
		}
		fputs("</div>", f);
		zoom(f, id, meta, field);
	}
	fputs("</div>", f);
}

static enum MHD_Result render_review(server *sv, struct MHD_Connection *c,
				     const char *id, const who *w, int status,
				     const form_state *st)
{
	store_queue_filter qf;
	json_t *meta = NULL, *problems = NULL, *doubted, *pr;
	const char *names[MAX_NAMES], *kinds[MAX_NAMES];
	const char *type;
	size_t i;
	page p;
	int rc = store_record_get(sv->s, id, &meta, NULL), n, first = 1;

	if (rc == BASE_ENOTFOUND)
		return sv_message(c, 404, "Không có hồ sơ", id, w);
	if (rc)
		return sv_message(c, 500, "Lỗi đọc hồ sơ", base_errmsg(), w);
	filter_of(c, &qf);
	fields_review(sv->o->rules, meta, sv->o->review_below, &problems);
	doubted = json_object();
	json_array_foreach(problems, i, pr)
		if (!json_object_get(doubted, json_string_value(json_object_get(pr, "field"))))
			json_object_set(doubted, json_string_value(json_object_get(pr, "field")),
					json_object_get(pr, "problem"));
	int unlogged = sv_access(sv, w, "view-record", id, NULL, "station");
	if (unlogged || sv_page_open(&p)) {
		json_decref(meta);
		json_decref(problems);
		json_decref(doubted);
		return unlogged ? sv_unlogged(c, "/review/", w) : MHD_NO;
	}
	type = json_string_value(json_object_get(meta, "type"));
	sv_head(p.f, id, w);
	fputs("<h1>Kiểm tra ", p.f);
	fprintf(p.f, "<a href=\"/record/%s\">%s</a> · ", id, id);
	sv_esc(p.f, sv_type_label(sv, type));
	if (json_object_get(meta, "reviewed")) {
		fputs(" <span class=\"reviewed\">đã kiểm tra: ", p.f);
		sv_esc(p.f, json_string_value(json_object_get(json_object_get(meta,
			"reviewed"), "user")));
		fputs("</span>", p.f);
	}
	fputs("</h1>", p.f);
	json_t *pv;
	json_array_foreach(json_object_get(meta, "unreadable_pages"), i, pv)
		fprintf(p.f, "<p class=\"doubt\" role=\"note\">Trang %lld đọc "
			"không được, kể cả khi đã xoay đúng chiều: đọc các trường "
			"trên ảnh.</p>", (long long)json_integer_value(pv));
	if (st->note) {
		fprintf(p.f, "<p class=\"%s\" role=\"alert\">", st->note_class);
		sv_esc(p.f, st->note);
		if (json_object_size(st->typed)) {
			const char *k;
			json_t *v;
			fputs("<br>Bạn đã gõ (chưa lưu): ", p.f);
			json_object_foreach(st->typed, k, v) {
				sv_esc(p.f, sv_field_label(sv, k));
				fputs(" = «", p.f);
				sv_esc(p.f, json_string_value(v));
				fputs("» ", p.f);
			}
		}
		fputs("</p>", p.f);
	}
	fputs("</main><main class=\"wide\"><div class=\"station\">", p.f);
	sheets(sv, p.f, id, meta, doubted);
	fprintf(p.f, "<form method=\"post\" action=\"/review/%s?", id);
	filter_qs(p.f, &qf);
	fputs("\">", p.f);
	sv_csrf_input(p.f, w);
	json_int_t version = json_integer_value(json_object_get(meta, "version"));
	fprintf(p.f, "<input type=\"hidden\" name=\"version\" value=\"%lld\">",
		(long long)(version > 0 ? version : 1));
	/* the doubted and missing first, in the order review gives them */
	n = fields_names(sv->o->rules, type, names, kinds, MAX_NAMES);
	if (!type || !n) {
		field_row(sv, p.f, id, meta, "type", "text", "unknown type", st, first);
		first = 0;
	}
	for (int pass = 0; pass < 2; pass++)
		for (int k = 0; k < n; k++) {
			const char *prob = json_string_value(json_object_get(doubted, names[k]));
			if ((pass == 0) != (prob != NULL) || !strcmp(kinds[k], "details"))
				continue;
			field_row(sv, p.f, id, meta, names[k], kinds[k], prob, st, first);
			first = 0;
		}
	if (type && n)
		field_row(sv, p.f, id, meta, "type", "text", NULL, st, 0);
	fputs("<p class=\"actions\"><button type=\"submit\" name=\"action\" "
	      "value=\"save\">Lưu, sang hồ sơ tiếp (Enter)</button><button "
	      "type=\"submit\" name=\"action\" value=\"accept\" id=\"accept\" "
	      "accesskey=\"a\">Chấp nhận hồ sơ (Ctrl+Enter)</button></p>", p.f);
	fputs("<p class=\"hint\">Tab / Shift+Tab: sang ô sau / trước. Enter: lưu "
	      "và mở hồ sơ tiếp theo. Ctrl+Enter (hoặc Alt+A): chấp nhận hồ sơ "
	      "như đang có.</p></form></div>", p.f);
	sv_tail(p.f);
	json_decref(meta);
	json_decref(problems);
	json_decref(doubted);
	return sv_send_page(c, status, &p, NULL, NULL);
}

enum MHD_Result sv_page_review(server *sv, struct MHD_Connection *c,
			       const char *id, const who *w)
{
	form_state st = { 0 };

	return render_review(sv, c, id, w, 200, &st);
}

/* After a save: the next record of the same queue, or the queue. */
static enum MHD_Result to_next(server *sv, struct MHD_Connection *c,
			       const char *id, const char *key)
{
	store_queue_filter f;
	char next[STORE_ID_MAX], *url = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&url, &len);
	enum MHD_Result ret;

	if (!m)
		return MHD_NO;
	filter_of(c, &f);
	/* on from the record's place, not round again to the ones this
	 * person just saved */
	if (store_queue_next(sv->s, &f, key, id, !*key, next) == 0)
		fprintf(m, "/review/%s?", next);
	else
		fputs("/queue?done=1&", m);
	/* a Location header wants &, not &amp; */
	char *qs = NULL;
	size_t qlen = 0;
	FILE *q = open_memstream(&qs, &qlen);
	if (q) {
		filter_qs(q, &f);
		fclose(q);
		for (char *s = qs; s && *s; s++)
			if (!strncmp(s, "&amp;", 5)) {
				fputc('&', m);
				s += 4;
			} else {
				fputc(*s, m);
			}
		free(qs);
	}
	fclose(m);
	ret = sv_redirect(c, url, NULL);
	free(url);
	return ret;
}

enum MHD_Result sv_post_review(server *sv, struct MHD_Connection *c,
			       const char *id, const request *r)
{
	const who *w = &r->w;
	save s = { sv->o->rules, sv->o->review_below, r, w, atol(sv_form(r, "version")),
		   !strcmp(sv_form(r, "action"), "accept"), 0, json_object(),
		   json_object(), "" };
	char key[STORE_QKEY_MAX] = "";
	form_state st = { 0 };
	enum MHD_Result ret;
	int rc;

	if (store_queue_key(sv->s, id, key))
		key[0] = 0;
	rc = store_record_update(sv->s, id, apply_save, &s);
	if (rc == 0 || rc == BASE_EEXIST) {
		ret = to_next(sv, c, id, key);
	} else if (rc == BASE_EINVAL) {
		st.posted = r->form;
		st.errors = s.errors;
		st.note = "Chưa lưu: có giá trị không hợp lệ (xem lý do bên dưới ô).";
		st.note_class = "err";
		ret = render_review(sv, c, id, w, 422, &st);
	} else if (rc == BASE_ECONFLICT) {
		sv_access(sv, w, "conflict", id, NULL, s.conflict);
		st.note = s.conflict;
		st.note_class = "err";
		st.typed = s.typed;
		/* what they typed that differs from the record now: shown,
		 * so that nothing typed is lost */
		json_t *meta = NULL, *v;
		const char *k;
		if (store_record_get(sv->s, id, &meta, NULL) == 0)
			json_object_foreach(r->form, k, v) {
				char now[4096], want[4096];
				if (!strcmp(k, "csrf") || !strcmp(k, "version") ||
				    !strcmp(k, "action") || !strcmp(k, "type"))
					continue;
				shown(json_object_get(json_object_get(json_object_get(meta,
					"fields"), k), "value"), now, sizeof(now));
				trim(json_string_value(v), want, sizeof(want));
				if (strcmp(now, want))
					json_object_set_new(s.typed, k, json_string(want));
			}
		json_decref(meta);
		ret = render_review(sv, c, id, w, 409, &st);
	} else if (rc == BASE_ENOTFOUND) {
		ret = sv_message(c, 404, "Không có hồ sơ", id, w);
	} else {
		ret = sv_message(c, 500, "Không lưu được", base_errmsg(), w);
	}
	json_decref(s.errors);
	json_decref(s.typed);
	return ret;
}
