/* test_rules.c - the rules in config/fields/, classification of damaged
 * text, and label matching on damaged labels. */
#include "../../src/fields/fields.h"
#include "../../src/fields/internal.h"
#include "../../src/base/base.h"
#include "../../src/text/text.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void label_at(const char *line, const char *label, const char *rest)
{
	int s = -1, e = -1, d = fields_label_find(line, label, 0, &s, &e);

	CHECK(d >= 0 && !strcmp(line + e, rest), "'%s' found in '%s' (distance %d), "
	      "value '%s'", label, line, d, d >= 0 ? line + e : "");
}

static void label_absent(const char *line, const char *label, int anchored)
{
	int s, e;

	CHECK(fields_label_find(line, label, anchored, &s, &e) < 0,
	      "'%s' is not in '%s'%s", label, line, anchored ? " at its start" : "");
}

static fields_lexicon *sur, *names, *places, *values, *form;

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The stock catalogue's text, for the folders the tests make. */
static char stock_catalogue[32768];

/* A catalogue of text in a folder of its own: loaded (0) or the error
 * (its message into msg). */
static int catalogue_of(const char *text, char *msg, size_t cap)
{
	fields_catalogue *c = NULL;
	int rc;

	system("rm -rf /tmp/sohoa-cat && mkdir -p /tmp/sohoa-cat");
	write_file("/tmp/sohoa-cat/catalogue.ini", text);
	rc = fields_catalogue_load("/tmp/sohoa-cat", &c);
	snprintf(msg, cap, "%s", rc ? base_errmsg() : "");
	fields_catalogue_destroy(&c);
	return rc;
}

/* The field catalogue: what it holds, the codes stored index keys
 * depend on, and the mistakes it refuses. */
static void test_catalogue(const fields_rules *r)
{
	const fields_catalogue *c = fields_rules_catalogue(r);
	const fields_field *f;
	const fields_type_info *t;
	char msg[512];
	/* the letters the index's date keys hold: a store built with them
	 * must find its dates after any change to the catalogue */
	static const char *const dates[][2] = {
		{ "ngay_sinh", "a" }, { "ngay_dang_ky", "b" }, { "ngay_chet", "c" },
		{ "ngay_sinh_chong", "d" }, { "ngay_sinh_vo", "e" }, { "ngay_cap", "f" },
	};

	CHECK(fields_catalogue_fields(c) >= 31 && fields_catalogue_types(c) == 5,
	      "the catalogue holds %d fields and %d types",
	      fields_catalogue_fields(c), fields_catalogue_types(c));
	for (size_t i = 0; i < sizeof(dates) / sizeof(*dates); i++) {
		f = fields_catalogue_find(c, dates[i][0]);
		CHECK(f && f->index == FIELDS_INDEX_DATE && f->code == dates[i][1][0],
		      "%s keeps its date code '%s'", dates[i][0], dates[i][1]);
	}
	f = fields_catalogue_field(c, 0);
	CHECK(f && !strcmp(f->key, "so") && !strcmp(f->label, "Số"),
	      "the first column is the number, labelled Số");
	CHECK(!strcmp(fields_label(c, "ho_ten_me"), "Họ tên mẹ") &&
	      !strcmp(fields_label(c, "nope"), "nope"),
	      "a field's label, an unknown key as it is");
	CHECK(!strcmp(fields_type_label(c, "gcn"), "Giấy chứng nhận QSDĐ") &&
	      !strcmp(fields_type_label(c, "unknown"), "Chưa rõ loại") &&
	      !strcmp(fields_type_label(c, NULL), ""), "types' labels");
	int persons = 0;
	for (int i = 0; i < fields_catalogue_fields(c); i++)
		persons += fields_catalogue_field(c, i)->person;
	CHECK(persons == 4, "four fields name whom a record is about (%d)", persons);
	f = fields_catalogue_find(c, "noi_sinh");
	CHECK(f && f->index == FIELDS_INDEX_PLACE, "a place is indexed without positions");
	f = fields_catalogue_find(c, "chu_su_dung_chi_tiet");
	CHECK(f && !f->export && f->index == FIELDS_INDEX_NO,
	      "the owners' details are shown, not a column nor searched");
	t = fields_catalogue_type_named(c, "gcn");
	CHECK(t && !strcmp(t->date, "ngay_cap") && !t->number[0] && t->nsummary == 5 &&
	      !strcmp(t->summary[0], "chu_su_dung"),
	      "a land certificate is dated by its issue, shows its owners first");

	/* what a catalogue may not say, each refused naming the field */
	CHECK(catalogue_of("[field a]\nlabel = A\nkind = text\nindex = text\ncolour = red\n",
			   msg, sizeof(msg)) == BASE_EINVAL && strstr(msg, "line 5"),
	      "an unknown key is refused with its line: %s", msg);
	CHECK(catalogue_of("[field a]\nlabel = A\nkind = text\n", msg, sizeof(msg)) ==
	      BASE_EINVAL && strstr(msg, "'a' needs label, kind and index"),
	      "a field without index: %s", msg);
	CHECK(catalogue_of("[field a]\nlabel = A\nkind = date\nindex = date\n",
			   msg, sizeof(msg)) == BASE_EINVAL && strstr(msg, "'a'"),
	      "a date without its code: %s", msg);
	CHECK(catalogue_of("[field a]\nlabel = A\nkind = date\nindex = date\ncode = a\n"
			   "[field b]\nlabel = B\nkind = date\nindex = date\ncode = a\n",
			   msg, sizeof(msg)) == BASE_EINVAL && strstr(msg, "same code 'a'"),
	      "two dates with one code: %s", msg);
	CHECK(catalogue_of("[field a]\nlabel = A\nkind = text\nindex = text\n"
			   "[type t]\nlabel = T\nsummary = a b\n", msg, sizeof(msg)) ==
	      BASE_EINVAL && strstr(msg, "shows 'b', which is no field"),
	      "a type showing a field the catalogue lacks: %s", msg);
	CHECK(catalogue_of("[field a]\nlabel = A\nkind = colour\nindex = text\n",
			   msg, sizeof(msg)) == BASE_EINVAL, "an unknown kind: %s", msg);
	CHECK(catalogue_of("[field a]\nlabel = A\nkind = text\nindex = text\n",
			   msg, sizeof(msg)) == 0, "one whole field loads");

	/* the rules must agree with it */
	system("rm -rf /tmp/sohoa-cat && mkdir -p /tmp/sohoa-cat");
	write_file("/tmp/sohoa-cat/catalogue.ini", stock_catalogue);
	write_file("/tmp/sohoa-cat/x.conf", "[type]\nname = gcn\ntitle = X\n"
		   "[so_to]\nlabels = Số tờ\nkind = number\n");
	fields_rules *x = NULL;
	int rc = fields_rules_load("/tmp/sohoa-cat", &x);
	snprintf(msg, sizeof(msg), "%s", rc ? base_errmsg() : "");
	CHECK(rc == BASE_EINVAL && strstr(msg, "x.conf") && strstr(msg, "'so_to' is not in"),
	      "a rules field the catalogue lacks: %s", msg);
	fields_rules_destroy(&x);
	write_file("/tmp/sohoa-cat/x.conf", "[type]\nname = gcn\ntitle = X\n"
		   "[dia_chi]\nlabels = Địa chỉ\nkind = text\n");
	rc = fields_rules_load("/tmp/sohoa-cat", &x);
	snprintf(msg, sizeof(msg), "%s", rc ? base_errmsg() : "");
	CHECK(rc == BASE_EINVAL && strstr(msg, "'dia_chi' is of kind 'text' here and "
					"'place' in the field catalogue"),
	      "a kind the catalogue gives otherwise: %s", msg);
	fields_rules_destroy(&x);
	write_file("/tmp/sohoa-cat/x.conf", "[type]\nname = so-ho-khau\ntitle = X\n"
		   "[_a]\nlabels = A\nkind = text\n");
	rc = fields_rules_load("/tmp/sohoa-cat", &x);
	snprintf(msg, sizeof(msg), "%s", rc ? base_errmsg() : "");
	CHECK(rc == BASE_EINVAL && strstr(msg, "type 'so-ho-khau' is not in"),
	      "a type the catalogue lacks: %s", msg);
	fields_rules_destroy(&x);
	system("rm -rf /tmp/sohoa-cat");
}

static void mends_as(const fields_lexicon *first, const fields_lexicon *l,
		     int flags, const char *in, const char *want,
		     int want_unsure)
{
	char v[1024];
	int m = -1, u = -1;

	snprintf(v, sizeof(v), "%s", in);
	int rc = fields_lexicon_mend(first, l, flags, v, sizeof(v), &m, &u);
	CHECK(rc == 0 && !strcmp(v, want) && (u > 0) == want_unsure,
	      "'%s' -> '%s'%s (got '%s', %d mended, %d unsure)", in, want,
	      want_unsure ? ", doubted" : "", v, m, u);
}

static void mends(const fields_lexicon *first, const fields_lexicon *l,
		  const char *in, const char *want, int want_unsure)
{
	mends_as(first, l, 0, in, want, want_unsure);
}

/* The word lists of config/fields mend a value's words misread in their
 * marks, leave what is right, and doubt a name word they cannot place. */
static void test_lexicon(const char *dir)
{
	char path[512];
	const char *file[] = { "surnames.txt", "names.txt", "places.txt",
			       "gcn-values.txt", "form-text.txt" };
	fields_lexicon **l[] = { &sur, &names, &places, &values, &form };

	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, file[i]);
		CHECK(fields_lexicon_load(path, file[i], l[i]) == 0, "%s loads",
		      file[i]);
	}
	if (!sur || !names || !places || !values || !form)
		return;
	mends(sur, names, "NGUYÊN HỒNG ANH", "NGUYỄN HỒNG ANH", 0);
	mends(sur, names, "Đỉnh Thị Hằng", "Đinh Thị Hằng", 0);
	mends(sur, names, "HƯỲNH THỊ HƯƠNG", "HUỲNH THỊ HƯƠNG", 0);
	mends(sur, names, "ĐỖ MỊNH VIỆT", "ĐỖ MINH VIỆT", 0);
	mends(sur, names, "PHẠM THỊ NGỌC NHƯNG", "PHẠM THỊ NGỌC NHUNG", 0);
	/* right as printed: a given name Nguyên stays */
	mends(sur, names, "Lê Thảo Nguyên", "Lê Thảo Nguyên", 0);
	/* Chi or Chí: left as read, and doubted; or guessed (the commoner,
	 * first in the list), and doubted all the same */
	mends(sur, names, "VÕ NGỌC CHỊ", "VÕ NGỌC CHỊ", 1);
	mends_as(sur, names, LEX_GUESS, "VÕ NGỌC CHỊ", "VÕ NGỌC CHI", 1);
	mends_as(sur, names, LEX_GUESS, "LÊ CÔNG VỊNH", "LÊ CÔNG VINH", 1);
	mends(sur, names, "Huỳnh Quang;Hưng TS", "Huỳnh Quang;Hưng TS", 1);
	mends(NULL, places, "Huyện Nghỉ Lộc, Tỉnh Nghệ An",
	      "Huyện Nghi Lộc, Tỉnh Nghệ An", 0);
	mends(NULL, places, "Ủy ban nhận dân Phường Ô Chợ Dữa, Quận Đống Đa",
	      "Ủy ban nhân dân Phường Ô Chợ Dừa, Quận Đống Đa", 0);
	{
		/* a value of more words than a mend holds is left whole */
		char many[800] = "Lầu dài";
		for (int i = 0; i < 100; i++)
			strcat(many, " x");
		mends(NULL, values, many, many, 0);
	}
	mends(NULL, values, "Lầu dài", "Lâu dài", 0);
	mends(NULL, values, "Đất trông cây lâu năm", "Đất trồng cây lâu năm", 0);
	mends(NULL, values, "Đến ngày 09/09/2060", "Đến ngày 09/09/2060", 1);
	/* a page's text: phrases only, the rest of the line as it was */
	mends_as(NULL, form, LEX_PHRASES, "Quyến số :  01/1999, nơi sinh: x",
		 "Quyển số :  01/1999, nơi sinh: x", 1);
	mends_as(NULL, form, LEX_PHRASES, "(Ký, ghi rõ họ tên, đóng đấu)  459,9 m²",
		 "(Ký, ghi rõ họ tên, đóng dấu)  459,9 m²", 1);
	mends_as(NULL, form, LEX_PHRASES, "vào sổ", "vào sổ", 1);
	/* specks read as a colon or a dot between two words */
	mends_as(NULL, form, LEX_PHRASES, "CỘNG HÒA XÃ HỘI:CHỦ NGHĨA VIỆT NAM",
		 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0);
	mends_as(NULL, places, LEX_PHRASES, "Phường:Hàng Bạc, Quận Hoàn Kiếm; x.y",
		 "Phường Hàng Bạc, Quận Hoàn Kiếm; x.y", 1);
	/* dust ate the space: the phrase's letters run together */
	mends_as(NULL, form, LEX_PHRASES, "Dântộc: Kinh  Quốctịch: ViệtNam",
		 "Dân tộc: Kinh  Quốc tịch: Việt Nam", 1);
	mends_as(NULL, form, LEX_PHRASES, "GẮN LIỀN VỚI ĐẤT QUYỀN SỞ HỮU NHÀ Ở VÀ "
		 "TÀI SẢN KHÁC GẮN LIÊN VỚI ĐẤT", "GẮN LIỀN VỚI ĐẤT QUYỀN SỞ HỮU "
		 "NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT", 1);
	for (int i = 0; i < 5; i++)
		fields_lexicon_free(l[i]);
}

/* A page as ocr_page_read() gives it, from printed lines: each word
 * with its box, a confidence of 95 and its line. */
static json_t *page_of(const char *const *lines, int n)
{
	json_t *words = json_array();
	char text[2048] = "", buf[256];
	size_t tl = 0;

	for (int l = 0; l < n; l++) {
		int x = 200;
		tl += (size_t)snprintf(text + tl, sizeof(text) - tl, "%s\n", lines[l]);
		snprintf(buf, sizeof(buf), "%s", lines[l]);
		for (char *w = strtok(buf, " "); w; w = strtok(NULL, " ")) {
			json_array_append_new(words, json_pack("{s:s, s:[i,i,i,i], s:f, s:i}",
				"t", w, "b", x, 300 + 60 * l, 40 * (int)strlen(w), 40,
				"c", 95.0, "l", l));
			x += 40 * (int)strlen(w) + 30;
		}
	}
	return json_pack("{s:s, s:i, s:i, s:o}", "text", text, "confidence", 95,
			 "width", 2480, "words", words);
}

/* Extraction mends a name with the word lists, and the form's phrases
 * and places: as mends of the lines read, the pages left as read. */
static void test_extract_mends(const fields_rules *r)
{
	static const char *const lines[] = {
		"CỘNG HÒA XÃ HỘI:CHỦ NGHĨA VIỆT NAM",
		"GIẤY KHAI SINH",
		"Họ, chữ đệm, tên: NGUYÊN VĂN AN",
		"Quyến số: 01",
		"Nơi sinh: Huyện Nghỉ Lộc, Tỉnh Nghệ An",
	};
	json_t *pages = json_pack("[o]", page_of(lines, 5)), *out = NULL, *mends = NULL;
	char *before = json_dumps(pages, JSON_SORT_KEYS), *after;
	int rc = fields_extract(r, pages, &out, &mends);
	json_t *f = json_object_get(out, "fields");
	const char *name = json_string_value(json_object_get(json_object_get(f,
						"ho_ten"), "value"));
	char *m = json_dumps(mends, JSON_COMPACT);

	CHECK(rc == 0 && name && !strcmp(name, "NGUYỄN VĂN AN"),
	      "the name is mended: %s", name ? name : "(none)");
	CHECK(m && strstr(m, "\"w\":0,\"n\":7,\"t\":\"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\"") &&
	      strstr(m, "\"w\":10,\"n\":7,\"t\":\"Họ, chữ đệm, tên: NGUYỄN VĂN AN\"") &&
	      strstr(m, "\"w\":17,\"n\":3,\"t\":\"Quyển số: 01\"") &&
	      strstr(m, "\"w\":20,\"n\":8,\"t\":\"Nơi sinh: Huyện Nghi Lộc, Tỉnh Nghệ An\""),
	      "a mend a line: its words and their text as mended: %s", m ? m : "(none)");
	after = json_dumps(pages, JSON_SORT_KEYS);
	CHECK(before && after && !strcmp(before, after), "the pages are not changed");
	free(m);
	free(before);
	free(after);
	json_decref(mends);
	json_decref(out);
	json_decref(pages);
}

/* The value of field name extracted from lines (one page), or "". */
static const char *extracted(const fields_rules *r, const char *const *lines,
			     int n, const char *name, double *conf, json_t **keep)
{
	json_t *pages = json_pack("[o]", page_of(lines, n)), *out = NULL;
	const char *v = "";

	*keep = NULL;
	if (fields_extract(r, pages, &out, NULL) == 0) {
		json_t *f = json_object_get(json_object_get(out, "fields"), name);
		v = json_string_value(json_object_get(f, "value"));
		*conf = json_real_value(json_object_get(f, "confidence"));
		*keep = out;
	}
	json_decref(pages);
	return v ? v : "";
}

/* Repairs made while extracting, each on a generated-looking page: the
 * area taken from its words when the digits lost their decimal comma, a
 * serial's speck, a typewriter's digits in a name and in a book number,
 * a capitalised word among title-case ones, a registration date in the
 * future, and a surname that looks like a label ("Đặng Mỹ" is no
 * "Đăng ký"). Each repaired guess lowers the confidence below review's
 * threshold (0.6) where it is a guess. */
static void test_extract_repairs(const fields_rules *r)
{
	static const char *const gcn[] = {
		"GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT",
		"Số phát hành: BX.896560",
		"d) Diện tích: 146 m² (Bằng chữ: Một trăm bốn mươi sáu phẩy ba mét vuông)",
		"c) Địa chỉ: Xã Nghi Phong, Huyện Nghi Lộc, Tỉnh Nghệ An Ẻ",
		"g) Thời hạn sử dụng: Lâu dà1",
	};
	static const char *const ks[] = {
		"GIẤY KHAI SINH",
		"Số: 24/",
		"Quyển số: 92/1982",
		"Họ và tên: LÊ Diệu Duyên",
		"Họ và tên mẹ: Đặng Mỹ Nguyệt",
		"Họ và tên cha: Nguyễn 6ia Hiếu",
		"Ngày, tháng, năm đăng ký: 18/01/2085",
		"Nơi đăng ký: Ủy ban nhân dân TC Vĩnh Ninh, Thành phố Huế, Tỉnh Thừa Thiên Huế",
	};
	static const char *const wrap[] = {
		"GIẤY KHAI SINH",
		"Họ, chữ đệm, tên: PHAN BẢO ANH",
		"Ngày, tháng, năm sinh: 31/05/1994",
		"ghi bằng chữ: Ngày ba mươi mốt, tháng năm, năm một nghìn chín trăm chín",
		"mươi bốn",
		"Giới tính: Nữ",
	};
	static const char *const units[][2] = {
		{ "Ủy ban nhân dân Phường 14, Quận Bình Thạnh, Thành phố Hồ Chí Minh", "" },
		{ "Ủy ban nhân dân Phường 14, Quận Bình Thạnh, Thành phố Hồ Minh",
		  "a city the gazetteer does not have" },
		{ "Ủy ban nhân dân Phường 5, Quận 6ò Vấp, Thành phố Hồ Chí Minh",
		  "a district the gazetteer does not have" },
		{ "Ủy nạn nhân dân Phường 14, Quận Bình Thạnh, Thành phố Hồ Chí Minh",
		  "a misread body before the unit" },
	};
	json_t *keep;
	double c = 0;
	const char *v;

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		char line[256];
		const char *page[] = { "GIẤY KHAI SINH", "Họ, chữ đệm, tên: PHAN BẢO ANH", line };
		snprintf(line, sizeof(line), "Nơi đăng ký: %s", units[i][0]);
		v = extracted(r, page, 3, "noi_dang_ky", &c, &keep);
		if (!*units[i][1])
			CHECK(!strcmp(v, units[i][0]) && c > 0.85,
			      "a place of known units is trusted: %s (%.2f)", v, c);
		else
			CHECK(!strcmp(v, units[i][0]) && c < 0.6, "%s is doubted: %s (%.2f)",
			      units[i][1], v, c);
		json_decref(keep);
	}
	v = extracted(r, gcn, 6, "dien_tich", &c, &keep);
	CHECK(!strcmp(v, "146.3") && c < 0.6, "the area from its words: %s (%.2f)", v, c);
	json_decref(keep);
	v = extracted(r, gcn, 6, "so_phat_hanh", &c, &keep);
	CHECK(!strcmp(v, "BX 896560"), "a speck in a serial is its space: %s", v);
	json_decref(keep);
	v = extracted(r, gcn, 6, "dia_chi", &c, &keep);
	CHECK(!strcmp(v, "Xã Nghi Phong, Huyện Nghi Lộc, Tỉnh Nghệ An"),
	      "a letter alone at a place's end is dropped: %s", v);
	json_decref(keep);
	v = extracted(r, gcn, 6, "thoi_han_su_dung", &c, &keep);
	CHECK(!strcmp(v, "Lâu dài"), "a digit in a fixed phrase: %s", v);
	json_decref(keep);
	v = extracted(r, ks, 8, "so", &c, &keep);
	CHECK(!strcmp(v, "247") && c < 0.6, "'24/' is 247, doubted: %s (%.2f)", v, c);
	json_decref(keep);
	v = extracted(r, ks, 8, "quyen_so", &c, &keep);
	CHECK(!strcmp(v, "02/1982") && c < 0.6, "book 92 is 02, doubted: %s (%.2f)", v, c);
	json_decref(keep);
	v = extracted(r, ks, 8, "ho_ten", &c, &keep);
	CHECK(!strcmp(v, "Lê Diệu Duyên"), "one word in capitals among title case: %s", v);
	json_decref(keep);
	v = extracted(r, ks, 8, "ho_ten_me", &c, &keep);
	CHECK(!strcmp(v, "Đặng Mỹ Nguyệt"), "'Đặng Mỹ' is no label: %s", v);
	json_decref(keep);
	v = extracted(r, ks, 8, "ho_ten_cha", &c, &keep);
	CHECK(!strcmp(v, "Nguyễn Gia Hiếu"), "a digit in a name's word: %s", v);
	json_decref(keep);
	v = extracted(r, ks, 8, "noi_dang_ky", &c, &keep);
	CHECK(!strcmp(v, "Ủy ban nhân dân Phường Vĩnh Ninh, Thành phố Huế, "
		      "Tỉnh Thừa Thiên Huế"), "a ward whose prefix a speck took: %s", v);
	json_decref(keep);
	static const char *const noso[] = {
		"GIẤY CHỨNG NHẬN KẾT HÔN",
		"DU 2202",
		"Họ, chữ đệm, tên chồng: HỒ QUANG THỊNH",
		"Giấy tờ tùy thân: CCCD số 014099268778",
	};
	static const char *const noso2[] = {
		"GIẤY KHAI SINH",
		"DOS24/ UIÓ",
		"Họ, chữ đệm, tên: ĐỖ BẢO VÂN",
		"Số định danh cá nhân: 059319246212",
	};
	static const char *const slash[] = { "GIẤY KHAI SINH", "Số: 13/7", "Quyển số: 04/1977" };
	v = extracted(r, slash, 3, "so", &c, &keep);
	CHECK(!strcmp(v, "137") && c < 0.6, "'13/7' is 137, doubted: %s (%.2f)", v, c);
	json_decref(keep);
	v = extracted(r, slash, 3, "quyen_so", &c, &keep);
	CHECK(!strcmp(v, "04/1977") && c > 0.85, "a book's year is kept: %s (%.2f)", v, c);
	json_decref(keep);
	static const char *const comma[] = { "GIẤY KHAI SINH", "Họ và tên cha: Đặng, Văn Nam" };
	v = extracted(r, comma, 2, "ho_ten_cha", &c, &keep);
	CHECK(!strcmp(v, "Đặng Văn Nam"), "no name holds a comma: %s", v);
	json_decref(keep);
	static const char *const addr[] = { "GIẤY KHAI SINH", "Số: 125/2016",
					    "Nơi sinh: Bệnh viện Từ Vũ,",
					    "Số 25 Cao Thắng, Phường 1, Quận 1",
					    "Quê quán: Hà Nội" };
	v = extracted(r, addr, 5, "so", &c, &keep);
	CHECK(!strcmp(v, "125/2016"), "an address's house number is no registration number: %s", v);
	json_decref(keep);
	v = extracted(r, addr, 5, "noi_sinh", &c, &keep);
	CHECK(strstr(v, "Số 25 Cao Thắng") != NULL, "and the place of birth goes on over it: %s", v);
	json_decref(keep);
	static const char *const letters[] = { "GIẤY KHAI SINH", "Số:KS0001",
					       "Nơi sinh: Bệnh viện Từ Vũ,",
					       "Số 25 Cao Thắng, Phường 1, Quận 1" };
	v = extracted(r, letters, 4, "so", &c, &keep);
	CHECK(strcmp(v, "25") && c < 0.6,
	      "a number with letters is doubted, not replaced by a house number: %s (%.2f)", v, c);
	json_decref(keep);
	static const char *const bare[] = { "GIẤY KHAI SINH", "Số 125", "Họ, chữ đệm, tên: LÊ VĂN AN" };
	v = extracted(r, bare, 3, "so", &c, &keep);
	CHECK(!strcmp(v, "125"), "a number whose colon was lost is still the number: %s", v);
	json_decref(keep);
	/* a one-letter given name as the real set 1 form prints one
	 * ("Nguyễn Văn C"), or a syllable one ("Ý"): kept as read */
	static const char *const one[] = { "GIẤY KHAI SINH", "Họ và tên cha: Nguyễn Văn C",
					   "Họ và tên mẹ: Trần Thị Ý" };
	v = extracted(r, one, 3, "ho_ten_cha", &c, &keep);
	CHECK(!strcmp(v, "Nguyễn Văn C"), "a given name of one letter stays: %s", v);
	json_decref(keep);
	v = extracted(r, one, 3, "ho_ten_me", &c, &keep);
	CHECK(!strcmp(v, "Trần Thị Ý"), "a given name of one syllable letter stays: %s", v);
	json_decref(keep);
	v = extracted(r, noso, 4, "so", &c, &keep);
	CHECK(c < 0.6, "a citizen's ID is no registration number: %s (%.2f)", v, c);
	json_decref(keep);
	v = extracted(r, noso2, 4, "so", &c, &keep);
	CHECK(c < 0.6, "a number starts with its digits: %s (%.2f)", v, c);
	json_decref(keep);
	v = extracted(r, wrap, 6, "ngay_sinh", &c, &keep);
	CHECK(!strcmp(v, "1994-05-31") && c > 0.8,
	      "a date in words runs on at the next line: %s (%.2f)", v, c);
	json_decref(keep);
	v = extracted(r, ks, 8, "ngay_dang_ky", &c, &keep);
	CHECK(!strcmp(v, "2005-01-18") && c < 0.6,
	      "a registration in 2085 is a misread 2005, doubted: %s (%.2f)", v, c);
	json_decref(keep);
}


/* The field object of name extracted from lines (one page); *keep owns
 * the extraction (json_decref it). */
static json_t *field_of_lines(const fields_rules *r, const char *const *lines,
			      int n, const char *name, json_t **keep)
{
	json_t *pages = json_pack("[o]", page_of(lines, n)), *out = NULL;

	*keep = NULL;
	if (fields_extract(r, pages, &out, NULL) == 0)
		*keep = out;
	json_decref(pages);
	return json_object_get(json_object_get(out, "fields"), name);
}

/* a and b equal, either may be NULL (a field not read) */
static int same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* Line sequences of the real editions (values invented), one check for
 * each way field reading failed on forms this project did not draw. */
static void test_real_forms(const fields_rules *r)
{
	json_t *keep, *f, *problems;
	const char *v;
	double c;

	/* 1. a value wraps to the next line at the left margin */
	static const char *const wrap[] = {
		"GIẤY KHAI SINH",
		"Họ, chữ đệm, tên: ĐỖ MINH KHÔI",
		"Nơi sinh: Bệnh viện Phụ sản Trung ương, 43 Tràng Thi, phường Hàng Bông, quận Hoàn",
		"Kiếm, thành phố Hà Nội",
		"Quê quán: Xã Yên Sở, huyện Hoài Đức, thành phố Hà Nội",
	};
	v = extracted(r, wrap, 5, "noi_sinh", &c, &keep);
	CHECK(!strcmp(v, "Bệnh viện Phụ sản Trung ương, 43 Tràng Thi, phường Hàng Bông, "
		      "quận Hoàn Kiếm, thành phố Hà Nội"),
	      "a value wrapped at the left margin runs on: '%s'", v);
	json_decref(keep);
	v = extracted(r, wrap, 5, "que_quan", &c, &keep);
	CHECK(!strcmp(v, "Xã Yên Sở, huyện Hoài Đức, thành phố Hà Nội"),
	      "and stops at the next label: '%s'", v);
	json_decref(keep);
	static const char *const wrap_gcn[] = {
		"GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT",
		"a) Thửa đất số: 112 b) Tờ bản đồ số: 7",
		"c) Địa chỉ: Số 18 ngõ 42 phố Hoàng Cầu, phường Ô Chợ Dừa, quận",
		"Đống Đa, thành phố Hà Nội",
		"d) Diện tích: 64,2 m² (Bằng chữ: Sáu mươi bốn phẩy hai mét vuông)",
		"h) Nguồn gốc sử dụng: Công nhận quyền sử dụng đất như giao đất có thu",
		"tiền sử dụng đất",
		"2. Nhà ở:",
	};
	v = extracted(r, wrap_gcn, 9, "dia_chi", &c, &keep);
	CHECK(!strcmp(v, "Số 18 ngõ 42 phố Hoàng Cầu, phường Ô Chợ Dừa, quận Đống Đa, "
		      "thành phố Hà Nội"), "a parcel's address runs on: '%s'", v);
	json_decref(keep);
	v = extracted(r, wrap_gcn, 9, "nguon_goc_su_dung", &c, &keep);
	CHECK(!strcmp(v, "Công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất"),
	      "a land's origin runs on, until a heading: '%s'", v);
	json_decref(keep);
	v = extracted(r, wrap_gcn, 9, "dien_tich", &c, &keep);
	CHECK(!strcmp(v, "64.2") && c >= 0.85, "an area whose readings agree: %s (%.2f)", v, c);
	json_decref(keep);

	static const char *const streets[] = {
		"GIẤY KHAI SINH",
		"Nơi sinh: Số 78/4 ngõ 44 phố Hai Bà Trưng, tổ dân phố 11, phường An Hòa, quận Ninh Kiều",
	};
	v = extracted(r, streets, 2, "noi_sinh", &c, &keep);
	CHECK(!strcmp(v, "Số 78/4 ngõ 44 phố Hai Bà Trưng, tổ dân phố 11, phường An Hòa, quận Ninh Kiều"),
	      "a street or a residents' group is no unit whose prefix a speck took: '%s'", v);
	json_decref(keep);

	static const char *const small[] = {
		"GIẤY KHAI SINH",
		"Nơi sinh: Số 66 đường Lý Thường Kiệt, phường Láng Hạ, quận Đống Đa, thành",
		"phổ Hà Nội",
	};
	v = extracted(r, small, 3, "noi_sinh", &c, &keep);
	CHECK(!strcmp(v, "Số 66 đường Lý Thường Kiệt, phường Láng Hạ, quận Đống Đa, thành phố Hà Nội"),
	      "a unit mended in its marks keeps the small letter it was printed with: '%s'", v);
	json_decref(keep);

	/* 2. several labels on one line: a value ends at the next label */
	static const char *const owner[] = {
		"GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT",
		"Ông: HỒ VĂN AN Năm sinh: 1960 CCCD số: 079060001234",
		"Địa chỉ thường trú: Phường 5, Quận 3, Thành phố Hồ Chí Minh",
		"Bà: TRẦN THỊ MAI, sinh năm 1963, CMND số 022963001",
	};
	f = field_of_lines(r, owner, 5, "chu_su_dung", &keep);
	v = json_string_value(json_array_get(json_object_get(f, "value"), 0));
	CHECK(v && !strcmp(v, "HỒ VĂN AN") && json_array_size(json_object_get(f, "value")) == 2,
	      "an owner's name ends where 'Năm sinh' begins: '%s'", v ? v : "");
	f = json_object_get(json_object_get(json_object_get(keep, "fields"),
					    "chu_su_dung_chi_tiet"), "value");
	char *d = json_dumps(f, JSON_COMPACT | JSON_ENSURE_ASCII);
	CHECK(d && json_array_size(f) == 2 &&
	      same(json_string_value(json_object_get(json_array_get(f, 0), "nam_sinh")), "1960") &&
	      same(json_string_value(json_object_get(json_array_get(f, 0), "giay_to")),
		     "CCCD số 079060001234") &&
	      same(json_string_value(json_object_get(json_array_get(f, 1), "nam_sinh")), "1963") &&
	      same(json_string_value(json_object_get(json_array_get(f, 1), "giay_to")),
		     "CMND số 022963001"),
	      "each owner's year of birth and ID document: %s", d ? d : "(none)");
	free(d);
	json_decref(keep);

	/* an owner's colon lost to OCR, or read as a speck */
	static const char *const nocolon[] = {
		"GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT",
		"Ông ĐINH HỮU MINH DŨNG, sinh năm 1965, CMND số 025065871",
		"Bà' HỒ DIỆU TRANG, sinh năm 1967, CMND số 040167849",
		"Địa chỉ thường trú: Bà Rịa",
	};
	f = field_of_lines(r, nocolon, 5, "chu_su_dung", &keep);
	d = json_dumps(json_object_get(f, "value"), JSON_COMPACT | JSON_ENSURE_ASCII);
	CHECK(json_array_size(json_object_get(f, "value")) == 2,
	      "an owner whose colon OCR lost or read as a speck is an owner: %s", d ? d : "");
	free(d);
	json_decref(keep);
	/* a list is as sure as its least sure entry, and so are its details */
	static const char *const unsure[] = {
		"GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT",
		"Ông: TRƯƠNG VĂN HTẾU Năm sinh: 1955 CCCD số: 086055587355",
		"Bà: VŨ KIM NGỌC Năm sinh: 1953 CCCD số: 026153012345",
	};
	f = field_of_lines(r, unsure, 4, "chu_su_dung", &keep);
	c = json_number_value(json_object_get(f, "confidence"));
	fields_review(r, keep, 0.85, &problems);
	d = json_dumps(problems, JSON_COMPACT);
	CHECK(c < 0.85 && d && strstr(d, "\"chu_su_dung\"") && strstr(d, "\"chu_su_dung_chi_tiet\""),
	      "a word no syllable doubts the list and its details, whichever owner holds it (%.2f): %s",
	      c, d ? d : "");
	free(d);
	json_decref(problems);
	json_decref(keep);
	/* specks read as a line of their own are no continuation */
	static const char *const speck[] = {
		"GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT",
		"g) Thời hạn sử dụng: Lâu dài", ")", "2. Nhà ở:",
	};
	v = extracted(r, speck, 5, "thoi_han_su_dung", &c, &keep);
	CHECK(!strcmp(v, "Lâu dài"), "a line of specks does not carry a value on: '%s'", v);
	json_decref(keep);

	/* 3. the longest label that matches wins */
	static const char *const longest[] = {
		"GIẤY KHAI SINH",
		"Số: 112",
		"Số định danh cá nhân: 001219004567",
		"Đăng ký khai sinh tại: Ủy ban nhân dân phường Phúc Xá, quận Ba Đình, thành phố Hà Nội",
	};
	v = extracted(r, longest, 4, "so_dinh_danh", &c, &keep);
	CHECK(!strcmp(v, "001219004567") && c >= 0.85, "'Số định danh cá nhân' is no 'Số': %s", v);
	json_decref(keep);
	v = extracted(r, longest, 4, "so", &c, &keep);
	CHECK(!strcmp(v, "112"), "and 'Số' keeps its own line: %s", v);
	json_decref(keep);
	f = field_of_lines(r, longest, 4, "ngay_dang_ky", &keep);
	v = json_string_value(json_object_get(json_object_get(json_object_get(keep, "fields"),
							      "noi_dang_ky"), "value"));
	CHECK(!f && v && !strcmp(v, "Ủy ban nhân dân phường Phúc Xá, quận Ba Đình, thành phố Hà Nội"),
	      "'Đăng ký khai sinh tại' is the place, not the date: '%s'", v ? v : "");
	json_decref(keep);

	/* 4. an extract's header holds its own number and date; the
	 * registration is printed lower down */
	static const char *const extract[] = {
		"ỦY BAN NHÂN DÂN PHƯỜNG PHÚC XÁ",
		"Số: 305/TLKS-BS Phúc Xá, ngày 3 tháng 9 năm 2019",
		"TRÍCH LỤC KHAI SINH",
		"Họ, chữ đệm, tên: LÊ HOÀNG NAM",
		"Ngày, tháng, năm sinh: 14/02/2019",
		"Đăng ký khai sinh tại: Ủy ban nhân dân phường Phúc Xá, quận Ba Đình, thành phố Hà Nội",
		"Số: 305 ngày: 03/9/2019",
	};
	v = extracted(r, extract, 7, "so", &c, &keep);
	CHECK(!strcmp(v, "305") && c >= 0.85, "the registration's number, not the extract's: '%s'", v);
	v = json_string_value(json_object_get(keep, "edition"));
	CHECK(same(v, "trich-luc"), "the edition is the extract: %s", v ? v : "(none)");
	json_decref(keep);
	v = extracted(r, extract, 7, "ngay_dang_ky", &c, &keep);
	CHECK(!strcmp(v, "2019-09-03"), "the registration's date: '%s'", v);
	json_decref(keep);

	/* an occurrence given back only when no other field wants the next:
	 * the husband's date misread is not replaced by the wife's */
	static const char *const spouses[] = {
		"GIẤY CHỨNG NHẬN KẾT HÔN",
		"Họ, chữ đệm, tên chồng: LÊ VĂN AN", "Ngày, tháng, năm sinh: ng#ỳ mười",
		"Họ, chữ đệm, tên vợ: TRẦN THỊ BÌNH", "Ngày, tháng, năm sinh: 02/03/1990",
	};
	v = extracted(r, spouses, 5, "ngay_sinh_vo", &c, &keep);
	CHECK(!strcmp(v, "1990-03-02"), "the wife's date stays hers: '%s'", v);
	json_decref(keep);
	v = extracted(r, spouses, 5, "ngay_sinh_chong", &c, &keep);
	CHECK(strcmp(v, "1990-03-02") && c < 0.85, "and the husband's misread is doubted, "
	      "not taken from hers: '%s' (%.2f)", v, c);
	json_decref(keep);

	/* 5. the certificate's serial, alone under its title */
	static const char *const cover[] = {
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT",
		"QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT",
		"CH 279771",
	};
	v = extracted(r, cover, 5, "so_phat_hanh", &c, &keep);
	CHECK(!strcmp(v, "CH 279771"), "the serial without a label: '%s'", v);
	json_decref(keep);

	/* 6. a date whose digits OCR spaced apart */
	static const char *const spaced[] = { "GIẤY KHAI SINH", "Ngày, tháng, năm sinh: 24/1 1/2024" };
	v = extracted(r, spaced, 2, "ngay_sinh", &c, &keep);
	CHECK(!strcmp(v, "2024-11-24"), "'24/1 1/2024' is 24/11/2024: '%s'", v);
	json_decref(keep);

	/* 7. required fields are the edition's: the current birth
	 * certificate prints no book number */
	static const char *const current[] = {
		"GIẤY KHAI SINH", "Số: 112/2021",
		"Họ, chữ đệm, tên: ĐỖ MINH KHÔI", "Ngày, tháng, năm sinh: 12/03/2021",
		"ghi bằng chữ: Ngày mười hai, tháng ba, năm hai nghìn không trăm hai mươi mốt",
		"Giới tính: Nam Dân tộc: Kinh Quốc tịch: Việt Nam",
		"Nơi sinh: Bệnh viện Phụ sản Hà Nội, thành phố Hà Nội",
		"Số định danh cá nhân: 001221004567",
		"Nơi đăng ký khai sinh: Ủy ban nhân dân phường Phúc Xá, quận Ba Đình, thành phố Hà Nội",
		"Ngày, tháng, năm đăng ký: 20/03/2021",
	};
	json_t *pages = json_pack("[o]", page_of(current, 10)), *out = NULL;
	fields_extract(r, pages, &out, NULL);
	v = json_string_value(json_object_get(out, "edition"));
	CHECK(v && !strcmp(v, "tt04-2020"), "registered in 2021: the edition of 04/2020: %s",
	      v ? v : "(none)");
	fields_review(r, out, 0.85, &problems);
	d = json_dumps(problems, JSON_COMPACT | JSON_ENSURE_ASCII);
	CHECK(d && !strstr(d, "quyen_so"), "no book number asked of it: %s", d ? d : "");
	free(d);
	json_decref(problems);
	json_object_set_new(out, "edition", json_string("truoc-2016"));
	fields_review(r, out, 0.85, &problems);
	d = json_dumps(problems, JSON_COMPACT);
	CHECK(d && strstr(d, "\"quyen_so\",\"problem\":\"missing\""),
	      "an edition before 2016 needs its book: %s", d ? d : "");
	free(d);
	json_decref(problems);
	json_decref(out);
	json_decref(pages);

	/* 8. two readings that disagree are both kept, and doubted */
	static const char *const area[] = {
		"GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT",
		"d) Diện tích: 369,5 m² (Bằng chữ: sáu mươi chín mét vuông)",
	};
	f = field_of_lines(r, area, 3, "dien_tich", &keep);
	d = json_dumps(json_object_get(f, "readings"), JSON_COMPACT);
	CHECK(f && same(json_string_value(json_object_get(f, "value")), "369.5") &&
	      d && !strcmp(d, "[\"369.5\",\"69\"]") &&
	      json_number_value(json_object_get(f, "confidence")) < 0.85,
	      "digits 369,5 and words 69: both kept (%s), the value doubted (%.2f)",
	      d ? d : "", json_number_value(json_object_get(f, "confidence")));
	free(d);
	fields_review(r, keep, 0.85, &problems);
	d = json_dumps(problems, JSON_COMPACT);
	CHECK(d && strstr(d, "\"dien_tich\",\"problem\":\"readings disagree\""),
	      "review says the readings disagree: %s", d ? d : "");
	free(d);
	json_decref(problems);
	json_decref(keep);
	static const char *const born[] = {
		"GIẤY KHAI SINH",
		"Ngày, tháng, năm sinh: 12/03/2021",
		"ghi bằng chữ: Ngày mười hai, tháng tư, năm hai nghìn không trăm hai mươi mốt",
	};
	f = field_of_lines(r, born, 3, "ngay_sinh", &keep);
	d = json_dumps(json_object_get(f, "readings"), JSON_COMPACT);
	CHECK(d && !strcmp(d, "[\"2021-03-12\",\"2021-04-12\"]") &&
	      json_number_value(json_object_get(f, "confidence")) < 0.85,
	      "a birth date whose digits and words disagree keeps both: %s", d ? d : "");
	free(d);
	json_decref(keep);

	/* word lists never overrule a good reading */
	static const char *const rare[] = { "GIẤY KHAI SINH", "Họ, chữ đệm, tên: NGUYỄN VĂN KHOÁT" };
	v = extracted(r, rare, 2, "ho_ten", &c, &keep);
	CHECK(!strcmp(v, "NGUYỄN VĂN KHOÁT") && c >= 0.85,
	      "a name syllable no list has stays, undoubted: %s (%.2f)", v, c);
	json_decref(keep);
	static const char *const swap[] = { "GIẤY KHAI SINH", "Họ, chữ đệm, tên: NGUYỄN VĂN MỊNH" };
	v = extracted(r, swap, 2, "ho_ten", &c, &keep);
	CHECK(c < 0.85, "a syllable the list would make another is doubted: %s (%.2f)", v, c);
	json_decref(keep);
}

/* Well-formed Vietnamese syllables, and words that cannot be one. */
static void test_syllables(void)
{
	static const char *const good[] = { "nguyễn", "NGUYỄN", "Quyển", "quốc", "nghĩa",
		"Đặng", "gì", "giữa", "gìn", "Yến", "Huỳnh", "Khuê", "kỳ", "Lộc", "Bích",
		"oanh", "Thủy", "Trường", "a", "Khoát" };
	static const char *const bad[] = { "nguyẽm", "Ngh", "cia", "ghá", "kan", "hoc",
		"Ch1", "NGÔTRỌNG", "Hoàh", "xyz", "", "ẻẻ" };

	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		CHECK(text_syllable(good[i]), "'%s' is a syllable", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		CHECK(!text_syllable(bad[i]), "'%s' is no syllable", bad[i]);
}

int main(void)
{
	fields_rules *r = NULL;
	double sc;
	int rc;
	char bad[256];
	FILE *f;

	char path[4096];
	snprintf(path, sizeof(path), "%s/catalogue.ini",
		 getenv("RULES") ? getenv("RULES") : "config/fields");
	f = fopen(path, "r");
	if (f) {
		size_t n = fread(stock_catalogue, 1, sizeof(stock_catalogue) - 1, f);
		stock_catalogue[n] = '\0';
		fclose(f);
	}
	rc = fields_rules_load(getenv("RULES") ? getenv("RULES") : "config/fields", &r);
	CHECK(rc == 0 && r && fields_rules_types(r) == 4, "4 types load from config/fields (%s)",
	      rc ? base_errmsg() : "ok");
	if (!r)
		return unit_status();

	CHECK(!strcmp(fields_classify(r, "ỦY BAN NHÂN DÂN\nGIẤY KHAI SINH\nHọ, chữ đệm, tên: AN", &sc),
		      "khai-sinh"), "a birth certificate is khai-sinh (%.2f)", sc);
	CHECK(!strcmp(fields_classify(r, "UY BAN\nGIẤY KHAI STNH\nHo va ten", &sc), "khai-sinh"),
	      "'GIẤY KHAI STNH' still classifies");
	CHECK(!strcmp(fields_classify(r, "GIAY CHUNG NHAN KET HON\nHọ và tên chồng: X", NULL), "ket-hon"),
	      "marriage, toneless");
	CHECK(!strcmp(fields_classify(r, "TRÍCH LỤC KHAI TỬ\n(Bản chính)", NULL), "khai-tu"), "death");
	CHECK(!strcmp(fields_classify(r, "GIẤY CHỨNG NHẬN\nQUYỀN SỬ DỤNG ĐẤT\nQUYỀN SỞ HỮU NHÀ Ở", NULL), "gcn"),
	      "land certificate page 1");
	CHECK(!strcmp(fields_classify(r, "a) Thửa đất số: 12   b) Tờ bản đồ số: 3\nSố phát hành: BX 1", NULL), "gcn"),
	      "land certificate without its title, by keywords");
	CHECK(!strcmp(fields_classify(r, "Hóa đơn bán hàng\nTổng cộng: 100.000 đ", &sc), "unknown"),
	      "an invoice is unknown (%.2f)", sc);
	CHECK(!strcmp(fields_classify(r, "", NULL), "unknown"), "an empty page is unknown");

	label_at("Quê quản: Huyện Vũ Thư, Tỉnh Thái Bình", "Quê quán", "Huyện Vũ Thư, Tỉnh Thái Bình");
	label_at("Noi sinh: Bệnh viện Từ Dũ", "Nơi sinh", "Bệnh viện Từ Dũ");
	label_at("Ngày, tháng, nam sinh: 15/03/1985", "Ngày, tháng, năm sinh", "15/03/1985");
	label_at("Ngày tháng, năm sinh: 15/03/1985", "Ngày, tháng, năm sinh", "15/03/1985");
	label_at("Họ, chữ đệm, tẽn: NGUYỄN VĂN AN", "Họ, chữ đệm, tên", "NGUYỄN VĂN AN");
	label_at("Giới tính: Nam   Dân tộc: Kinh", "Dân tộc", "Kinh");
	label_at("Số phát hảnh: BX 123456", "Số phát hành", "BX 123456");
	label_absent("Nơi cư trú: Phường 5", "Nơi sinh", 0);
	label_absent("CCCD số 0123", "Số", 1);
	label_absent("Họ và tên mẹ: Lê Thị Hoa", "Họ và tên cha", 0);
	test_lexicon(getenv("RULES") ? getenv("RULES") : "config/fields");
	test_extract_mends(r);
	test_extract_repairs(r);
	test_real_forms(r);
	test_syllables();
	{
		/* what OCR repairs, a person's value does not get */
		json_t *v = NULL;
		rc = fields_validate(r, "khai-sinh", "ngay_sinh", "24/99/1960", &v);
		CHECK(rc == BASE_EINVAL && !v, "a correction '24/99/1960' is refused, "
		      "not repaired");
		json_decref(v);
		v = NULL;
		rc = fields_validate(r, "khai-sinh", "so", "13/7", &v);
		CHECK(rc == 0 && !strcmp(json_string_value(v), "13/7"),
		      "a correction '13/7' is kept as given, not made 137");
		json_decref(v);
	}

	test_catalogue(r);

	/* a typo in a rules file is an error naming the line (beside the
	 * stock catalogue, which every rules folder has) */
	system("mkdir -p /tmp/sohoa-rules-bad");
	write_file("/tmp/sohoa-rules-bad/catalogue.ini", stock_catalogue);
	f = fopen("/tmp/sohoa-rules-bad/x.conf", "w");
	fputs("[type]\nname = x\ntitle = X\n[so]\nlabels = Số\nkind = numbr\n", f);
	fclose(f);
	fields_rules_destroy(&r);
	rc = fields_rules_load("/tmp/sohoa-rules-bad", &r);
	snprintf(bad, sizeof(bad), "%s", base_errmsg());
	CHECK(rc == BASE_EINVAL && strstr(bad, "line 6"), "a bad kind is refused: %s", bad);
	fields_rules_destroy(&r);
	f = fopen("/tmp/sohoa-rules-bad/x.conf", "w");
	fputs("[type]\nname = x\ntitle = X\n[ho_ten]\nlabels = Họ tên\nkind = name\n"
	      "vocabulary = missing.txt\n", f);
	fclose(f);
	rc = fields_rules_load("/tmp/sohoa-rules-bad", &r);
	snprintf(bad, sizeof(bad), "%s", base_errmsg());
	CHECK(rc != 0 && strstr(bad, "line 7") && strstr(bad, "missing.txt"),
	      "a missing word list is refused, naming it: %s", bad);
	fields_rules_destroy(&r);
	CHECK(r == NULL, "destroy sets NULL");
	return unit_status();
}
