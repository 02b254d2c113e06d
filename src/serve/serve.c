/* serve.c - the site's plumbing over libmicrohttpd: who is asking (a
 * session cookie, an API token, or nobody), what each role may do, the
 * login and logout, form bodies read and checked (UTF-8, no NUL, bounded)
 * before any page sees them, the CSRF token on every form POST, one
 * request a line in the log and every view or change in the store's
 * access log. The pages are in pages.c, station.c and admin.c. */
#include "internal.h"

#include "../base/base.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define URL_MAX 2048
#define PER_ADDRESS 32 /* connections at once from one address */
#define FORM_FIELDS 160

/* A form field as it arrives, in pieces, before it is checked. */
typedef struct raw_field {
	char key[64];
	char *val;
	size_t len;
} raw_field;

typedef struct upload {
	request r;
	raw_field f[FORM_FIELDS];
	int n;
} upload;

static void log_line(server *sv, const request *r, const char *method,
		     const char *url, int status)
{
	char line[700], now[32];

	if (!sv->o->log)
		return;
	base_now_iso(now);
	snprintf(line, sizeof(line), "%s %s %s %.300s %d %.1fms", now,
		 r->w.user[0] ? r->w.user : "-", method, url, status,
		 (base_monotonic() - r->t0) * 1000);
	sv->o->log(line);
}

/* Commits what gathered in sv->pending, as long as more comes; called
 * with log_lock held, returns with it held. */
static void log_commit(server *sv)
{
	struct pending_entry take[LOG_BATCH];
	json_t *entries[LOG_BATCH];

	sv->committing = 1;
	while (sv->npending) {
		size_t n = sv->npending;
		unsigned long b = sv->batch_open++;
		memcpy(take, sv->pending, n * sizeof(*take));
		sv->npending = 0;
		pthread_cond_broadcast(&sv->log_cond); /* room again */
		pthread_mutex_unlock(&sv->log_lock);
		for (size_t i = 0; i < n; i++)
			entries[i] = take[i].e;
		int rc = store_access_add_many(sv->s, entries, n);
		if (rc && sv->o->log) {
			/* never silently: the request log says entries are missing */
			char line[400];
			snprintf(line, sizeof(line), "access log: cannot record %zu "
				 "entr%s: %s", n, n == 1 ? "y" : "ies", base_errmsg());
			sv->o->log(line);
		}
		pthread_mutex_lock(&sv->log_lock);
		for (size_t i = 0; i < n; i++) {
			*take[i].rc = rc;
			json_decref(take[i].e);
		}
		sv->batch_done = b + 1;
		pthread_cond_broadcast(&sv->log_cond);
	}
	sv->committing = 0;
}

/* The entry is durable before the request is answered: each waits for
 * the commit that holds it, and the entries of requests that come while
 * one commit runs share the next (one commit for many, a group commit). */
int sv_access(server *sv, const who *w, const char *action,
	      const char *record, const char *query, const char *detail)
{
	json_t *e = json_pack("{s:s, s:s, s:s}", "user", w->user[0] ? w->user : "-",
			      "action", action, "address", w->addr);
	char now[32];
	int rc = BASE_EIO;

	if (!e) {
		if (sv->o->log)
			sv->o->log("access log: out of memory for an entry");
		return BASE_ENOMEM;
	}
	base_now_iso(now);
	json_object_set_new(e, "time", json_string(now));
	if (record)
		json_object_set_new(e, "record", json_string(record));
	if (query && sv_utf8_ok(query))
		json_object_set_new(e, "query", json_string(query));
	if (detail && sv_utf8_ok(detail))
		json_object_set_new(e, "detail", json_string(detail));
	pthread_mutex_lock(&sv->log_lock);
	while (sv->npending == LOG_BATCH)
		pthread_cond_wait(&sv->log_cond, &sv->log_lock);
	sv->pending[sv->npending].e = e;
	sv->pending[sv->npending++].rc = &rc;
	unsigned long mine = sv->batch_open;
	if (!sv->committing)
		log_commit(sv);
	while (sv->batch_done <= mine)
		pthread_cond_wait(&sv->log_cond, &sv->log_lock);
	pthread_mutex_unlock(&sv->log_lock);
	return rc;
}

enum MHD_Result sv_unlogged(struct MHD_Connection *c, const char *url,
			    const who *w)
{
	/* Nghị định 13/2023: who saw which record must be known; a view the
	 * log cannot hold is a view not given */
	if (url && !strncmp(url, "/api/", 5))
		return sv_json(c, 503, json_pack("{s:s}", "error", "the access log "
			       "cannot record this request (is the disk full?): "
			       "nothing is shown until it can"));
	return sv_message(c, 503, "Tạm thời không phục vụ", "Nhật ký truy cập "
			  "không ghi được (ổ đĩa đầy?): không hiển thị gì cho "
			  "đến khi ghi được. Báo quản trị viên.", w);
}

long sv_arg_count(struct MHD_Connection *c, const char *k, long max)
{
	const char *v = sv_arg(c, k);
	char *end;
	long n;

	if (!*v || *v == '-' || *v == '+')
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (*end || end == v)
		return 0;
	return errno == ERANGE || n > max ? max : n;
}

static enum MHD_Result post_piece(void *cls, enum MHD_ValueKind kind,
				  const char *key, const char *filename,
				  const char *type, const char *encoding,
				  const char *data, uint64_t off, size_t size)
{
	upload *u = cls;
	raw_field *f = NULL;

	(void)kind, (void)filename, (void)type, (void)encoding, (void)off;
	for (int i = 0; i < u->n && !f; i++)
		if (!strcmp(u->f[i].key, key))
			f = &u->f[i];
	if (!f) {
		if (u->n == FORM_FIELDS || strlen(key) >= sizeof(f->key)) {
			u->r.bad = 1;
			return MHD_NO;
		}
		f = &u->f[u->n++];
		snprintf(f->key, sizeof(f->key), "%s", key);
	}
	if (f->len + size > FORM_VALUE_MAX) {
		u->r.too_big = 1;
		return MHD_NO;
	}
	char *nv = realloc(f->val, f->len + size + 1);
	if (!nv) {
		u->r.bad = 1;
		return MHD_NO;
	}
	memcpy(nv + f->len, data, size);
	f->len += size;
	nv[f->len] = 0;
	f->val = nv;
	return MHD_YES;
}

/* The fields, checked, into r.form: a NUL or a byte that is not UTF-8
 * makes the whole form bad. */
static void form_close(upload *u)
{
	u->r.form = json_object();
	for (int i = 0; i < u->n && u->r.form; i++) {
		raw_field *f = &u->f[i];
		const char *v = f->val ? f->val : "";
		if (memchr(v, 0, f->len) || !sv_utf8_ok(v) || !sv_utf8_ok(f->key)) {
			u->r.bad = 1;
			break;
		}
		json_object_set_new(u->r.form, f->key, json_stringn(v, f->len));
	}
}

static void peer(struct MHD_Connection *c, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
					MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, len, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out,
			  (socklen_t)len);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
			  out, (socklen_t)len);
}

/* Who is asking: an API token, else the session cookie, else nobody
 * (an anonymous viewer on loopback while the store has no account). */
static void identify(server *sv, struct MHD_Connection *c, who *w)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    "Authorization");
	const char *ck = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
						     "sohoa_session");
	size_t users = 0;

	peer(c, w->addr, sizeof(w->addr));
	if (h && !strncmp(h, "Bearer ", 7)) {
		if (store_user_by_token(sv->s, h + 7, w->user, &w->role))
			w->role = 0;
		return;
	}
	if (ck && serve_session_find(sv->sessions, ck, time(NULL), &w->sess) == 0) {
		/* the account as it is now, on every request: disabled from
		 * the command line (not this site) ends its sessions too, a
		 * lowered role lowers them; a store that cannot say, refuses */
		int now = 0;
		if (store_user_role(sv->s, w->sess.user, &now) || now == 0) {
			serve_session_end(sv->sessions, ck);
			return;
		}
		w->session = 1;
		w->role = now < w->sess.role ? now : w->sess.role;
		snprintf(w->user, sizeof(w->user), "%s", w->sess.user);
		return;
	}
	/* anonymous viewing only while the store never had an account:
	 * all of them disabled is not the same as none */
	if (sv->loopback && store_user_count(sv->s, &users) == 0 && users == 0)
		w->role = STORE_ROLE_VIEWER;
}

static enum MHD_Result login_form(struct MHD_Connection *c, int status,
				  const char *note, const char *name,
				  const char *hname, const char *hvalue)
{
	page p;

	if (sv_page_open(&p))
		return MHD_NO;
	sv_head(p.f, "Đăng nhập", NULL);
	fputs("<h1>Đăng nhập</h1>", p.f);
	sv_note(p.f, note, 1);
	fputs("<form method=\"post\" action=\"/login\"><p><label>Tên đăng nhập "
	      "<input name=\"user\" autocomplete=\"username\" autofocus value=\"", p.f);
	sv_esc(p.f, name ? name : "");
	fputs("\"></label></p><p><label>Mật khẩu <input type=\"password\" "
	      "name=\"password\" autocomplete=\"current-password\"></label></p>"
	      "<p><button type=\"submit\">Đăng nhập</button></p></form>", p.f);
	sv_tail(p.f);
	return sv_send_page(c, status, &p, hname, hvalue);
}

static enum MHD_Result do_login(server *sv, struct MHD_Connection *c,
				request *r)
{
	const char *name = sv_form(r, "user"), *pw = sv_form(r, "password");
	serve_session ss;
	char cookie[200], note[160];
	int role, wait;
	who tried = r->w;

	snprintf(tried.user, sizeof(tried.user), "%.64s", name);
	if ((wait = serve_login_wait(sv->sessions, name, r->w.addr, base_monotonic())) > 0) {
		char after[16];
		snprintf(note, sizeof(note), "Đăng nhập sai nhiều lần: thử lại "
			 "sau %d giây.", wait);
		snprintf(after, sizeof(after), "%d", wait);
		sv_access(sv, &tried, "login-refused", NULL, NULL, "too many failures");
		return login_form(c, 429, note, name, "Retry-After", after);
	}
	if (store_user_login(sv->s, name, pw, &role)) {
		int n = serve_login_failed(sv->sessions, name, r->w.addr, base_monotonic());
		snprintf(note, sizeof(note), "%d failure%s in a row", n, n == 1 ? "" : "s");
		sv_access(sv, &tried, "login-failed", NULL, NULL, note);
		return login_form(c, 401, "Sai tên đăng nhập hoặc mật khẩu.", name,
				  NULL, NULL);
	}
	serve_login_ok(sv->sessions, name, base_monotonic());
	serve_session_new(sv->sessions, name, role, time(NULL), &ss);
	sv_access(sv, &tried, "login", NULL, NULL, NULL);
	snprintf(cookie, sizeof(cookie), "sohoa_session=%s; HttpOnly; "
		 "SameSite=Strict; Path=/; Max-Age=%d", ss.id,
		 sv->o->session_ttl > 0 ? sv->o->session_ttl : 8 * 3600);
	return sv_redirect(c, role >= STORE_ROLE_REVIEWER ? "/queue" : "/", cookie);
}

static enum MHD_Result denied(server *sv, struct MHD_Connection *c,
			      const who *w, const char *url, const char *why)
{
	sv_access(sv, w, "denied", NULL, NULL, url);
	if (!strncmp(url, "/api/", 5))
		return sv_json(c, 403, json_pack("{s:s}", "error", why));
	return sv_message(c, 403, "Không được phép", why, w);
}

static const char *const role_need[] = {
	"", "cần quyền xem (viewer)", "cần quyền kiểm tra (reviewer)",
	"cần quyền quản trị (admin)"
};

/* /page/ID/N.png: the page number, or 0. */
static int page_number(const char *url, size_t n, char id[10])
{
	char num[8] = "";
	size_t k;
	int page;

	if (strncmp(url, "/page/", 6) || n <= 19 || !sv_valid_id(url + 6, 9) ||
	    url[15] != '/' || strcmp(url + n - 4, ".png"))
		return 0;
	k = n - 4 - 16;
	if (k < 1 || k > 3)
		return 0;
	memcpy(num, url + 16, k);
	for (size_t i = 0; i < k; i++)
		if (!isdigit((unsigned char)num[i]))
			return 0;
	memcpy(id, url + 6, 9);
	id[9] = 0;
	page = atoi(num);
	return page;
}

static enum MHD_Result route_post(server *sv, struct MHD_Connection *c,
				  const char *url, request *r)
{
	const who *w = &r->w;
	size_t n = strlen(url);

	if (strcmp(url, "/login") && strcmp(url, "/logout") && strcmp(url, "/admin") &&
	    !(!strncmp(url, "/review/", 8) && sv_valid_id(url + 8, n - 8)))
		return sv_message(c, 405, "Không hỗ trợ", "POST", w);
	if (r->too_big)
		return sv_message(c, 413, "Dữ liệu quá lớn", "Một ô nhập dài hơn "
				  "4096 byte, hoặc biểu mẫu quá lớn.", w);
	if (r->bad == 2)
		return sv_message(c, 415, "Không hỗ trợ", "Biểu mẫu phải là "
				  "application/x-www-form-urlencoded.", w);
	if (r->bad)
		return sv_message(c, 400, "Yêu cầu không hợp lệ", "Biểu mẫu có "
				  "ký tự không phải UTF-8 hoặc ký tự NUL.", w);
	if (!strcmp(url, "/login"))
		return do_login(sv, c, r);
	if (!w->role)
		return login_form(c, 401, "Cần đăng nhập.", NULL, NULL, NULL);
	/* a form of this site carries its session's token; an API call
	 * with a token sends no cookie a page elsewhere could ride */
	if (!w->session && w->user[0] == 0)
		return denied(sv, c, w, url, "Cần đăng nhập bằng tài khoản để sửa.");
	if (w->session && !serve_csrf_ok(&w->sess, sv_form(r, "csrf"))) {
		sv_access(sv, w, "csrf-refused", NULL, NULL, url);
		return sv_message(c, 403, "Biểu mẫu không hợp lệ", "Thiếu hoặc sai "
				  "mã chống giả mạo (CSRF): tải lại trang rồi "
				  "gửi lại.", w);
	}
	if (!strcmp(url, "/logout")) {
		serve_session_end(sv->sessions, w->sess.id);
		sv_access(sv, w, "logout", NULL, NULL, NULL);
		return sv_redirect(c, "/login", "sohoa_session=; HttpOnly; "
				   "SameSite=Strict; Path=/; Max-Age=0");
	}
	if (!strncmp(url, "/review/", 8) && sv_valid_id(url + 8, n - 8)) {
		if (w->role < STORE_ROLE_REVIEWER)
			return denied(sv, c, w, url, role_need[STORE_ROLE_REVIEWER]);
		return sv_post_review(sv, c, url + 8, r);
	}
	if (!strcmp(url, "/admin")) {
		if (w->role < STORE_ROLE_ADMIN)
			return denied(sv, c, w, url, role_need[STORE_ROLE_ADMIN]);
		return sv_post_admin(sv, c, r);
	}
	return sv_message(c, 404, "Không có trang này", url, w);
}

static enum MHD_Result route(server *sv, struct MHD_Connection *c,
			     const char *url, const char *method, request *r)
{
	const who *w = &r->w;
	size_t n = strlen(url);
	int get = !strcmp(method, "GET") || !strcmp(method, "HEAD"), page;
	char id[10];

	if (!sv_args_utf8(c) || !sv_utf8_ok(url)) {
		if (!strncmp(url, "/api/", 5))
			return sv_json(c, 400, json_pack("{s:s}", "error",
				       "the path or a query argument is not valid "
				       "UTF-8, or holds a NUL"));
		return sv_message(c, 400, "Yêu cầu không hợp lệ",
				  "Địa chỉ hoặc tham số không phải UTF-8, hoặc có "
				  "ký tự NUL.", w);
	}
	if (get && !strcmp(url, "/static/station.js"))
		return sv_respond(c, 200, "text/javascript; charset=utf-8",
				  strdup(sv_station_js), strlen(sv_station_js),
				  NULL, NULL);
	if (!strcmp(method, "POST"))
		return route_post(sv, c, url, r);
	if (!get)
		return sv_message(c, 405, "Không hỗ trợ", method, w);
	if (!strcmp(url, "/login"))
		return login_form(c, 200, NULL, NULL, NULL, NULL);
	if (!w->role) {
		if (!strncmp(url, "/api/", 5)) {
			char *t = strdup("{\"error\":\"unauthorised: log in, or send "
					 "Authorization: Bearer TOKEN (sohoa user token)\"}");
			return sv_respond(c, 401, "application/json", t, t ? strlen(t) : 0,
					  "WWW-Authenticate", "Bearer");
		}
		return login_form(c, 401, "Cần đăng nhập.", NULL, NULL, NULL);
	}
	if (!strcmp(url, "/"))
		return sv_page_search(sv, c, w);
	if (!strcmp(url, "/api/search"))
		return sv_api_search(sv, c, w);
	if (!strncmp(url, "/record/", 8) && sv_valid_id(url + 8, n - 8))
		return sv_page_record(sv, c, url + 8, w);
	if (!strncmp(url, "/original/", 10) && sv_valid_id(url + 10, n - 10))
		return sv_page_original(sv, c, url + 10, w);
	if (!strncmp(url, "/pdf/", 5) && sv_valid_id(url + 5, n - 5))
		return sv_page_pdf(sv, c, url + 5, w);
	if ((page = page_number(url, n, id)) >= 1)
		return sv_page_image(sv, c, id, page, w);
	if (!strcmp(url, "/queue") || !strcmp(url, "/api/queue") ||
	    (!strncmp(url, "/review/", 8) && sv_valid_id(url + 8, n - 8))) {
		if (w->role < STORE_ROLE_REVIEWER)
			return denied(sv, c, w, url, role_need[STORE_ROLE_REVIEWER]);
		if (!strcmp(url, "/queue"))
			return sv_page_queue(sv, c, w);
		if (!strcmp(url, "/api/queue"))
			return sv_api_queue(sv, c, w);
		return sv_page_review(sv, c, url + 8, w);
	}
	if (!strcmp(url, "/admin") || !strcmp(url, "/admin/log")) {
		if (w->role < STORE_ROLE_ADMIN)
			return denied(sv, c, w, url, role_need[STORE_ROLE_ADMIN]);
		return !strcmp(url, "/admin") ? sv_page_admin(sv, c, w, NULL)
					      : sv_page_log(sv, c, w);
	}
	return sv_message(c, 404, "Không có trang này", url, w);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *data,
			       size_t *data_size, void **con_cls)
{
	server *sv = cls;
	upload *u = *con_cls;
	enum MHD_Result ret;

	(void)version;
	if (!u) {
		/* first call: headers only */
		u = calloc(1, sizeof(*u));
		if (!u)
			return MHD_NO;
		u->r.t0 = base_monotonic();
		*con_cls = u;
		if (!strcmp(method, "POST")) {
			u->r.pp = MHD_create_post_processor(c, 4096, post_piece, u);
			if (!u->r.pp)
				u->r.bad = 2; /* not a form encoding we read */
		}
		return MHD_YES;
	}
	if (*data_size) {
		u->r.len += *data_size;
		if (u->r.len > FORM_MAX)
			u->r.too_big = 1;
		if (u->r.pp && !u->r.too_big && !u->r.bad &&
		    MHD_post_process(u->r.pp, data, *data_size) != MHD_YES && !u->r.too_big)
			u->r.bad = 1;
		*data_size = 0;
		return MHD_YES;
	}
	if (!strcmp(method, "POST") && !u->r.form)
		form_close(u);
	identify(sv, c, &u->r.w);
	if (strlen(url) > URL_MAX) {
		ret = sv_message(c, 414, "Địa chỉ quá dài", "", &u->r.w);
		log_line(sv, &u->r, method, "(too long)", 414);
		return ret;
	}
	ret = route(sv, c, url, method, &u->r);
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
					MHD_CONNECTION_INFO_HTTP_STATUS);
	log_line(sv, &u->r, method, url, ci ? (int)ci->http_status : 0);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	upload *u = *con_cls;

	(void)cls, (void)c, (void)toe;
	if (!u)
		return;
	if (u->r.pp)
		MHD_destroy_post_processor(u->r.pp);
	for (int i = 0; i < u->n; i++)
		free(u->f[i].val);
	json_decref(u->r.form);
	free(u);
	*con_cls = NULL;
}

/* libmicrohttpd's unescaping of the path and each argument, but a %00
 * left as a byte that is not UTF-8 (0xFF): the request is then refused
 * (400) instead of served cut at the NUL. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	size_t n = MHD_http_unescape(s);

	(void)cls, (void)c;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\0')
			s[i] = (char)0xFF;
	return n;
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
		return base_fail(BASE_EINVAL, "--listen wants ADDR:PORT, not '%s'", l);
	hl = (size_t)(colon - l);
	if (*l == '[' && hl >= 2 && l[hl - 1] == ']') {
		l++;
		hl -= 2;
	}
	snprintf(host, sizeof(host), "%.*s", (int)hl, l);
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
		return base_fail(BASE_EINVAL, "--listen: '%s' is not an address and "
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
	server sv = { .s = s, .o = o };
	struct MHD_Daemon *d;
	size_t users = 0;
	int rc = parse_listen(o->listen, &sa, &sv.loopback);

	if (rc)
		return rc;
	if ((rc = store_user_count(s, &users)))
		return rc;
	if (!sv.loopback && users == 0)
		return base_fail(BASE_EINVAL, "listening on %s, beyond this machine, "
			       "needs accounts: make one first (sohoa user add "
			       "NAME --role admin)", o->listen);
	if ((rc = serve_sessions_create(&sv.sessions, o->session_ttl)))
		return rc;
	pthread_mutex_init(&sv.log_lock, NULL);
	pthread_cond_init(&sv.log_cond, NULL);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
			     (sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
			     0, NULL, NULL, handler, &sv,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_THREAD_POOL_SIZE,
			     (unsigned)(o->threads > 0 ? o->threads : 4),
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
			     MHD_OPTION_CONNECTION_LIMIT, 256u,
			     /* one address cannot take them all (slow clients,
			      * on purpose or not); an idle one goes after 30 s */
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)PER_ADDRESS,
			     MHD_OPTION_CONNECTION_TIMEOUT, 30u,
			     MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
			     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
			     MHD_OPTION_END);
	if (!d) {
		serve_sessions_destroy(&sv.sessions);
		pthread_cond_destroy(&sv.log_cond);
		pthread_mutex_destroy(&sv.log_lock);
		return base_fail(BASE_EIO, "cannot listen on %s (in use, or not an "
			       "address of this machine)", o->listen);
	}
	while (!*o->stop)
		usleep(100000);
	MHD_stop_daemon(d);
	serve_sessions_destroy(&sv.sessions);
	pthread_cond_destroy(&sv.log_cond);
	pthread_mutex_destroy(&sv.log_lock);
	return 0;
}
