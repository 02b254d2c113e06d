/* collect.c - the files of a batch: the TIFFs named and those in the
 * folders named, walked depth-first in name order, each folder once
 * (links that loop end), each file once however it was named. */
#include "ingest.h"

#include "../base/base.h"
#include "../text/text.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static int has_tiff_ext(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && (!strcasecmp(dot, ".tif") || !strcasecmp(dot, ".tiff"));
}

struct list {
	char **v;
	size_t n, cap;
	/* the folders walked, by device and inode: each once, however many
	 * links lead to it (a folder linking to itself would never end) */
	struct { dev_t dev; ino_t ino; } *seen;
	size_t nseen, capseen;
};

/* Whether the folder st was walked already; else it is now. */
static int seen_before(struct list *l, const struct stat *st, int *rc)
{
	for (size_t i = 0; i < l->nseen; i++)
		if (l->seen[i].dev == st->st_dev && l->seen[i].ino == st->st_ino)
			return 1;
	if (l->nseen == l->capseen) {
		size_t cap = l->capseen ? 2 * l->capseen : 16;
		void *v = realloc(l->seen, cap * sizeof(*l->seen));
		if (!v) {
			*rc = base_fail(BASE_ENOMEM, "out of memory");
			return 1;
		}
		l->seen = v;
		l->capseen = cap;
	}
	l->seen[l->nseen].dev = st->st_dev;
	l->seen[l->nseen++].ino = st->st_ino;
	return 0;
}

static int list_add(struct list *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return base_fail(BASE_ENOMEM, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	if (!(l->v[l->n] = strdup(s)))
		return base_fail(BASE_ENOMEM, "out of memory");
	l->n++;
	return 0;
}

struct named {
	const char *path;
	size_t index;
};

static int cmp_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* The same file named twice (a folder and a file in it) is ingested once,
 * at its first place in the list. */
static int drop_repeats(struct list *l)
{
	struct named *v = malloc((l->n ? l->n : 1) * sizeof(*v));
	size_t k = 0;

	if (!v)
		return base_fail(BASE_ENOMEM, "out of memory");
	for (size_t i = 0; i < l->n; i++)
		v[i] = (struct named){ l->v[i], i };
	qsort(v, l->n, sizeof(*v), cmp_named);
	for (size_t i = 1, first = 0; i < l->n; i++) {
		if (strcmp(v[i].path, v[first].path)) {
			first = i;
			continue;
		}
		free(l->v[v[i].index]);
		l->v[v[i].index] = NULL;
	}
	free(v);
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i])
			l->v[k++] = l->v[i];
	l->n = k;
	return 0;
}

/* Walks dir depth-first in name order. A folder that cannot be opened is
 * kept as an entry so that the report names it with its reason. */
static int walk(struct list *l, const char *dir, int depth)
{
	struct dirent **names = NULL;
	int n, rc = 0;

	struct stat self;

	if (depth > 64)
		return list_add(l, dir);
	if (stat(dir, &self) == 0 && seen_before(l, &self, &rc))
		return rc;
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return list_add(l, dir);
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX];
		struct stat st;
		const char *name = names[i]->d_name;

		if (rc == 0 && strcmp(name, ".") && strcmp(name, "..") &&
		    snprintf(path, sizeof(path), "%s/%s", dir, name) <
			    (int)sizeof(path)) {
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
				rc = walk(l, path, depth + 1);
			else if (has_tiff_ext(name))
				rc = list_add(l, path);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int ingest_collect(char *const *paths, int n, char ***files, size_t *count)
{
	struct list l = { 0 };
	int rc = 0;

	for (int i = 0; rc == 0 && i < n; i++) {
		struct stat st;
		char path[PATH_MAX];
		size_t len = strlen(paths[i]);

		snprintf(path, sizeof(path), "%s", paths[i]);
		while (len > 1 && path[len - 1] == '/')
			path[--len] = '\0';
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			rc = walk(&l, path, 0);
		else
			rc = list_add(&l, path);
	}
	free(l.seen);
	if (rc) {
		ingest_files_free(l.v, l.n);
		return rc;
	}
	rc = drop_repeats(&l);
	if (rc) {
		ingest_files_free(l.v, l.n);
		return rc;
	}
	*files = l.v;
	*count = l.n;
	return 0;
}

void ingest_files_free(char **files, size_t count)
{
	for (size_t i = 0; files && i < count; i++)
		free(files[i]);
	free(files);
}
