/* test_ocr.c - orientation told from a page's ink (src/ocr/orient.c):
 * a page of text lines drawn with Leptonica's own bitmap font, turned
 * each quarter, comes back with the turn that makes it upright; the
 * skew of its lines is measured once turned; a blank page stays as it
 * is. A photographed sheet (src/ocr/capture.c): the page laid on a dark
 * table under 8 degrees of perspective is found, its corners within 1%
 * of its size, and squared back to its own aspect with no table left in
 * it; a scan that fills its frame is left alone. A page bent as a bound
 * page bends (src/ocr/dewarp.c) comes back with every quarter's lines
 * within 0.3 degrees of straight; a flat page is left. No Tesseract: the
 * strip reading for unsure pages is the end-to-end tests'
 * (tests/e2e/orient.sh). Diacritics chosen from evidence
 * (src/ocr/tones.c): a word's spellings weighed on its neighbours by a
 * small model, what was read kept, a close runner-up kept beside it.
 * A reading that left lines of the page out is told from one that left
 * a signature's strokes (ocr_lines_missed). A photographed form's faint
 * leader dots go from its gray page, its letters stay (ocr_clean). */
#include "../../src/ocr/internal.h"
#include "../../src/text/text.h"

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

/* The page (bilevel, 1654 x 2339) photographed: as gray paper on a
 * darker table in a 1800 x 2400 frame, seen by a pinhole camera over its
 * centre tilted by tilt degrees (and turned a little), the principal
 * point at the frame's centre; its corners into c. */
static PIX *photograph(PIX *page, double tilt, float c[4][2])
{
	PIX *g = pixConvert1To8(NULL, page, 235, 40), *frame, *warped, *mask, *paper;
	int W = 1800, H = 2400, pw = pixGetWidth(page), ph = pixGetHeight(page);
	/* a phone's lens (0.6 of the diagonal), held so that the sheet is
	 * about 1400 px tall */
	double t = tilt * M_PI / 180, roll = 2 * M_PI / 180, f = 0.6 * hypot(W, H);
	double dist = f * 297 / 1400;
	float d[4][2];
	static const int cx[4] = { 0, 1, 1, 0 }, cy[4] = { 0, 0, 1, 1 };

	for (int i = 0; i < 4; i++) {
		double x = (cx[i] - 0.5) * 210, y = (cy[i] - 0.5) * 297;
		double y1 = y * cos(t), z = y * sin(t) + dist;
		double xr = x * cos(roll) - y1 * sin(roll), yr = x * sin(roll) + y1 * cos(roll);
		d[i][0] = (float)(W / 2.0 + f * xr / z);
		d[i][1] = (float)(H / 2.0 + f * yr / z);
	}
	PTA *ptas = ptaCreate(4), *ptad = ptaCreate(4);

	memcpy(c, d, sizeof(d));
	frame = pixCreate(W, H, 8);
	pixSetAllArbitrary(frame, 90);
	ptaAddPt(ptas, 0, 0);
	ptaAddPt(ptas, (float)pw, 0);
	ptaAddPt(ptas, (float)pw, (float)ph);
	ptaAddPt(ptas, 0, (float)ph);
	for (int i = 0; i < 4; i++)
		ptaAddPt(ptad, d[i][0], d[i][1]);
	/* the page and a mask of where it lies, moved into the frame */
	paper = pixCreate(W, H, 8);
	pixRasterop(paper, 0, 0, pw, ph, PIX_SRC, g, 0, 0);
	warped = pixProjectivePta(paper, ptad, ptas, L_BRING_IN_BLACK);
	mask = pixThresholdToBinary(warped, 1);
	pixInvert(mask, mask);
	pixCombineMasked(frame, warped, mask);
	pixDestroy(&mask);
	pixDestroy(&warped);
	pixDestroy(&paper);
	pixDestroy(&g);
	ptaDestroy(&ptas);
	ptaDestroy(&ptad);
	return frame;
}

static void capture_tests(PIX *page)
{
	float truth[4][2];
	capture cap;
	PIX *photo = photograph(page, 8, truth);
	PIX *sheet = ocr_capture_square(photo, &cap);
	double worst = 0;

	CHECK(sheet && cap.found, "a page photographed at 8 degrees of perspective is found");
	for (int i = 0; i < 4; i++)
		worst = fmax(worst, hypot(cap.corners[i][0] - truth[i][0],
					  cap.corners[i][1] - truth[i][1]));
	CHECK(worst / 1400 < 0.01, "its corners within 1%% of its size (worst %.1f px, %.2f%%)",
	      worst, 100 * worst / 1400);
	double aspect = sheet ? (double)pixGetWidth(sheet) / pixGetHeight(sheet) : 0;
	CHECK(fabs(aspect / (1654.0 / 2339) - 1) < 0.03, "squared to the page's own aspect "
	      "(%.3f, the page's %.3f)", aspect, 1654.0 / 2339);
	/* no table left: every edge band of the squared sheet is paper */
	int clean = sheet != NULL;
	for (int side = 0; sheet && side < 4; side++) {
		int w = pixGetWidth(sheet), h = pixGetHeight(sheet), b = 6;
		BOX *band = side == 0 ? boxCreate(0, 0, w, b) : side == 1 ? boxCreate(0, h - b, w, b)
			    : side == 2 ? boxCreate(0, 0, b, h) : boxCreate(w - b, 0, b, h);
		PIX *part = pixClipRectangle(sheet, band, NULL);
		l_float32 mean = 0;
		pixGetAverageMasked(part, NULL, 0, 0, 1, L_MEAN_ABSVAL, &mean);
		clean &= mean > 200;
		pixDestroy(&part);
		boxDestroy(&band);
	}
	CHECK(clean, "and comes back rectangular: its edges are paper, not table");
	pixDestroy(&sheet);
	/* a lit patch of desk joining the sheet at a corner and running to
	 * the frame's edge (shared/real set 6): the corners stay the
	 * sheet's, found from its straight edges */
	PIX *lit = pixCopy(NULL, photo);
	int bx = (int)truth[2][0] - 40, by = (int)truth[2][1] - 40;
	pixRasterop(lit, bx, by, pixGetWidth(lit) - bx, 120, PIX_SET, NULL, 0, 0);
	sheet = ocr_capture_square(lit, &cap);
	worst = 0;
	for (int i = 0; sheet && i < 4; i++)
		worst = fmax(worst, hypot(cap.corners[i][0] - truth[i][0],
					  cap.corners[i][1] - truth[i][1]));
	CHECK(sheet && worst / 1400 < 0.01, "with a lit patch of desk joined at a corner, its "
	      "corners are still within 1%% (worst %.1f px)", worst);
	pixDestroy(&sheet);
	pixDestroy(&lit);
	/* the sheet running off the frame: no corner there to square by,
	 * so the photo is read as it lies */
	BOX *part = boxCreate(0, (int)truth[0][1] + 200, pixGetWidth(photo),
			      pixGetHeight(photo) - (int)truth[0][1] - 200);
	PIX *cut = pixClipRectangle(photo, part, NULL);
	sheet = ocr_capture_square(cut, &cap);
	CHECK(!sheet && !cap.found, "a sheet running off the frame is not squared");
	pixDestroy(&sheet);
	pixDestroy(&cut);
	boxDestroy(&part);
	pixDestroy(&photo);
	/* a flatbed scan fills its frame: untouched */
	PIX *scan = pixConvert1To8(NULL, page, 235, 40);
	sheet = ocr_capture_square(scan, &cap);
	CHECK(!sheet && !cap.found, "a scan that fills its frame is left as it is");
	pixDestroy(&sheet);
	pixDestroy(&scan);
}

/* The page bent as a bound page bends, its spine on the right: flat
 * over the first half, then the lines sinking toward the edge along a
 * circle's arc (a cylinder seen from above), deeper at the top (5 mm)
 * than at the bottom (3 mm). A shape of its own, not the generator's
 * quadratic over a third. */
static PIX *bend(PIX *page)
{
	int w = pixGetWidth(page), h = pixGetHeight(page);
	PIX *out = pixCreateTemplate(page);
	l_uint32 *sd = pixGetData(page), *dd = pixGetData(out);
	int wpl = pixGetWpl(page);

	for (int x = 0; x < w; x++) {
		double u = x < w / 2 ? 0 : (x - w / 2) / (w / 2.0);
		double arc = 1 - sqrt(1 - 0.9 * u * u);
		for (int y = 0; y < h; y++) {
			double depth = (5 - 2.0 * y / h) * 200 / 25.4;
			int sy = (int)lrint(y - depth * arc / (1 - sqrt(0.1)));
			if (sy >= 0 && sy < h && GET_DATA_BIT(sd + (size_t)sy * wpl, x))
				SET_DATA_BIT(dd + (size_t)y * wpl, x);
		}
	}
	return out;
}

/* The skew of each quarter of the page from left to right, found by
 * Leptonica's skew finder (not by the dewarp's own lines); the largest
 * in absolute value. */
static double worst_quarter_skew(PIX *pix)
{
	int w = pixGetWidth(pix), h = pixGetHeight(pix);
	double worst = 0;

	for (int q = 0; q < 4; q++) {
		BOX *b = boxCreate(q * w / 4, 0, w / 4, h);
		PIX *part = pixClipRectangle(pix, b, NULL);
		l_float32 angle = 0, conf = 0;
		pixFindSkew(part, &angle, &conf);
		worst = fmax(worst, fabs(angle));
		pixDestroy(&part);
		boxDestroy(&b);
	}
	return worst;
}

static void dewarp_tests(PIX *page)
{
	curl_model m;
	PIX *bent = bend(page), *flat = NULL;
	double before = worst_quarter_skew(bent);

	CHECK(before > 1, "the bent page's lines lean by %.2f degrees in its "
	      "steepest quarter", before);
	CHECK(ocr_dewarp_model(bent, 200, &m) == 1, "the bend is found (lines "
	      "%.1f px off straight, %.2f degrees across, %d profiles, %d lines)",
	      m.depth, m.bend, m.bands, m.lines);
	CHECK(m.bands == 3 && fabs(m.disp[0][16]) > fabs(m.disp[2][16]),
	      "a profile for each third, the bend deeper at the top (%.0f px "
	      "at the edge) than at the bottom (%.0f px)", m.disp[0][16], m.disp[2][16]);
	flat = ocr_dewarp_apply(bent, &m);
	double after = flat ? worst_quarter_skew(flat) : 99;
	CHECK(after <= 0.3, "flattened, every quarter's lines within 0.3 "
	      "degrees of straight (%.2f)", after);
	PIX *gray = pixConvert1To8(NULL, bent, 255, 0), *gflat = ocr_dewarp_apply(gray, &m);
	PIX *gbin = gflat ? pixConvertTo1(gflat, 128) : NULL;
	after = gbin ? worst_quarter_skew(gbin) : 99;
	CHECK(after <= 0.3, "and the gray page the same (%.2f)", after);
	CHECK(ocr_dewarp_model(page, 200, &m) == 0, "a flat page is left as it "
	      "is (lines %.1f px off straight)", m.depth);
	PIX *blank = pixCreateTemplate(page);
	CHECK(ocr_dewarp_model(blank, 200, &m) == 0 && m.bands == 0,
	      "a blank page has no lines to measure");
	pixDestroy(&blank);
	pixDestroy(&gbin);
	pixDestroy(&gflat);
	pixDestroy(&gray);
	pixDestroy(&flat);
	pixDestroy(&bent);
}

static void set_cands(ocr_tone_word *tw, const char *const *c, const double *d, int n)
{
	tw->n = n;
	for (int i = 0; i < n; i++) {
		snprintf(tw->cand[i], sizeof(tw->cand[i]), "%s", c[i]);
		tw->d[i] = d[i];
	}
}

static void test_tones(void)
{
	static const char model[] =
		"u thâm3 6\nu quyên1 10\nu tham0 30\nu tâng1 9\nu tâng0 1\nu ha5 5\n"
		"b thâm3 quyên1 5\nb tham0 quyên1 1\nb ha5 tâng1 6\nb . ha5 3\nb quyên1 . 8\n";
	text_lm *m = text_lm_parse(model, sizeof(model) - 1);
	json_t *words = json_pack("[{s:s, s:i}, {s:s, s:i}, {s:s, s:i}, {s:s, s:i}, {s:s, s:i}]",
				  "t", "thâm", "l", 0, "t", "quyền.", "l", 0,
				  "t", "hạ", "l", 1, "t", "tâng", "l", 1, "t", "1985", "l", 1);
	ocr_tone_word *tw = calloc(5, sizeof(*tw));
	/* thâm read, thẩm seen 20 points under it: the pair with quyền decides */
	set_cands(&tw[0], (const char *const[]){ "thâm", "thẩm", "thậm" }, (const double[]){ 0, -20, -60 }, 3);
	/* tầng after hạ; and one the recogniser was sure of */
	set_cands(&tw[3], (const char *const[]){ "tâng", "tầng" }, (const double[]){ 0, -10 }, 2);
	int n = ocr_tones_choose(m, words, tw, 5);
	json_t *w0 = json_array_get(words, 0), *w3 = json_array_get(words, 3);
	CHECK(n == 2, "two words changed (%d)", n);
	CHECK(!strcmp(json_string_value(json_object_get(w0, "t")), "thẩm") &&
	      !strcmp(json_string_value(json_object_get(w0, "r")), "thâm"),
	      "'thâm quyền' becomes 'thẩm quyền', keeping what was read");
	CHECK(!strcmp(json_string_value(json_object_get(w3, "t")), "tầng") &&
	      !strcmp(json_string_value(json_object_get(w3, "r")), "tâng"),
	      "'hạ tâng' becomes 'hạ tầng'");
	CHECK(!json_object_get(json_array_get(words, 1), "r") &&
	      !json_object_get(json_array_get(words, 4), "r") &&
	      !strcmp(json_string_value(json_object_get(json_array_get(words, 4), "t")), "1985"),
	      "words without spellings to weigh stay as read (a number among them)");
	/* a spelling that is no syllable is never chosen, however likely */
	json_t *bad = json_pack("[{s:s, s:i}]", "t", "quyên", "l", 0);
	ocr_tone_word one;
	set_cands(&one, (const char *const[]){ "quyên", "qưyên" }, (const double[]){ 0, 0 }, 2);
	CHECK(ocr_tones_choose(m, bad, &one, 1) == 0, "an ill-formed spelling is not chosen");
	/* close: the runner-up is kept beside the word */
	json_t *close = json_pack("[{s:s, s:i}]", "t", "tham", "l", 0);
	set_cands(&one, (const char *const[]){ "tham", "thẩm" }, (const double[]){ 0, -1 }, 2);
	ocr_tones_choose(m, close, &one, 1);
	json_t *a = json_object_get(json_array_get(close, 0), "a");
	CHECK(json_array_size(a) == 1 && !strcmp(json_string_value(json_array_get(a, 0)), "thẩm"),
	      "a close runner-up is kept as \"a\"");
	json_decref(words);
	json_decref(bad);
	json_decref(close);
	free(tw);
	text_lm_free(m);
}

/* 20 lines of 40 letters (10 x 16 pixels at 200 dpi: 1.3 by 2 mm), and
 * a reading whose words cover the lines from..to-1 (one word a line) */
static json_t *reading_of_lines(int from, int to)
{
	json_t *words = json_array();

	for (int l = from; l < to; l++)
		json_array_append_new(words, json_pack("{s:s, s:[i,i,i,i]}",
			"t", "chữ", "b", 90, 100 + 40 * l, 40 * 20 + 20, 30));
	return json_pack("{s:o, s:i, s:i}", "words", words, "confidence", 90, "q", 400);
}

static void test_lines_missed(void)
{
	PIX *bin = pixCreate(1654, 2339, 1);
	BOXA *letters = NULL;

	for (int l = 0; l < 20; l++)
		for (int k = 0; k < 40; k++)
			pixRasterop(bin, 100 + 20 * k, 105 + 40 * l, 10, 16, PIX_SET, NULL, 0, 0);
	json_t *all = reading_of_lines(0, 20), *some = reading_of_lines(0, 15);
	CHECK(!ocr_lines_missed(all, bin, 200, &letters), "a reading of every line "
	      "left none out");
	CHECK(letters && boxaGetCount(letters) == 800, "the page's 800 letters "
	      "found once (%d)", letters ? boxaGetCount(letters) : -1);
	CHECK(ocr_lines_missed(some, bin, 200, &letters), "a reading without five "
	      "of its twenty lines left lines out");
	/* a signature: 30 letter-sized strokes beside the text */
	boxaDestroy(&letters);
	for (int k = 0; k < 30; k++)
		pixRasterop(bin, 1000 + 12 * k, 1900 + (k % 5) * 9, 9, 20, PIX_SET, NULL, 0, 0);
	CHECK(!ocr_lines_missed(all, bin, 200, &letters), "nor does one that left "
	      "a signature's strokes alone");
	json_decref(all);
	json_decref(some);
	boxaDestroy(&letters);
	pixDestroy(&bin);
}

static void fill(PIX *pix, int x, int y, int w, int h, int v)
{
	BOX *b = boxCreate(x, y, w, h);

	pixSetInRectArbitrary(pix, b, (l_uint32)v);
	boxDestroy(&b);
}

/* A photographed form at 300 dpi: gray paper at 200, letters at 40, and
 * after each line's value a leader of light gray dots (7 pixels across,
 * 14 apart, at 165) the binarisation leaves out. */
static void test_faint_leaders(void)
{
	PIX *gray = pixCreate(1240, 600, 8), *bin, *bin2;
	int seals = 0;
	l_uint32 v;

	pixSetAllArbitrary(gray, 200);
	for (int l = 0; l < 5; l++) {
		for (int k = 0; k < 12; k++)
			fill(gray, 60 + 24 * k, 80 + 100 * l, 14, 36, 40);
		for (int k = 0; k < 50; k++)
			fill(gray, 400 + 14 * k, 110 + 100 * l, 7, 7, 165);
	}
	bin = ocr_sauvola(gray, 25);
	bin2 = bin ? pixCopy(NULL, bin) : NULL;
	PIX *g2 = pixCopy(NULL, gray);
	PIX *s1 = bin ? ocr_clean(bin, gray, 300, 1, &seals) : NULL;
	pixGetPixel(gray, 403, 113, &v);
	CHECK(v >= 190, "a faint leader dot is set to the paper (%u)", v);
	pixGetPixel(gray, 65, 95, &v);
	CHECK(v == 40, "a letter stays (%u)", v);
	PIX *s2 = bin2 ? ocr_clean(bin2, g2, 300, 0, &seals) : NULL;
	pixGetPixel(g2, 403, 113, &v);
	CHECK(v == 165, "on a page not photographed the dots are left (%u)", v);
	pixDestroy(&s1);
	pixDestroy(&s2);
	pixDestroy(&g2);
	pixDestroy(&bin2);
	pixDestroy(&bin);
	pixDestroy(&gray);
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
	/* a ruled table: its rules down the page peak in the skew search
	 * like lines of text (shared/real set 3, lit_259nd p15); they are
	 * taken out before the lines are scored */
	PIX *ruled = pixCopy(NULL, page);
	for (int x = 100; x < 1654; x += 180)
		pixRasterop(ruled, x, 60, 3, 2200, PIX_SET, NULL, 0, 0);
	ocr_orient(NULL, ruled, 200, &o);
	CHECK(o.quads == 0 && o.lines > 1.5f, "a page ruled down into columns stays upright "
	      "(turned %d, lines %.2f)", o.quads * 90, o.lines);
	pixDestroy(&ruled);
	capture_tests(page);
	dewarp_tests(page);
	pixDestroy(&both);
	pixDestroy(&skewed);
	pixDestroy(&blank);
	pixDestroy(&page);
	test_tones();
	test_lines_missed();
	test_faint_leaders();
	return unit_status();
}
