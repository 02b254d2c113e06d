/* test_store.c - the store module and the base helpers: records, the
 * duplicate rule, history order, map growth, schema refusal, packing. */
#include "../../src/sh/sh.h"
#include "../../src/store/store.h"
#include "unit.h"

#include <lmdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

static store *open_store(size_t map, int create, int *rc)
{
	store_opts o = { map, create, 0 };
	store *s = NULL;

	*rc = store_open(&s, dir, &o);
	return s;
}

static int add(store *s, const void *data, size_t len, char id[STORE_ID_MAX])
{
	store_new_record r = { 0 };
	char sha[65];
	void *packed;
	size_t plen;
	int rc = store_pack(data, len, 3, &packed, &plen);

	if (rc)
		return rc;
	sh_sha256_hex(data, len, sha);
	r.sha256 = sha;
	r.meta = json_pack("{s:{s:s, s:I}}", "source", "sha256", sha,
			   "bytes", (json_int_t)len);
	r.packed = packed;
	r.packed_len = plen;
	r.bytes = len;
	r.pages = 1;
	r.batch = "B-000001";
	rc = store_record_add(s, &r, id);
	json_decref(r.meta);
	free(packed);
	return rc;
}

static void test_sha(void)
{
	char hex[65];

	sh_sha256_hex("abc", 3, hex);
	CHECK(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
	      "sha256 of 'abc' is the FIPS 180-2 test vector");
}

static void test_records(void)
{
	char id[STORE_ID_MAX], id2[STORE_ID_MAX], found[STORE_ID_MAX];
	json_t *meta = NULL, *hist = NULL, *ev;
	void *back = NULL;
	size_t len = 0;
	int rc;
	store *s = open_store(1 << 20, 0, &rc);

	CHECK(rc == SH_ENOTFOUND && !s, "a missing store is not created without create");
	s = open_store(1 << 20, 1, &rc);
	CHECK(rc == 0 && s, "a new store is created");
	CHECK(add(s, "first original", 14, id) == 0 && !strcmp(id, "HS-000001"),
	      "first record gets HS-000001 (got %s)", id);
	CHECK(add(s, "second original", 15, id2) == 0 && !strcmp(id2, "HS-000002"),
	      "ids count up");
	CHECK(add(s, "first original", 14, found) == SH_EEXIST && !strcmp(found, id),
	      "the same content is a duplicate naming the first record");
	CHECK(store_original_get(s, id, &back, &len) == 0 && len == 14 &&
	      !memcmp(back, "first original", 14), "original comes back bit-exact");
	free(back);
	ev = json_pack("{s:s}", "event", "corrected");
	CHECK(store_history_append(s, id, ev) == 0, "history append");
	json_decref(ev);
	ev = json_pack("{s:s}", "event", "exported");
	store_history_append(s, id, ev);
	json_decref(ev);
	CHECK(store_record_get(s, id, &meta, &hist) == 0, "record get");
	CHECK(json_array_size(hist) == 3, "history holds 3 events");
	CHECK(!strcmp(json_string_value(json_object_get(json_array_get(hist, 0), "event")), "ingested") &&
	      !strcmp(json_string_value(json_object_get(json_array_get(hist, 2), "event")), "exported"),
	      "history keeps its order");
	CHECK(json_object_get(json_array_get(hist, 1), "time") &&
	      json_object_get(json_array_get(hist, 1), "user"), "events carry time and user");
	json_decref(meta);
	json_decref(hist);
	CHECK(store_record_get(s, "HS-999999", NULL, NULL) == SH_ENOTFOUND &&
	      strstr(sh_errmsg(), "HS-999999"), "unknown id is NOTFOUND, named");
	store_close(&s);
	CHECK(s == NULL, "store_close sets the handle to NULL");
	store_close(&s); /* NULL is fine */
	s = open_store(1 << 20, 0, &rc);
	CHECK(rc == 0 && add(s, "third", 5, id) == 0 && !strcmp(id, "HS-000003"),
	      "ids continue after reopening (never reused)");
	store_close(&s);
}

static void test_growth(void)
{
	size_t big = (size_t)3 << 20;
	unsigned char *data = malloc(big);
	char id[STORE_ID_MAX];
	json_t *st = NULL;
	int rc;
	store *s;

	/* incompressible: the packed frame is as large as the data */
	for (size_t i = 0; i < big; i++)
		data[i] = (unsigned char)(rand() >> 7);
	s = open_store(1 << 20, 0, &rc);
	CHECK(add(s, data, big, id) == 0, "a 3 MiB record fits a 1 MiB map");
	data[0] ^= 1;
	CHECK(add(s, data, big, id) == 0, "and another after it");
	store_stats(s, &st);
	CHECK(json_integer_value(json_object_get(st, "map_bytes")) > (8 << 20) - 1,
	      "the map grew");
	json_decref(st);
	store_close(&s);
	free(data);
}

static void test_pack(void)
{
	void *p, *u;
	size_t plen, ulen;
	const char text[] = "Giấy khai sinh Giấy khai sinh Giấy khai sinh";

	CHECK(store_pack(text, sizeof(text), 9, &p, &plen) == 0, "pack");
	CHECK(store_unpack(p, plen, 1000, &u, &ulen) == 0 && ulen == sizeof(text) &&
	      !memcmp(u, text, ulen), "unpack round trip");
	free(u);
	CHECK(store_unpack(p, plen, 10, &u, &ulen) == SH_ECORRUPT,
	      "a frame larger than expected is refused");
	((unsigned char *)p)[plen - 2] ^= 0xff;
	CHECK(store_unpack(p, plen, 1000, &u, &ulen) == SH_ECORRUPT,
	      "a damaged frame is detected by its checksum");
	free(p);
}

static void test_schema(void)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k = { 6, "schema" }, v = { 1, "9" };
	int rc;
	store *s;

	mdb_env_create(&env);
	mdb_env_set_maxdbs(env, 16);
	mdb_env_open(env, dir, 0, 0644);
	mdb_txn_begin(env, NULL, 0, &txn);
	mdb_dbi_open(txn, "meta", 0, &dbi);
	mdb_put(txn, dbi, &k, &v, 0);
	mdb_txn_commit(txn);
	mdb_env_close(env);
	s = open_store(1 << 20, 0, &rc);
	CHECK(rc == SH_EVERSION && !s && strstr(sh_errmsg(), "newer"),
	      "a store from a newer schema is refused: %s", sh_errmsg());
}

int main(void)
{
	snprintf(dir, sizeof(dir), "%s/unit-store.%d",
		 getenv("TMPROOT") ? getenv("TMPROOT") : "/tmp", (int)getpid());
	test_sha();
	test_pack();
	test_records();
	test_growth();
	test_schema();
	return unit_status();
}
