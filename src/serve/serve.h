/* serve.h - the clerks' site and the review station: a small
 * Vietnamese-language site served with libmicrohttpd: search and view for
 * every account, the review queue and correction for reviewers, accounts
 * and the access log for admins; sessions and CSRF tokens. */
#ifndef SERVE_H
#define SERVE_H

#include "../store/store.h"

#include <jansson.h>
#include <signal.h>
#include <time.h>

struct fields_rules;

typedef struct serve_opts {
	const char *listen;     /* "127.0.0.1:8080" */
	int threads;            /* request threads */
	const struct fields_rules *rules; /* to check a person's values */
	double review_below;    /* a field under it is doubted */
	int session_ttl;        /* seconds a session lives idle (0: 8 h) */
	const index_params *search; /* ranking and fuzzy matching */
	volatile sig_atomic_t *stop; /* serve until it becomes non-zero */
	void (*log)(const char *line); /* one line a request; may be NULL */
} serve_opts;

/* serve_run - serves s until *o->stop.
 * Notes:
 *  1. A listen address that is not loopback while the store has no
 *     account is BASE_EINVAL: the site holds citizens' records. Beyond
 *     loopback every request needs a login (or an API token); on
 *     loopback too once any account exists.
 *  2. Each request reads in its own LMDB read transactions, none held
 *     between requests: an ingest may run and its records appear.
 *  3. BASE_EIO when the address cannot be bound. */
int serve_run(store *s, const serve_opts *o);

/* Sessions: a random id (the cookie), the user, the role and the CSRF
 * token every form of the session carries. */
#define SERVE_ID_LEN 43
typedef struct serve_session {
	char id[SERVE_ID_LEN + 1], csrf[SERVE_ID_LEN + 1];
	char user[65];
	int role; /* STORE_ROLE_* */
} serve_session;

typedef struct serve_sessions serve_sessions;

/* serve_sessions_create - an empty table; a session lives ttl seconds
 * idle. You own *out: serve_sessions_destroy() (NULL is fine). */
int serve_sessions_create(serve_sessions **out, int ttl);
void serve_sessions_destroy(serve_sessions **t);

/* serve_session_new - a session for user at time now, into *out (the
 * table full, the one idle longest is ended). */
int serve_session_new(serve_sessions *t, const char *user, int role,
		      time_t now, serve_session *out);

/* serve_session_find - the live session of id, its expiry moved on;
 * BASE_ENOTFOUND for an unknown, ended or expired one. */
int serve_session_find(serve_sessions *t, const char *id, time_t now,
		       serve_session *out);

/* serve_session_end / _end_user - logs one session, or every session
 * of a user (a disabled account), out. */
void serve_session_end(serve_sessions *t, const char *id);
void serve_session_end_user(serve_sessions *t, const char *user);

/* serve_csrf_ok - whether token is the session's CSRF token (compared
 * in constant time). */
int serve_csrf_ok(const serve_session *s, const char *token);

/* Failed logins: after five for a name, or twenty from an address (an
 * office shares one), within 15 minutes, each more waits twice as long
 * as the one before (1 s, 2 s ... at most 300 s). The tables hold 1024
 * names and 1024 addresses; when full, the entry with the fewest
 * failures makes room, so a flood of new names cannot free a slowed one.
 * serve_login_wait - seconds a try of name from addr must still wait
 * (0: it may try); serve_login_failed - counts a failure for both,
 * returns the name's in a row; serve_login_ok - forgets the name's (the
 * address's fade with time: logging in to an account of one's own does
 * not reset them). */
int serve_login_wait(serve_sessions *t, const char *name, const char *addr,
		     double now);
int serve_login_failed(serve_sessions *t, const char *name, const char *addr,
		       double now);
void serve_login_ok(serve_sessions *t, const char *name, double now);

/* serve_version_check - whether a save made against version may be
 * stored over meta (store_record_update keeps "version" and "updated"):
 * 0, or BASE_ECONFLICT with msg saying who changed it since and when
 * ("Hồ sơ đã được lan sửa lúc 09:12 ngày 01/12/2026, tải lại ..."). */
int serve_version_check(json_t *meta, long version, char *msg, size_t len);

/* serve_html_escape - text with & < > " ' escaped. You own the result. */
char *serve_html_escape(const char *text);

#endif
