/* conf.c - reads sohoa.conf with inih and checks every value. */
#include "conf.h"

#include "../sh/sh.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
}

struct load_ctx {
	conf *c;
	char bad[256];
};

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

static int on_entry(void *user, const char *sec, const char *key,
		    const char *val)
{
	struct load_ctx *x = user;
	conf *c = x->c;
	double d;

#define IS(s, k) (!strcmp(sec, s) && !strcmp(key, k))
	if (IS("store", "path")) {
		snprintf(c->store, sizeof(c->store), "%s", val);
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
	else {
		snprintf(x->bad, sizeof(x->bad), "[%s] %s = %s", sec, key, val);
		return 0;
	}
#undef IS
	return 1;
}

int conf_load(conf *c, const char *path, int required)
{
	struct load_ctx x = { c, "" };
	FILE *f = fopen(path, "r");
	int line;

	if (!f) {
		if (!required && errno == ENOENT)
			return 0;
		return sh_fail(SH_EIO, "cannot open config '%s': %s", path,
			       strerror(errno));
	}
	line = ini_parse_file(f, on_entry, &x);
	fclose(f);
	if (line > 0)
		return sh_fail(SH_EINVAL, "config '%s' line %d: %s%s", path,
			       line, x.bad[0] ? "unknown key or bad value: "
			       : "syntax error", x.bad);
	if (line < 0)
		return sh_fail(SH_EIO, "cannot read config '%s'", path);
	snprintf(c->loaded_from, sizeof(c->loaded_from), "%s", path);
	return 0;
}
