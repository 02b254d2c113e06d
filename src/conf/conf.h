/* conf.h - sohoa's settings: built-in defaults, then config/sohoa.conf
 * (INI, read with inih), then command-line flags on top. */
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
	double osd_below;       /* [ocr] osd_below: mean confidence */
	char user_words[4096];  /* [ocr] user_words, resolved */
	char rules[4096];       /* [fields] rules: folder of per-type rules */
	double review_below;    /* [fields] review_below: confidence 0-1 */
	index_params search;    /* [search] ranking and fuzzy matching */
	int search_limit;       /* [search] limit: hits shown by default */
	char serve_listen[128]; /* [serve] listen: ADDR:PORT */
	char serve_token[256];  /* [serve] token: needed beyond loopback */
	int serve_threads;      /* [serve] threads */
	int ntess;              /* [tesseract] name = value, passed as is */
	char tess_name[32][64], tess_value[32][256];
	char loaded_from[4096]; /* the file read, or "" for defaults */
} conf;

/* conf_defaults - fills c with the built-in settings. */
void conf_defaults(conf *c);

/* conf_load - reads path over the current values of c. With required
 * unset, a missing file is fine and leaves c as it was. An unknown
 * section or key, or a bad value, is an error naming the file and line
 * (a typo in a setting must not pass silently). */
int conf_load(conf *c, const char *path, int required);

#endif
