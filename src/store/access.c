/* access.c - the access log: every view and change of a record by a
 * person (and every search and failed login), appended under a sequence
 * number and never rewritten (Nghị định 13/2023/NĐ-CP: who looked at
 * which record must be known). */
#include "internal.h"

#include "../base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A key's sequence number (keys are 16 digits without a NUL). */
static long long seq_of(const MDB_val *k)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%.*s", (int)(k->mv_size < 20 ? k->mv_size : 20),
		 (char *)k->mv_data);
	return atoll(buf);
}

struct many {
	json_t *const *entries;
	size_t n;
};

static int access_txn(store *s, MDB_txn *txn, void *ctx)
{
	const struct many *m = ctx;
	MDB_cursor *cur;
	MDB_val k, v;
	char key[24];
	long long seq = 1;
	int rc = mdb_cursor_open(txn, s->access, &cur);

	if (rc)
		return st_db_error(rc, "cannot write the access log", s);
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if (rc == 0)
		seq = seq_of(&k) + 1;
	mdb_cursor_close(cur);
	if (rc && rc != MDB_NOTFOUND)
		return st_db_error(rc, "cannot read the access log", s);
	for (size_t i = 0; i < m->n; i++, seq++) {
		char *text = json_dumps(m->entries[i], JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (!text)
			return base_fail(BASE_ENOMEM, "cannot encode a log entry");
		snprintf(key, sizeof(key), "%016lld", seq);
		MDB_val kk = { 16, key }, vv = { strlen(text), text };
		/* appended, never over an existing entry */
		rc = mdb_put(txn, s->access, &kk, &vv, MDB_APPEND | MDB_NOOVERWRITE);
		free(text);
		if (rc)
			return st_db_error(rc, "cannot write the access log", s);
	}
	return 0;
}

int st_access_put(store *s, MDB_txn *txn, json_t *const *entries, size_t n)
{
	struct many m = { entries, n };

	if (!s->has_queue)
		return base_fail(BASE_EVERSION, "store '%s' has no access log yet", s->dir);
	return access_txn(s, txn, &m);
}

int store_access_add_many(store *s, json_t *const *entries, size_t n)
{
	struct many m = { entries, n };
	char now[32];

	if (!s->has_queue)
		return base_fail(BASE_EVERSION, "store '%s' has no access log yet: "
			       "open it for writing with this sohoa first", s->dir);
	base_now_iso(now);
	for (size_t i = 0; i < n; i++)
		if (!json_object_get(entries[i], "time"))
			json_object_set_new(entries[i], "time", json_string(now));
	return n ? st_write(s, access_txn, &m) : 0;
}

int store_access_add(store *s, json_t *entry)
{
	return store_access_add_many(s, &entry, 1);
}

static int str_is(json_t *o, const char *k, const char *want)
{
	const char *v = json_string_value(json_object_get(o, k));

	return !want || (v && !strcmp(v, want));
}

int store_access_list(store *s, const store_access_filter *f, json_t **out)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	json_t *all = json_array();
	int rc;

	*out = NULL;
	if (!s->has_queue) {
		*out = all;
		return 0;
	}
	if ((rc = st_txn_begin(s, MDB_RDONLY, &txn))) {
		json_decref(all);
		return rc;
	}
	if ((rc = mdb_cursor_open(txn, s->access, &cur))) {
		st_txn_abort(s, txn);
		json_decref(all);
		return st_db_error(rc, "cannot read the access log", s);
	}
	for (int op = MDB_FIRST; (rc = mdb_cursor_get(cur, &k, &v, op)) == 0;
	     op = MDB_NEXT) {
		json_t *e = json_loadb(v.mv_data, v.mv_size, 0, NULL);
		const char *t = json_string_value(json_object_get(e, "time"));
		if (e && str_is(e, "user", f->user) && str_is(e, "record", f->record) &&
		    str_is(e, "action", f->action) &&
		    (!f->since || (t && strcmp(t, f->since) >= 0))) {
			json_object_set_new(e, "seq", json_integer(seq_of(&k)));
			json_array_append(all, e);
		}
		json_decref(e);
	}
	mdb_cursor_close(cur);
	st_txn_abort(s, txn);
	if (rc != MDB_NOTFOUND) {
		json_decref(all);
		return st_db_error(rc, "cannot read the access log", s);
	}
	if (f->limit && json_array_size(all) > f->limit) {
		json_t *tail = json_array();
		for (size_t i = json_array_size(all) - f->limit; i < json_array_size(all); i++)
			json_array_append(tail, json_array_get(all, i));
		json_decref(all);
		all = tail;
	}
	*out = all;
	return 0;
}
