/* conf.c - reads sohoa.conf with inih and checks every value. */
#include "conf.h"

#include "../base/base.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void conf_defaults(conf *c)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(c, 0, sizeof(*c));
	snprintf(c->store, sizeof(c->store), "sohoa-store");
	c->map_size = (size_t)256 << 20;
	c->jobs = cores > 0 ? (int)cores : 1;
	c->zstd_level = 9;
	c->max_side = 30000;
	c->max_megapixels = 300;
	c->max_file_bytes = (size_t)2048 << 20;
	snprintf(c->organization, sizeof(c->organization),
		 "Lưu trữ UBND quận");
	c->ocr = 1;
	snprintf(c->ocr_lang, sizeof(c->ocr_lang), "vie");
	c->psm = 3;
	c->unreadable_below = 60;
	c->page_seconds = 300;
	c->page_memory_mb = 2048;
	snprintf(c->rules, sizeof(c->rules), "%s/fields", SOHOA_DATADIR);
	snprintf(c->exports, sizeof(c->exports), "%s/export", SOHOA_DATADIR);
	snprintf(c->schemas, sizeof(c->schemas), "%s/schemas", SOHOA_DATADIR);
	c->review_below = 0.85;
	index_params_default(&c->search);
	c->search_limit = 10;
	snprintf(c->serve_listen, sizeof(c->serve_listen), "127.0.0.1:8080");
	c->serve_threads = 8;
	c->serve_session_hours = 8;
	snprintf(c->nightly_reports, sizeof(c->nightly_reports), "reports");
}

int conf_find(const char *given, char *out, size_t cap)
{
	const char *env = getenv("SOHOA_CONFIG");

	if (given) {
		snprintf(out, cap, "%s", given);
		return 1;
	}
	if (env && *env) {
		snprintf(out, cap, "%s", env);
		return 1;
	}
	/* there, readable or not: one that cannot be read is an error
	 * naming it, not a silent fall to the next */
	if (access("config/sohoa.conf", F_OK) == 0)
		snprintf(out, cap, "config/sohoa.conf");
	else if (access(SOHOA_SYSCONFDIR "/sohoa/sohoa.conf", F_OK) == 0)
		snprintf(out, cap, "%s", SOHOA_SYSCONFDIR "/sohoa/sohoa.conf");
	else
		out[0] = '\0';
	return 0;
}

struct load_ctx {
	conf *c;
	char bad[256];
	char dir[2048]; /* the config file's folder */
};

/* A path the config names, into out: as it is when absolute, else
 * beside the config; a file or folder of sohoa's own (rules, word
 * lists) that is not there is taken from SOHOA_DATADIR when it is there
 * (so /etc/sohoa/ overrides /usr/share/sohoa/ file by file). */
static void resolve(const struct load_ctx *x, const char *val, int shared,
		    char *out, size_t cap)
{
	char alt[4096];

	if (*val == '/') {
		snprintf(out, cap, "%s", val);
		return;
	}
	snprintf(out, cap, "%s/%s", x->dir, val);
	snprintf(alt, sizeof(alt), "%s/%s", SOHOA_DATADIR, val);
	/* not beside the config: the built-in place, there or not (a
	 * configuration a removed package left behind then reads as none) */
	if (shared && access(out, F_OK) != 0)
		snprintf(out, cap, "%s", alt);
	/* "/etc/sohoa/../x" said as "/etc/x" where it exists */
	char *real = realpath(out, NULL);
	if (real && strlen(real) < cap)
		snprintf(out, cap, "%s", real);
	free(real);
}

static int boolean(const char *v, int *out)
{
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1"))
		*out = 1;
	else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0"))
		*out = 0;
	else
		return 0;
	return 1;
}

static int number(const char *v, double lo, double hi, double *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (errno || end == v || *end || d < lo || d > hi)
		return 0;
	*out = d;
	return 1;
}

/* [search]: ranking weights and fuzzy matching. 1 if key was taken. */
static int search_entry(conf *c, const char *key, const char *val)
{
	static const struct {
		const char *key;
		size_t off;
		double lo, hi;
	} w[] = {
		{ "k1", offsetof(index_params, k1), 0, 10 },
		{ "b", offsetof(index_params, b), 0, 1 },
		{ "exact_boost", offsetof(index_params, exact_boost), 0, 100 },
		{ "name_boost", offsetof(index_params, name_boost), 0, 100 },
		{ "whole_name_boost", offsetof(index_params, whole_name_boost),
		  0, 1000 },
		{ "field_boost", offsetof(index_params, field_boost), 0, 100 },
	};
	double d;

	for (size_t i = 0; i < sizeof(w) / sizeof(*w); i++)
		if (!strcmp(key, w[i].key) && number(val, w[i].lo, w[i].hi, &d)) {
			*(double *)((char *)&c->search + w[i].off) = d;
			return 1;
		}
	if (!strcmp(key, "fuzzy_below") && number(val, 0, 1000, &d)) {
		c->search.fuzzy_below = (int)d;
		return 1;
	}
	if (!strcmp(key, "limit") && number(val, 1, 1000, &d)) {
		c->search_limit = (int)d;
		return 1;
	}
	return 0;
}

static int on_entry(void *user, const char *sec, const char *key,
		    const char *val)
{
	struct load_ctx *x = user;
	conf *c = x->c;
	double d;

#define IS(s, k) (!strcmp(sec, s) && !strcmp(key, k))
	if (IS("store", "path")) {
		resolve(x, val, 0, c->store, sizeof(c->store));
		return *val != '\0';
	}
	if (IS("store", "map_size_mb") && number(val, 1, 1 << 20, &d))
		c->map_size = (size_t)d << 20;
	else if (IS("ingest", "jobs") && number(val, 0, 256, &d))
		c->jobs = d > 0 ? (int)d : c->jobs;
	else if (IS("ingest", "zstd_level") && number(val, 1, 19, &d))
		c->zstd_level = (int)d;
	else if (IS("limits", "max_side_px") && number(val, 1, 1e6, &d))
		c->max_side = (long)d;
	else if (IS("limits", "max_megapixels") && number(val, 0.001, 1e5, &d))
		c->max_megapixels = d;
	else if (IS("limits", "max_file_mb") && number(val, 1, 1 << 20, &d))
		c->max_file_bytes = (size_t)d << 20;
	else if (IS("archive", "organization"))
		snprintf(c->organization, sizeof(c->organization), "%s", val);
	else if (IS("ocr", "enabled") && boolean(val, &c->ocr))
		;
	else if (IS("ocr", "language") && *val)
		snprintf(c->ocr_lang, sizeof(c->ocr_lang), "%s", val);
	else if (IS("ocr", "tessdata"))
		snprintf(c->tessdata, sizeof(c->tessdata), "%s", val);
	else if (IS("ocr", "psm") && number(val, 0, 13, &d))
		c->psm = (int)d;
	else if ((IS("ocr", "unreadable_below") || IS("ocr", "osd_below")) &&
		 number(val, 0, 100, &d))
		c->unreadable_below = d; /* osd_below: its name before 0.15 */
	else if (IS("ocr", "page_seconds") && number(val, 0, 86400, &d))
		c->page_seconds = d;
	else if (IS("ocr", "page_memory_mb") && number(val, 0, 1 << 20, &d))
		c->page_memory_mb = d;
	else if (IS("ocr", "user_words")) {
		if (*val)
			resolve(x, val, 1, c->user_words, sizeof(c->user_words));
		else
			c->user_words[0] = '\0';
	} else if (IS("ocr", "syllables")) {
		if (*val)
			resolve(x, val, 1, c->syllables, sizeof(c->syllables));
		else
			c->syllables[0] = '\0';
	} else if (IS("fields", "review_below") && number(val, 0, 1, &d)) {
		c->review_below = d;
	} else if (IS("fields", "rules") && *val) {
		resolve(x, val, 1, c->rules, sizeof(c->rules));
	} else if (IS("export", "settings") && *val) {
		resolve(x, val, 1, c->exports, sizeof(c->exports));
	} else if (IS("export", "schemas") && *val) {
		resolve(x, val, 1, c->schemas, sizeof(c->schemas));
	} else if (IS("nightly", "inbox")) {
		/* folders, each resolved: "/srv/scans/inbox scans" */
		char list[4096], *save = NULL, one[4096];
		size_t n = 0;
		snprintf(list, sizeof(list), "%s", val);
		c->nightly_inbox[0] = '\0';
		for (char *t = strtok_r(list, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
			resolve(x, t, 0, one, sizeof(one));
			n += (size_t)snprintf(c->nightly_inbox + n, n < sizeof(c->nightly_inbox)
					      ? sizeof(c->nightly_inbox) - n : 0, "%s%s",
					      n ? " " : "", one);
		}
	} else if (IS("nightly", "reports") && *val) {
		resolve(x, val, 0, c->nightly_reports, sizeof(c->nightly_reports));
	} else if (IS("serve", "listen") && *val) {
		snprintf(c->serve_listen, sizeof(c->serve_listen), "%s", val);
	} else if (IS("serve", "token")) {
		snprintf(c->serve_token, sizeof(c->serve_token), "%s", val);
	} else if (IS("serve", "threads") && number(val, 1, 64, &d)) {
		c->serve_threads = (int)d;
	} else if (IS("serve", "session_hours") && number(val, 1, 168, &d)) {
		c->serve_session_hours = (int)d;
	} else if (!strcmp(sec, "search") && search_entry(c, key, val)) {
		/* taken */
	} else if (!strcmp(sec, "tesseract") && c->ntess < 32) {
		snprintf(c->tess_name[c->ntess], 64, "%s", key);
		snprintf(c->tess_value[c->ntess], 256, "%s", val);
		c->ntess++;
	}
	else {
		snprintf(x->bad, sizeof(x->bad), "[%s] %s = %s", sec, key, val);
		return 0;
	}
#undef IS
	return 1;
}

int conf_load(conf *c, const char *path, int required)
{
	struct load_ctx x = { c, "", "." };
	FILE *f = fopen(path, "r");
	const char *slash = strrchr(path, '/');
	int line;

	if (slash)
		snprintf(x.dir, sizeof(x.dir), "%.*s", (int)(slash - path), path);
	/* the rules live beside the config unless it says otherwise, or
	 * where sohoa is installed */
	resolve(&x, "fields", 1, c->rules, sizeof(c->rules));
	resolve(&x, "export", 1, c->exports, sizeof(c->exports));
	resolve(&x, "schemas", 1, c->schemas, sizeof(c->schemas));
	resolve(&x, "reports", 0, c->nightly_reports, sizeof(c->nightly_reports));
	if (!f) {
		if (!required && errno == ENOENT)
			return 0; /* (gone since it was found) */
		return base_fail(BASE_EIO, "cannot open config '%s': %s", path,
			       strerror(errno));
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && !S_ISREG(st.st_mode)) {
		fclose(f);
		return base_fail(BASE_EIO, "cannot read config '%s': %s", path,
			       S_ISDIR(st.st_mode) ? "Is a directory" : "not a regular file");
	}
	line = ini_parse_file(f, on_entry, &x);
	fclose(f);
	if (line > 0)
		return base_fail(BASE_EINVAL, "config '%s' line %d: %s%s", path,
			       line, x.bad[0] ? "unknown key or bad value: "
			       : "syntax error", x.bad);
	if (line < 0)
		return base_fail(BASE_EIO, "cannot read config '%s'", path);
	snprintf(c->loaded_from, sizeof(c->loaded_from), "%s", path);
	return 0;
}
