/* conf.h - sohoa's settings: built-in defaults, then the configuration
 * file (INI, read with inih; see conf_find), then command-line flags on
 * top. Paths inside a configuration file are relative to that file. */
#ifndef CONF_H
#define CONF_H

#include "../index/index.h"

#include <stddef.h>

typedef struct conf {
	char store[4096];       /* [store] path */
	size_t map_size;        /* [store] map_size_mb: initial LMDB map */
	int jobs;               /* [ingest] jobs; 0 = number of cores */
	int zstd_level;         /* [ingest] zstd_level for originals */
	long max_side;          /* [limits] max_side_px */
	double max_megapixels;  /* [limits] max_megapixels */
	size_t max_file_bytes;  /* [limits] max_file_mb */
	char organization[256]; /* [archive] organization */
	int ocr;                /* [ocr] enabled */
	char ocr_lang[32];      /* [ocr] language */
	char tessdata[1024];    /* [ocr] tessdata: "" for Tesseract's own */
	int psm;                /* [ocr] psm: page segmentation mode */
	double unreadable_below; /* [ocr] unreadable_below: mean confidence */
	double page_seconds;     /* [ocr] page_seconds: a page's time (0: none) */
	double page_memory_mb;   /* [ocr] page_memory_mb: its memory (0: none) */
	char user_words[4096];  /* [ocr] user_words, resolved */
	char syllables[4096];   /* [ocr] syllables (the model), resolved */
	char rules[4096];       /* [fields] rules: folder of per-type rules */
	double review_below;    /* [fields] review_below: confidence 0-1 */
	char exports[4096];     /* [export] settings: folder of csip.conf,
				   hotich.conf (names, columns) */
	char schemas[4096];     /* [export] schemas: METS, ALTO... (XSD) */
	index_params search;    /* [search] ranking and fuzzy matching */
	int search_limit;       /* [search] limit: hits shown by default */
	char serve_listen[128]; /* [serve] listen: ADDR:PORT */
	char serve_token[256];  /* [serve] token: no longer used (accounts) */
	int serve_session_hours; /* [serve] session_hours: idle expiry */
	int serve_threads;      /* [serve] threads */
	int ntess;              /* [tesseract] name = value, passed as is */
	char tess_name[32][64], tess_value[32][256];
	char nightly_inbox[4096];   /* [nightly] inbox: folders, space-separated */
	char nightly_reports[4096]; /* [nightly] reports: the reports' folder */
	char loaded_from[4096]; /* the file read, or "" for defaults */
} conf;

/* Where an installed sohoa finds its files (the Makefile's PREFIX and
 * SYSCONFDIR): the rules and word lists under SOHOA_DATADIR, the
 * configuration SOHOA_SYSCONFDIR/sohoa/sohoa.conf. */
#ifndef SOHOA_DATADIR
#define SOHOA_DATADIR "/usr/local/share/sohoa"
#endif
#ifndef SOHOA_SYSCONFDIR
#define SOHOA_SYSCONFDIR "/etc"
#endif

/* conf_find - which configuration to read: given (-c), else
 * $SOHOA_CONFIG, else config/sohoa.conf when the current folder is a
 * source tree, else SOHOA_SYSCONFDIR/sohoa/sohoa.conf. Writes the path
 * into out (empty when none exists: the built-in defaults then) and
 * returns whether it must exist (given or from the environment). */
int conf_find(const char *given, char *out, size_t cap);

/* conf_defaults - fills c with the built-in settings. */
void conf_defaults(conf *c);

/* conf_load - reads path over the current values of c. With required
 * unset, a missing file is fine and leaves c as it was. An unknown
 * section or key, or a bad value, is an error naming the file and line
 * (a typo in a setting must not pass silently). */
int conf_load(conf *c, const char *path, int required);

#endif
