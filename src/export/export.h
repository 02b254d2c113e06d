/* export.h - BagIt bags (RFC 8493) for the dossier system: writing one
 * from stored records, and verifying any bag, ours or not. */
#ifndef EXPORT_H
#define EXPORT_H

#include "../ocr/ocr.h"
#include "../store/store.h"

#include <jansson.h>
#include <stddef.h>

typedef struct export_opts {
	const char *out;          /* the bag's folder; must not exist */
	const char *organization; /* bag-info.txt Source-Organization */
	const char *selection;    /* the query, "--new" or "all": recorded */
	const ocr_opts *ocr;      /* for the PDF and ALTO; NULL: neither */
	/* called after each record; may be NULL */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
} export_opts;

/* export_bag - writes the records ids[0..n) as one bag at o->out.
 * Notes:
 *  1. The bag is written under o->out + ".partial-PID" and renamed when
 *     complete: an interrupted export leaves no folder named o->out,
 *     and nothing with a bagit.txt. An existing o->out is SH_EEXIST.
 *  2. After the rename each record's history gets an "exported" event
 *     and its metadata an "exported" list (what --new looks at).
 *  3. On success *summary is yours: {"bag", "records", "files",
 *     "bytes", "seconds"}. */
int export_bag(store *s, char **ids, size_t n, const export_opts *o,
	       json_t **summary);

/* export_render - the searchable PDF (pdf_base.pdf) and ALTO XML
 * (alto_base.xml) of record id's pages, from its stored cleaned pages.
 * SH_ENOTFOUND, naming the page, when a page has no cleaned image (the
 * record was stored with OCR off); SH_ECORRUPT when one is damaged. */
int export_render(store *s, ocr_engine *engine, const char *id, int pages,
		  const char *pdf_base, const char *alto_base);

/* export_verify - checks the bag at dir: bagit.txt, Payload-Oxum
 * against the files before any hashing, every manifest line well
 * formed, every listed file present, every payload file in every payload
 * manifest, and every checksum (md5, sha1, sha256, sha512), reading each
 * file once for all its algorithms on threads workers.
 * Notes:
 *  1. A damaged bag is not an error: the return is 0 and *problems
 *     holds one {"file", "problem"} per finding (empty when valid).
 *  2. A folder that cannot be read at all is SH_ENOTFOUND or SH_EIO.
 *  3. *files and *bytes count what was hashed. You own *problems. */
int export_verify(const char *dir, int threads, json_t **problems,
		  size_t *files, size_t *bytes);

#endif
