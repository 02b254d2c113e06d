/* test_index.c - the index module: tokens and their two forms, postings
 * blocks that split and shrink, the query parser's answers and errors,
 * and searches over a small store: folded and exact, phrases, fields,
 * dates, exclusions, near spellings both ways, corrections. */
#include "../../src/index/internal.h"
#include "../../src/base/base.h"
#include "../../src/store/store.h"
#include "schema.h"
#include "unit.h"

#include <string.h>
#include <unistd.h>
#include <zstd.h>

static char dir[256];

static void forms(const char *in, const char *exact, const char *folded)
{
	char e[256], f[256];

	index_fold(in, e, sizeof(e), f, sizeof(f));
	CHECK(!strcmp(e, exact) && !strcmp(f, folded),
	      "'%s' -> exact '%s', folded '%s' (got '%s', '%s')", in, exact,
	      folded, e, f);
}

static void test_tokens(void)
{
	forms("NGUYỄN Văn Hoà", "nguyễn văn hòa", "nguyen van hoa");
	forms("Thuỷ, Thủy; Uỷ ban", "thủy thủy ủy ban", "thuy thuy uy ban");
	forms("quý khoẻ", "quý khỏe", "quy khoe");
	/* NFD input (as some scanners' software writes it) */
	forms("Nguye\xcc\x82\xcc\x83n", "nguyễn", "nguyen");
	forms("ĐẶNG đình", "đặng đình", "dang dinh");
	forms("Số: 038/1999, quyển 01", "số 38 1999 quyển 1", "so 38 1999 quyen 1");
	forms("CS00337 m²", "cs00337 m2", "cs00337 m2");
	/* the second time a token comes from the table of seen tokens */
	forms("NGUYỄN Văn Hoà", "nguyễn văn hòa", "nguyen van hoa");
	forms("Nguye\xcc\x82\xcc\x83n nguyễn", "nguyễn nguyễn", "nguyen nguyen");
	/* one too long for the table */
	forms("Nghiêngnghiêngnghiêngnghiêngnghiêng",
	      "nghiêngnghiêngnghiêngnghiêngnghiêng",
	      "nghiengnghiengnghiengnghiengnghieng");
}

static void test_postings(void)
{
	MDB_env *env;
	MDB_txn *txn;
	index_db *ix = NULL;
	ix_plist p;
	uint32_t pos[3] = { 4, 9, 200 };
	int rc = 0, ok = 1;

	mdb_env_create(&env);
	mdb_env_set_maxdbs(env, 8);
	mdb_env_set_mapsize(env, 64 << 20);
	CHECK(mdb_env_open(env, dir, 0, 0644) == 0, "an environment");
	mdb_txn_begin(env, NULL, 0, &txn);
	CHECK(index_open(&ix, txn, MDB_CREATE, unit_schema()) == 0, "index databases made");
	/* 1000 documents, out of order, make many blocks */
	for (uint32_t d = 1; d <= 1000 && rc == 0; d++)
		rc = ix_postings_insert(txn, ix->terms, "b:an",
					(d * 7919) % 1000 + 1, pos, 3, 1);
	CHECK(rc == 0, "1000 inserts");
	rc = ix_postings_read(txn, ix->terms, "b:an", 1, &p);
	for (size_t i = 0; i < p.n; i++)
		ok &= p.doc[i] == i + 1 && p.tf[i] == 3 &&
		      p.pos[p.off[i] + 2] == 200;
	CHECK(rc == 0 && p.n == 1000 && ok, "read back in order with positions "
	      "(%zu)", p.n);
	ix_plist_free(&p);
	rc = ix_postings_read(txn, ix->terms, "b:an", 0, &p);
	ok = rc == 0 && p.n == 1000 && p.has_pos == IX_TF && p.npos == 0;
	for (size_t i = 0; ok && i < p.n; i++)
		ok = p.doc[i] == i + 1 && p.tf[i] == 3;
	CHECK(ok, "read back without positions: documents and counts");
	ix_plist_free(&p);
	for (uint32_t d = 1; d <= 1000 && rc == 0; d += 2)
		rc = ix_postings_remove(txn, ix->terms, "b:an", d);
	ix_postings_read(txn, ix->terms, "b:an", 1, &p);
	ok = p.n == 500;
	for (size_t i = 0; ok && i < p.n; i++)
		ok = p.doc[i] == 2 * (i + 1) && p.pos[p.off[i]] == 4;
	CHECK(rc == 0 && ok, "odd documents removed, positions kept (%zu)", p.n);
	ix_plist_free(&p);
	ix_postings_read(txn, ix->terms, "b:a", 0, &p);
	CHECK(p.n == 0, "a prefix of a term is another term");
	ix_plist_free(&p);
	mdb_txn_abort(txn);
	index_close(&ix);
	index_close(&ix);
	mdb_env_close(env);
	unlink("data.mdb");
}

/* Blocks as the first index wrote them, the body one stretch (raw or
 * one zstd frame): still read. */
static void test_old_blocks(void)
{
	/* 2 documents (10, 13), kind IX_POS; gaps 0 3, tfs 1 2, positions
	 * 5 | 1 2 (deltas) */
	unsigned char body[] = { 0, 3, 1, 2, 5, 1, 2 };
	unsigned char raw[16] = { 2, IX_POS }, z[128] = { 2, IX_POS | 0x80 };
	size_t zn = ZSTD_compress(z + 2, sizeof(z) - 2, body, sizeof(body), 3);
	ix_plist p = { 0 }, q = { 0 };

	memcpy(raw + 2, body, sizeof(body));
	int rc = ix_block_decode(raw, 2 + sizeof(body), 10, 1, &p);
	CHECK(rc == 0 && p.n == 2 && p.doc[0] == 10 && p.doc[1] == 13 &&
	      p.tf[1] == 2 && p.pos[p.off[0]] == 5 && p.pos[p.off[1]] == 1 &&
	      p.pos[p.off[1] + 1] == 3, "a raw block of the first layout");
	rc = ZSTD_isError(zn) ? -1 : ix_block_decode(z, 2 + zn, 10, 0, &q);
	CHECK(rc == 0 && q.n == 2 && q.doc[1] == 13 && q.tf[0] == 1 &&
	      q.tf[1] == 2, "a zstd block of the first layout");
	ix_plist_free(&p);
	ix_plist_free(&q);
}

/* A packed block by hand: 130 documents (two groups of gaps), then a
 * list without tfs, then the same block cut short. */
static void test_packed_blocks(void)
{
	/* documents 7, 8, ..., 136 (gaps 0, 1, 1, ...), tf 1 but the
	 * 130th's, 3; kind IX_TF, split, flags IX_PACKED (4) */
	unsigned char b[128] = { 130, 1, IX_TF | 0x40 }, d[32] = { 3,
								   IX_DOCS | 0x40 };
	size_t n = 3, at;
	ix_plist p = { 0 }, q = { 0 }, r = { 0 };

	at = n + 1; /* the part's size, a varint byte: filled in below */
	b[at++] = 4;
	b[at++] = 1; /* gaps, first group: width 1, 128 bits */
	for (int i = 0; i < 16; i++)
		b[at++] = i ? 0xff : 0xfe;
	b[at++] = 1; /* second group: two gaps of 1 */
	b[at++] = 3;
	b[at++] = 2; /* tfs, first group: width 2, all 1 */
	for (int i = 0; i < 32; i++)
		b[at++] = 0x55;
	b[at++] = 2; /* second: 1, 3 */
	b[at++] = 1 | 3 << 2;
	b[n] = (unsigned char)(at - n - 2);
	int rc = ix_block_decode(b, at, 7, 0, &p);
	CHECK(rc == 0 && p.n == 130 && p.doc[0] == 7 && p.doc[128] == 135 &&
	      p.doc[129] == 136 && p.tf[0] == 1 && p.tf[128] == 1 &&
	      p.tf[129] == 3, "a packed block across two groups");
	/* IX_DOCS: documents 20, 25, 1000 (gaps 0, 5, 975: width 10) */
	uint32_t x = 0 | 5u << 10 | 975u << 20;
	unsigned char body[] = { 10, x & 0xff, x >> 8 & 0xff, x >> 16 & 0xff,
				 x >> 24 & 0xff };
	size_t k = 2;
	d[k++] = sizeof(body);
	d[k++] = 4;
	memcpy(d + k, body, sizeof(body));
	rc = ix_block_decode(d, k + sizeof(body), 20, 0, &q);
	CHECK(rc == 0 && q.n == 3 && q.doc[1] == 25 && q.doc[2] == 1000 &&
	      q.tf[2] == 1, "a packed list of documents alone");
	rc = ix_block_decode(b, at - 20, 7, 0, &r);
	CHECK(rc == BASE_ECORRUPT, "a packed block cut short is refused");
	ix_plist_free(&p);
	ix_plist_free(&q);
	ix_plist_free(&r);
}

static void parse_err(const char *q, const char *msg)
{
	index_query *x;
	int rc = index_query_parse(unit_schema(), q, &x);

	CHECK(rc == BASE_EINVAL && strstr(base_errmsg(), msg), "'%s' refused: %s",
	      q, base_errmsg());
}

static void test_parse(void)
{
	index_query *q;
	int rc = index_query_parse(unit_schema(), "nguyen \"van an\" so:38/1999 "
				   "ngay_sinh:1985..1990-06 -type:gcn", &q);

	CHECK(rc == 0 && q->n == 5, "five clauses");
	if (rc == 0) {
		CHECK(q->c[0].kind == IX_C_TERM && q->c[1].kind == IX_C_PHRASE &&
		      q->c[1].ntok == 2, "a word and a phrase");
		CHECK(q->c[2].kind == IX_C_FIELD && q->c[2].ntok == 2 &&
		      !strcmp(q->c[2].tok[1].folded, "1999"), "so:38/1999");
		CHECK(q->c[3].kind == IX_C_DATE && q->c[3].lo == 19850101 &&
		      q->c[3].hi == 19900631, "a date range by year and month");
		CHECK(q->c[4].neg && q->c[4].kind == IX_C_TYPE, "-type:gcn");
	}
	index_query_free(&q);
	index_query_free(&q);
	parse_err("\"van an", "unterminated quote");
	parse_err("hoten:an", "unknown field 'hoten'");
	parse_err("ngay_sinh:31/02", "not a date");
	parse_err("ngay_sinh:1995..1990", "not a date");
	parse_err("so:", "needs a value");
	parse_err("-an -binh", "only exclusions");
	parse_err("  , ; ", "nothing to look for");
	parse_err("\"\"", "empty phrase");
}

/* Stores a record of one page holding text, with metadata meta. */
static int add_meta(store *s, const char *text, json_t *meta, char id[STORE_ID_MAX])
{
	char sha[65];
	void *packed;
	size_t plen;
	json_t *pages = json_pack("[{s:s}]", "text", text);
	store_new_record r = { 0 };
	int rc = store_pack(text, strlen(text), 1, &packed, &plen);

	base_sha256_hex(text, strlen(text), sha);
	r.sha256 = sha;
	r.meta = meta;
	r.packed = packed;
	r.packed_len = plen;
	r.bytes = strlen(text);
	r.pages = 1;
	r.batch = "B-1";
	r.page_results = pages;
	if (rc == 0)
		rc = store_record_add(s, &r, id);
	free(packed);
	json_decref(pages);
	return rc;
}

static int add(store *s, const char *text, const char *type,
	       const char *name, const char *born, char id[STORE_ID_MAX])
{
	json_t *meta = json_pack("{s:s, s:{s:{s:s}, s:{s:s}}}", "type", type,
				 "fields", "ho_ten", "value", name,
				 "ngay_sinh", "value", born);
	int rc = add_meta(s, text, meta, id);

	json_decref(meta);
	return rc;
}

/* The ids of a query's hits, space-separated, best first. */
static const char *hits(store *s, const char *query)
{
	static char out[512];
	index_query *q;
	index_result *r = NULL;
	index_params p;
	size_t n = 0;

	index_params_default(&p);
	out[0] = 0;
	if (index_query_parse(unit_schema(), query, &q) || store_search(s, q, &p, 10, &r)) {
		snprintf(out, sizeof(out), "error: %s", base_errmsg());
		index_query_free(&q);
		return out;
	}
	for (size_t i = 0; i < r->n; i++) {
		char num[16];
		snprintf(num, sizeof(num), "%d", atoi(r->hits[i].id + 3));
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s%s%s%s",
				      i ? " " : "", atoi(r->hits[i].id + 3) ? num : "?",
				      r->hits[i].fuzzy ? "~" : "",
				      r->hits[i].partial ? "-" : "",
				      r->hits[i].partial ? r->hits[i].lacking : "");
	}
	index_query_free(&q);
	index_result_free(&r);
	return out;
}

static void expect(store *s, const char *query, const char *want)
{
	const char *got = hits(s, query);

	CHECK(!strcmp(got, want), "%-34s -> %s (got %s)", query, want, got);
}

static int rename_fn(json_t *meta, json_t *event, void *ctx)
{
	json_object_set_new(json_object_get(meta, "fields"), "ho_ten",
			    json_pack("{s:s}", "value", (const char *)ctx));
	json_object_set_new(event, "event", json_string("corrected"));
	return 0;
}

static void test_search(void)
{
	store_opts o = { .create = 1, .schema = unit_schema() };
	store *s;
	char id[STORE_ID_MAX];
	int rc;

	CHECK(store_open(&s, dir, &o) == 0, "a store");
	rc = add(s, "GIẤY KHAI SINH Họ, chữ đệm, tên: NGUYỄN VĂN AN\n"
		 "Nơi sinh: Phường Hàng Bạc, Quận Hoàn Kiếm", "khai-sinh",
		 "NGUYỄN VĂN AN", "1985-03-15", id);
	rc |= add(s, "GIẤY KHAI SINH Họ và tên: Nguyễn Vân An\n"
		  "Nơi sinh: Xã An Bình, Huyện Thuận An", "khai-sinh",
		  "Nguyễn Vân An", "1990-07-01", id);
	rc |= add(s, "GIẤY CHỨNG NHẬN KẾT HÔN Họ và tên vợ: Trần Thị Bình\n"
		  "mẹ: Nguyễn Văn An", "ket-hon", "", "2001-01-01", id);
	/* an OCR error in the stored text: Hùnh for Hùng */
	rc |= add(s, "GIẤY KHAI TỬ Họ, chữ đệm, tên: Lê Văn Hùnh\n"
		  "Nơi chết: Quận 1", "khai-tu", "Lê Văn Hùnh", "1950-12-31", id);
	/* a personal ID number, found however it is typed */
	rc |= add(s, "TRÍCH LỤC KHAI TỬ Số định danh cá nhân: 001219004567",
		  "khai-tu", "", "2000-02-02", id);
	CHECK(rc == 0, "five records");
	expect(s, "001219004567", "5");
	expect(s, "001 219 004 567", "5");
	expect(s, "001.219.004.567", "5");
	expect(s, "0012 1900 4567", "5");
	expect(s, "001 219 004", "");
	/* toneless, both An are the name asked for, above the mother */
	expect(s, "nguyen van an", "2 1 3");
	/* with tones, the exact one first */
	expect(s, "NGUYỄN VÂN AN", "2 1 3");
	expect(s, "nguyễn văn an", "1 2 3");
	expect(s, "vân", "2 4 1 3");
	expect(s, "\"sinh nguyen\"", "");
	expect(s, "\"hang bac\"", "1");
	expect(s, "\"bac hang\"", "");
	expect(s, "ho_ten:an", "1 2");
	expect(s, "ho_ten:\"nguyen van\"", "1 2");
	expect(s, "ho_ten:\"nguyễn văn\"", "1 2");
	expect(s, "type:ket-hon", "3");
	expect(s, "type:khai-sinh -vân", "1");
	expect(s, "type:khai-sinh -van", "");
	expect(s, "ngay_sinh:1985", "1");
	expect(s, "ngay_sinh:1985-03-15", "1");
	expect(s, "ngay_sinh:15/03/1985", "1");
	expect(s, "ngay_sinh:1985..1990", "1 2");
	expect(s, "ngay_sinh:..1960", "4");
	expect(s, "ngay_sinh:1986.. type:khai-sinh", "2");
	/* nam: the record's own date (its type's), never a birth date */
	expect(s, "nam:1985", "");
	expect(s, "nam:1900..2100", "");
	/* a date typed bare, as people type them: any of a record's dates */
	expect(s, "15/3/1985", "1");
	expect(s, "15-03-1985", "1");
	expect(s, "15.3.85", "1");
	expect(s, "01/07/1990", "2");
	expect(s, "ngay_sinh:15.03.1985", "1");
	expect(s, "nguyen 15/3/1985", "1");
	expect(s, "16/3/1985", "");
	/* nothing in a range: no qsort of nothing (UBSan) */
	expect(s, "ngay_sinh:1991..1995", "");
	expect(s, "nguyen van anh", "2~ 1~ 3~");
	expect(s, "le van hung", "4~");
	expect(s, "le van hunh", "4");
	expect(s, "so:12", "");
	/* a correction moves the record in the index at once */
	CHECK(store_record_update(s, "HS-000004", rename_fn, "Lê Văn Hùng") == 0,
	      "a correction");
	expect(s, "ho_ten:hung", "4");
	expect(s, "ho_ten:hunh", "4~");
	store_close(&s);
}

/* The best k of a search that scores only what can win are the best k
 * of one that scores every record: same records, same scores. */
static void same_top(store *s, const char *query, size_t k, int *ok)
{
	index_query *q;
	index_result *a = NULL, *b = NULL;
	index_params p;

	index_params_default(&p);
	if (index_query_parse(unit_schema(), query, &q) || store_search(s, q, &p, k, &a) ||
	    store_search(s, q, &p, 100000, &b)) {
		CHECK(0, "%s: %s", query, base_errmsg());
		*ok = 0;
	} else {
		int same = a->total == b->total && a->n == (b->n < k ? b->n : k);
		for (size_t i = 0; same && i < a->n; i++)
			same = !strcmp(a->hits[i].id, b->hits[i].id) &&
			       a->hits[i].score == b->hits[i].score;
		if (!same) {
			for (size_t i = 0; i < a->n || i < k; i++)
				fprintf(stderr, "# %s %.17g | %s %.17g\n",
					i < a->n ? a->hits[i].id : "-",
					i < a->n ? a->hits[i].score : 0,
					i < b->n ? b->hits[i].id : "-",
					i < b->n ? b->hits[i].score : 0);
			CHECK(0, "%s: top %zu differs from the full ranking", query, k);
			*ok = 0;
		}
	}
	index_query_free(&q);
	index_result_free(&a);
	index_result_free(&b);
}

static void test_top_k(void)
{
	static const char *sur[] = { "Nguyễn", "Trần", "Lê", "Phạm" };
	static const char *mid[] = { "Văn", "Thị", "Minh", "Công" };
	static const char *given[] = { "An", "Bình", "Hùng", "Lan", "Việt" };
	store_opts o = { .create = 1, .schema = unit_schema() };
	store *s;
	char id[STORE_ID_MAX], name[64], text[512], q[128];
	uint32_t r = 12345;
	int rc = 0, ok = 1;

	snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "-topk");
	CHECK(store_open(&s, dir, &o) == 0, "a second store");
	/* 400 records from a few names, so that names repeat, common words
	 * are everywhere and records differ in length */
	for (int i = 0; i < 400 && rc == 0; i++) {
		size_t n = 0;
		r = r * 1103515245 + 12345;
		snprintf(name, sizeof(name), "%s %s %s", sur[r >> 8 & 3],
			 mid[r >> 12 & 3], given[(r >> 16) % 5]);
		n += (size_t)snprintf(text, sizeof(text), "CỘNG HÒA XÃ HỘI CHỦ "
				      "NGHĨA VIỆT NAM Số: %d Họ và tên: %s\n",
				      i + 1, name);
		for (uint32_t k = 0; k < (r >> 20) % 6; k++)
			n += (size_t)snprintf(text + n, sizeof(text) - n,
					      "Cha: %s %s Nơi sinh: Xã An Bình\n",
					      sur[(r >> (k + 3)) & 3],
					      given[(r >> (k + 5)) % 5]);
		rc = add(s, text, i % 3 ? "khai-sinh" : "ket-hon", name,
			 "1990-01-01", id);
	}
	CHECK(rc == 0, "400 records");
	for (int a = 0; a < 4; a++)
		for (int g = 0; g < 5; g++) {
			snprintf(q, sizeof(q), "%s %s %s", sur[a], mid[a], given[g]);
			same_top(s, q, 5, &ok);
			snprintf(q, sizeof(q), "nguyen %s", given[g]);
			same_top(s, q, 3, &ok);
			snprintf(q, sizeof(q), "viet nam %s -%s", given[g], sur[a]);
			same_top(s, q, 10, &ok);
			snprintf(q, sizeof(q), "type:ket-hon %s cong", given[g]);
			same_top(s, q, 4, &ok);
		}
	same_top(s, "an binh", 1, &ok);
	same_top(s, "xa", 0, &ok);
	CHECK(ok, "80 searches: the top k scored alone equals the full ranking's");
	store_close(&s);
}


/* The first hit's id (its number), or "" when none. */
static const char *first_hit(store *s, const char *query)
{
	static char one[16];
	const char *all = hits(s, query);

	snprintf(one, sizeof(one), "%.*s", (int)strcspn(all, " ~-"), all);
	return one;
}


/* Random queries (words with and without tones, operators, quotes,
 * fields known and not, ranges, dates in every form, invalid UTF-8,
 * control bytes, very long input) against the forgiving store: every
 * one is parsed and, when it parses, answered, with a consistent result;
 * nothing crashes (the sanitizer build runs the same). */
static void test_fuzz_queries(store *s)
{
	static const char *const atoms[] = { "nguyen", "Nguyễn", "van", "VĂN", "an",
		"nm", "en", "a", "đ", "to", "duc", "15/3/1985", "15.3.85", "1985",
		"31-12-99", "ngay_sinh:", "ngay_sinh:1985..", "ngay_sinh:..1990",
		"ngay_sinh:1990..1985", "so:", "ho_ten:", "khong_co:", "type:gcn",
		"\"", "\"nguyen van\"", "-", "-an", "--", "..", ":", "001 219 004 567",
		"0012 1900", "\xff", "\xc3", "\xe1\xba", "\xed\xa0\x80", "\x01", "\t",
		"ẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫẫ", "38/1999", "(", ")", "*", "\\",
		"ngay_dang_ky:15-03-1985", "quyen_so:01", "-type:gcn", "a-b-c" };
	const size_t na = sizeof(atoms) / sizeof(*atoms);
	uint32_t r = 2024;
	int parsed = 0, answered = 0, bad = 0;
	char q[4200];

	for (int i = 0; i < 3000; i++) {
		size_t n = 0;
		r = r * 1103515245 + 12345;
		int words = 1 + (int)((r >> 16) % 7);
		if (i % 500 == 499)
			words = 300; /* longer than the parser takes */
		for (int w = 0; w < words && n + 64 < sizeof(q); w++) {
			r = r * 1103515245 + 12345;
			n += (size_t)snprintf(q + n, sizeof(q) - n, "%s%s",
					      w && (r >> 8) % 4 ? " " : "",
					      atoms[(r >> 16) % na]);
		}
		index_query *iq = NULL;
		index_result *res = NULL;
		index_params p;
		index_params_default(&p);
		if (index_query_parse(unit_schema(), q, &iq) != 0)
			continue;
		parsed++;
		size_t limit = (r >> 4) % 21;
		if (store_search(s, iq, &p, limit, &res) == 0) {
			answered++;
			size_t full = 0;
			for (size_t k = 0; k < res->n; k++)
				full += !res->hits[k].partial;
			if (res->n > limit || full > res->total ||
			    res->n - full > res->partial)
				bad++;
			for (size_t k = 0; k < res->n; k++) {
				char *sn = index_snippet("GIẤY KHAI SINH Nguyễn Văn An", res, 8);
				free(sn);
			}
		}
		index_result_free(&res);
		index_query_free(&iq);
	}
	CHECK(bad == 0 && parsed > 500 && answered == parsed,
	      "3000 random queries: %d parsed, %d answered, %d inconsistent", parsed,
	      answered, bad);
}

/* What a clerk types at the counter: a letter short in a short
 * syllable, the given name first, one word that matches nothing. */
static void test_forgiving(void)
{
	static const char *const names[] = { "Tô Đức Nam", "Hồ Phương Anh",
		"Nguyễn Thanh Yến", "Đỗ Quốc Đạt", "NGUYỄN VĂN AN", "Tô Văn Nam",
		"Hồ Phương Mai", "Nguyễn Thanh Sơn", "Đỗ Quốc Anh", "Lê Văn Nguyễn" };
	store_opts o = { .create = 1, .schema = unit_schema() };
	store *s;
	char id[STORE_ID_MAX], text[256];
	int rc = 0;

	snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "-forgive");
	CHECK(store_open(&s, dir, &o) == 0, "a third store");
	for (int i = 0; i < 10 && rc == 0; i++) {
		snprintf(text, sizeof(text), "GIẤY KHAI SINH Họ, chữ đệm, tên: %s\n"
			 "Nơi sinh: Tỉnh Quảng Nam", names[i]);
		rc = add(s, text, "khai-sinh", names[i], "1990-01-01", id);
	}
	rc |= add(s, "TRÍCH LỤC KHAI TỬ Họ, chữ đệm, tên: Lý Thị Mơ", "khai-tu",
		  "Lý Thị Mơ", "1925-06-15", id);
	CHECK(rc == 0, "eleven records");
	CHECK(!strcmp(first_hit(s, "15.6.25"), "11"), "a two-digit year a century back "
	      "is as likely: '15.6.25' finds 1925 (%s)", hits(s, "15.6.25"));
	CHECK(!strcmp(first_hit(s, "to duc nm"), "1"), "'to duc nm' finds Tô Đức Nam (%s)",
	      hits(s, "to duc nm"));
	CHECK(!strcmp(first_hit(s, "ho phuong ah"), "2"), "'ho phuong ah' finds Hồ Phương Anh (%s)",
	      hits(s, "ho phuong ah"));
	CHECK(!strcmp(first_hit(s, "nguyen thanh en"), "3"),
	      "'nguyen thanh en' finds Nguyễn Thanh Yến (%s)", hits(s, "nguyen thanh en"));
	CHECK(!strcmp(first_hit(s, "do quoc at"), "4"), "'do quoc at' finds Đỗ Quốc Đạt (%s)",
	      hits(s, "do quoc at"));
	CHECK(!strcmp(first_hit(s, "an nguyen van"), "5"),
	      "the given name first finds NGUYỄN VĂN AN first (%s)", hits(s, "an nguyen van"));
	CHECK(!strcmp(first_hit(s, "nguyen van an"), "5"), "and the right order still does");
	/* one word that matches nothing: the records with the others,
	 * marked, naming the word they lack */
	const char *h = hits(s, "nguyen van qzwx");
	CHECK(strstr(h, "5-qzwx") != NULL, "one unmatched word leaves the records with "
	      "the others, marked partial and lacking it (%s)", h);
	index_query *q;
	index_result *r = NULL;
	index_params p;
	index_params_default(&p);
	rc = index_query_parse(unit_schema(), "nguyen van qzwx", &q);
	if (rc == 0)
		rc = store_search(s, q, &p, 10, &r);
	CHECK(rc == 0 && r->total == 0 && r->partial >= 1,
	      "the count of each: %zu full, %zu partial", r ? r->total : 0, r ? r->partial : 0);
	index_result_free(&r);
	index_query_free(&q);
	/* full matches first, partial ones after them */
	h = hits(s, "to van nam");
	CHECK(!strncmp(h, "6", 1), "a full match ranks above the partial ones (%s)", h);
	CHECK(strstr(hits(s, "qzwx"), "") && !strcmp(hits(s, "qzwx"), ""),
	      "a single word that matches nothing is still nothing");
	test_fuzz_queries(s);
	store_close(&s);
}

/* A date field the catalogue adds, with a code of its own, is searched
 * by a bare date as the catalogue's first ones are (the program once
 * listed their codes). */
static void test_added_date(void)
{
	const index_schema *u = unit_schema();
	static index_field f[130];
	index_schema sc = { f, 0 };
	char d2[600], id[STORE_ID_MAX];
	store *s = NULL;
	index_query *q = NULL;
	index_result *r = NULL;
	index_params p;

	for (int i = 0; i < u->n && i < 128; i++)
		f[sc.n++] = u->field[i];
	f[sc.n++] = (index_field){ "ngay_moi", 'd', 'g', 0, 0 };
	snprintf(d2, sizeof(d2), "%s-dates", dir);
	store_opts o = { .create = 1, .schema = &sc };
	CHECK(store_open(&s, d2, &o) == 0, "a store whose schema has a date field with code g");
	json_t *meta = json_pack("{s:s, s:{s:{s:s}}}", "type", "khai-sinh", "fields",
				 "ngay_moi", "value", "1977-05-04");
	CHECK(s && add_meta(s, "GIẤY KHAI SINH ngày mới: 04/05/1977", meta, id) == 0,
	      "a record dated by it alone");
	json_decref(meta);
	index_params_default(&p);
	CHECK(s && index_query_parse(&sc, "04/05/1977", &q) == 0 &&
	      store_search(s, q, &p, 10, &r) == 0 && r->n == 1,
	      "a bare date finds it by the added field (%zu hits)", r ? r->n : 0);
	index_query_free(&q);
	index_result_free(&r);
	store_close(&s);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "%s/test_index.XXXXXX",
		 getenv("TMPROOT") ? getenv("TMPROOT") : "/tmp");
	if (!mkdtemp(dir) || chdir(dir))
		return 1;
	test_tokens();
	test_postings();
	test_old_blocks();
	test_packed_blocks();
	test_parse();
	snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/store");
	test_search();
	test_top_k();
	test_forgiving();
	test_added_date();
	return unit_status();
}
