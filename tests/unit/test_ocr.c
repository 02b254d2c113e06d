/* test_ocr.c - orientation told from a page's ink (src/ocr/orient.c):
 * a page of text lines drawn with Leptonica's own bitmap font, turned
 * each quarter, comes back with the turn that makes it upright; the
 * skew of its lines is measured once turned; a blank page stays as it
 * is. No Tesseract here: the strip reading for unsure pages is the
 * end-to-end tests' (tests/e2e/orient.sh). */
#include "../../src/ocr/internal.h"

#include "unit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const lines[] = {
	"GIAY CHUNG NHAN QUYEN SU DUNG DAT",
	"Ho, chu dem, ten: Nguyen Van Binh   Gioi tinh: Nam",
	"Ngay, thang, nam sinh: 12/03/1987   Dan toc: Kinh",
	"Noi sinh: Benh vien Da khoa tinh Quang Ngai",
	"Que quan: Xa Tinh Khe, huyen Son Tinh, tinh Quang Ngai",
	"Thua dat so: 125, to ban do so: 17, dien tich: 210,5 m2",
	"Muc dich su dung: Dat o tai nong thon; thoi han: lau dai",
	"Nguon goc su dung: Nha nuoc giao dat co thu tien su dung dat",
	"Ho va ten me: Tran Thi Lan   Ho va ten cha: Nguyen Van Hung",
	"Noi dang ky: Uy ban nhan dan xa Tinh Khe, ngay 05 thang 4 nam 1990",
};

/* An A4 page at 200 dpi with rows of text, as a bilevel Pix. Each row
 * starts a little further in or out (a page of one string stacked
 * letter over letter would have lines down the page too, which no
 * printed form has). */
static PIX *text_page(void)
{
	L_BMF *bmf = bmfCreate(NULL, 10);
	PIX *page = pixCreate(1654, 2339, 1);
	size_t n = sizeof(lines) / sizeof(*lines);

	for (int row = 0; bmf && row < 44; row++) {
		const char *t = lines[(size_t)row * 7 % n];
		l_int32 width = 0, overflow = 0;
		pixSetTextline(page, bmf, t + row % 3, 1, 120 + row * 37 % 97,
			       160 + row * 48, &width, &overflow);
	}
	bmfDestroy(&bmf);
	return page;
}

int main(void)
{
	PIX *page = text_page(), *blank = pixCreate(1654, 2339, 1);
	l_int32 ink = 0;

	setMsgSeverity(L_SEVERITY_NONE);
	pixCountPixels(page, &ink, NULL);
	CHECK(ink > 1654 * 2339 / 100, "the drawn page has ink (%d pixels)", ink);
	for (int turn = 0; turn < 4; turn++) {
		PIX *scan = turn ? pixRotateOrth(page, turn) : pixClone(page);
		orientation o;
		ocr_orient(NULL, scan, 200, &o);
		/* turned clockwise by turn quarters: back by the rest */
		CHECK(o.quads == (4 - turn) % 4, "a page turned %d degrees is "
		      "turned back by %d (got %d; lines %.2f, up/down %.1f)",
		      turn * 90, (4 - turn) % 4 * 90, o.quads * 90, o.lines, o.updown);
		CHECK(turn % 2 ? o.lines < 1 / 1.5f : o.lines > 1.5f,
		      "its lines run %s (score ratio %.2f)", turn % 2 ? "up and down"
		      : "across", o.lines);
		CHECK(o.sure && !o.sampled, "and no strip had to be read");
		pixDestroy(&scan);
	}
	/* a slight skew is measured on the page as it will be turned */
	PIX *skewed = pixRotate(page, 1.5f * (float)M_PI / 180, L_ROTATE_SAMPLING,
				L_BRING_IN_WHITE, 0, 0);
	PIX *both = pixRotateOrth(skewed, 2);
	orientation o;
	ocr_orient(NULL, both, 200, &o);
	CHECK(o.quads == 2, "a skewed page upside down is turned back by 180 (got %d)",
	      o.quads * 90);
	CHECK(fabsf(fabsf(o.skew) - 1.5f) < 0.2f && o.skew_conf >= 2.5f,
	      "and its 1.5 degree skew measured once turned (%.2f, confidence %.1f)",
	      o.skew, o.skew_conf);
	ocr_orient(NULL, blank, 200, &o);
	CHECK(o.quads == 0 && o.sure, "a blank page stays as it is");
	pixDestroy(&both);
	pixDestroy(&skewed);
	pixDestroy(&blank);
	pixDestroy(&page);
	return unit_status();
}
