/* internal.h - the site's own: the server, who is asking, a request's
 * form, and the HTML and response helpers its files share (plumbing
 * and logins in serve.c, pages in html.c, search and records in
 * pages.c, the review station in station.c, accounts and the log in
 * admin.c). Nothing outside src/serve/ includes it. */
#ifndef SERVE_INTERNAL_H
#define SERVE_INTERNAL_H

#include "serve.h"

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>

#define FORM_MAX ((size_t)64 << 10) /* a POST body's bytes */
#define FORM_VALUE_MAX 4096         /* one field's */

#define LOG_BATCH 256

typedef struct server {
	store *s;
	const serve_opts *o;
	int loopback;
	serve_sessions *sessions;
	/* the access log's group commit: entries of concurrent requests
	 * wait here; the first becomes the committer of all that gathered */
	pthread_mutex_t log_lock;
	pthread_cond_t log_cond;
	struct pending_entry {
		json_t *e;
		int *rc;   /* the waiting request's: its entry's fate */
	} pending[LOG_BATCH];
	size_t npending;
	int committing;
	unsigned long batch_open, batch_done;
} server;

/* Who is asking: a session's user, a token's, or nobody (role 0; on
 * loopback without accounts, an anonymous viewer). */
typedef struct who {
	int role;
	char user[65];     /* "" when anonymous */
	char addr[64];     /* the peer's address */
	int session;       /* logged in by the cookie: sess is set */
	serve_session sess;
} who;

/* What a request carries between libmicrohttpd's calls. */
typedef struct request {
	double t0;
	struct MHD_PostProcessor *pp;
	json_t *form;      /* POST fields, UTF-8 checked */
	size_t len;
	int too_big, bad;  /* bad: not UTF-8, a NUL, an unknown encoding */
	who w;
} request;

typedef struct page {
	FILE *f;
	char *buf;
	size_t len;
} page;

/* html.c */
/* labels and types from the field catalogue of sv's rules: sv_types
 * how many types, sv_type the ith's name (NULL past the last) */
const char *sv_field_label(const server *sv, const char *key);
const char *sv_type_label(const server *sv, const char *key);
int sv_type_known(const server *sv, const char *key);
int sv_types(const server *sv);
const char *sv_type(const server *sv, int i);
void sv_esc(FILE *f, const char *s);
void sv_esc_marked(FILE *f, const char *s);
void sv_esc_value(FILE *f, json_t *v);
/* sv_note - a note under a page's heading, when there is one: a
 * status (error 0) or an alert (error 1) read out by screen readers. */
void sv_note(FILE *f, const char *note, int error);
void sv_url_arg(FILE *f, const char *s);
void sv_head(FILE *f, const char *title, const who *w);
void sv_tail(FILE *f);
int sv_page_open(page *p);
enum MHD_Result sv_respond(struct MHD_Connection *c, int status,
			   const char *type, void *buf, size_t len,
			   const char *hname, const char *hvalue);
enum MHD_Result sv_send_page(struct MHD_Connection *c, int status, page *p,
			     const char *hname, const char *hvalue);
enum MHD_Result sv_message(struct MHD_Connection *c, int status,
			   const char *title, const char *text, const who *w);
enum MHD_Result sv_json(struct MHD_Connection *c, int status, json_t *j);
enum MHD_Result sv_redirect(struct MHD_Connection *c, const char *to,
			    const char *cookie);
int sv_valid_id(const char *s, size_t n);
const char *sv_arg(struct MHD_Connection *c, const char *k);
int sv_utf8_ok(const char *s);
/* whether every query argument is UTF-8 */
int sv_args_utf8(struct MHD_Connection *c);
/* the POST field, or "" */
const char *sv_form(const request *r, const char *k);
/* the hidden CSRF input of w's session (nothing without one) */
void sv_csrf_input(FILE *f, const who *w);

/* serve.c: one entry in the store's access log, durable before it
 * returns 0; non-zero when it could not be recorded (a full disk): a
 * view that cannot be logged is not served (sv_unlogged) */
int sv_access(server *sv, const who *w, const char *action,
	      const char *record, const char *query, const char *detail);
/* 503: the access log could not record this request, nothing shown */
enum MHD_Result sv_unlogged(struct MHD_Connection *c, const char *url,
			    const who *w);
/* a non-negative whole number argument, or 0 (absent, malformed, or
 * over max: then max) */
long sv_arg_count(struct MHD_Connection *c, const char *k, long max);

/* pages.c */
enum MHD_Result sv_page_search(server *sv, struct MHD_Connection *c, const who *w);
enum MHD_Result sv_page_record(server *sv, struct MHD_Connection *c,
			       const char *id, const who *w);
enum MHD_Result sv_page_image(server *sv, struct MHD_Connection *c,
			      const char *id, int n, const who *w);
enum MHD_Result sv_page_original(server *sv, struct MHD_Connection *c,
				 const char *id, const who *w);
enum MHD_Result sv_page_pdf(server *sv, struct MHD_Connection *c,
			    const char *id, const who *w);
enum MHD_Result sv_api_search(server *sv, struct MHD_Connection *c, const who *w);

/* station.c */
enum MHD_Result sv_page_queue(server *sv, struct MHD_Connection *c, const who *w);
enum MHD_Result sv_api_queue(server *sv, struct MHD_Connection *c, const who *w);
enum MHD_Result sv_page_review(server *sv, struct MHD_Connection *c,
			       const char *id, const who *w);
enum MHD_Result sv_post_review(server *sv, struct MHD_Connection *c,
			       const char *id, const request *r);
extern const char sv_station_js[];

/* admin.c */
enum MHD_Result sv_page_admin(server *sv, struct MHD_Connection *c,
			      const who *w, const char *note);
enum MHD_Result sv_post_admin(server *sv, struct MHD_Connection *c,
			      const request *r);
enum MHD_Result sv_page_log(server *sv, struct MHD_Connection *c, const who *w);

#endif
