/* session.c - the site's logins: sessions (a random id in an HttpOnly,
 * SameSite=Strict cookie, a CSRF token for every form, an idle expiry)
 * and the slowing down of repeated failed logins, for a name and for
 * the address they come from, in tables of bounded size. Kept in
 * memory: a restart of the site logs everyone out, nothing else. */
#include "serve.h"

#include "../base/base.h"

#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SESSIONS 1024
#define MAX_NAMES 1024
#define MAX_ADDRS 1024
#define FAILS_FREE 5       /* failures before a name is slowed down */
#define ADDR_FAILS_FREE 20 /* before an address is (an office shares one) */
#define FAIL_WINDOW 900    /* seconds a failure counts */
#define WAIT_MAX 300

typedef struct slot {
	serve_session s;
	time_t expires;
	int used;
} slot;

typedef struct failures {
	char name[65];
	int n;
	double last; /* seconds, with their fraction: a wait of a second is
			one, whichever side of a clock tick the try falls */
} failures;

struct serve_sessions {
	pthread_mutex_t lock;
	int ttl;
	slot slot[MAX_SESSIONS];
	failures fail[MAX_NAMES];
	failures addr[MAX_ADDRS]; /* the same, by the address tried from */
};

int serve_sessions_create(serve_sessions **out, int ttl)
{
	serve_sessions *t;

	*out = NULL;
	if (sodium_init() < 0)
		return base_fail(BASE_ENOMEM, "cannot start libsodium");
	t = calloc(1, sizeof(*t));
	if (!t)
		return base_fail(BASE_ENOMEM, "out of memory");
	pthread_mutex_init(&t->lock, NULL);
	t->ttl = ttl > 0 ? ttl : 8 * 3600;
	*out = t;
	return 0;
}

void serve_sessions_destroy(serve_sessions **t)
{
	if (!t || !*t)
		return;
	pthread_mutex_destroy(&(*t)->lock);
	sodium_memzero(*t, sizeof(**t));
	free(*t);
	*t = NULL;
}

/* 32 random bytes as 43 characters of URL-safe base64. */
static void random_id(char out[SERVE_ID_LEN + 1])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, SERVE_ID_LEN + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int serve_session_new(serve_sessions *t, const char *user, int role,
		      time_t now, serve_session *out)
{
	slot *free_slot = NULL, *oldest = NULL;

	pthread_mutex_lock(&t->lock);
	for (int i = 0; i < MAX_SESSIONS; i++) {
		slot *sl = &t->slot[i];
		if (sl->used && sl->expires <= now)
			sl->used = 0;
		if (!sl->used && !free_slot)
			free_slot = sl;
		if (sl->used && (!oldest || sl->expires < oldest->expires))
			oldest = sl;
	}
	/* full: the session idle longest goes */
	slot *sl = free_slot ? free_slot : oldest;
	memset(sl, 0, sizeof(*sl));
	random_id(sl->s.id);
	random_id(sl->s.csrf);
	snprintf(sl->s.user, sizeof(sl->s.user), "%s", user);
	sl->s.role = role;
	sl->expires = now + t->ttl;
	sl->used = 1;
	*out = sl->s;
	pthread_mutex_unlock(&t->lock);
	return 0;
}

int serve_session_find(serve_sessions *t, const char *id, time_t now,
		       serve_session *out)
{
	int found = 0;

	if (!id || strlen(id) != SERVE_ID_LEN)
		return BASE_ENOTFOUND;
	pthread_mutex_lock(&t->lock);
	for (int i = 0; i < MAX_SESSIONS && !found; i++) {
		slot *sl = &t->slot[i];
		if (!sl->used || sodium_memcmp(sl->s.id, id, SERVE_ID_LEN) != 0)
			continue;
		if (sl->expires <= now) {
			sl->used = 0;
			break;
		}
		sl->expires = now + t->ttl; /* idle expiry */
		*out = sl->s;
		found = 1;
	}
	pthread_mutex_unlock(&t->lock);
	return found ? 0 : BASE_ENOTFOUND;
}

void serve_session_end(serve_sessions *t, const char *id)
{
	if (!id || strlen(id) != SERVE_ID_LEN)
		return;
	pthread_mutex_lock(&t->lock);
	for (int i = 0; i < MAX_SESSIONS; i++)
		if (t->slot[i].used && !sodium_memcmp(t->slot[i].s.id, id, SERVE_ID_LEN))
			t->slot[i].used = 0;
	pthread_mutex_unlock(&t->lock);
}

void serve_session_end_user(serve_sessions *t, const char *user)
{
	pthread_mutex_lock(&t->lock);
	for (int i = 0; i < MAX_SESSIONS; i++)
		if (t->slot[i].used && !strcmp(t->slot[i].s.user, user))
			t->slot[i].used = 0;
	pthread_mutex_unlock(&t->lock);
}

int serve_csrf_ok(const serve_session *s, const char *token)
{
	return token && strlen(token) == SERVE_ID_LEN &&
	       sodium_memcmp(s->csrf, token, SERVE_ID_LEN) == 0;
}

/* A name's or an address's failures in table (n entries): found, or a
 * place for it when make. When the table is full the place taken is a
 * stale entry's, else the one with the fewest failures (the oldest of
 * those): flooding it with fresh names never frees a throttled one. */
static failures *fail_of(failures *table, size_t n, const char *key,
			 double now, int make)
{
	failures *empty = NULL, *stale = NULL, *least = NULL;

	for (size_t i = 0; i < n; i++) {
		failures *f = &table[i];
		if (f->n && !strcmp(f->name, key))
			return f;
		if (!f->n && !empty)
			empty = f;
		if (f->n && now - f->last > FAIL_WINDOW && !stale)
			stale = f;
		if (f->n && (!least || f->n < least->n ||
			     (f->n == least->n && f->last < least->last)))
			least = f;
	}
	if (!make)
		return NULL;
	failures *f = empty ? empty : stale ? stale : least;
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", key);
	return f;
}

/* Seconds f must still wait when free failures come free of charge. */
static int wait_of(failures *f, int free, double now)
{
	if (!f)
		return 0;
	if (now - f->last > FAIL_WINDOW) {
		f->n = 0;
		return 0;
	}
	if (f->n < free)
		return 0;
	/* doubling from a second at the free-th failure */
	int shift = f->n - free;
	long need = shift >= 9 ? WAIT_MAX : 1L << shift;
	if (need > WAIT_MAX)
		need = WAIT_MAX;
	double left = f->last + (double)need - now;
	return left > 0 ? (int)ceil(left) : 0;
}

int serve_login_wait(serve_sessions *t, const char *name, const char *addr,
		     double now)
{
	int wait, w2;

	pthread_mutex_lock(&t->lock);
	wait = wait_of(fail_of(t->fail, MAX_NAMES, name, now, 0), FAILS_FREE, now);
	w2 = wait_of(fail_of(t->addr, MAX_ADDRS, addr, now, 0), ADDR_FAILS_FREE, now);
	pthread_mutex_unlock(&t->lock);
	return w2 > wait ? w2 : wait;
}

static int count_failure(failures *f, double now)
{
	if (now - f->last > FAIL_WINDOW)
		f->n = 0;
	f->last = now;
	return ++f->n;
}

int serve_login_failed(serve_sessions *t, const char *name, const char *addr,
		       double now)
{
	int n;

	pthread_mutex_lock(&t->lock);
	n = count_failure(fail_of(t->fail, MAX_NAMES, name, now, 1), now);
	count_failure(fail_of(t->addr, MAX_ADDRS, addr, now, 1), now);
	pthread_mutex_unlock(&t->lock);
	return n;
}

void serve_login_ok(serve_sessions *t, const char *name, double now)
{
	pthread_mutex_lock(&t->lock);
	failures *f = fail_of(t->fail, MAX_NAMES, name, now, 0);
	if (f)
		memset(f, 0, sizeof(*f));
	pthread_mutex_unlock(&t->lock);
}
