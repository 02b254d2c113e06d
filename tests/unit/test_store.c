/* test_store.c - the store module and the base helpers: records, the
 * duplicate rule, history order, map growth, schema refusal, packing,
 * the bulk load. */
#include "../../src/index/index.h"
#include "../../src/base/base.h"
#include "../../src/store/store.h"
#include "schema.h"
#include "unit.h"

#include <lmdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

static store *open_store(size_t map, int create, int *rc)
{
	store_opts o = { .map_size = map, .create = create, .schema = unit_schema() };
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
	base_sha256_hex(data, len, sha);
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

	base_sha256_hex("abc", 3, hex);
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

	CHECK(rc == BASE_ENOTFOUND && !s, "a missing store is not created without create");
	s = open_store(1 << 20, 1, &rc);
	CHECK(rc == 0 && s, "a new store is created");
	CHECK(add(s, "first original", 14, id) == 0 && !strcmp(id, "HS-000001"),
	      "first record gets HS-000001 (got %s)", id);
	CHECK(add(s, "second original", 15, id2) == 0 && !strcmp(id2, "HS-000002"),
	      "ids count up");
	CHECK(add(s, "first original", 14, found) == BASE_EEXIST && !strcmp(found, id),
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
	CHECK(store_record_get(s, "HS-999999", NULL, NULL) == BASE_ENOTFOUND &&
	      strstr(base_errmsg(), "HS-999999"), "unknown id is NOTFOUND, named");
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

#define NBATCH 300

/* Record i of the batch tests: its own word "tuX" and words every record
 * shares; record 7 comes twice. */
static void batch_record(int i, store_new_record *r, char sha[65],
			 void **packed, json_t **pages)
{
	char text[256], body[64];
	size_t plen;
	int k = i == NBATCH - 1 ? 7 : i;

	snprintf(body, sizeof(body), "record %d", k);
	snprintf(text, sizeof(text), "GIẤY KHAI SINH\nHọ và tên: Nguyễn Văn "
		 "Tư%c%c tu%d\nNơi sinh: Hà Nội", 'a' + k % 26, 'a' + k / 26, k);
	/* an original of 8 KiB that does not compress: the batch outgrows
	 * a 1 MiB map */
	unsigned char orig[8192];
	unsigned x = (unsigned)k * 2654435761u + 1;
	for (size_t j = 0; j < sizeof(orig); j++)
		orig[j] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
	base_sha256_hex(orig, sizeof(orig), sha);
	store_pack(orig, sizeof(orig), 1, packed, &plen);
	*pages = json_pack("[{s:s}, n]", "text", text);
	memset(r, 0, sizeof(*r));
	r->sha256 = sha;
	r->meta = json_pack("{s:s, s:{s:{s:s}}}", "type", "khai-sinh",
			    "fields", "so", "value", body + 7);
	r->packed = *packed;
	r->packed_len = plen;
	r->bytes = sizeof(orig);
	r->pages = 2;
	r->batch = "B-LOAD";
	r->page_results = *pages;
}

/* The ids and scores of a search, as one string. */
static void hits_of(store *s, const char *query, char *out, size_t len)
{
	index_query *q = NULL;
	index_result *r = NULL;
	index_params p;
	size_t n = 0;

	index_params_default(&p);
	out[0] = 0;
	if (index_query_parse(unit_schema(), query, &q) == 0 &&
	    store_search(s, q, &p, 20, &r) == 0) {
		n += (size_t)snprintf(out + n, len - n, "%zu:", r->total);
		for (size_t i = 0; i < r->n && n < len; i++)
			n += (size_t)snprintf(out + n, len - n, " %s/%.9g",
					      r->hits[i].id, r->hits[i].score);
	}
	index_result_free(&r);
	index_query_free(&q);
}

/* A batch in one transaction, its records made ready on every core,
 * stores and indexes what records added one by one do. */
static void test_batch(void)
{
	static store_new_record r[NBATCH];
	static char sha[NBATCH][65], ids[NBATCH][STORE_ID_MAX];
	static int rcs[NBATCH];
	void *packed[NBATCH];
	json_t *pages[NBATCH], *meta = NULL, *hist = NULL, *st = NULL;
	char batch_dir[300], one_dir[300], id[STORE_ID_MAX], a[4096], b[4096];
	const char *queries[] = { "nguyen van", "tu37", "Tưhb", "so:\"12\"",
				  "\"ho va ten\" tu250", "ha noi -tu3" };
	store_opts o = { .map_size = 1 << 20, .create = 1, .schema = unit_schema() };
	store *s = NULL, *one = NULL;
	int rc, ok = 1;

	snprintf(batch_dir, sizeof(batch_dir), "%s.batch", dir);
	snprintf(one_dir, sizeof(one_dir), "%s.one", dir);
	/* a stored record the batch holds again: it keeps its id */
	batch_record(3, &r[0], sha[0], &packed[0], &pages[0]);
	store_open(&s, batch_dir, &o);
	store_open(&one, one_dir, &o);
	CHECK(s && one && store_record_add(s, &r[0], id) == 0 &&
	      store_record_add(one, &r[0], id) == 0, "stores for the batch");
	json_decref(r[0].meta);
	json_decref(pages[0]);
	free(packed[0]);
	for (int i = 0; i < NBATCH; i++)
		batch_record(i, &r[i], sha[i], &packed[i], &pages[i]);
	/* a 1 MiB map: the batch runs again after the map grows */
	rc = store_record_add_batch(s, r, NBATCH, ids, rcs);
	CHECK(rc == 0, "a batch of %d records is stored: %s", NBATCH,
	      rc ? base_errmsg() : "");
	for (int i = 0; i < NBATCH; i++) {
		char want[STORE_ID_MAX];
		int dup = i == 3 || i == NBATCH - 1;
		snprintf(want, sizeof(want), "HS-%06d", i == NBATCH - 1 ? 8 :
			 i == 3 ? 1 : i < 3 ? i + 2 : i + 1);
		if (rcs[i] != (dup ? BASE_EEXIST : 0) || strcmp(ids[i], want)) {
			ok = 0;
			printf("# record %d: %s rc %d, want %s\n", i, ids[i],
			       rcs[i], want);
		}
	}
	CHECK(ok, "ids follow the store's; the stored record and the one "
	      "twice in the batch keep their first id");
	CHECK(store_record_get(s, "HS-000150", &meta, &hist) == 0 &&
	      !strcmp(json_string_value(json_object_get(meta, "id")),
		      "HS-000150") && json_array_size(hist) == 1 &&
	      !strcmp(json_string_value(json_object_get(json_array_get(hist, 0),
				"event")), "ingested"),
	      "a batch record has its metadata and its ingested event");
	json_decref(meta);
	json_decref(hist);
	json_t *page = NULL;
	CHECK(store_page_get(s, "HS-000150", 1, &page) == 0 &&
	      strstr(json_string_value(json_object_get(page, "text")), "tu149"),
	      "and its page's text");
	json_decref(page);
	store_stats(s, &st);
	CHECK(json_integer_value(json_object_get(st, "map_bytes")) > (1 << 20),
	      "the map grew during the batch");
	CHECK(json_integer_value(json_object_get(st, "records")) == NBATCH - 1 &&
	      json_integer_value(json_object_get(st, "pages")) ==
	      2 * (NBATCH - 1), "the store counts %d records and their pages",
	      NBATCH - 1);
	json_decref(st);
	for (int i = 0; i < NBATCH; i++)
		if (i != 3 && i != NBATCH - 1)
			store_record_add(one, &r[i], id);
	ok = 1;
	for (size_t q = 0; q < sizeof(queries) / sizeof(*queries); q++) {
		hits_of(s, queries[q], a, sizeof(a));
		hits_of(one, queries[q], b, sizeof(b));
		if (strcmp(a, b) || !a[0] || !strncmp(a, "0:", 2)) {
			ok = 0;
			printf("# %s\n#  batch: %.200s\n#  one by one: %.200s\n",
			       queries[q], a, b);
		}
	}
	CHECK(ok, "searches find the same records with the same scores in the "
	      "batch's index as in one built record by record");
	for (int i = 0; i < NBATCH; i++) {
		json_decref(r[i].meta);
		json_decref(pages[i]);
		free(packed[i]);
	}
	store_close(&s);
	store_close(&one);
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
	CHECK(store_unpack(p, plen, 10, &u, &ulen) == BASE_ECORRUPT,
	      "a frame larger than expected is refused");
	((unsigned char *)p)[plen - 2] ^= 0xff;
	CHECK(store_unpack(p, plen, 1000, &u, &ulen) == BASE_ECORRUPT,
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
	CHECK(rc == BASE_EVERSION && !s && strstr(base_errmsg(), "newer"),
	      "a store from a newer schema is refused: %s", base_errmsg());
}

int main(void)
{
	snprintf(dir, sizeof(dir), "%s/unit-store.%d",
		 getenv("TMPROOT") ? getenv("TMPROOT") : "/tmp", (int)getpid());
	test_sha();
	test_pack();
	test_records();
	test_growth();
	test_batch();
	test_schema();
	return unit_status();
}
