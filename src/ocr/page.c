/* page.c - one page read: decoded, its sheet found and squared, its
 * background flattened and resolution told, turned upright
 * (orient.c), prepared (prepare.c) and recognised; then each step that
 * changed the page on its own evidence weighed against the page without
 * it (seals by colour, flattening, a half turn), the binarised page read
 * when the gray one reads poorly, and the page as it came read when the
 * prepared one still does: the reading with more well-formed words
 * kept. */
#include "internal.h"

#include "../base/base.h"

#include <stdio.h>
#include <string.h>

/* A seal found by its colour kept out of recognition only when that
 * loses no word: the seal's neighbourhood (its box grown by 10 mm, the
 * signer's name below it included) is read from the page prepared with
 * it taken out and from the page prepared without (the shape rule
 * alone), and the colour kept when the first reads as many well-formed
 * words there or more (what it takes out is ink of a seal's colour: red
 * or blue words, a red heading, would be lost, and are seen here; read
 * alone, the neighbourhood reads the name under a seal either way, but
 * on the whole page the seal joined to the name makes Tesseract take
 * both for a picture, which is why the colour goes). Two small reads
 * instead of a second reading of the whole page: elsewhere the two
 * pages are one, and prepare keeps the page without (plain_feed), so
 * nothing is prepared twice. pg's feed becomes that page when the
 * colour is declined (its name then goes into declined). */
static void keep_seals_that_help(ocr_engine *e, int dpi, struct prepared *pg,
				 json_t *declined)
{
	l_int32 bx, by, bw, bh;
	int grow = dpi * 10 / 25, better = 0;

	if (!pg->colour_seals || !pg->seal_box || !pg->feed || !pg->plain_feed ||
	    boxGetGeometry(pg->seal_box, &bx, &by, &bw, &bh))
		return;
	BOX *near = boxCreate(bx - grow, by - grow, bw + 2 * grow, bh + 2 * grow);
	PIX *with = near ? pixClipRectangle(pg->feed, near, NULL) : NULL;
	PIX *without = near ? pixClipRectangle(pg->plain_feed, near, NULL) : NULL;
	if (with && without) {
		json_t *r1 = ocr_read(e, with, dpi, NULL, 0), *r0 = ocr_read(e, without, dpi, NULL, 0);
		/* words read at confidence 60 or more: junk around a seal's
		 * rings reads as digits and letters, with little confidence */
		better = json_integer_value(json_object_get(r1, "q60")) >=
			 json_integer_value(json_object_get(r0, "q60"));
		json_decref(r1);
		json_decref(r0);
	}
	pixDestroy(&with);
	pixDestroy(&without);
	boxDestroy(&near);
	if (better) {
		pixDestroy(&pg->plain_feed);
		return;
	}
	json_array_append_new(declined, json_string("colour seals"));
	pixDestroy(&pg->feed);
	pg->feed = pg->plain_feed;
	pg->plain_feed = NULL;
	pg->colour_seals = 0;
	boxDestroy(&pg->seal_box);
}

/* A flattened page kept only when it reads clearly better than the
 * page prepared the same way unflattened (read too); a tie goes to the
 * page as it was ("flattening" then goes into declined). Returns the
 * reading kept; *pg is the page it was read from. */
static json_t *keep_flattening_if_it_helps(ocr_engine *e, PIX *norm, PIX *ink,
					   const orientation *o, int dpi, int bilevel,
					   struct prepared *pg, json_t *res, json_t *declined)
{
	struct prepared plain;

	if (!pg->curl.bent || !res ||
	    !ocr_prepare(norm, ink, o, dpi, bilevel, (pg->colour_seals ? STEP_COLOUR_SEALS : 0) |
			 (pg->faint ? STEP_FAINT_LEADERS : 0), &plain))
		return res;
	json_t *res2 = ocr_recognise(e, plain.feed ? plain.feed : plain.bin, dpi, NULL);
	if (ocr_clearly_better(ocr_reading_quality(res), ocr_reading_quality(res2))) {
		json_decref(res2);
		ocr_prepared_free(&plain);
		return res;
	}
	json_array_append_new(declined, json_string("flattening"));
	json_decref(res);
	ocr_prepared_free(pg);
	*pg = plain;
	pixDestroy(&pg->plain_feed);
	return res2;
}

/* The page as it came in, only greyed: what plain Tesseract reads (it
 * binarises the page itself, by Otsu's threshold), *bin getting the page
 * it binarised. NULL when the engine fails. */
static json_t *read_as_it_came(ocr_engine *e, PIX *raw, int dpi, PIX **bin)
{
	PIX *g = pixGetDepth(raw) == 1 && !pixGetColormap(raw) ? pixClone(raw)
		 : pixConvertTo8(raw, 0);
	json_t *r = g ? ocr_recognise(e, g, dpi, bin) : NULL;

	pixDestroy(&g);
	if (r && !*bin) {
		json_decref(r);
		r = NULL;
	}
	return r;
}

/* Whether page n's pixels would need more memory than the page budget
 * (about 8 bytes a pixel: the decoded page and the working copies of
 * its gray, flattened, binarised and turned forms, measured on a blank
 * 17000 x 17000 page: 2.3 GB); read from its header, before decoding. */
static int over_memory(ocr_engine *e, const void *tiff, size_t len, int n,
		       ocr_page *out)
{
	l_int32 w = 0, h = 0, bps, spp, res, cmap, format;
	double need;

	if (e->o.page_memory_mb <= 0 ||
	    readHeaderMemTiff(tiff, len, n, &w, &h, &bps, &spp, &res, &cmap,
			      &format))
		return 0;
	need = (double)w * (double)h * 8 / (1 << 20);
	if (need <= e->o.page_memory_mb)
		return 0;
	snprintf(out->error, sizeof(out->error), "page %d: %d x %d pixels would "
		 "need about %.0f MB to read, over the page budget of %.0f MB "
		 "([ocr] page_memory_mb): left unrecognised, for review", n + 1,
		 w, h, need, e->o.page_memory_mb);
	return 1;
}

/* A page being read: what each step hands the next. */
typedef struct page_read {
	PIX *raw;          /* as decoded from the TIFF */
	PIX *gray, *norm;  /* its gray, the gray's background flattened */
	PIX *probe;        /* norm binarised: orientation and resolution */
	PIX *ink, *tint;   /* a colour page's seal-coloured ink, tints */
	int bilevel, dpi, raw_dpi, tagged;
	const char *dpi_from; /* "tag", "page size" or "text" */
	capture cap;
	orientation o;
	struct prepared pg;
	json_t *res, *declined;
	BOXA *letters;     /* the prepared page's letters (NULL: not found yet) */
	int reread;        /* 1: read binarised too, 2: that reading kept */
	const char *chosen, *why; /* prepared or as it came, and why */
} page_read;

/* The page decoded, in gray unless bilevel; its resolution as the file
 * says it or its size does. 0, or -1 with out->error set. */
static int decode(ocr_engine *e, const void *tiff, size_t len, int n,
		  page_read *p, ocr_page *out)
{
	if (!over_memory(e, tiff, len, n, out))
		p->raw = pixReadMemTiff(tiff, len, n);
	p->bilevel = p->raw && pixGetDepth(p->raw) == 1 && !pixGetColormap(p->raw);
	if (!p->raw || (!p->bilevel && !(p->gray = ocr_to_gray(p->raw, &p->tint, &p->ink)))) {
		if (!out->error[0])
			snprintf(out->error, sizeof(out->error), "page %d cannot be "
				 "read for OCR", n + 1);
		return -1;
	}
	p->dpi = p->raw_dpi = ocr_page_dpi(p->raw, &p->tagged);
	return 0;
}

/* A photographed sheet found, squared and cropped (its resolution is
 * then the text's, whatever the file says); the seal's colour and the
 * tints, read before the colour went, move with the page. */
static void square_sheet(page_read *p)
{
	PIX *sheet = ocr_capture_square(p->gray, &p->cap);

	if (!sheet)
		return;
	if (p->ink) {
		PIX *sq = ocr_capture_apply(p->ink, &p->cap);
		pixDestroy(&p->ink);
		p->ink = sq;
	}
	if (p->tint) {
		PIX *sq = ocr_capture_apply(p->tint, &p->cap);
		pixDestroy(&p->tint);
		p->tint = sq;
	}
	pixDestroy(&p->gray);
	p->gray = sheet;
	p->dpi = ocr_page_dpi(p->gray, &p->tagged);
	p->tagged = 0;
}

/* The page's background flattened and its probe made; with no
 * plausible resolution in the file, the letters' size gives it; a page
 * under 150 dpi (a phone's megapixel or two over a whole sheet) is
 * enlarged to about 300 before anything is read off it: Tesseract and
 * the up/down marks want strokes of a few pixels. */
static void normalise(page_read *p)
{
	if (p->bilevel) {
		/* a bilevel scan has no background to flatten and is its
		 * own probe */
		p->norm = pixClone(p->raw);
		p->probe = pixClone(p->raw);
	} else {
		p->norm = pixBackgroundNormSimple(p->gray, NULL, NULL);
		if (!p->norm)
			p->norm = pixClone(p->gray);
		p->probe = pixConvertTo1(p->norm, 160);
	}
	/* (measured again once the page is known to lie sideways) */
	int from_text = !p->tagged && p->probe ? ocr_dpi_from_text(p->probe) : 0;
	if (from_text >= 60 && from_text <= 1200) {
		p->dpi = from_text;
		p->dpi_from = "text";
	}
	if (p->bilevel || !p->probe || p->dpi < 40 || p->dpi >= 150)
		return;
	float f = 300.0f / (float)p->dpi;
	PIX *up = pixScaleGrayLI(p->norm, f > 3 ? 3 : f, f > 3 ? 3 : f);
	if (!up)
		return;
	p->cap.scale = f > 3 ? 3 : f;
	pixDestroy(&p->norm);
	p->norm = up;
	PIX *big = p->ink ? pixScaleToSize(p->ink, pixGetWidth(up), pixGetHeight(up)) : NULL;
	pixDestroy(&p->ink);
	p->ink = big;
	big = p->tint ? pixScaleToSize(p->tint, pixGetWidth(up), pixGetHeight(up)) : NULL;
	pixDestroy(&p->tint);
	p->tint = big;
	pixDestroy(&p->probe);
	p->probe = pixConvertTo1(p->norm, 160);
	p->dpi = (int)(p->dpi * p->cap.scale + 0.5);
}

/* Which way up (ocr_orient); a resolution from the text measured again
 * on the page as it reads, kept only when it agrees within half with
 * the first (a page already enlarged from one measure is not measured
 * into another); the tints whitened now, inside the sheet and once the
 * page's way up is known, to the paper's level. */
static void orient(ocr_engine *e, page_read *p)
{
	if (p->probe && !e->over_time)
		ocr_orient(e, p->probe, p->dpi, &p->o);
	if (!strcmp(p->dpi_from, "text") && p->o.quads % 2) {
		PIX *up = pixRotateOrth(p->probe, p->o.quads);
		int again = up ? ocr_dpi_from_text(up) : 0;
		if (again >= 60 && again <= 1200 && again * 3 > p->dpi * 2 &&
		    again * 2 < p->dpi * 3)
			p->dpi = again;
		pixDestroy(&up);
	}
	if (p->tint && pixGetWidth(p->tint) == pixGetWidth(p->norm) &&
	    pixGetHeight(p->tint) == pixGetHeight(p->norm))
		pixSetMasked(p->norm, p->tint, ocr_paper_level(p->norm));
}

/* The budget between steps too: a step itself runs to its end. */
static void check_time(ocr_engine *e, double now)
{
	if (e->deadline > 0 && now >= e->deadline)
		e->over_time = 1;
}

/* A turn to be confirmed (a half turn on the marks alone, a turn chosen
 * on strips) that reads poorly: the page the way it is weighed against
 * is read too, and the turn kept only when it reads clearly better (the
 * marks alone took an upright table of digits for upside down, strips
 * an upright invoice for one lying sideways); a turn that reads well is
 * confirmed by it. A page unsure which way
 * up that reads badly: the other way up is read too and the better
 * reading kept. */
static void other_way_up(ocr_engine *e, page_read *p)
{
	int confirm = p->o.confirm && p->pg.bin && p->res &&
		      ocr_poor_reading(p->res, p->pg.bin, p->dpi, &p->letters);

	if (!confirm && (p->o.sure || !p->pg.bin ||
			 ocr_confidence_of(p->res) >= e->o.unreadable_below))
		return;
	orientation o2 = p->o;
	struct prepared pg2;
	o2.quads = (p->o.quads + 2) % 4;
	if (confirm) {
		o2.quads = p->o.against.quads;
		o2.skew = p->o.against.skew;
		o2.skew_conf = p->o.against.skew_conf;
		o2.updown = p->o.against.updown;
	}
	o2.confirm = 0;
	/* the steps the page kept the first way up, and only those: they
	 * were weighed on this page already */
	int kept = (p->pg.curl.bent ? STEP_FLATTEN : 0) |
		   (p->pg.colour_seals ? STEP_COLOUR_SEALS : 0) |
		   (p->pg.faint ? STEP_FAINT_LEADERS : 0);
	if (!ocr_prepare(p->norm, p->ink, &o2, p->dpi, p->bilevel, kept, &pg2))
		return;
	p->o.sampled = o2.sampled = 1;
	pixDestroy(&pg2.plain_feed);
	json_t *res2 = ocr_recognise(e, pg2.feed ? pg2.feed : pg2.bin, p->dpi, NULL);
	int q = ocr_reading_quality(p->res), q2 = ocr_reading_quality(res2);
	if (confirm ? !ocr_clearly_better(q, q2) : q2 > q) {
		json_decref(p->res);
		ocr_prepared_free(&p->pg);
		/* (as many letters, found again where they now lie) */
		boxaDestroy(&p->letters);
		p->res = res2;
		p->pg = pg2;
		p->o = o2;
	} else {
		json_decref(res2);
		ocr_prepared_free(&pg2);
	}
}

/* A gray page read poorly from its normalised gray (low confidence, or
 * few well-formed words for the letters on it) is read again from the
 * other preparation, the page binarised, and the reading with more
 * well-formed words kept. */
static void reread_binarised(ocr_engine *e, page_read *p)
{
	if (!p->res || !p->pg.bin || !p->pg.feed || p->bilevel ||
	    (!ocr_poor_reading(p->res, p->pg.bin, p->dpi, &p->letters) &&
	     !ocr_lines_missed(p->res, p->pg.bin, p->dpi, &p->letters)))
		return;
	int wh = p->dpi / 12 < 8 ? 8 : p->dpi / 12;
	PIX *bfeed = ocr_sauvola(p->pg.feed, wh);
	json_t *res2 = bfeed ? ocr_recognise(e, bfeed, p->dpi, NULL) : NULL;
	p->reread = 1;
	if (ocr_reading_quality(res2) > ocr_reading_quality(p->res)) {
		json_decref(p->res);
		p->res = res2;
		p->reread = 2;
	} else {
		json_decref(res2);
	}
	pixDestroy(&bfeed);
}

/* The page as it came is always a candidate: when the prepared page
 * still reads poorly, the page only greyed is read as plain Tesseract
 * reads it, and the reading with more well-formed words kept (a bilevel
 * page left where it lay was still cleaned: the points of a table of
 * decimals went with the dust). A tie goes to the page as it came: a
 * step earns its place. */
static void or_as_it_came(ocr_engine *e, page_read *p)
{
	if (!p->res || !p->pg.bin ||
	    !ocr_poor_reading(p->res, p->pg.bin, p->dpi, &p->letters))
		return;
	PIX *abin = NULL;
	json_t *res2 = read_as_it_came(e, p->raw, p->raw_dpi, &abin);
	int q1 = ocr_reading_quality(p->res), q2 = ocr_reading_quality(res2);
	if (res2 && q2 >= q1) {
		json_decref(p->res);
		ocr_prepared_free(&p->pg);
		/* nothing done to it: no skew, bend or seal to report */
		memset(&p->pg, 0, sizeof(p->pg));
		boxaDestroy(&p->letters);
		p->pg.bin = abin;
		p->res = res2;
		p->o = (orientation){ .sure = p->o.sure, .lines = p->o.lines,
				      .updown = p->o.updown };
		memset(&p->cap, 0, sizeof(p->cap));
		p->dpi = p->raw_dpi;
		p->chosen = "as it came";
	} else {
		json_decref(res2);
		pixDestroy(&abin);
		p->chosen = "prepared";
	}
	p->why = q2 >= q1 ? "the prepared page read poorly; the page as it came "
			    "read as many well-formed words or more"
			  : "the prepared page read poorly; the page as it came "
			    "read fewer well-formed words";
	if (p->res)
		json_object_set_new(p->res, "quality", json_pack("{s:i, s:i}",
			"prepared", q1, "as_it_came", q2));
}

/* What was done and found, on the reading kept; the page left for
 * review when it reads too poorly once upright, said in out->error. */
static void report(ocr_engine *e, page_read *p, int n, ocr_page *out)
{
	json_t *res = p->res;

	if (p->reread)
		json_object_set_new(res, "reread", json_string(p->reread == 2 ?
				    "binarised page kept" : "gray page kept"));
	if (p->chosen) {
		json_object_set_new(res, "chosen", json_string(p->chosen));
		json_object_set_new(res, "why", json_string(p->why));
	}
	if (json_array_size(p->declined))
		json_object_set(res, "declined", p->declined);
	int unreadable = ocr_confidence_of(res) < e->o.unreadable_below &&
			 (json_array_size(json_object_get(res, "words")) > 0 ||
			  ocr_has_ink(p->pg.bin));
	ocr_describe(res, n, p->dpi, &p->o, &p->pg, unreadable, p->dpi_from, &p->cap);
	if (json_array_size(json_object_get(res, "words")) == 0)
		snprintf(out->error, sizeof(out->error), unreadable ?
			 "page %d: no text could be read from its ink, even "
			 "once upright: left for review" : "page %d: no text "
			 "found", n + 1);
	else if (unreadable)
		snprintf(out->error, sizeof(out->error), "page %d reads at "
			 "confidence %.0f once upright (found turned %d°): "
			 "left for review", n + 1, ocr_confidence_of(res),
			 (4 - p->o.quads) % 4 * 90);
}

/* The cleaned page as the store keeps it (G4); the text stays when it
 * cannot be encoded. */
static void encode(page_read *p, int n, ocr_page *out)
{
	double t = base_monotonic();

	if (pixWriteMemTiff(&out->image, &out->image_len, p->pg.bin, IFF_TIFF_G4)) {
		out->image = NULL;
		out->image_len = 0;
		if (!out->error[0])
			snprintf(out->error, sizeof(out->error), "page %d: the "
				 "cleaned image could not be encoded (text kept)",
				 n + 1);
	}
	out->seconds[OCR_T_ENCODE] = base_monotonic() - t;
}

static void page_read_free(page_read *p)
{
	json_decref(p->res);
	json_decref(p->declined);
	ocr_prepared_free(&p->pg);
	boxaDestroy(&p->letters);
	pixDestroy(&p->tint);
	pixDestroy(&p->ink);
	pixDestroy(&p->probe);
	pixDestroy(&p->norm);
	pixDestroy(&p->gray);
	pixDestroy(&p->raw);
}

int ocr_page_read(ocr_engine *e, const void *tiff, size_t len, int n,
		  ocr_page *out)
{
	double t0 = base_monotonic(), t1, t2, t3;
	page_read p = { .dpi_from = "page size", .declined = json_array(),
			.letters = NULL };

	memset(out, 0, sizeof(*out));
	e->over_time = 0;
	e->deadline = e->o.page_seconds > 0 ? t0 + e->o.page_seconds : 0;
	if (decode(e, tiff, len, n, &p, out)) {
		page_read_free(&p);
		return -1;
	}
	if (!p.bilevel)
		square_sheet(&p);
	if (p.tagged)
		p.dpi_from = "tag";
	normalise(&p);
	check_time(e, t1 = base_monotonic());
	orient(e, &p);
	check_time(e, t2 = base_monotonic());
	if (!e->over_time)
		ocr_prepare(p.norm, p.ink, &p.o, p.dpi, p.bilevel,
			    STEP_FLATTEN | STEP_COLOUR_SEALS |
			    (p.cap.found || p.cap.scale > 0 ? STEP_FAINT_LEADERS : 0), &p.pg);
	t3 = base_monotonic();
	out->seconds[OCR_T_PREPARE] = (t1 - t0) + (t3 - t2);
	out->seconds[OCR_T_ORIENT] = t2 - t1;
	keep_seals_that_help(e, p.dpi, &p.pg, p.declined);
	p.res = p.pg.bin ? ocr_recognise(e, p.pg.feed ? p.pg.feed : p.pg.bin, p.dpi, NULL) : NULL;
	p.res = keep_flattening_if_it_helps(e, p.norm, p.ink, &p.o, p.dpi, p.bilevel,
					    &p.pg, p.res, p.declined);
	other_way_up(e, &p);
	reread_binarised(e, &p);
	or_as_it_came(e, &p);
	out->seconds[OCR_T_RECOGNISE] = base_monotonic() - t3;
	if (!p.res || e->over_time) {
		if (e->over_time)
			snprintf(out->error, sizeof(out->error), "page %d: over "
				 "its time budget of %g s ([ocr] page_seconds): "
				 "left unrecognised, for review", n + 1,
				 e->o.page_seconds);
		else
			snprintf(out->error, sizeof(out->error), "page %d: the OCR "
				 "engine failed", n + 1);
		page_read_free(&p);
		return -1;
	}
	report(e, &p, n, out);
	encode(&p, n, out);
	json_object_del(p.res, "q");
	json_object_del(p.res, "q60");
	out->result = p.res;
	p.res = NULL;
	page_read_free(&p);
	return 0;
}
