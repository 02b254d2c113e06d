/* session.c - the site's logins: sessions (a random id in an HttpOnly,
 * SameSite=Strict cookie, a CSRF token for every form, an idle expiry)
 * and the slowing down of repeated failed logins for a name. Kept in
 * memory: a restart of the site logs everyone out, nothing else. */
#include "serve.h"

#include "../sh/sh.h"

#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SESSIONS 1024
#define MAX_NAMES 256
#define FAILS_FREE 5       /* failures before a name is slowed down */
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
};

int serve_sessions_create(serve_sessions **out, int ttl)
{
	serve_sessions *t;

	*out = NULL;
	if (sodium_init() < 0)
		return sh_fail(SH_ENOMEM, "cannot start libsodium");
	t = calloc(1, sizeof(*t));
	if (!t)
		return sh_fail(SH_ENOMEM, "out of memory");
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
		return SH_ENOTFOUND;
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
	return found ? 0 : SH_ENOTFOUND;
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

static failures *fail_of(serve_sessions *t, const char *name, double now,
			 int make)
{
	failures *empty = NULL, *stale = NULL;

	for (int i = 0; i < MAX_NAMES; i++) {
		failures *f = &t->fail[i];
		if (f->n && !strcmp(f->name, name))
			return f;
		if (!f->n && !empty)
			empty = f;
		if (f->n && now - f->last > FAIL_WINDOW && !stale)
			stale = f;
	}
	if (!make)
		return NULL;
	failures *f = empty ? empty : stale ? stale : &t->fail[(long)now % MAX_NAMES];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	return f;
}

int serve_login_wait(serve_sessions *t, const char *name, double now)
{
	int wait = 0;

	pthread_mutex_lock(&t->lock);
	failures *f = fail_of(t, name, now, 0);
	if (f && now - f->last > FAIL_WINDOW)
		f->n = 0;
	else if (f && f->n >= FAILS_FREE) {
		/* doubling from a second at the fifth failure */
		int shift = f->n - FAILS_FREE;
		long need = shift >= 9 ? WAIT_MAX : 1L << shift;
		if (need > WAIT_MAX)
			need = WAIT_MAX;
		double left = f->last + (double)need - now;
		wait = left > 0 ? (int)ceil(left) : 0;
	}
	pthread_mutex_unlock(&t->lock);
	return wait;
}

int serve_login_failed(serve_sessions *t, const char *name, double now)
{
	int n;

	pthread_mutex_lock(&t->lock);
	failures *f = fail_of(t, name, now, 1);
	if (now - f->last > FAIL_WINDOW)
		f->n = 0;
	n = ++f->n;
	f->last = now;
	pthread_mutex_unlock(&t->lock);
	return n;
}

void serve_login_ok(serve_sessions *t, const char *name, double now)
{
	pthread_mutex_lock(&t->lock);
	failures *f = fail_of(t, name, now, 0);
	if (f)
		memset(f, 0, sizeof(*f));
	pthread_mutex_unlock(&t->lock);
}
