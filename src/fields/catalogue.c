/* catalogue.c - the field catalogue (config/fields/catalogue.ini): each
 * field's key, label, kind, how the index keeps it and whether exports
 * carry it; each type's label, date, number and the fields a hit shows. */
#include "fields.h"
#include "internal.h"

#include "../base/base.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fields_catalogue {
	int nfields, ntypes;
	fields_field field[CAT_MAX_FIELDS];
	fields_type_info type[CAT_MAX_TYPES];
};

struct cat_ctx {
	fields_catalogue *c;
	char bad[200];
};

static const char *const index_names[] = { "no", "text", "place", "date" };

/* The field or type of that name, made when new (NULL when full or the
 * name too long); the catalogue's own, so not const. */
static fields_field *field_of(fields_catalogue *c, const char *key)
{
	fields_field *had = (fields_field *)fields_catalogue_find(c, key);

	if (had)
		return had;
	if (c->nfields == CAT_MAX_FIELDS || strlen(key) >= sizeof(c->field[0].key))
		return NULL;
	fields_field *f = &c->field[c->nfields++];
	snprintf(f->key, sizeof(f->key), "%s", key);
	f->index = -1;
	f->export = 1;
	return f;
}

static fields_type_info *type_of(fields_catalogue *c, const char *name)
{
	fields_type_info *had = (fields_type_info *)fields_catalogue_type_named(c, name);

	if (had)
		return had;
	if (c->ntypes == CAT_MAX_TYPES || strlen(name) >= sizeof(c->type[0].name))
		return NULL;
	fields_type_info *t = &c->type[c->ntypes++];
	snprintf(t->name, sizeof(t->name), "%s", name);
	return t;
}

static int yes_no(const char *v, int *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "no")) {
		*out = v[0] == 'y';
		return 1;
	}
	return 0;
}

/* Copies v into out (cap bytes); 0 when it does not fit. */
static int put(char *out, size_t cap, const char *v)
{
	return (size_t)snprintf(out, cap, "%s", v) < cap;
}

static int field_entry(fields_catalogue *c, const char *key_name,
		       const char *k, const char *v)
{
	fields_field *f = field_of(c, key_name);

	if (!f)
		return 0;
	if (!strcmp(k, "label"))
		return put(f->label, sizeof(f->label), v);
	if (!strcmp(k, "kind"))
		return fields_kind_known(v) && put(f->kind, sizeof(f->kind), v);
	if (!strcmp(k, "index")) {
		for (int i = 0; i < 4; i++)
			if (!strcmp(v, index_names[i])) {
				f->index = i;
				return 1;
			}
		return 0;
	}
	if (!strcmp(k, "code")) {
		/* 'z' stands for "no such date" in the index's keys */
		if (strlen(v) != 1 || v[0] < 'a' || v[0] >= 'z')
			return 0;
		f->code = v[0];
		return 1;
	}
	if (!strcmp(k, "person"))
		return yes_no(v, &f->person);
	if (!strcmp(k, "export"))
		return yes_no(v, &f->export);
	return 0;
}

static int type_entry(fields_catalogue *c, const char *name, const char *k,
		      const char *v)
{
	fields_type_info *t = type_of(c, name);

	if (!t)
		return 0;
	if (!strcmp(k, "label"))
		return put(t->label, sizeof(t->label), v);
	if (!strcmp(k, "date"))
		return put(t->date, sizeof(t->date), v);
	if (!strcmp(k, "number"))
		return put(t->number, sizeof(t->number), v);
	if (!strcmp(k, "summary")) {
		char list[512], *save = NULL;
		if (!put(list, sizeof(list), v))
			return 0;
		t->nsummary = 0;
		for (char *w = strtok_r(list, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			if (t->nsummary == CAT_MAX_SUMMARY ||
			    !put(t->summary[t->nsummary], sizeof(t->summary[0]), w))
				return 0;
			t->nsummary++;
		}
		return 1;
	}
	return 0;
}

static int on_entry(void *user, const char *sec, const char *key,
		    const char *val)
{
	struct cat_ctx *x = user;
	int ok = 0;

	if (!strncmp(sec, "field ", 6))
		ok = field_entry(x->c, sec + 6, key, val);
	else if (!strncmp(sec, "type ", 5))
		ok = type_entry(x->c, sec + 5, key, val);
	if (!ok)
		snprintf(x->bad, sizeof(x->bad), "[%s] %s = %s", sec, key, val);
	return ok;
}

/* What a loaded catalogue lacks or holds twice, as a message; 0 when
 * it is whole. */
static int check(const fields_catalogue *c, const char *path)
{
	for (int i = 0; i < c->nfields; i++) {
		const fields_field *f = &c->field[i];
		if (!f->label[0] || !f->kind[0] || f->index < 0)
			return base_fail(BASE_EINVAL, "catalogue '%s': field '%s' needs "
				       "label, kind and index", path, f->key);
		if ((f->index == FIELDS_INDEX_DATE) != (f->code != 0))
			return base_fail(BASE_EINVAL, "catalogue '%s': field '%s': a "
				       "code is given to a field indexed as a date, "
				       "and only to it", path, f->key);
		for (int j = 0; j < i; j++)
			if (f->code && c->field[j].code == f->code)
				return base_fail(BASE_EINVAL, "catalogue '%s': fields '%s' "
					       "and '%s' have the same code '%c'",
					       path, c->field[j].key, f->key, f->code);
	}
	for (int i = 0; i < c->ntypes; i++) {
		const fields_type_info *t = &c->type[i];
		const fields_field *d = fields_catalogue_find(c, t->date);
		if (!t->label[0])
			return base_fail(BASE_EINVAL, "catalogue '%s': type '%s' needs "
				       "a label", path, t->name);
		if (t->date[0] && (!d || d->index != FIELDS_INDEX_DATE))
			return base_fail(BASE_EINVAL, "catalogue '%s': type '%s': date "
				       "'%s' is no date field", path, t->name, t->date);
		if (t->number[0] && !fields_catalogue_find(c, t->number))
			return base_fail(BASE_EINVAL, "catalogue '%s': type '%s': number "
				       "'%s' is no field", path, t->name, t->number);
		for (int j = 0; j < t->nsummary; j++)
			if (!fields_catalogue_find(c, t->summary[j]))
				return base_fail(BASE_EINVAL, "catalogue '%s': type '%s' "
					       "shows '%s', which is no field", path,
					       t->name, t->summary[j]);
	}
	if (!c->nfields)
		return base_fail(BASE_EINVAL, "catalogue '%s' has no field", path);
	return 0;
}

int fields_catalogue_load(const char *dir, fields_catalogue **out)
{
	fields_catalogue *c = calloc(1, sizeof(*c));
	struct cat_ctx x = { c, "" };
	char path[4096];
	int line, rc;

	*out = NULL;
	if (!c)
		return base_fail(BASE_ENOMEM, "out of memory");
	snprintf(path, sizeof(path), "%s/catalogue.ini", dir);
	line = ini_parse(path, on_entry, &x);
	if (line < 0 && errno == ENOENT)
		/* rules of one's own (/etc/sohoa/fields) without theirs */
		rc = base_fail(BASE_EIO, "cannot read the field catalogue '%s': no "
			     "such file; field rules need the catalogue.ini that "
			     "names their fields beside them (sohoa's is in %s/fields)",
			     path, SOHOA_DATADIR);
	else if (line < 0)
		rc = base_fail(BASE_EIO, "cannot read the field catalogue '%s': %s",
			     path, strerror(errno));
	else if (line > 0)
		rc = base_fail(BASE_EINVAL, "catalogue '%s' line %d: %s%s", path, line,
			     x.bad[0] ? "unknown key or bad value: " : "syntax error",
			     x.bad);
	else
		rc = check(c, path);
	if (rc) {
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void fields_catalogue_destroy(fields_catalogue **c)
{
	if (c) {
		free(*c);
		*c = NULL;
	}
}

int fields_catalogue_fields(const fields_catalogue *c)
{
	return c ? c->nfields : 0;
}

const fields_field *fields_catalogue_field(const fields_catalogue *c, int i)
{
	return c && i >= 0 && i < c->nfields ? &c->field[i] : NULL;
}

const fields_field *fields_catalogue_find(const fields_catalogue *c,
					  const char *key)
{
	for (int i = 0; c && key && i < c->nfields; i++)
		if (!strcmp(c->field[i].key, key))
			return &c->field[i];
	return NULL;
}

int fields_catalogue_types(const fields_catalogue *c)
{
	return c ? c->ntypes : 0;
}

const fields_type_info *fields_catalogue_type(const fields_catalogue *c, int i)
{
	return c && i >= 0 && i < c->ntypes ? &c->type[i] : NULL;
}

const fields_type_info *fields_catalogue_type_named(const fields_catalogue *c,
						    const char *name)
{
	for (int i = 0; c && name && i < c->ntypes; i++)
		if (!strcmp(c->type[i].name, name))
			return &c->type[i];
	return NULL;
}

const char *fields_label(const fields_catalogue *c, const char *key)
{
	const fields_field *f = fields_catalogue_find(c, key);

	return f ? f->label : key ? key : "";
}

const char *fields_type_label(const fields_catalogue *c, const char *name)
{
	const fields_type_info *t = fields_catalogue_type_named(c, name);

	return t ? t->label : name ? name : "";
}
