/* pdf.c - a record's PDF/A-2b with libharu: each stored cleaned page as
 * its image (CCITT G4) under its current words in invisible text, an
 * embedded TrueType font, XMP metadata declaring the conformance (written
 * with libxml2), an sRGB output intent and a document ID. Nothing is
 * recognised here: the words are the store's. */
#include "export.h"
#include "internal.h"

#include "../base/base.h"

#include <hpdf.h>
#include <libxml/xmlwriter.h>
#include <openssl/evp.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

#ifndef SOHOA_VERSION
#define SOHOA_VERSION "dev"
#endif

/* Liberation Sans (fonts-liberation2) covers Vietnamese; libharu
 * embeds only the glyphs used (about 40 kB a record); the ICC profile
 * is icc-profiles-free's sRGB. */
#define PDF_FONT "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"
#define PDF_ICC "/usr/share/color/icc/sRGB.icc"

struct export_pdf {
	HPDF_Doc doc;
	HPDF_Font font;
	HPDF_FontDef fontdef;
	jmp_buf fail;
	char why[160];
};

static void on_error(HPDF_STATUS no, HPDF_STATUS detail, void *ctx)
{
	export_pdf *p = ctx;

	snprintf(p->why, sizeof(p->why), "libharu error 0x%04x (detail %u)",
		 (unsigned)no, (unsigned)detail);
	longjmp(p->fail, 1);
}

/* libharu 2.3.0 gives a UTF-8 font a ToUnicode stream that maps every
 * code to CID 0 (with a cidrange, not a bfrange): readers then guess the
 * text. Its codes are the characters' own (UTF-16, with CIDToGIDMap to
 * the glyphs), so the right map is the identity over the BMP: written
 * into the same stream, in ranges that differ only in their last byte,
 * as CMaps require. */
static void fix_to_unicode(HPDF_Font font)
{
	HPDF_Dict cmap = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	char line[64];

	if (!cmap || !cmap->stream)
		return;
	HPDF_MemStream_FreeData(cmap->stream);
	HPDF_Stream_WriteStr(cmap->stream,
		"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	/* 248 ranges (not the surrogates D8..DF), 100 to a block at most */
	int hi = 0;
	for (int block = 0; hi < 256; block++) {
		int n = 0, h;
		for (h = hi; h < 256 && n < 100; h++)
			n += h < 0xd8 || h > 0xdf;
		snprintf(line, sizeof(line), "%d beginbfrange\n", n);
		HPDF_Stream_WriteStr(cmap->stream, line);
		for (; hi < h; hi++) {
			if (hi >= 0xd8 && hi <= 0xdf)
				continue;
			snprintf(line, sizeof(line), "<%02X00> <%02XFF> <%02X00>\n",
				 hi, hi, hi);
			HPDF_Stream_WriteStr(cmap->stream, line);
		}
		HPDF_Stream_WriteStr(cmap->stream, "endbfrange\n");
	}
	HPDF_Stream_WriteStr(cmap->stream, "endcmap\nCMapName currentdict /CMap "
			     "defineresource pop\nend\nend\n");
}

int export_pdf_create(export_pdf **out, const char *title)
{
	export_pdf *p = calloc(1, sizeof(*p));
	const char *name;

	*out = NULL;
	if (!p)
		return base_fail(BASE_ENOMEM, "out of memory");
	if (setjmp(p->fail)) {
		if (p->doc)
			HPDF_Free(p->doc);
		int rc = base_fail(BASE_EIO, "cannot start the PDF: %s (font '%s')",
				 p->why, PDF_FONT);
		free(p);
		return rc;
	}
	p->doc = HPDF_New(on_error, p);
	if (!p->doc) {
		free(p);
		return base_fail(BASE_ENOMEM, "cannot start the PDF: out of memory");
	}
	HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(p->doc);
	name = HPDF_LoadTTFontFromFile(p->doc, PDF_FONT, HPDF_TRUE);
	p->font = HPDF_GetFont(p->doc, name, "UTF-8");
	p->fontdef = HPDF_GetFontDef(p->doc, name);
	fix_to_unicode(p->font);
	/* text strings (the title) in UTF-16, not PDFDocEncoding */
	HPDF_SetCurrentEncoder(p->doc, "UTF-8");
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, title);
	*out = p;
	return 0;
}

void export_pdf_destroy(export_pdf **p)
{
	if (!p || !*p)
		return;
	if ((*p)->doc)
		HPDF_Free((*p)->doc);
	free(*p);
	*p = NULL;
}

/* A word as the font can show it: a character the font lacks becomes
 * '?' (PDF/A forbids showing .notdef). */
static void showable(const export_pdf *p, const char *s, char *out, size_t cap)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;
	size_t o = 0;
	utf8proc_ssize_t n;

	while (*u && o + 5 < cap && (n = utf8proc_iterate(u, -1, &c)) > 0) {
		if (c > 0xffff || c < 0x20 || !HPDF_TTFontDef_GetGlyphid(p->fontdef,
				(HPDF_UINT16)c))
			out[o++] = '?';
		else
			o += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)out + o);
		u += n;
	}
	out[o] = 0;
}

/* Words of one line: one baseline and size for the line (the reader
 * then keeps it as a line), each word stretched to its box. */
static void text_line(export_pdf *p, HPDF_Page page, json_t *words, size_t a,
		      size_t b, double k, double ph)
{
	int y0 = 1 << 30, y1 = 0;
	char text[1024];

	for (size_t i = a; i < b; i++) {
		json_t *bx = json_object_get(json_array_get(words, i), "b");
		int y = (int)json_integer_value(json_array_get(bx, 1));
		int h = (int)json_integer_value(json_array_get(bx, 3));
		if (y < y0)
			y0 = y;
		if (y + h > y1)
			y1 = y + h;
	}
	double size = (y1 - y0) * k * 0.8, base = ph - (y1 - (y1 - y0) * 0.2) * k;
	if (size < 1)
		size = 1;
	if (size > 300)
		size = 300;
	HPDF_Page_SetFontAndSize(page, p->font, (HPDF_REAL)size);
	for (size_t i = a; i < b; i++) {
		json_t *w = json_array_get(words, i), *bx = json_object_get(w, "b");
		double x = (double)json_integer_value(json_array_get(bx, 0)) * k;
		double bw = (double)json_integer_value(json_array_get(bx, 2)) * k;
		size_t len;
		showable(p, json_string_value(json_object_get(w, "t")), text,
			 sizeof(text) - 1);
		if (!*text)
			continue;
		/* a space after each word but the line's last, the pair
		 * stretched to where the next word begins, so that text
		 * extraction finds the words however close they sit */
		len = strlen(text);
		if (i + 1 < b) {
			/* (words whose boxes touch or overlap keep their own
			 * width: the space is still there to part them) */
			double nx = (double)json_integer_value(json_array_get(
				json_object_get(json_array_get(words, i + 1), "b"), 0)) * k;
			text[len] = ' ';
			text[len + 1] = 0;
			if (nx > x + bw)
				bw = nx - x;
		}
		HPDF_Page_SetHorizontalScalling(page, 100);
		double tw = HPDF_Page_TextWidth(page, text), sc = tw > 0 ? 100 * bw / tw : 100;
		/* libharu scales 10% to 300%: a word narrower than that at
		 * the line's size (a speck read as "7") gets a smaller size,
		 * so that it never runs over the next word */
		double fs = size;
		if (sc < 10) {
			fs = size * sc / 10;
			sc = 10;
			HPDF_Page_SetFontAndSize(page, p->font, (HPDF_REAL)(fs < 0.5 ? 0.5 : fs));
		}
		HPDF_Page_SetHorizontalScalling(page, (HPDF_REAL)(sc > 300 ? 300 : sc));
		HPDF_Page_TextOut(page, (HPDF_REAL)x, (HPDF_REAL)base, text);
		if (fs != size)
			HPDF_Page_SetFontAndSize(page, p->font, (HPDF_REAL)size);
	}
}

int export_pdf_page(export_pdf *p, const unsigned char *bits, int w, int h,
		    int line_bytes, int dpi, json_t *words)
{
	if (setjmp(p->fail))
		return base_fail(BASE_EIO, "cannot write a PDF page: %s", p->why);
	double k = 72.0 / (dpi > 0 ? dpi : 300);
	double pw = w * k, ph = h * k;
	HPDF_Page page = HPDF_AddPage(p->doc);
	HPDF_Image img;

	HPDF_Page_SetWidth(page, (HPDF_REAL)pw);
	HPDF_Page_SetHeight(page, (HPDF_REAL)ph);
	img = HPDF_Image_LoadRaw1BitImageFromMem(p->doc, bits, (HPDF_UINT)w,
		(HPDF_UINT)h, (HPDF_UINT)line_bytes, HPDF_TRUE, HPDF_TRUE);
	HPDF_Page_DrawImage(page, img, 0, 0, (HPDF_REAL)pw, (HPDF_REAL)ph);
	HPDF_Page_BeginText(page);
	HPDF_Page_SetTextRenderingMode(page, HPDF_INVISIBLE);
	size_t n = json_array_size(words), a = 0;
	for (size_t i = 1; i <= n; i++) {
		json_t *l0 = json_object_get(json_array_get(words, a), "l");
		if (i < n && json_integer_value(json_object_get(json_array_get(words, i),
				"l")) == json_integer_value(l0))
			continue;
		text_line(p, page, words, a, i, k, ph);
		a = i;
	}
	HPDF_Page_EndText(page);
	return 0;
}

/* The XMP packet (ISO 16684-1) saying PDF/A-2b, with the same title,
 * tool, producer and dates as the document information. */
static xmlBufferPtr xmp(const char *title, const char *tool,
			const char *producer, const char *when, const char *docid)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr x = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;

	if (!x) {
		xmlBufferFree(buf);
		return NULL;
	}
	xmlTextWriterWritePI(x, BAD_CAST "xpacket",
		BAD_CAST "begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"");
	xmlTextWriterStartElementNS(x, BAD_CAST "x", BAD_CAST "xmpmeta",
				    BAD_CAST "adobe:ns:meta/");
	xmlTextWriterStartElementNS(x, BAD_CAST "rdf", BAD_CAST "RDF",
		BAD_CAST "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
	xmlTextWriterStartElementNS(x, BAD_CAST "rdf", BAD_CAST "Description", NULL);
	xmlTextWriterWriteAttributeNS(x, BAD_CAST "rdf", BAD_CAST "about", NULL, BAD_CAST "");
	xmlTextWriterWriteAttributeNS(x, BAD_CAST "xmlns", BAD_CAST "pdfaid", NULL,
				      BAD_CAST "http://www.aiim.org/pdfa/ns/id/");
	xmlTextWriterWriteAttributeNS(x, BAD_CAST "xmlns", BAD_CAST "dc", NULL,
				      BAD_CAST "http://purl.org/dc/elements/1.1/");
	xmlTextWriterWriteAttributeNS(x, BAD_CAST "xmlns", BAD_CAST "xmp", NULL,
				      BAD_CAST "http://ns.adobe.com/xap/1.0/");
	xmlTextWriterWriteAttributeNS(x, BAD_CAST "xmlns", BAD_CAST "pdf", NULL,
				      BAD_CAST "http://ns.adobe.com/pdf/1.3/");
	xmlTextWriterWriteAttributeNS(x, BAD_CAST "xmlns", BAD_CAST "xmpMM", NULL,
				      BAD_CAST "http://ns.adobe.com/xap/1.0/mm/");
	xmlTextWriterWriteElement(x, BAD_CAST "pdfaid:part", BAD_CAST "2");
	xmlTextWriterWriteElement(x, BAD_CAST "pdfaid:conformance", BAD_CAST "B");
	xmlTextWriterStartElement(x, BAD_CAST "dc:title");
	xmlTextWriterStartElement(x, BAD_CAST "rdf:Alt");
	xmlTextWriterStartElement(x, BAD_CAST "rdf:li");
	xmlTextWriterWriteAttribute(x, BAD_CAST "xml:lang", BAD_CAST "x-default");
	xmlTextWriterWriteString(x, BAD_CAST title);
	xmlTextWriterEndElement(x);
	xmlTextWriterEndElement(x);
	xmlTextWriterEndElement(x);
	xmlTextWriterWriteElement(x, BAD_CAST "dc:format", BAD_CAST "application/pdf");
	xmlTextWriterStartElement(x, BAD_CAST "dc:language");
	xmlTextWriterStartElement(x, BAD_CAST "rdf:Bag");
	xmlTextWriterWriteElement(x, BAD_CAST "rdf:li", BAD_CAST "vi");
	xmlTextWriterEndElement(x);
	xmlTextWriterEndElement(x);
	xmlTextWriterWriteElement(x, BAD_CAST "xmp:CreatorTool", BAD_CAST tool);
	xmlTextWriterWriteElement(x, BAD_CAST "xmp:CreateDate", BAD_CAST when);
	xmlTextWriterWriteElement(x, BAD_CAST "xmp:ModifyDate", BAD_CAST when);
	xmlTextWriterWriteElement(x, BAD_CAST "pdf:Producer", BAD_CAST producer);
	xmlTextWriterWriteElement(x, BAD_CAST "xmpMM:DocumentID", BAD_CAST docid);
	xmlTextWriterEndElement(x); /* Description */
	xmlTextWriterEndElement(x); /* RDF */
	xmlTextWriterEndElement(x); /* xmpmeta */
	xmlTextWriterWritePI(x, BAD_CAST "xpacket", BAD_CAST "end=\"w\"");
	xmlTextWriterFlush(x);
	xmlFreeTextWriter(x);
	return buf;
}

/* The catalog's output intent: sRGB, embedded. */
static void output_intent(export_pdf *p, const unsigned char *icc, size_t len)
{
	HPDF_Doc d = p->doc;
	HPDF_Dict prof = HPDF_DictStream_New(d->mmgr, d->xref);
	HPDF_Dict intent = HPDF_Dict_New(d->mmgr);
	HPDF_Array list = HPDF_Array_New(d->mmgr);

	prof->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	HPDF_Dict_AddNumber(prof, "N", 3);
	HPDF_Stream_Write(prof->stream, icc, (HPDF_UINT)len);
	HPDF_Dict_AddName(intent, "Type", "OutputIntent");
	HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
	HPDF_Dict_Add(intent, "OutputConditionIdentifier",
		      HPDF_String_New(d->mmgr, "sRGB IEC61966-2.1", NULL));
	HPDF_Dict_Add(intent, "Info", HPDF_String_New(d->mmgr, "sRGB IEC61966-2.1", NULL));
	HPDF_Dict_Add(intent, "DestOutputProfile", prof);
	HPDF_Array_Add(list, intent);
	HPDF_Dict_Add(d->catalog, "OutputIntents", list);
}

int export_pdf_finish(export_pdf *p, const char *seed, unsigned char **out,
		      size_t *len)
{
	unsigned char *icc = NULL, md[EVP_MAX_MD_SIZE];
	size_t icc_len = 0;
	unsigned mdn = 0;
	char tool[64], producer[96], when[32], docid[64], hexid[33];
	time_t now = time(NULL);
	struct tm tm;
	/* volatile: read again after a longjmp from libharu's handler */
	xmlBufferPtr volatile meta = NULL;
	int rc = base_read_file(PDF_ICC, 1 << 20, &icc, &icc_len);

	if (rc) {
		free(icc);
		return base_fail(BASE_ENOTFOUND, "cannot read the sRGB profile '%s' "
			       "(package icc-profiles-free)", PDF_ICC);
	}
	if (setjmp(p->fail)) {
		free(icc);
		xmlBufferFree(meta);
		return base_fail(BASE_EIO, "cannot make the PDF of %s: %s", seed, p->why);
	}
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(tool, sizeof(tool), "sohoa %s", SOHOA_VERSION);
	snprintf(producer, sizeof(producer), "sohoa %s with libharu %s",
		 SOHOA_VERSION, HPDF_GetVersion());
	/* the ID: the seed (record id) and the time, hashed */
	char idin[256];
	snprintf(idin, sizeof(idin), "%s %s %d", seed, when, (int)getpid());
	EVP_Digest(idin, strlen(idin), md, &mdn, EVP_sha256(), NULL);
	base_hex(md, 16, hexid);
	snprintf(docid, sizeof(docid), "uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hexid,
		 hexid + 8, hexid + 12, hexid + 16, hexid + 20);

	HPDF_Date date = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			   tm.tm_hour, tm.tm_min, tm.tm_sec, 'Z', 0, 0 };
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, tool);
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_PRODUCER, producer);
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, date);
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, date);
	meta = xmp((const char *)HPDF_GetInfoAttr(p->doc, HPDF_INFO_TITLE),
		   tool, producer, when, docid);
	if (!meta) {
		free(icc);
		return base_fail(BASE_ENOMEM, "out of memory");
	}
	HPDF_Doc d = p->doc;
	/* the metadata stream stays unfiltered, as PDF/A asks */
	HPDF_Dict ms = HPDF_DictStream_New(d->mmgr, d->xref);
	HPDF_Dict_AddName(ms, "Type", "Metadata");
	HPDF_Dict_AddName(ms, "Subtype", "XML");
	HPDF_Stream_Write(ms->stream, xmlBufferContent(meta),
			  (HPDF_UINT)xmlBufferLength(meta));
	HPDF_Dict_Add(d->catalog, "Metadata", ms);
	output_intent(p, icc, icc_len);
	HPDF_Array id = HPDF_Array_New(d->mmgr);
	HPDF_Array_Add(id, HPDF_Binary_New(d->mmgr, md, 16));
	HPDF_Array_Add(id, HPDF_Binary_New(d->mmgr, md, 16));
	HPDF_Dict_Add(d->trailer, "ID", id);
	d->pdf_version = HPDF_VER_17;
	free(icc);
	xmlBufferFree(meta);
	/* made in memory: the caller writes it, or serves it */
	HPDF_UINT32 size;
	unsigned char *bytes;
	if (HPDF_SaveToStream(d) != HPDF_OK || (size = HPDF_GetStreamSize(d)) == 0)
		return base_fail(BASE_EIO, "cannot make the PDF of %s (libharu error "
			       "%#lx)", seed, (unsigned long)HPDF_GetError(d));
	if (!(bytes = malloc(size)))
		return base_fail(BASE_ENOMEM, "cannot make the PDF of %s: out of memory",
			       seed);
	HPDF_UINT32 got = size;
	if (HPDF_ReadFromStream(d, bytes, &got) != HPDF_OK && got != size) {
		free(bytes);
		return base_fail(BASE_EIO, "cannot make the PDF of %s (libharu error "
			       "%#lx)", seed, (unsigned long)HPDF_GetError(d));
	}
	*out = bytes;
	*len = got;
	return 0;
}
