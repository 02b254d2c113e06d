/* test_rules.c - the rules in config/fields/, classification of damaged
 * text, and label matching on damaged labels. */
#include "../../src/fields/fields.h"
#include "../../src/sh/sh.h"
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

int main(void)
{
	fields_rules *r = NULL;
	double sc;
	int rc;
	char bad[256];
	FILE *f;

	rc = fields_rules_load(getenv("RULES") ? getenv("RULES") : "config/fields", &r);
	CHECK(rc == 0 && r && fields_rules_types(r) == 4, "4 types load from config/fields (%s)",
	      rc ? sh_errmsg() : "ok");
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

	/* a typo in a rules file is an error naming the line */
	system("mkdir -p /tmp/sohoa-rules-bad");
	f = fopen("/tmp/sohoa-rules-bad/x.conf", "w");
	fputs("[type]\nname = x\ntitle = X\n[so]\nlabels = Số\nkind = numbr\n", f);
	fclose(f);
	fields_rules_destroy(&r);
	rc = fields_rules_load("/tmp/sohoa-rules-bad", &r);
	snprintf(bad, sizeof(bad), "%s", sh_errmsg());
	CHECK(rc == SH_EINVAL && strstr(bad, "line 6"), "a bad kind is refused: %s", bad);
	fields_rules_destroy(&r);
	CHECK(r == NULL, "destroy sets NULL");
	return unit_status();
}
