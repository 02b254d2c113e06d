/* store_poke.c - damages a store on purpose, for tests, through LMDB's
 * public API only:
 *   store_poke DIR flip ID       flip one byte in the record's original
 *   store_poke DIR schema N      claim the store has schema version N
 *   store_poke DIR page ID       garbage for page 1's OCR result
 *   store_poke DIR record ID     garbage for the record itself
 *   store_poke DIR bare ID       the record as valid JSON with almost no
 *                                keys (another tool's, an older one's)
 *   store_poke DIR untext 1      put each page's text back into its
 *                                OCR result and claim schema 2: a store
 *                                from before the texts database
 *   store_poke DIR unindex 1     that, the search index removed too, and
 *                                schema 1: a store from before the index
 *   store_poke DIR dropindex 1   the search index removed, nothing else:
 *                                the next write builds it (a benchmark)
 *   store_poke DIR unqueue 1     accounts, access log and review queue
 *                                removed, schema 3: a store from before
 *                                them (untext and unindex do this too)
 *   store_poke DIR image ID      flip one byte in page 1's stored image
 *   store_poke DIR text ID       flip one byte in page 1's stored text
 *   store_poke DIR unmend 1      each page's words as read (a mended
 *                                word's "r" back as its text) and
 *                                schema 5: a store from before words
 *                                were stored mended
 *   store_poke DIR words ID      print page 1's stored words (JSON)
 *   store_poke DIR queue ID      garbage for the record's line in the
 *                                review queue
 * "bare" writes the record's checksum too (a value written as it should
 * be, only thin); the older-schema ones drop the checksums (schema 5). */
#include <jansson.h>
#include <lmdb.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The checksum the store keeps beside a value (src/store/store.c). */
static int resum(MDB_txn *txn, char tag, const MDB_val *k, const MDB_val *v)
{
	MDB_dbi sums;
	unsigned char md[32];
	char key[128], hex[65];
	unsigned int n = 0;
	MDB_val kk, vv = { 64, hex };
	int rc = mdb_dbi_open(txn, "sums", 0, &sums);

	if (rc)
		return rc == MDB_NOTFOUND ? 0 : rc;
	EVP_Digest(v->mv_data, v->mv_size, md, &n, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
	key[0] = tag;
	key[1] = ':';
	memcpy(key + 2, k->mv_data, k->mv_size);
	kk.mv_data = key;
	kk.mv_size = k->mv_size + 2;
	return mdb_put(txn, sums, &kk, &vv, 0);
}

static int drop_sums(MDB_txn *txn)
{
	MDB_dbi sums;
	int rc = mdb_dbi_open(txn, "sums", 0, &sums);

	return rc == MDB_NOTFOUND ? 0 : rc ? rc : mdb_drop(txn, sums, 1);
}

int main(int argc, char **argv)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k, v;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: store_poke DIR flip|page|record|bare|image|text|words|queue ID | DIR schema N | DIR untext|unindex|dropindex|unqueue|unmend 1\n");
		return 2;
	}
	mdb_env_create(&env);
	mdb_env_set_maxdbs(env, 16);
	if ((rc = mdb_env_open(env, argv[1], 0, 0644)) ||
	    (rc = mdb_txn_begin(env, NULL, 0, &txn)))
		goto fail;
	if (!strcmp(argv[2], "flip")) {
		void *copy;
		if ((rc = mdb_dbi_open(txn, "originals", 0, &dbi)))
			goto fail;
		k.mv_data = argv[3];
		k.mv_size = strlen(argv[3]);
		if ((rc = mdb_get(txn, dbi, &k, &v)))
			goto fail;
		copy = malloc(v.mv_size);
		memcpy(copy, v.mv_data, v.mv_size);
		((unsigned char *)copy)[v.mv_size / 2] ^= 0x5a;
		v.mv_data = copy;
		rc = mdb_put(txn, dbi, &k, &v, 0);
		free(copy);
	} else if (!strcmp(argv[2], "page") || !strcmp(argv[2], "record") ||
		   !strcmp(argv[2], "bare")) {
		char key[64];
		int page = !strcmp(argv[2], "page");
		if ((rc = mdb_dbi_open(txn, page ? "pages" : "records", 0, &dbi)))
			goto fail;
		snprintf(key, sizeof(key), page ? "%s:0001" : "%s", argv[3]);
		k.mv_data = key;
		k.mv_size = strlen(key);
		v.mv_data = !strcmp(argv[2], "bare") ? "{\"type\":\"khai-sinh\"}"
						     : "{not json";
		v.mv_size = strlen(v.mv_data);
		rc = mdb_put(txn, dbi, &k, &v, 0);
		if (rc == 0 && !strcmp(argv[2], "bare"))
			rc = resum(txn, 'r', &k, &v);
	} else if (!strcmp(argv[2], "image") || !strcmp(argv[2], "text")) {
		char key[64];
		void *copy;
		if ((rc = mdb_dbi_open(txn, !strcmp(argv[2], "image") ? "images"
				       : "texts", 0, &dbi)))
			goto fail;
		snprintf(key, sizeof(key), "%s:0001", argv[3]);
		k.mv_data = key;
		k.mv_size = strlen(key);
		if ((rc = mdb_get(txn, dbi, &k, &v)))
			goto fail;
		copy = malloc(v.mv_size);
		memcpy(copy, v.mv_data, v.mv_size);
		((unsigned char *)copy)[v.mv_size / 2] ^= 0x01;
		v.mv_data = copy;
		rc = mdb_put(txn, dbi, &k, &v, 0);
		free(copy);
	} else if (!strcmp(argv[2], "words")) {
		char key[64];
		json_t *page;
		if ((rc = mdb_dbi_open(txn, "pages", 0, &dbi)))
			goto fail;
		snprintf(key, sizeof(key), "%s:0001", argv[3]);
		k.mv_data = key;
		k.mv_size = strlen(key);
		if ((rc = mdb_get(txn, dbi, &k, &v)))
			goto fail;
		page = json_loadb(v.mv_data, v.mv_size, 0, NULL);
		json_dumpf(json_object_get(page, "words"), stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(page);
	} else if (!strcmp(argv[2], "queue")) {
		MDB_dbi of;
		MDB_val qk;
		if ((rc = mdb_dbi_open(txn, "queue_of", 0, &of)) ||
		    (rc = mdb_dbi_open(txn, "queue", 0, &dbi)))
			goto fail;
		k.mv_data = argv[3];
		k.mv_size = strlen(argv[3]);
		if ((rc = mdb_get(txn, of, &k, &qk)))
			goto fail;
		char key[64];
		snprintf(key, sizeof(key), "%.*s", (int)qk.mv_size, (char *)qk.mv_data);
		qk.mv_data = key;
		v.mv_data = "garbage";
		v.mv_size = 7;
		rc = mdb_put(txn, dbi, &qk, &v, 0);
	} else if (!strcmp(argv[2], "unmend")) {
		/* the keys first: a put moves what a cursor points at */
		MDB_cursor *cur;
		char **keys = NULL;
		size_t n = 0;
		if ((rc = mdb_dbi_open(txn, "pages", 0, &dbi)) ||
		    (rc = mdb_cursor_open(txn, dbi, &cur)))
			goto fail;
		for (int op = MDB_FIRST; mdb_cursor_get(cur, &k, &v, op) == 0;
		     op = MDB_NEXT) {
			keys = realloc(keys, (n + 1) * sizeof(*keys));
			keys[n++] = strndup(k.mv_data, k.mv_size);
		}
		mdb_cursor_close(cur);
		for (size_t i = 0; i < n; i++) {
			json_t *page = NULL, *w;
			size_t j;
			char *out = NULL;
			k.mv_data = keys[i];
			k.mv_size = strlen(keys[i]);
			if (rc == 0 && mdb_get(txn, dbi, &k, &v) == 0)
				page = json_loadb(v.mv_data, v.mv_size, 0, NULL);
			json_array_foreach(json_object_get(page, "words"), j, w) {
				json_t *r = json_object_get(w, "r");
				if (r) {
					json_object_set(w, "t", r);
					json_object_del(w, "r");
				}
			}
			if (page && (out = json_dumps(page, JSON_COMPACT))) {
				v.mv_data = out;
				v.mv_size = strlen(out);
				rc = mdb_put(txn, dbi, &k, &v, 0);
				if (rc == 0)
					rc = resum(txn, 'p', &k, &v);
			}
			free(out);
			json_decref(page);
			free(keys[i]);
		}
		free(keys);
		if (rc == 0 && (rc = mdb_dbi_open(txn, "meta", 0, &dbi)) == 0) {
			k.mv_data = "schema";
			k.mv_size = 6;
			v.mv_data = "5";
			v.mv_size = 1;
			rc = mdb_put(txn, dbi, &k, &v, 0);
		}
	} else if (!strcmp(argv[2], "dropindex")) {
		static const char *const ix[] = { "ix_terms", "ix_vocab",
						  "ix_docs" };
		for (int i = 0; i < 3 && rc == 0; i++)
			if ((rc = mdb_dbi_open(txn, ix[i], 0, &dbi)) == 0)
				rc = mdb_drop(txn, dbi, 1);
	} else if (!strcmp(argv[2], "unqueue")) {
		static const char *const q[] = { "users", "access", "queue", "queue_of" };
		rc = drop_sums(txn);
		for (int i = 0; i < 4 && rc == 0; i++)
			if ((rc = mdb_dbi_open(txn, q[i], 0, &dbi)) == 0)
				rc = mdb_drop(txn, dbi, 1);
		if (rc == 0 && (rc = mdb_dbi_open(txn, "meta", 0, &dbi)) == 0) {
			k.mv_data = "schema";
			k.mv_size = 6;
			v.mv_data = "3";
			v.mv_size = 1;
			rc = mdb_put(txn, dbi, &k, &v, 0);
		}
	} else if (!strcmp(argv[2], "unindex") || !strcmp(argv[2], "untext")) {
		static const char *const ix[] = { "ix_terms", "ix_vocab",
						  "ix_docs" };
		MDB_dbi texts, pages;
		MDB_cursor *cur;
		int unindex = !strcmp(argv[2], "unindex");
		if ((rc = mdb_dbi_open(txn, "texts", 0, &texts)) ||
		    (rc = mdb_dbi_open(txn, "pages", 0, &pages)) ||
		    (rc = mdb_cursor_open(txn, texts, &cur)))
			goto fail;
		for (int op = MDB_FIRST; rc == 0 &&
		     mdb_cursor_get(cur, &k, &v, op) == 0; op = MDB_NEXT) {
			MDB_val pv;
			json_t *res = NULL;
			char *out;
			if (mdb_get(txn, pages, &k, &pv) == 0)
				res = json_loadb(pv.mv_data, pv.mv_size, 0, NULL);
			if (!res)
				res = json_object();
			json_object_set_new(res, "text",
					    json_stringn(v.mv_data, v.mv_size - 1));
			out = json_dumps(res, JSON_COMPACT);
			pv.mv_data = out;
			pv.mv_size = strlen(out);
			rc = mdb_put(txn, pages, &k, &pv, 0);
			free(out);
			json_decref(res);
		}
		mdb_cursor_close(cur);
		if (rc == 0)
			rc = mdb_drop(txn, texts, 1);
		if (rc == 0)
			rc = drop_sums(txn);
		/* an older store had none of schema 4's either */
		static const char *const q[] = { "users", "access", "queue", "queue_of" };
		for (int i = 0; i < 4 && rc == 0; i++)
			if ((rc = mdb_dbi_open(txn, q[i], 0, &dbi)) == 0)
				rc = mdb_drop(txn, dbi, 1);
		for (int i = 0; i < 3 && rc == 0 && unindex; i++)
			if ((rc = mdb_dbi_open(txn, ix[i], 0, &dbi)) == 0)
				rc = mdb_drop(txn, dbi, 1);
		if (rc == 0 && (rc = mdb_dbi_open(txn, "meta", 0, &dbi)) == 0) {
			k.mv_data = "schema";
			k.mv_size = 6;
			v.mv_data = unindex ? "1" : "2";
			v.mv_size = 1;
			rc = mdb_put(txn, dbi, &k, &v, 0);
		}
	} else {
		if ((rc = mdb_dbi_open(txn, "meta", 0, &dbi)))
			goto fail;
		k.mv_data = "schema";
		k.mv_size = 6;
		v.mv_data = argv[3];
		v.mv_size = strlen(argv[3]);
		rc = mdb_put(txn, dbi, &k, &v, 0);
	}
	if (rc || (rc = mdb_txn_commit(txn)))
		goto fail;
	mdb_env_close(env);
	return 0;
fail:
	fprintf(stderr, "store_poke: %s\n", mdb_strerror(rc));
	return 1;
}
