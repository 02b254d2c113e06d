/* shard.c - a batch spread over many machines: its file list written
 * once (a line a file), each task's share of it ingested into a store
 * of its own (a shard, marked with its place in the batch), and the
 * shard stores merged into one store in the batch's order. */
#include "ingest.h"

#include "../base/base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_HEAD "# sohoa batch "
#define SHARES_HEAD "# sohoa shares "

int ingest_list_write(const char *path, const ingest_list *l)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return base_fail(BASE_ENOMEM, "out of memory");
	fprintf(f, "%s%s\n", LIST_HEAD, l->batch);
	if (l->bounds) {
		fprintf(f, "%s%d", SHARES_HEAD, l->of);
		for (int k = 1; k < l->of; k++)
			fprintf(f, " %zu", l->bounds[k]);
		fputc('\n', f);
	}
	for (size_t i = 0; i < l->count; i++) {
		if (strchr(l->files[i], '\n')) {
			fclose(f);
			free(buf);
			return base_fail(BASE_EINVAL, "cannot list '%s': its name "
				       "holds a line break", l->files[i]);
		}
		fprintf(f, "%s\n", l->files[i]);
	}
	if (fclose(f)) {
		free(buf);
		return base_fail(BASE_ENOMEM, "out of memory");
	}
	rc = base_write_file_atomic(path, buf, len);
	free(buf);
	return rc;
}

void ingest_list_free(ingest_list *l)
{
	ingest_files_free(l->files, l->count);
	free(l->bounds);
	memset(l, 0, sizeof(*l));
}

/* "# sohoa shares N b1 .. bN-1" into l (bounds 0 and count added once
 * the files are counted). 0, or -1 for a line that does not parse. */
static int shares_line(const char *s, ingest_list *l)
{
	char *end;
	long of = strtol(s, &end, 10);

	if (of < 1 || of > 100000 || !(l->bounds = calloc((size_t)of + 1,
							     sizeof(*l->bounds))))
		return -1;
	l->of = (int)of;
	for (int k = 1; k < l->of; k++) {
		l->bounds[k] = (size_t)strtoull(end, &end, 10);
		if (l->bounds[k] < l->bounds[k - 1])
			return -1;
	}
	return 0;
}

int ingest_list_read(const char *path, ingest_list *l)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, have = 0;
	ssize_t got;
	int rc = 0;

	memset(l, 0, sizeof(*l));
	if (!f)
		return base_fail(BASE_EIO, "cannot open the file list '%s': %s",
			       path, strerror(errno));
	while (rc == 0 && (got = getline(&line, &cap, f)) >= 0) {
		if (got && line[got - 1] == '\n')
			line[--got] = 0;
		if (!strncmp(line, LIST_HEAD, strlen(LIST_HEAD))) {
			snprintf(l->batch, sizeof(l->batch), "%s", line + strlen(LIST_HEAD));
			continue;
		}
		if (!strncmp(line, SHARES_HEAD, strlen(SHARES_HEAD))) {
			if (shares_line(line + strlen(SHARES_HEAD), l))
				rc = base_fail(BASE_EINVAL, "'%s': a shares line that "
					       "does not parse", path);
			continue;
		}
		if (!*line || *line == '#')
			continue;
		if (l->count == have) {
			char **g = realloc(l->files, (have = have ? have * 2 : 256) *
					   sizeof(*g));
			if (!g) {
				rc = base_fail(BASE_ENOMEM, "out of memory");
				break;
			}
			l->files = g;
		}
		if (!(l->files[l->count] = strdup(line)))
			rc = base_fail(BASE_ENOMEM, "out of memory");
		else
			l->count++;
	}
	free(line);
	fclose(f);
	if (rc == 0 && !l->batch[0])
		rc = base_fail(BASE_EINVAL, "'%s' is not a batch's file list (no "
			       "'%s' line)", path, LIST_HEAD);
	if (rc == 0 && l->bounds) {
		l->bounds[l->of] = l->count;
		if (l->of > 1 && l->bounds[l->of - 1] > l->count)
			rc = base_fail(BASE_EINVAL, "'%s': its shares end after its "
				       "%zu files", path, l->count);
	}
	if (rc)
		ingest_list_free(l);
	return rc;
}

size_t *ingest_list_shares(char *const *files, size_t n, int of)
{
	size_t *b = calloc((size_t)of + 1, sizeof(*b)), *pages = malloc((n + 1) *
								       sizeof(*pages));
	size_t total = 0, run = 0, i = 0;

	if (!b || !pages) {
		free(b);
		free(pages);
		return NULL;
	}
	for (size_t k = 0; k < n; k++)
		total += pages[k] = ingest_tiff_pages(files[k]);
	/* share k ends where the pages run past (k + 1) / of of them */
	for (int k = 1; k < of; k++) {
		size_t want = total * (size_t)k / (size_t)of;
		while (i < n && run + pages[i] / 2 < want)
			run += pages[i++];
		b[k] = i;
	}
	b[of] = n;
	free(pages);
	return b;
}

int ingest_shard_of(const ingest_list *l, int index, int of, ingest_shard *out)
{
	memset(out, 0, sizeof(*out));
	if (of < 1 || index < 0 || index >= of)
		return base_fail(BASE_EINVAL, "no shard %d of %d", index, of);
	snprintf(out->batch, sizeof(out->batch), "%s", l->batch);
	out->index = index;
	out->of = of;
	out->total = l->count;
	if (l->bounds && l->of == of) {
		/* about as many pages a share, as the list says */
		out->first = l->bounds[index];
		out->count = l->bounds[index + 1] - out->first;
	} else {
		out->first = l->count * (size_t)index / (size_t)of;
		out->count = l->count * (size_t)(index + 1) / (size_t)of - out->first;
	}
	return 0;
}

static json_t *shard_json(const ingest_shard *sh)
{
	return json_pack("{s:s, s:i, s:i, s:I, s:I, s:I}", "batch", sh->batch,
			 "shard", sh->index, "of", sh->of, "total",
			 (json_int_t)sh->total, "first", (json_int_t)sh->first,
			 "count", (json_int_t)sh->count);
}

static int shard_from(json_t *n, ingest_shard *sh)
{
	const char *b = json_string_value(json_object_get(n, "batch"));

	memset(sh, 0, sizeof(*sh));
	if (!b)
		return BASE_ENOTFOUND;
	snprintf(sh->batch, sizeof(sh->batch), "%s", b);
	sh->index = (int)json_integer_value(json_object_get(n, "shard"));
	sh->of = (int)json_integer_value(json_object_get(n, "of"));
	sh->total = (size_t)json_integer_value(json_object_get(n, "total"));
	sh->first = (size_t)json_integer_value(json_object_get(n, "first"));
	sh->count = (size_t)json_integer_value(json_object_get(n, "count"));
	return 0;
}

int ingest_shard_get(store *s, ingest_shard *sh, json_t **summary)
{
	json_t *notes = NULL;
	char last[STORE_ID_MAX];
	int rc = store_note_list(s, "shard", &notes);

	if (summary)
		*summary = NULL;
	if (rc == 0)
		rc = shard_from(json_array_get(notes, 0), sh);
	json_decref(notes);
	if (rc == BASE_ENOTFOUND)
		return base_fail(rc, "store '%s' is not a shard of a batch (made "
			       "by ingest --shard)", store_dir(s));
	if (rc || !summary)
		return rc;
	rc = store_batch_last(s, last);
	if (rc == 0)
		rc = store_batch_get(s, last, summary);
	return rc == BASE_ENOTFOUND ? 0 : rc;
}

int ingest_shard_mark(store *s, const ingest_shard *sh)
{
	ingest_shard had;
	json_t *n;
	int rc = ingest_shard_get(s, &had, NULL);

	if (rc == 0) {
		if (strcmp(had.batch, sh->batch) || had.index != sh->index ||
		    had.of != sh->of || had.total != sh->total)
			return base_fail(BASE_EINVAL, "store '%s' is shard %d of "
				       "%d of batch %s, not %d of %d of %s",
				       store_dir(s), had.index, had.of, had.batch,
				       sh->index, sh->of, sh->batch);
		return 0;
	}
	if (rc != BASE_ENOTFOUND)
		return rc;
	if (!(n = shard_json(sh)))
		return base_fail(BASE_ENOMEM, "out of memory");
	rc = store_note_put(s, "shard", n);
	json_decref(n);
	return rc;
}

int ingest_shard_done(const ingest_shard *sh, json_t *summary)
{
	return json_is_true(json_object_get(summary, "complete")) &&
	       (size_t)json_integer_value(json_object_get(summary, "total")) ==
	       sh->count;
}
