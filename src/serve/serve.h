/* serve.h - the clerks' search page: a small Vietnamese-language site
 * served with libmicrohttpd, read-only on the store. */
#ifndef SERVE_H
#define SERVE_H

#include "../ocr/ocr.h"
#include "../store/store.h"

#include <jansson.h>
#include <signal.h>

typedef struct serve_opts {
	const char *listen;     /* "127.0.0.1:8080" */
	const char *token;      /* required unless listen is loopback */
	int threads;            /* request threads */
	/* the search, as `sohoa search --json` answers it: 0 or a module
	 * error code (SH_EINVAL for a malformed query) */
	int (*search)(void *ctx, store *s, const char *query, size_t limit,
		      json_t **out);
	void *search_ctx;
	volatile sig_atomic_t *stop; /* serve until it becomes non-zero */
	void (*log)(const char *line); /* one line a request; may be NULL */
	const ocr_opts *ocr;    /* for PDFs on request; NULL: none */
} serve_opts;

/* serve_run - serves s until *o->stop.
 * Notes:
 *  1. A listen address that is not loopback without o->token is
 *     SH_EINVAL: the site holds citizens' records.
 *  2. Each request reads in its own LMDB read transactions, none held
 *     between requests: an ingest may run and its records appear.
 *  3. SH_EIO when the address cannot be bound. */
int serve_run(store *s, const serve_opts *o);

/* serve_html_escape - text with & < > " ' escaped. You own the result. */
char *serve_html_escape(const char *text);

#endif
