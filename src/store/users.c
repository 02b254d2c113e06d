/* users.c - accounts in the store: a name, a role, a password kept only
 * as an Argon2id hash (libsodium's crypto_pwhash_str, memory-hard) and
 * an API token kept only as its SHA-256. */
#include "internal.h"

#include "../base/base.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const roles[] = { "viewer", "reviewer", "admin" };

int store_role_of(const char *role)
{
	for (int i = 0; role && i < 3; i++)
		if (!strcmp(role, roles[i]))
			return i + 1;
	return 0;
}

static int name_ok(const char *n)
{
	size_t len = strlen(n);

	if (len < 1 || len > 32)
		return 0;
	for (const char *p = n; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    !strchr("._-", *p))
			return 0;
	return 1;
}

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ok;
/* What an unknown name's password is checked against, so that a login
 * takes as long whether or not the name exists. */
static char dummy_hash[crypto_pwhash_STRBYTES];

static void sodium_start(void)
{
	sodium_ok = sodium_init() >= 0 &&
		    crypto_pwhash_str(dummy_hash, "no such account", 15,
				      crypto_pwhash_OPSLIMIT_INTERACTIVE,
				      crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES])
{
	pthread_once(&sodium_once, sodium_start);
	if (!sodium_ok)
		return base_fail(BASE_ENOMEM, "cannot start libsodium");
	if (strlen(password) < 8)
		return base_fail(BASE_EINVAL, "a password has 8 characters or more");
	if (crypto_pwhash_str(out, password, strlen(password),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return base_fail(BASE_ENOMEM, "cannot hash the password: out of memory");
	return 0;
}

struct user_op {
	const char *name, *role;
	const char *hash;   /* new hash, or NULL */
	const char *token;  /* new token hash, or NULL */
	int add, disable;
	const char *expires; /* the token's: UTC, ISO 8601 */
	int full;            /* the token may do all the role may */
};

static int user_txn(store *s, MDB_txn *txn, void *ctx)
{
	struct user_op *op = ctx;
	int rc;
	json_t *u;

	if (!name_ok(op->name))
		return base_fail(BASE_EINVAL, "'%s' is not a user name (1-32 of "
			       "a-z, 0-9, '.', '_', '-')", op->name);
	u = st_get_json(s, txn, s->users, op->name, &rc);

	if (rc && rc != BASE_ENOTFOUND)
		return rc;
	if (op->add && u) {
		json_decref(u);
		return base_fail(BASE_EEXIST, "user '%s' exists already", op->name);
	}
	if (!op->add && !u)
		return base_fail(BASE_ENOTFOUND, "no user '%s'", op->name);
	if (op->add) {
		char now[32];
		base_now_iso(now);
		u = json_pack("{s:s, s:s, s:b, s:s}", "name", op->name, "role",
			      op->role, "disabled", 0, "created", now);
	}
	if (op->hash)
		json_object_set_new(u, "hash", json_string(op->hash));
	if (op->token) {
		json_object_set_new(u, "token", json_string(op->token));
		json_object_set_new(u, "token_expires", json_string(op->expires));
		json_object_set_new(u, "token_scope", json_string(op->full ? "full"
								     : "read"));
	}
	if (op->disable) {
		json_object_set_new(u, "disabled", json_true());
		json_object_del(u, "token");
		json_object_del(u, "token_expires");
		json_object_del(u, "token_scope");
	}
	rc = st_put_json(s, txn, s->users, op->name, u, "cannot store user");
	json_decref(u);
	return rc;
}

static int need_users(store *s)
{
	return s->has_queue ? 0 : base_fail(BASE_EVERSION, "store '%s' has no "
					  "accounts yet: open it for writing "
					  "with this sohoa first", s->dir);
}

int store_user_add(store *s, const char *name, const char *role,
		   const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	struct user_op op = { name, role, hash, NULL, 1, 0, NULL, 0 };
	int rc;

	if (!name_ok(name))
		return base_fail(BASE_EINVAL, "'%s' is not a user name (1-32 of "
			       "a-z, 0-9, '.', '_', '-')", name);
	if (!store_role_of(role))
		return base_fail(BASE_EINVAL, "'%s' is not a role (viewer, reviewer, "
			       "admin)", role);
	if ((rc = need_users(s)) || (rc = hash_password(password, hash)))
		return rc;
	return st_write(s, user_txn, &op);
}

int store_user_passwd(store *s, const char *name, const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	struct user_op op = { name, NULL, hash, NULL, 0, 0, NULL, 0 };
	int rc;

	if ((rc = need_users(s)) || (rc = hash_password(password, hash)))
		return rc;
	return st_write(s, user_txn, &op);
}

int store_user_disable(store *s, const char *name)
{
	struct user_op op = { name, NULL, NULL, NULL, 0, 1, NULL, 0 };
	int rc = need_users(s);

	return rc ? rc : st_write(s, user_txn, &op);
}

int store_user_token(store *s, const char *name, int days, int full,
		     char token[65], char expires[32])
{
	unsigned char raw[32];
	char hash[65];
	struct user_op op = { name, NULL, NULL, hash, 0, 0, expires, full };
	time_t until = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	int rc;

	if (days < 1 || days > 3660)
		return base_fail(BASE_EINVAL, "a token lasts 1 to 3660 days, not %d", days);
	gmtime_r(&until, &tm);
	strftime(expires, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	pthread_once(&sodium_once, sodium_start);
	if ((rc = need_users(s)))
		return rc;
	if (!sodium_ok)
		return base_fail(BASE_ENOMEM, "cannot start libsodium");
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, 65, raw, sizeof(raw));
	if ((rc = base_sha256_hex(token, 64, hash)))
		return rc;
	return st_write(s, user_txn, &op);
}

/* A user's object, or NULL (rc says why). */
static json_t *user_get(store *s, const char *name, int *rc)
{
	MDB_txn *txn;
	json_t *u;

	if (!s->has_queue) {
		*rc = BASE_ENOTFOUND;
		return NULL;
	}
	if ((*rc = st_txn_begin(s, MDB_RDONLY, &txn)))
		return NULL;
	u = st_get_json(s, txn, s->users, name, rc);
	st_txn_abort(s, txn);
	return u;
}

int store_user_login(store *s, const char *name, const char *password,
		     int *role)
{
	int rc;
	json_t *u = name_ok(name) ? user_get(s, name, &rc) : NULL;
	const char *hash = json_string_value(json_object_get(u, "hash"));
	int ok;

	pthread_once(&sodium_once, sodium_start);
	if (!sodium_ok) {
		json_decref(u);
		return base_fail(BASE_ENOMEM, "cannot start libsodium");
	}
	ok = crypto_pwhash_str_verify(hash ? hash : dummy_hash, password,
				      strlen(password)) == 0 && hash &&
	     !json_is_true(json_object_get(u, "disabled"));
	*role = ok ? store_role_of(json_string_value(json_object_get(u, "role"))) : 0;
	json_decref(u);
	return ok && *role ? 0 : base_fail(BASE_EINVAL, "wrong user name or password");
}

/* Calls fn on each account; stops at its non-zero return. */
static int users_each(store *s, int (*fn)(json_t *u, void *ctx), void *ctx)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, stop = 0;

	if (!s->has_queue)
		return 0;
	if ((rc = st_txn_begin(s, MDB_RDONLY, &txn)))
		return rc;
	if ((rc = mdb_cursor_open(txn, s->users, &cur))) {
		st_txn_abort(s, txn);
		return st_db_error(rc, "cannot list users", s);
	}
	for (int op = MDB_FIRST; !stop && (rc = mdb_cursor_get(cur, &k, &v, op)) == 0;
	     op = MDB_NEXT) {
		json_t *u = json_loadb(v.mv_data, v.mv_size, 0, NULL);
		if (u)
			stop = fn(u, ctx);
		json_decref(u);
	}
	mdb_cursor_close(cur);
	st_txn_abort(s, txn);
	return rc && rc != MDB_NOTFOUND ? st_db_error(rc, "cannot list users", s) : 0;
}

struct by_token {
	char hash[65], *name, now[32];
	int role, expired;
};

static int token_is(json_t *u, void *ctx)
{
	struct by_token *b = ctx;
	const char *h = json_string_value(json_object_get(u, "token"));
	const char *until = json_string_value(json_object_get(u, "token_expires"));

	if (!h || strlen(h) != 64 || sodium_memcmp(h, b->hash, 64) != 0 ||
	    json_is_true(json_object_get(u, "disabled")))
		return 0;
	/* a token from before expiry dates has none: it no longer works */
	if (!until || strcmp(until, b->now) <= 0) {
		b->expired = 1;
		return 1;
	}
	snprintf(b->name, 65, "%s", json_string_value(json_object_get(u, "name")));
	b->role = store_role_of(json_string_value(json_object_get(u, "role")));
	const char *scope = json_string_value(json_object_get(u, "token_scope"));
	if (!(scope && !strcmp(scope, "full")) && b->role > STORE_ROLE_VIEWER)
		b->role = STORE_ROLE_VIEWER;
	return 1;
}

int store_user_by_token(store *s, const char *token, char name[65], int *role)
{
	struct by_token b = { "", name, "", 0, 0 };
	int rc;

	pthread_once(&sodium_once, sodium_start);
	*role = 0;
	name[0] = 0;
	if (strlen(token) != 64)
		return base_fail(BASE_EINVAL, "not a token");
	if ((rc = base_sha256_hex(token, 64, b.hash)))
		return rc;
	base_now_iso(b.now);
	if ((rc = users_each(s, token_is, &b)))
		return rc;
	if (b.expired)
		return base_fail(BASE_EDENIED, "the token has expired: make a new one "
			       "(sohoa user token NAME)");
	*role = b.role;
	return b.role ? 0 : base_fail(BASE_EINVAL, "not a token");
}

static int list_one(json_t *u, void *ctx)
{
	json_t *c = json_copy(u);

	json_object_del(c, "hash");
	json_object_set_new(c, "token", json_boolean(json_object_get(u, "token") != NULL));
	json_array_append_new(ctx, c);
	return 0;
}

int store_user_list(store *s, json_t **out)
{
	int rc;

	*out = json_array();
	rc = users_each(s, list_one, *out);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

static int count_one(json_t *u, void *ctx)
{
	(void)u;
	(*(size_t *)ctx)++;
	return 0;
}

int store_user_role(store *s, const char *name, int *role)
{
	int rc;
	json_t *u = name_ok(name) ? user_get(s, name, &rc) : NULL;

	*role = 0;
	if (!u)
		return name_ok(name) && rc != BASE_ENOTFOUND ? rc : 0;
	if (!json_is_true(json_object_get(u, "disabled")))
		*role = store_role_of(json_string_value(json_object_get(u, "role")));
	json_decref(u);
	return 0;
}

int store_user_count(store *s, size_t *n)
{
	*n = 0;
	return users_each(s, count_one, n);
}
