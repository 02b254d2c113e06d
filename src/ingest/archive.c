/* archive.c - the archive description a batch may carry: batch.csv
 * beside the scans, one row a file (file, phong, muc_luc, hop, ho_so_so,
 * ghi_chu), as archive staff fill it in a spreadsheet. */
#include "ingest.h"

#include "../base/base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const columns[] = { "file", "phong", "muc_luc", "hop",
				       "ho_so_so", "ghi_chu" };

/* Reads one CSV field at *p (RFC 4180 quoting) into out; returns 1 at
 * the end of a row, 0 before the next field of the same row. */
static int csv_field(const char **p, char *out, size_t len)
{
	const char *s = *p;
	size_t n = 0;

	if (*s == '"') {
		for (s++; *s; s++) {
			if (*s == '"' && s[1] == '"')
				s++;
			else if (*s == '"') {
				s++;
				break;
			}
			if (n + 1 < len)
				out[n++] = *s;
		}
	}
	for (; *s && *s != ',' && *s != '\n' && *s != '\r'; s++)
		if (n + 1 < len)
			out[n++] = *s;
	out[n] = 0;
	if (*s == ',') {
		*p = s + 1;
		return 0;
	}
	while (*s == '\r' || *s == '\n')
		s++;
	*p = s;
	return 1;
}

int ingest_archive_csv(const char *dir, json_t **out)
{
	char path[4200], cell[1024];
	unsigned char *raw;
	char *buf;
	size_t len;
	int col[8], ncol = 0, rc;
	const char *p;

	*out = json_object();
	snprintf(path, sizeof(path), "%s/batch.csv", dir);
	/* the file is optional: none is no warning */
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	rc = base_read_file(path, 16 << 20, &raw, &len);
	if (rc)
		return rc;
	/* the parser reads up to a NUL: a copy that has one */
	buf = malloc(len + 1);
	if (buf) {
		memcpy(buf, raw, len);
		buf[len] = 0;
	}
	free(raw);
	if (!buf)
		return base_fail(BASE_ENOMEM, "out of memory");
	p = buf;
	if (!strncmp(p, "\xef\xbb\xbf", 3))
		p += 3; /* a spreadsheet's byte-order mark */
	for (int end = 0; !end && ncol < 8; ncol++) {
		end = csv_field(&p, cell, sizeof(cell));
		col[ncol] = -1;
		for (int k = 0; k < 6; k++)
			if (!strcmp(cell, columns[k]))
				col[ncol] = k;
	}
	if (ncol == 0 || col[0] != 0) {
		free(buf);
		return base_fail(BASE_EFORMAT, "'%s': the first column must be "
			       "'file' (then phong, muc_luc, hop, ho_so_so, "
			       "ghi_chu)", path);
	}
	while (*p) {
		json_t *row = json_object();
		char file[1024] = "";
		for (int c = 0, end = 0; !end; c++) {
			end = csv_field(&p, cell, sizeof(cell));
			if (c == 0)
				snprintf(file, sizeof(file), "%s", cell);
			else if (c < ncol && col[c] > 0 && *cell)
				json_object_set_new(row, columns[col[c]],
						    json_string(cell));
		}
		if (*file && json_object_size(row))
			json_object_set_new(*out, file, row);
		else
			json_decref(row);
	}
	free(buf);
	return 0;
}
