/* alto.c - a page's ALTO 3.0 with libxml2's writer: the page's current
 * words, their boxes and confidences, in lines and blocks, naming the
 * page image it measures. */
#include "export.h"
#include "internal.h"

#include "../base/base.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <string.h>

#ifndef SOHOA_VERSION
#define SOHOA_VERSION "dev"
#endif

#define ALTO_NS "http://www.loc.gov/standards/alto/ns-v3#"

typedef struct rect {
	int x0, y0, x1, y1;
} rect;

static rect word_rect(json_t *w)
{
	json_t *b = json_object_get(w, "b");
	int x = (int)json_integer_value(json_array_get(b, 0));
	int y = (int)json_integer_value(json_array_get(b, 1));
	rect r = { x, y, x + (int)json_integer_value(json_array_get(b, 2)),
		   y + (int)json_integer_value(json_array_get(b, 3)) };
	return r;
}

static void grow(rect *r, rect o, int first)
{
	if (first) {
		*r = o;
		return;
	}
	if (o.x0 < r->x0)
		r->x0 = o.x0;
	if (o.y0 < r->y0)
		r->y0 = o.y0;
	if (o.x1 > r->x1)
		r->x1 = o.x1;
	if (o.y1 > r->y1)
		r->y1 = o.y1;
}

static void attr_int(xmlTextWriterPtr x, const char *name, int v)
{
	xmlTextWriterWriteFormatAttribute(x, BAD_CAST name, "%d", v);
}

static void box_attrs(xmlTextWriterPtr x, rect r)
{
	attr_int(x, "HPOS", r.x0);
	attr_int(x, "VPOS", r.y0);
	attr_int(x, "WIDTH", r.x1 - r.x0);
	attr_int(x, "HEIGHT", r.y1 - r.y0);
}

/* The lines of words[a..b): [start, end) of each, by "l". */
static size_t line_end(json_t *words, size_t a)
{
	json_int_t l = json_integer_value(json_object_get(json_array_get(words, a), "l"));
	size_t n = json_array_size(words), i = a + 1;

	while (i < n && json_integer_value(json_object_get(json_array_get(words, i),
						"l")) == l)
		i++;
	return i;
}

static rect span(json_t *words, size_t a, size_t b)
{
	rect r = { 0, 0, 0, 0 };

	for (size_t i = a; i < b; i++)
		grow(&r, word_rect(json_array_get(words, i)), i == a);
	return r;
}

int export_alto(const char *path, const char *image, int page_no, int w,
		int h, json_t *words)
{
	xmlBufferPtr buf;
	xmlTextWriterPtr x = ex_xml_writer(&buf);
	size_t n = json_array_size(words), a = 0;
	int block = 0, line = 0, word = 0;
	char id[48];

	if (!x)
		return base_fail(BASE_EIO, "cannot write '%s'", path);
	xmlTextWriterSetIndent(x, 1);
	xmlTextWriterStartDocument(x, NULL, "UTF-8", NULL);
	xmlTextWriterStartElementNS(x, NULL, BAD_CAST "alto", BAD_CAST ALTO_NS);
	xmlTextWriterWriteAttributeNS(x, BAD_CAST "xmlns", BAD_CAST "xsi", NULL,
		BAD_CAST "http://www.w3.org/2001/XMLSchema-instance");
	xmlTextWriterWriteAttributeNS(x, BAD_CAST "xsi", BAD_CAST "schemaLocation", NULL,
		BAD_CAST ALTO_NS " http://www.loc.gov/alto/v3/alto-3-0.xsd");
	xmlTextWriterStartElement(x, BAD_CAST "Description");
	xmlTextWriterWriteElement(x, BAD_CAST "MeasurementUnit", BAD_CAST "pixel");
	xmlTextWriterStartElement(x, BAD_CAST "sourceImageInformation");
	xmlTextWriterWriteElement(x, BAD_CAST "fileName", BAD_CAST image);
	xmlTextWriterEndElement(x);
	xmlTextWriterStartElement(x, BAD_CAST "OCRProcessing");
	xmlTextWriterWriteAttribute(x, BAD_CAST "ID", BAD_CAST "ocr1");
	xmlTextWriterStartElement(x, BAD_CAST "ocrProcessingStep");
	xmlTextWriterWriteElement(x, BAD_CAST "processingStepDescription",
		BAD_CAST "Tesseract's reading as stored, with the page's mended "
		"names and a person's corrections");
	xmlTextWriterStartElement(x, BAD_CAST "processingSoftware");
	xmlTextWriterWriteElement(x, BAD_CAST "softwareName", BAD_CAST "sohoa");
	xmlTextWriterWriteElement(x, BAD_CAST "softwareVersion", BAD_CAST SOHOA_VERSION);
	xmlTextWriterEndElement(x);
	xmlTextWriterEndElement(x);
	xmlTextWriterEndElement(x);
	xmlTextWriterEndElement(x); /* Description */
	xmlTextWriterStartElement(x, BAD_CAST "Layout");
	xmlTextWriterStartElement(x, BAD_CAST "Page");
	snprintf(id, sizeof(id), "p%d", page_no);
	xmlTextWriterWriteAttribute(x, BAD_CAST "ID", BAD_CAST id);
	attr_int(x, "PHYSICAL_IMG_NR", page_no);
	attr_int(x, "WIDTH", w);
	attr_int(x, "HEIGHT", h);
	xmlTextWriterStartElement(x, BAD_CAST "PrintSpace");
	box_attrs(x, n ? span(words, 0, n) : (rect){ 0, 0, w, h });
	/* a block: lines whose gap is under a line's height */
	while (a < n) {
		size_t b = line_end(words, a), end = b;
		rect prev = span(words, a, b);
		while (end < n) {
			size_t e2 = line_end(words, end);
			rect next = span(words, end, e2);
			if (next.y0 - prev.y1 > prev.y1 - prev.y0)
				break;
			prev = next;
			end = e2;
		}
		xmlTextWriterStartElement(x, BAD_CAST "TextBlock");
		snprintf(id, sizeof(id), "p%d_b%d", page_no, ++block);
		xmlTextWriterWriteAttribute(x, BAD_CAST "ID", BAD_CAST id);
		box_attrs(x, span(words, a, end));
		for (size_t l = a; l < end; l = b) {
			b = line_end(words, l);
			xmlTextWriterStartElement(x, BAD_CAST "TextLine");
			snprintf(id, sizeof(id), "p%d_l%d", page_no, ++line);
			xmlTextWriterWriteAttribute(x, BAD_CAST "ID", BAD_CAST id);
			box_attrs(x, span(words, l, b));
			for (size_t i = l; i < b; i++) {
				json_t *wd = json_array_get(words, i);
				if (i > l)
					xmlTextWriterWriteElement(x, BAD_CAST "SP", NULL);
				xmlTextWriterStartElement(x, BAD_CAST "String");
				snprintf(id, sizeof(id), "p%d_w%d", page_no, ++word);
				xmlTextWriterWriteAttribute(x, BAD_CAST "ID", BAD_CAST id);
				xmlTextWriterWriteAttribute(x, BAD_CAST "CONTENT", BAD_CAST
					json_string_value(json_object_get(wd, "t")));
				box_attrs(x, word_rect(wd));
				xmlTextWriterWriteFormatAttribute(x, BAD_CAST "WC", "%.2f",
					json_number_value(json_object_get(wd, "c")) / 100);
				xmlTextWriterEndElement(x);
			}
			xmlTextWriterEndElement(x); /* TextLine */
		}
		xmlTextWriterEndElement(x); /* TextBlock */
		a = end;
	}
	return ex_xml_save(x, buf, path);
}
