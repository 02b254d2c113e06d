/* rules.c - the per-type rules from config/fields/, classification of a
 * record's text, and label matching that survives OCR damage. */
#include "fields.h"
#include "internal.h"

#include "../base/base.h"
#include "../text/text.h"

#include <ctype.h>
#include <dirent.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = { "name", "date", "number", "serial",
	"place", "text", "list", "area", "sex", "id" };

int fields_kind_known(const char *kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i]))
			return 1;
	return 0;
}

/* Splits "a | b | c" into trimmed items. Returns how many. */
static int split_alternatives(const char *v, char out[][96], int max,
			      size_t width)
{
	int n = 0;

	while (*v && n < max) {
		const char *bar = strchr(v, '|');
		size_t len = bar ? (size_t)(bar - v) : strlen(v);
		while (len && isspace((unsigned char)*v))
			v++, len--;
		while (len && isspace((unsigned char)v[len - 1]))
			len--;
		if (len) {
			snprintf(out[n], width, "%.*s", (int)len, v);
			n++;
		}
		if (!bar)
			break;
		v = bar + 1;
	}
	return n;
}

struct load_ctx {
	rule_type *t;
	fields_rules *r;
	const char *dir;
	char bad[160];
};

/* The word list file in the rules' folder, loaded once however many
 * fields use it; NULL with the reason in base_errmsg(). */
static const fields_lexicon *lexicon_of(struct load_ctx *x, const char *file)
{
	fields_lexicon *l;
	char path[4096];

	for (int i = 0; i < x->r->nlexicons; i++)
		if (!strcmp(fields_lexicon_name(x->r->lexicon[i]), file))
			return x->r->lexicon[i];
	if (x->r->nlexicons == MAX_LEXICONS || strchr(file, '/')) {
		base_fail(BASE_EINVAL, "word list '%s': a file name in the rules' "
			"folder, at most %d of them", file, MAX_LEXICONS);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s", x->dir, file);
	if (fields_lexicon_load(path, file, &l))
		return NULL;
	x->r->lexicon[x->r->nlexicons++] = l;
	return l;
}

static rule_field *field_of(rule_type *t, const char *name)
{
	for (int i = 0; i < t->nfields; i++)
		if (!strcmp(t->field[i].name, name))
			return &t->field[i];
	if (t->nfields == MAX_FIELDS)
		return NULL;
	snprintf(t->field[t->nfields].name, sizeof(t->field[0].name), "%s", name);
	t->field[t->nfields].occurrence = 1;
	return &t->field[t->nfields++];
}

/* [type] text = a.txt b.txt: the word lists that mend the pages' text. */
static int text_lists(struct load_ctx *x, const char *sec, const char *key,
		      const char *val)
{
	char files[512], *save = NULL;

	snprintf(files, sizeof(files), "%s", val);
	for (char *f = strtok_r(files, " ", &save); f; f = strtok_r(NULL, " ", &save)) {
		const fields_lexicon *l = lexicon_of(x, f);
		if (!l || x->t->ntext == MAX_TEXT_LISTS) {
			snprintf(x->bad, sizeof(x->bad), "[%s] %s = %s: %s", sec,
				 key, val, l ? "too many lists" : base_errmsg());
			return 0;
		}
		x->t->text[x->t->ntext++] = l;
	}
	return 1;
}

static int iso_ok(const char *v)
{
	int y, m, d;
	char end;

	return sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3 &&
	       strlen(v) == 10 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* [edition NAME]: title, labels (the printed labels in order, over as
 * many lines as they take: inih hands each continuation line over with
 * the same key), from, until, required (field names). */
static int edition_entry(struct load_ctx *x, const char *sec, const char *key,
			 const char *val)
{
	rule_type *t = x->t;
	const char *name = sec + strlen("edition ");
	rule_edition *e = NULL;

	for (int i = 0; i < t->neditions; i++)
		if (!strcmp(t->edition[i].name, name))
			e = &t->edition[i];
	if (!e) {
		if (t->neditions == MAX_EDITIONS || !*name ||
		    strlen(name) >= sizeof(e->name))
			return 0;
		e = &t->edition[t->neditions++];
		snprintf(e->name, sizeof(e->name), "%s", name);
	}
	if (!strcmp(key, "title")) {
		snprintf(e->title, sizeof(e->title), "%s", val);
	} else if (!strcmp(key, "labels")) {
		e->nlabels += split_alternatives(val, e->label + e->nlabels,
						 MAX_EDITION_LABELS - e->nlabels, 96);
	} else if (!strcmp(key, "from") || !strcmp(key, "until")) {
		if (!iso_ok(val))
			return 0;
		snprintf(key[0] == 'f' ? e->from : e->until, 11, "%s", val);
	} else if (!strcmp(key, "required")) {
		char names[512], *save = NULL;
		snprintf(names, sizeof(names), "%s", val);
		for (char *f = strtok_r(names, " ", &save); f;
		     f = strtok_r(NULL, " ", &save)) {
			if (e->nrequired == MAX_FIELDS || strlen(f) >= 32)
				return 0;
			snprintf(e->required[e->nrequired++], 32, "%s", f);
		}
	} else {
		return 0;
	}
	return 1;
}

static int on_entry(void *user, const char *sec, const char *key,
		    const char *val)
{
	struct load_ctx *x = user;
	rule_type *t = x->t;
	rule_field *f;

	if (!strncmp(sec, "edition ", 8)) {
		if (edition_entry(x, sec, key, val))
			return 1;
		goto bad;
	}

	if (!strcmp(sec, "type")) {
		if (!strcmp(key, "name"))
			snprintf(t->name, sizeof(t->name), "%s", val);
		else if (!strcmp(key, "title"))
			snprintf(t->title, sizeof(t->title), "%s", val);
		else if (!strcmp(key, "keywords"))
			t->nkeywords = split_alternatives(val, t->keyword,
							  MAX_KEYWORDS, 96);
		else if (!strcmp(key, "text"))
			return text_lists(x, sec, key, val);
		else
			goto bad;
		return 1;
	}
	f = field_of(t, sec);
	if (!f)
		goto bad;
	if (!strcmp(key, "labels")) {
		f->nlabels = split_alternatives(val, f->label, MAX_LABELS, 96);
	} else if (!strcmp(key, "kind")) {
		if (!fields_kind_known(val))
			goto bad;
		snprintf(f->kind, sizeof(f->kind), "%s", val);
	} else if (!strcmp(key, "required")) {
		f->required = !strcmp(val, "yes") || !strcmp(val, "true");
	} else if (!strcmp(key, "vocabulary") || !strcmp(key, "surnames")) {
		const fields_lexicon *l = lexicon_of(x, val);
		if (!l) {
			snprintf(x->bad, sizeof(x->bad), "[%s] %s = %s: %s", sec,
				 key, val, base_errmsg());
			return 0;
		}
		if (key[0] == 'v')
			f->vocabulary = l;
		else
			f->surnames = l;
	} else if (!strcmp(key, "confirms")) {
		snprintf(f->confirms, sizeof(f->confirms), "%s", val);
	} else if (!strcmp(key, "detail")) {
		if (strlen(val) >= sizeof(f->detail))
			goto bad;
		snprintf(f->detail, sizeof(f->detail), "%s", val);
	} else if (!strcmp(key, "largest")) {
		char *end;
		f->largest = strtol(val, &end, 10);
		if (*end || f->largest < 1)
			goto bad;
	} else if (!strcmp(key, "alone")) {
		if (strlen(val) >= sizeof(f->alone) || strspn(val, "A0 ") != strlen(val))
			goto bad;
		snprintf(f->alone, sizeof(f->alone), "%s", val);
	} else if (!strcmp(key, "occurrence")) {
		f->occurrence = atoi(val);
		if (f->occurrence < 1)
			goto bad;
	} else {
		goto bad;
	}
	return 1;
bad:
	snprintf(x->bad, sizeof(x->bad), "[%s] %s = %s", sec, key, val);
	return 0;
}

static int load_file(const char *path, const char *dir, fields_rules *r,
		     rule_type *t)
{
	struct load_ctx x = { t, r, dir, "" };
	int line = ini_parse(path, on_entry, &x);

	if (line < 0)
		return base_fail(BASE_EIO, "cannot read rules '%s'", path);
	if (line > 0)
		return base_fail(BASE_EINVAL, "rules '%s' line %d: %s%s", path,
			       line, x.bad[0] ? "unknown key or bad value: "
			       : "syntax error", x.bad);
	if (!t->name[0] || !t->title[0])
		return base_fail(BASE_EINVAL, "rules '%s': [type] needs name and "
			       "title", path);
	/* matching compares folded text: fold the rules' side once */
	t->ntitles = split_alternatives(t->title, t->title_folded, 4, 96);
	for (int i = 0; i < t->ntitles; i++)
		fields_fold(t->title_folded[i], t->title_folded[i], 96);
	for (int i = 0; i < t->nkeywords; i++)
		fields_fold(t->keyword[i], t->keyword[i], sizeof(t->keyword[i]));
	for (int i = 0; i < t->nfields; i++)
		for (int j = 0; j < t->field[i].nlabels; j++) {
			char *lab = t->field[i].label[j];
			size_t n = strlen(lab);
			if (n > 1 && lab[n - 1] == ':') {
				t->field[i].colon[j] = 1;
				lab[n - 1] = '\0';
			}
			fields_fold(lab, t->field[i].folded[j],
				    sizeof(t->field[i].folded[j]));
		}
	if (!fields_catalogue_type_named(r->catalogue, t->name))
		return base_fail(BASE_EINVAL, "rules '%s': type '%s' is not in the "
			       "field catalogue (catalogue.ini)", path, t->name);
	for (int i = 0; i < t->nfields; i++) {
		const rule_field *f = &t->field[i];
		const fields_field *c = fields_catalogue_find(r->catalogue, f->name);
		if (!f->nlabels || !f->kind[0])
			return base_fail(BASE_EINVAL, "rules '%s': field '%s' needs "
				       "labels and kind", path, f->name);
		if (f->name[0] != '_' && !c)
			return base_fail(BASE_EINVAL, "rules '%s': field '%s' is not in "
				       "the field catalogue (catalogue.ini)", path,
				       f->name);
		if (c && strcmp(c->kind, f->kind))
			return base_fail(BASE_EINVAL, "rules '%s': field '%s' is of kind "
				       "'%s' here and '%s' in the field catalogue",
				       path, f->name, f->kind, c->kind);
	}
	for (int i = 0; i < t->neditions; i++) {
		rule_edition *e = &t->edition[i];
		if (!e->nlabels)
			return base_fail(BASE_EINVAL, "rules '%s': edition '%s' needs "
				       "its printed labels", path, e->name);
		for (int j = 0; j < e->nlabels; j++)
			fields_fold(e->label[j], e->label[j], sizeof(e->label[j]));
		for (int j = 0; j < e->nrequired; j++) {
			int known = 0;
			for (int k = 0; k < t->nfields; k++)
				known |= !strcmp(t->field[k].name, e->required[j]);
			if (!known)
				return base_fail(BASE_EINVAL, "rules '%s': edition '%s' "
					       "requires '%s', which is no field",
					       path, e->name, e->required[j]);
		}
	}
	return 0;
}

const rule_edition *fields_edition_named(const rule_type *t, const char *name)
{
	for (int i = 0; t && name && i < t->neditions; i++)
		if (!strcmp(t->edition[i].name, name))
			return &t->edition[i];
	return NULL;
}

int fields_required(const rule_edition *e, const rule_field *f)
{
	if (!e || !e->nrequired)
		return f->required;
	for (int i = 0; i < e->nrequired; i++)
		if (!strcmp(e->required[i], f->name))
			return 1;
	return 0;
}

static int lines_have(const folded *lines, int n, const char *phrase);

const rule_edition *fields_edition_of(const rule_type *t, const folded *lines,
				      int n, const char *iso)
{
	const rule_edition *best = NULL;
	double top = -1;

	for (int i = 0; i < t->neditions; i++) {
		const rule_edition *e = &t->edition[i];
		int found = 0;
		double sc;
		for (int j = 0; j < e->nlabels; j++)
			found += lines_have(lines, n, e->label[j]) >= 0;
		/* the share of its printed labels found on the page */
		sc = (double)found / e->nlabels;
		/* editions that print the same labels: the one in force
		 * on the registration date */
		if (iso && *iso && (e->from[0] || e->until[0]) &&
		    (!e->from[0] || strcmp(iso, e->from) >= 0) &&
		    (!e->until[0] || strcmp(iso, e->until) <= 0))
			sc += 0.001;
		if (sc > top + 1e-9) {
			top = sc;
			best = e;
		}
	}
	return best;
}

int fields_shape_alone(const char *line, const char *shape, char *out,
		       size_t cap)
{
	const char *p = line;
	size_t o = 0;

	while (*p == ' ')
		p++;
	for (const char *s = shape; *s; s++) {
		if (*s == ' ') {
			/* printed as a space; OCR may lose it or read a speck */
			if (*p == ' ' || *p == '.' || *p == '-')
				p++;
			while (*p == ' ')
				p++;
			if (o + 1 < cap)
				out[o++] = ' ';
			continue;
		}
		if (*s == 'A' ? !isupper((unsigned char)*p) : !isdigit((unsigned char)*p))
			return 0;
		if (o + 1 < cap)
			out[o++] = *p;
		p++;
	}
	while (*p == ' ' || *p == '.')
		p++;
	if (*p || o >= cap)
		return 0;
	out[o] = '\0';
	return 1;
}

int fields_rules_load(const char *dir, fields_rules **out)
{
	struct dirent **names = NULL;
	fields_rules *r = calloc(1, sizeof(*r));
	int n, rc = 0;

	*out = NULL;
	if (!r)
		return base_fail(BASE_ENOMEM, "out of memory");
	/* the folder first: a missing one is said as the folder */
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		free(r);
		return base_fail(BASE_EIO, "cannot read rules folder '%s'", dir);
	}
	rc = fields_catalogue_load(dir, &r->catalogue);
	if (rc) {
		for (int i = 0; i < n; i++)
			free(names[i]);
		free(names);
		free(r);
		return rc;
	}
	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		size_t len = strlen(nm);
		char path[4096];
		if (rc == 0 && len > 5 && !strcmp(nm + len - 5, ".conf")) {
			if (r->ntypes == MAX_TYPES)
				rc = base_fail(BASE_ELIMIT, "more than %d types in "
					     "'%s'", MAX_TYPES, dir);
			else {
				snprintf(path, sizeof(path), "%s/%s", dir, nm);
				rc = load_file(path, dir, r,
					       &r->type[r->ntypes++]);
			}
		}
		free(names[i]);
	}
	free(names);
	if (rc == 0 && r->ntypes == 0)
		rc = base_fail(BASE_EINVAL, "no rules (*.conf) in '%s'", dir);
	if (rc) {
		fields_rules_destroy(&r);
		return rc;
	}
	*out = r;
	return 0;
}

void fields_rules_destroy(fields_rules **r)
{
	if (!r || !*r)
		return;
	for (int i = 0; i < (*r)->nlexicons; i++)
		fields_lexicon_free(&(*r)->lexicon[i]);
	fields_catalogue_destroy(&(*r)->catalogue);
	free(*r);
	*r = NULL;
}

int fields_rules_types(const fields_rules *r)
{
	return r->ntypes;
}

const rule_type *fields_rules_type(const fields_rules *r, const char *name)
{
	for (int i = 0; i < r->ntypes; i++)
		if (!strcmp(r->type[i].name, name))
			return &r->type[i];
	return NULL;
}

int fields_names(const fields_rules *r, const char *type, const char **names,
		 const char **kinds, int max)
{
	const rule_type *t = type ? fields_rules_type(r, type) : NULL;
	int n = 0;

	for (int i = 0; t && i < t->nfields && n < max; i++) {
		int dup = t->field[i].name[0] == '_';
		for (int j = 0; j < n && !dup; j++)
			dup = !strcmp(names[j], t->field[i].name);
		if (dup)
			continue;
		kinds[n] = t->field[i].kind;
		names[n++] = t->field[i].name;
	}
	return n;
}

int fields_allowed_distance(size_t len)
{
	return len < 5 ? 0 : len <= 12 ? 1 : 2;
}

static int word_start(const char *s, int i)
{
	return i == 0 || !isalnum((unsigned char)s[i - 1]);
}

int fields_find_folded(const folded *f, const char *lab, size_t ll,
		       int anchored, int *start, int *end)
{
	return fields_find_folded_from(f, lab, ll, anchored, 0, start, end);
}

int fields_find_folded_from(const folded *f, const char *lab, size_t ll,
			    int anchored, int from, int *start, int *end)
{
	int best = -1, bs = 0, be = 0, i0 = 0;

	while (i0 < f->n && f->at[i0] < from)
		i0++;
	for (int i = i0; i < f->n; i++) {
		if (!isalnum((unsigned char)f->s[i]) || !word_start(f->s, i))
			continue;
		if (anchored) {
			/* only punctuation and spaces before it */
			int k = 0;
			while (k < i && !isalnum((unsigned char)f->s[k]))
				k++;
			if (k < i)
				break;
		}
		for (int j = i + 1; j <= f->n && (size_t)(j - i) <= ll + 3; j++) {
			int d;
			if (j < f->n && isalnum((unsigned char)f->s[j]))
				continue; /* end at a word boundary */
			if ((size_t)(j - i) + 3 < ll)
				continue;
			d = text_distance(lab, ll, f->s + i, (size_t)(j - i),
					  TEXT_DISTANCE_ANY, 0);
			if (d <= fields_allowed_distance(ll) &&
			    (best < 0 || d < best)) {
				best = d;
				bs = i;
				be = j;
			}
		}
		if (best == 0)
			break;
	}
	if (best < 0)
		return -1;
	/* the value starts after the colon and the spaces around it */
	while (be < f->n && f->s[be] == ' ')
		be++;
	if (be < f->n && f->s[be] == ':')
		be++;
	while (be < f->n && f->s[be] == ' ')
		be++;
	*start = f->at[bs];
	*end = f->at[be];
	return best;
}

int fields_label_find(const char *line, const char *label, int anchored,
		      int *start, int *end)
{
	folded *f = malloc(sizeof(*f));
	char lab[256];
	int d;

	if (!f)
		return -1;
	fields_fold(label, lab, sizeof(lab));
	fields_fold_line(line, f);
	d = fields_find_folded(f, lab, strlen(lab), anchored, start, end);
	free(f);
	return d;
}

/* The smallest distance at which phrase (folded) is on one of the
 * lines, or -1. */
static int lines_have(const folded *lines, int n, const char *phrase)
{
	int best = -1, s, e;

	for (int i = 0; i < n && best != 0; i++) {
		int d = fields_find_folded(&lines[i], phrase, strlen(phrase), 0,
					   &s, &e);
		if (d >= 0 && (best < 0 || d < best))
			best = d;
	}
	return best;
}

const char *fields_classify(const fields_rules *r, const char *text,
			    double *score)
{
	double best = 0;
	const char *type = "unknown";
	folded *lines = NULL;
	int n = 0, cap = 0;

	/* each line folded once, then every type's title and keywords */
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		char line[1024];
		if (n == cap) {
			folded *nl = realloc(lines, (size_t)(cap = cap ? cap * 2 : 64) *
					     sizeof(*lines));
			if (!nl)
				break;
			lines = nl;
		}
		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		fields_fold_line(line, &lines[n++]);
		p += len + (p[len] == '\n');
	}
	for (int i = 0; i < r->ntypes; i++) {
		const rule_type *t = &r->type[i];
		double sc = 0;
		int d = -1;
		for (int k = 0; k < t->ntitles; k++) {
			int dk = lines_have(lines, n, t->title_folded[k]);
			if (dk >= 0 && (d < 0 || dk < d))
				d = dk;
		}
		if (d >= 0)
			sc += 0.6 - 0.1 * d;
		for (int k = 0; k < t->nkeywords; k++)
			if (lines_have(lines, n, t->keyword[k]) >= 0)
				sc += 0.4 / t->nkeywords;
		if (sc > best) {
			best = sc;
			type = t->name;
		}
	}
	free(lines);
	if (best < 0.15)
		type = "unknown";
	if (score)
		*score = best > 1 ? 1 : best;
	return type;
}

const fields_catalogue *fields_rules_catalogue(const fields_rules *r)
{
	return r ? r->catalogue : NULL;
}
