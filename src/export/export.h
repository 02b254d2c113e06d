/* export.h - stored records out as packages an archive or a ministry
 * takes: BagIt bags (RFC 8493), E-ARK CSIP information packages, the
 * Ministry's civil-status import, each record's PDF/A and ALTO; an
 * export's journal in the store (settled after a crash); and verifying
 * any bag or package, ours or not. */
#ifndef EXPORT_H
#define EXPORT_H

#include "../fields/fields.h"
#include "../store/store.h"

#include <jansson.h>
#include <stddef.h>

typedef struct export_opts {
	const char *out;          /* the bag's or package's folder; must not
				     exist */
	const char *package;      /* CSIP: "SIP" (default), "AIP", "DIP" */
	int bag;                  /* CSIP: inside a BagIt bag */
	const char *settings;     /* folder of csip.conf, hotich.conf */
	const char *schemas;      /* folder of the XSDs packages carry */
	const fields_rules *rules; /* hotich: what needs a person */
	/* the field catalogue: records.csv's columns, the people a
	 * package's keywords name, the number a PDF's title carries */
	const fields_catalogue *catalogue;
	double review_below;      /* hotich: confidence under which a field
				     is doubted */
	const char *organization; /* bag-info.txt Source-Organization */
	const char *selection;    /* the query, "--new" or "all": recorded */
	/* called after each record; may be NULL */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
} export_opts;

/* export_bag - writes the records ids[0..n) as one bag at o->out.
 * Notes:
 *  1. The bag is written under o->out + ".partial-PID" and renamed when
 *     complete: an interrupted export leaves no folder named o->out,
 *     and nothing with a bagit.txt. An existing o->out is BASE_EEXIST.
 *  2. After the rename each record's history gets an "exported" event
 *     and its metadata an "exported" list (what --new looks at), and
 *     the access log an "export" entry, in one transaction; a note in
 *     the store covers the moments between (export_recover).
 *  3. On success *summary is yours: {"bag", "records", "files",
 *     "bytes", "seconds"}. */
int export_bag(store *s, char **ids, size_t n, const export_opts *o,
	       json_t **summary);

/* export_csip - the records ids[0..n) as one E-ARK CSIP 2.0.4
 * information package at o->out (o->package its type), under
 * o->out + ".partial-PID" until complete, inside a BagIt bag when
 * o->bag. Names and descriptions follow o->settings/csip.conf. On
 * success *summary is yours: {"package", "format", "type", "records",
 * "files", "bytes", "bag", "seconds"}. */
int export_csip(store *s, char **ids, size_t n, const export_opts *o,
		json_t **summary);

/* export_hotich - the civil-status import of the records ids[0..n)
 * at o->out: one PDF/A a registration and one .xlsx a register book
 * (type and quyển số), a row a registration, a column a field with
 * Vietnamese headers and a column with each field's review state, as
 * o->settings/hotich.conf says; records of other types are skipped and
 * counted. On success *summary is yours: {"out", "format", "records",
 * "skipped", "books", "files", "bytes", "seconds"}. */
int export_hotich(store *s, char **ids, size_t n, const export_opts *o,
		  json_t **summary);

/* export_recover - what exports killed part way left (their notes in
 * the store): a package in place whose records were not yet marked is
 * recorded (marks and access log), a partial folder is removed and the
 * export logged as abandoned; an export still running is left alone.
 * *said (yours) lists one sentence each. Every command that writes the
 * store calls it. */
int export_recover(store *s, json_t **said);

/* Where export_render writes a record's files: printf patterns with
 * one %d for the page number (NULL: not written). */
typedef struct export_files {
	const char *pdf;       /* the record's PDF/A-2b */
	/* or, with pdf NULL, the PDF handed back in memory: *pdf_bytes
	 * (yours) of *pdf_len bytes */
	unsigned char **pdf_bytes;
	size_t *pdf_len;
	const char *image;     /* each page's cleaned image, as stored */
	const char *alto;      /* each page's ALTO 3.0 */
	const char *image_ref; /* the image's name as the ALTO gives it
				  (default "page-%d.tif") */
} export_files;

/* export_render - record id's PDF/A-2b, page images and ALTO from what
 * the store keeps (meta: its metadata): each stored cleaned page, and
 * its current words (export_page_words) as the text layer and the ALTO;
 * the PDF's title the id, the type and its number (the catalogue's).
 * Nothing is recognised again.
 * BASE_ENOTFOUND, naming the page, when a page has no cleaned image (the
 * record was stored with OCR off); BASE_ECORRUPT when one is damaged. On
 * any failure nothing it wrote is left. */
int export_render(store *s, const char *id, json_t *meta,
		  const fields_catalogue *cat, const export_files *f);

/* export_page_words - page n's (1-based) current words, as the PDF and
 * ALTO give them: page's (store_page_get) words {"t", "b", "c", "l"},
 * as stored (the word lists' mends on them), with each value of meta a
 * person corrected laid over the words it was read from (its "box").
 * NULL when out of memory. You own the result. */
json_t *export_page_words(json_t *meta, json_t *page, int n);

/* export_verify - checks the bag at dir: bagit.txt, Payload-Oxum
 * against the files before any hashing, every manifest line well
 * formed, every listed file present, every payload file in every payload
 * manifest, and every checksum (md5, sha1, sha256, sha512), reading each
 * file once for all its algorithms on threads workers.
 * Notes:
 *  1. A damaged bag is not an error: the return is 0 and *problems
 *     holds one {"file", "problem"} per finding (empty when valid).
 *  2. A folder that cannot be read at all is BASE_ENOTFOUND or BASE_EIO.
 *  3. *files and *bytes count what was hashed. You own *problems.
 *  4. A file under data/ that is a symbolic link is a problem by its
 *     name (never followed). What leaves the bag valid but less
 *     protected (no tag manifest over bag-info.txt) goes to notes
 *     (may be NULL) in the same form. */
int export_verify(const char *dir, int threads, json_t **problems,
		  json_t *notes, size_t *files_out, size_t *bytes_out);

/* export_verify_package - checks the E-ARK CSIP package at dir:
 * METS.xml well formed and valid against schemas/csip-mets.xsd, the
 * profile's MUSTs a program can decide, each file METS.xml lists (and
 * each metadata file its mdRef points to) there with its size and
 * checksum, no file present but unlisted. Findings go to list as
 * {"file" (prefix + path), "rule" (CSIP7, "METS schema", "unlisted"),
 * "problem"}; hidden unlisted files to notes. *files and *bytes count
 * what was hashed. BASE_ENOTFOUND when the METS schema cannot be read; a
 * damaged package is not an error. */
int export_verify_package(const char *dir, const char *schemas,
			  const char *prefix, json_t *list, json_t *notes,
			  size_t *files, size_t *bytes);

#endif
