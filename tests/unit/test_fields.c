/* test_fields.c - folding, number words and the date parser: digits in
 * every separator, "ngày .. tháng .. năm ..", every words form, and
 * impossible dates refused rather than mended. */
#include "../../src/fields/fields.h"
#include "../../src/base/base.h"
#include "../../src/text/text.h"
#include "unit.h"

#include <string.h>

static void date_is(const char *text, const char *want)
{
	char iso[11] = "";
	int rc = fields_date_parse(text, iso);

	CHECK(rc == 0 && !strcmp(iso, want), "'%s' -> %s (got %s, rc %d)",
	      text, want, rc ? "nothing" : iso, rc);
}

static void date_fails(const char *text, int want)
{
	char iso[11] = "";
	int rc = fields_date_parse(text, iso);

	CHECK(rc == want, "'%s' is refused with %s (got %d %s)", text,
	      base_strerror(want), rc, iso);
}

static void repairs(const char *text, const char *want)
{
	char iso[11] = "";
	int rc = fields_date_repair(text, iso);

	if (want)
		CHECK(rc == 0 && !strcmp(iso, want), "'%s' repaired to %s (got %s)",
		      text, want, rc ? "nothing" : iso);
	else
		CHECK(rc != 0, "'%s' is not repaired (got %s)", text, iso);
}

/* The one edit distance: Levenshtein's for labels and word lists,
 * with swaps for the index's near spellings, bounded. */
static void test_distance(void)
{
	char big[300];

	CHECK(text_distance("nguyen", 6, "ngyuen", 6, 5, 1) == 1 &&
	      text_distance("nguyen", 6, "ngyuen", 6, TEXT_DISTANCE_ANY, 0) == 2,
	      "a swap is one edit with swaps, two without");
	CHECK(text_distance("noi sinh", 8, "noi snh", 7, TEXT_DISTANCE_ANY, 0) == 1,
	      "a lost letter is one edit");
	CHECK(text_distance("abc", 3, "xyz", 3, 1, 0) == 2 &&
	      text_distance("ab", 2, "abcdef", 6, 2, 1) == 3,
	      "past its bound: max + 1");
	memset(big, 'a', sizeof(big));
	CHECK(text_distance(big, 251, big, 251, TEXT_DISTANCE_ANY, 0) ==
	      TEXT_DISTANCE_ANY + 1, "over 250 bytes: not compared");
	CHECK(text_distance("", 0, "ab", 2, TEXT_DISTANCE_ANY, 0) == 2,
	      "against nothing: the length");
}

int main(void)
{
	char out[128];

	test_distance();

	fields_fold("Nguyễn Văn ĐẠT, Quê quán", out, sizeof(out));
	CHECK(!strcmp(out, "nguyen van dat, que quan"), "fold: %s", out);
	fields_fold("NGUYỄN VĂN AN", out, sizeof(out));
	CHECK(!strcmp(out, "nguyen van an"), "fold upper case: %s", out);
	fields_fold("Ho\xcc\x80" "a", out, sizeof(out)); /* NFD input */
	CHECK(!strcmp(out, "hoa"), "fold NFD: %s", out);

	CHECK(text_number_words("một nghìn chín trăm tám mươi lăm") == 1985, "1985");
	CHECK(text_number_words("hai nghìn không trăm linh năm") == 2005, "2005 with linh");
	CHECK(text_number_words("hai ngàn không trăm lẻ bẩy") == 2007, "2007 with ngàn, lẻ, bẩy");
	CHECK(text_number_words("hai nghìn không trăm mười chín") == 2019, "2019");
	CHECK(text_number_words("hai mươi mốt") == 21, "21 with mốt");
	CHECK(text_number_words("ba mươi tư") == 34, "34 with tư");
	CHECK(text_number_words("mười lăm") == 15, "15 with lăm");
	CHECK(text_number_words("mot nghin chin tram chin muoi chin") == 1999, "toneless words");
	CHECK(text_number_words("Nguyễn Văn") == -1, "names are not numbers");

	date_is("15/03/1985", "1985-03-15");
	date_is("Ngày, tháng, năm sinh: 15.03.1985", "1985-03-15");
	date_is("15-3-1985", "1985-03-15");
	date_is("ngày 5 tháng 11 năm 2001", "2001-11-05");
	date_is("Đăng ký ngày 27 tháng 8 năm 1973", "1973-08-27");
	date_is("Ngày mùng tám, tháng mười một, năm một nghìn chín trăm chín mươi chín", "1999-11-08");
	date_is("Ngày mười lăm, tháng ba, năm một nghìn chín trăm tám mươi lăm", "1985-03-15");
	date_is("Ngày hai mươi mốt, tháng giêng, năm hai nghìn không trăm linh năm", "2005-01-21");
	date_is("Ngày ba mươi, tháng tư, năm hai ngàn không trăm lẻ bẩy", "2007-04-30");
	date_is("Ngày mùng năm, tháng năm, năm một nghìn chín trăm năm mươi", "1950-05-05");
	date_is("Ngay muoi hai, thang chap, nam hai nghin (ban chinh)", "2000-12-12");
	date_fails("31/02/1990", BASE_EINVAL);
	/* typewritten dates misread digit by digit */
	repairs("18/01/2085", "2005-01-18"); /* no registration is in 2085 */
	{
		char a[32] = "";
		CHECK(fields_area_words("146 m² (Bằng chữ: Một trăm bốn mươi sáu phẩy "
					"ba mét vuông)", a, sizeof(a)) == 0 &&
		      !strcmp(a, "146.3"), "area in words: %s", a);
		CHECK(fields_area_words("38,0 m² (Bằng chữ: Ba mươi tám mét vuông)",
					a, sizeof(a)) == 0 && !strcmp(a, "38"),
		      "area in words, whole: %s", a);
		CHECK(fields_area_words("146 m² (Bằng chữ: Một trăm bốn mươi sáu phẩy",
					a, sizeof(a)) != 0,
		      "area words cut at the line's end are not taken");
	}
	repairs("24.92.1957", "1957-02-24");
	repairs("24/99/1960", "1960-09-24");
	repairs("30-10-4948", "1948-10-30");
	repairs("10-4-19G4", "1964-04-10");
	repairs("16/84/1921", "1921-04-16");
	repairs("61.05.1959", "1959-05-01");
	/* no single digit makes these a date */
	repairs("31/02/1990", NULL);
	repairs("99/99/9999", NULL);
	repairs("Nguyễn Văn An", NULL);
	date_fails("ngày 30 tháng 2 năm 2000", BASE_EINVAL);
	date_fails("29/02/1900", BASE_EINVAL);
	date_is("29/02/2000", "2000-02-29");
	date_fails("Ngày ba mươi mốt, tháng sáu, năm một nghìn chín trăm chín mươi", BASE_EINVAL);
	date_fails("Nơi sinh: Bệnh viện Từ Dũ", BASE_ENOTFOUND);
	date_fails("CCCD số 012218834992", BASE_ENOTFOUND);
	return unit_status();
}
