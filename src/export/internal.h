/* internal.h - what the export module's files share: the PDF writer,
 * the ALTO writer and a page's current words. */
#ifndef EXPORT_INTERNAL_H
#define EXPORT_INTERNAL_H

#include "../store/store.h"

#include <jansson.h>

#include <libxml/xmlwriter.h>

/* ex_xml_writer - an XML writer into a new buffer (*buf); NULL when out
 * of memory. ex_xml_save - ends the document, frees x and writes the
 * buffer to path, every write, sync and close checked; frees buf
 * (files.c). */
xmlTextWriterPtr ex_xml_writer(xmlBufferPtr *buf);
int ex_xml_save(xmlTextWriterPtr x, xmlBufferPtr buf, const char *path);

typedef struct export_pdf export_pdf;

/* export_pdf_create - a PDF/A-2b document titled title, its font
 * loaded. BASE_EIO naming the font when it cannot be read. */
int export_pdf_create(export_pdf **out, const char *title);

/* export_pdf_page - adds a page: the bilevel image bits (1 = black,
 * rows of line_bytes, top first) at dpi, words (export_page_words) as
 * invisible text over their boxes. */
int export_pdf_page(export_pdf *p, const unsigned char *bits, int w, int h,
		    int line_bytes, int dpi, json_t *words);

/* export_pdf_finish - metadata, output intent and ID, the document
 * made in memory: *out (yours) of *len bytes; seed makes the ID (the
 * record id) and names the PDF in errors. */
int export_pdf_finish(export_pdf *p, const char *seed, unsigned char **out,
		      size_t *len);

/* export_pdf_destroy - frees p (NULL is fine) and sets it to NULL. */
void export_pdf_destroy(export_pdf **p);

/* export_alto - page page_no's ALTO 3.0 at path, measuring image
 * (w x h pixels). */
int export_alto(const char *path, const char *image, int page_no, int w,
		int h, json_t *words);

/* export_safe - v as a portable file name part: ASCII letters, digits,
 * '.', '-', '_'; anything else (a multibyte character once) '_'. */
void export_safe(const char *v, char *out, size_t cap);

/* export_value_text - a field's value as text: dates dd/mm/yyyy, lists
 * joined with ", "; "" for none. */
void export_value_text(json_t *v, char *out, size_t cap);

/* export_expand - fills template t: {name} from vars (strings), else
 * the field of that name in fields (may be NULL), else ""; file: values through export_safe; page_fmt: {page}
 * becomes "%d" and every other '%' "%%" (an export_files pattern). */
void export_expand(const char *t, json_t *vars, json_t *fields, int file,
		   int page_fmt, char *out, size_t cap);

/* A file of a CSIP package: its path from the package root, checksum
 * (hex SHA-256), size, group ('S' schemas, 'R' representation, 'D'
 * descriptive, 'P' preservation), type, record and when written. */
typedef struct csip_file {
	char rel[1200];
	char sha256[65];
	size_t bytes;
	char group;
	const char *mime;
	char owner[64];
	char created[32];
} csip_file;

typedef struct csip_pkg {
	char top[4200];  /* what is renamed when complete */
	char tmp[4480];  /* the package root (top, or top/data/NAME) */
	char objid[256]; /* the package's name */
	char kind[8];    /* SIP, AIP, DIP */
	csip_file *v;
	size_t n, cap;
} csip_pkg;

/* csip_premis - metadata/preservation/premis.xml: each file's fixity,
 * the records' events (ingestion, OCR, field extraction, corrections,
 * exports, this packing), their agents (software and people); each
 * record's metadata and history read from s as it is written. */
int csip_premis(csip_pkg *p, store *s, char **ids, size_t n);

/* csip_mets - METS.xml at the package root, from p's files. */
int csip_mets(csip_pkg *p);

/* export_remove_tree - removes path and all under it (a failed
 * export's partial folder). */
void export_remove_tree(const char *path);

/* An export's note in the store (journal.c). ex_begin - before its
 * partial folder is made; ex_finish - the package whole: its records
 * named, the folder renamed to out, then each record's history gets
 * {"event": "exported", key: name} and its "exported" list the same,
 * with the access log's entry, in one transaction; ex_abandon - a failed
 * export's note dropped (its folder removed by the caller). */
struct export_opts;
int ex_begin(store *s, const char *out, const char *partial, const char *format);
int ex_finish(store *s, const struct export_opts *o, const char *partial,
	      char *const *ids, size_t n, const char *key, const char *name);
int ex_abandon(store *s, const char *out);

/* export_bag_seal - makes the folder top (its payload already under
 * top/data/) a BagIt bag: manifests, bag-info.txt, bagit.txt. */
struct export_opts;
int export_bag_seal(const char *top, const struct export_opts *o,
		    size_t records);

#endif
