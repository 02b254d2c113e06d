/* journal.c - an export from its first folder to its last record: a
 * note in the store says where its partial folder is before the folder
 * is made; once the package is whole the note names its records; the
 * package is renamed into place; then, in one transaction, the records
 * are marked exported, the access log records the export and the note
 * goes. A kill at any moment leaves a note, and the next command that
 * writes the store (export_recover) finishes the record of a package
 * that is in place, or removes a partial folder and logs the export as
 * abandoned: no package unaudited, no partial folder left forgotten. */
#include "export.h"
#include "internal.h"

#include "../base/base.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* path made absolute by its folder (which exists), so that a later
 * command run from another folder finds it. */
static void absolute(const char *path, char *out, size_t cap)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(path, '/');

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1,
		 slash ? (slash == path ? "/" : path) : ".");
	if (!realpath(dir, real) ||
	    snprintf(out, cap, "%s/%s", strcmp(real, "/") ? real : "",
		     slash ? slash + 1 : path) >= (int)cap)
		snprintf(out, cap, "%s", path);
}

static void note_name(const char *out, char *name, size_t cap)
{
	char abs[PATH_MAX];

	absolute(out, abs, sizeof(abs));
	snprintf(name, cap, "export:%s", abs);
}

int ex_begin(store *s, const char *out, const char *partial, const char *format)
{
	char name[PATH_MAX + 16], abs_out[PATH_MAX], abs_tmp[PATH_MAX];
	json_t *note;
	int rc;

	note_name(out, name, sizeof(name));
	absolute(out, abs_out, sizeof(abs_out));
	absolute(partial, abs_tmp, sizeof(abs_tmp));
	note = json_pack("{s:s, s:s, s:s, s:s, s:i}", "state", "writing",
			 "out", abs_out, "partial", abs_tmp, "format", format,
			 "pid", (int)getpid());
	if (!note)
		return base_fail(BASE_ENOMEM, "out of memory");
	rc = store_note_put(s, name, note);
	json_decref(note);
	return rc;
}

struct mark {
	const char *key, *name;
};

static int mark_exported(json_t *meta, json_t *event, void *ctx)
{
	const struct mark *m = ctx;
	json_t *list = json_object_get(meta, "exported");
	char now[32];

	base_now_iso(now);
	if (!json_is_array(list)) {
		list = json_array();
		json_object_set_new(meta, "exported", list);
	}
	json_array_append_new(list, json_pack("{s:s, s:s}", m->key, m->name,
					      "time", now));
	json_object_set_new(event, "event", json_string("exported"));
	json_object_set_new(event, m->key, json_string(m->name));
	return 0;
}

/* The note's records marked, its access-log entry written and the note
 * dropped, in one transaction. */
static int record(store *s, json_t *note, const char *name, const char *after)
{
	json_t *ids = json_object_get(note, "ids"), *v;
	size_t n = json_array_size(ids), i;
	char **list = calloc(n + 1, sizeof(*list)), detail[PATH_MAX + 200];
	struct mark m = { json_string_value(json_object_get(note, "key")),
			  json_string_value(json_object_get(note, "name")) };
	int rc;

	if (!list)
		return base_fail(BASE_ENOMEM, "out of memory");
	json_array_foreach(ids, i, v)
		list[i] = (char *)json_string_value(v);
	snprintf(detail, sizeof(detail), "%zu records to %s%s", n,
		 json_string_value(json_object_get(note, "out")), after);
	json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:s?}", "user",
			      json_string_value(json_object_get(note, "user")) ?: base_user(),
			      "action", "export", "address", "terminal",
			      "detail", detail,
			      "query", json_string_value(json_object_get(note, "selection")));
	if (!e) {
		free(list);
		return base_fail(BASE_ENOMEM, "out of memory");
	}
	rc = store_records_update(s, list, n, mark_exported, &m, &e, 1, name);
	json_decref(e);
	free(list);
	return rc;
}

int ex_finish(store *s, const export_opts *o, const char *partial,
	      char *const *ids, size_t n, const char *key, const char *name)
{
	char note_n[PATH_MAX + 16], abs_out[PATH_MAX], abs_tmp[PATH_MAX];
	json_t *note, *list = json_array();
	int rc;

	note_name(o->out, note_n, sizeof(note_n));
	absolute(o->out, abs_out, sizeof(abs_out));
	absolute(partial, abs_tmp, sizeof(abs_tmp));
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_string(ids[i]));
	note = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s?, s:i}",
			 "state", "complete", "out", abs_out, "partial", abs_tmp,
			 "ids", list, "key", key, "name", name, "user", base_user(),
			 "selection", o->selection, "pid", (int)getpid());
	if (!note)
		return base_fail(BASE_ENOMEM, "out of memory");
	rc = store_note_put(s, note_n, note);
	if (rc == 0 && rename(partial, o->out) < 0)
		rc = base_fail(BASE_EIO, "cannot rename '%s' to '%s': %s", partial,
			     o->out, strerror(errno));
	if (rc) {
		json_decref(note);
		return rc;  /* the caller removes the folder, export_recover the note */
	}
	if (base_fault("kill-after-rename"))
		raise(SIGKILL);
	rc = record(s, note, note_n, "");
	json_decref(note);
	return rc;
}

int ex_abandon(store *s, const char *out)
{
	char name[PATH_MAX + 16];
	json_t *notes = NULL, *note;
	size_t i;
	int rc;

	note_name(out, name, sizeof(name));
	if ((rc = store_note_list(s, name, &notes)))
		return rc;
	json_array_foreach(notes, i, note)
		if (!strcmp(json_string_value(json_object_get(note, "note")), name))
			rc = store_records_update(s, NULL, 0, NULL, NULL, NULL, 0, name);
	json_decref(notes);
	return rc;
}

static int exists(const char *path)
{
	struct stat st;

	return path && lstat(path, &st) == 0;
}

int export_recover(store *s, json_t **said)
{
	json_t *notes = NULL, *note;
	size_t i;
	int rc = store_note_list(s, "export:", &notes);

	*said = json_array();
	json_array_foreach(notes, i, note) {
		const char *name = json_string_value(json_object_get(note, "note"));
		const char *out = json_string_value(json_object_get(note, "out"));
		const char *partial = json_string_value(json_object_get(note, "partial"));
		pid_t pid = (pid_t)json_integer_value(json_object_get(note, "pid"));
		char msg[2 * PATH_MAX + 200];
		if (rc)
			break;
		/* another export still at work (this machine's) */
		if (pid > 0 && pid != getpid() && kill(pid, 0) == 0)
			continue;
		const char *state = json_string_value(json_object_get(note, "state"));
		if (state && !strcmp(state, "complete") &&
		    exists(out) && !exists(partial)) {
			rc = record(s, note, name, " (recorded after the export "
				    "was interrupted)");
			snprintf(msg, sizeof(msg), "the export to '%s' was interrupted "
				 "after its package was complete: its records are "
				 "now marked and the access log has it", out);
		} else {
			if (exists(partial))
				export_remove_tree(partial);
			char detail[PATH_MAX + 100];
			snprintf(detail, sizeof(detail), "interrupted export to %s; "
				 "its partial folder removed", out ? out : "?");
			json_t *e = json_pack("{s:s, s:s, s:s, s:s}", "user", base_user(),
					      "action", "export-abandoned", "address",
					      "terminal", "detail", detail);
			rc = store_records_update(s, NULL, 0, NULL, NULL, &e, 1, name);
			json_decref(e);
			snprintf(msg, sizeof(msg), "the export to '%s' was interrupted "
				 "before its package was complete: its partial folder "
				 "'%s' is removed", out ? out : "?", partial ? partial : "?");
		}
		if (rc == 0)
			json_array_append_new(*said, json_string(msg));
	}
	json_decref(notes);
	return rc;
}
