/* index.c - writing the index: a record's text and fields become
 * postings in the transaction that stores the record. */
#include "internal.h"

#include <ctype.h>
#include <string.h>

const index_field *ix_field(const index_schema *schema, const char *field)
{
	for (int i = 0; schema && field && i < schema->n; i++)
		if (!strcmp(schema->field[i].name, field))
			return &schema->field[i];
	return NULL;
}

const char *ix_person_next(const index_schema *schema, int *i)
{
	while (schema && *i < schema->n)
		if (schema->field[(*i)++].person)
			return schema->field[*i - 1].name;
	return NULL;
}

/* Places and phrases of many words, and the type: their terms keep no
 * positions (a phrase in them is checked on the text), which keeps the
 * index small. */
int ix_field_positional(const index_schema *schema, const char *field)
{
	const index_field *f = ix_field(schema, field);

	return strcmp(field, "type") && (!f || f->kind != 'p');
}

char ix_date_code(const index_schema *schema, const char *field)
{
	const index_field *f = ix_field(schema, field);

	return f && f->kind == 'd' ? f->code : 'z';
}

int index_field_known(const index_schema *schema, const char *name)
{
	const index_field *f = ix_field(schema, name);

	if (f)
		return f->kind == 'd' ? 2 : 1;
	return !strcmp(name, "type") ? 3 : !strcmp(name, INDEX_RECORD_DATE) ? 4 : 0;
}

void index_params_default(index_params *p)
{
	p->k1 = 1.2;
	p->b = 0.75;
	p->exact_boost = 1.0;
	p->name_boost = 1.0;
	p->whole_name_boost = 20.0;
	p->field_boost = 2.0;
	p->fuzzy_below = 1;
}

int index_open(index_db **out, MDB_txn *txn, unsigned flags,
	       const index_schema *schema)
{
	static const char *const names[] = { "ix_terms", "ix_vocab",
					     "ix_docs" };
	index_db *ix = calloc(1, sizeof(*ix));
	MDB_dbi *dbi[] = { &ix->terms, &ix->vocab, &ix->docs };
	int rc = 0;

	*out = NULL;
	if (!ix)
		return base_fail(BASE_ENOMEM, "out of memory");
	ix->pending.schema = schema;
	for (size_t i = 0; i < 3 && rc == 0; i++) {
		rc = mdb_dbi_open(txn, names[i], flags, dbi[i]);
		if (rc == MDB_NOTFOUND)
			rc = BASE_ENOTFOUND;
		else if (rc)
			rc = ix_db_error(rc, "cannot open database");
	}
	if (rc) {
		free(ix);
		return rc;
	}
	*out = ix;
	return 0;
}

/* Occurrences being gathered (a record's, or a transaction's), each
 * term's in a buffer of its own (ix_tbuf). */
typedef ix_gather occs;

static uint64_t key_hash(const char *k)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return h;
}

static const char *term_key(const occs *o, uint32_t t)
{
	return o->arena + o->term_off[t];
}

/* The id of key in o's term table, added when new; UINT32_MAX when out
 * of memory. */
static uint32_t term_intern(occs *o, const char *key)
{
	size_t len = strlen(key);

	if (o->nterms * 2 >= o->slot_cap) {
		/* grow and rehash: the table stays at most half full */
		size_t cap = o->slot_cap ? o->slot_cap * 2 : 1024;
		uint32_t *slot = malloc(cap * sizeof(*slot));
		if (!slot)
			return UINT32_MAX;
		memset(slot, 0xff, cap * sizeof(*slot));
		for (uint32_t t = 0; t < o->nterms; t++) {
			size_t h = (size_t)key_hash(term_key(o, t)) & (cap - 1);
			while (slot[h] != UINT32_MAX)
				h = (h + 1) & (cap - 1);
			slot[h] = t;
		}
		free(o->slot);
		o->slot = slot;
		o->slot_cap = cap;
	}
	size_t h = (size_t)key_hash(key) & (o->slot_cap - 1);
	while (o->slot[h] != UINT32_MAX) {
		if (!strcmp(term_key(o, o->slot[h]), key))
			return o->slot[h];
		h = (h + 1) & (o->slot_cap - 1);
	}
	if (o->nterms == o->term_cap) {
		size_t cap = o->term_cap ? o->term_cap * 2 : 1024;
		size_t *off = realloc(o->term_off, cap * sizeof(*off));
		if (off)
			o->term_off = off;
		ix_tbuf *tb = off ? realloc(o->tb, cap * sizeof(*tb)) : NULL;
		if (!tb)
			return UINT32_MAX;
		memset(tb + o->term_cap, 0, (cap - o->term_cap) * sizeof(*tb));
		o->tb = tb;
		o->term_cap = cap;
	}
	if (o->arena_len + len + 1 > o->arena_cap) {
		size_t cap = o->arena_cap ? o->arena_cap * 2 : 65536;
		while (cap < o->arena_len + len + 1)
			cap *= 2;
		char *ar = realloc(o->arena, cap);
		if (!ar)
			return UINT32_MAX;
		o->arena = ar;
		o->arena_cap = cap;
	}
	memcpy(o->arena + o->arena_len, key, len + 1);
	o->term_off[o->nterms] = o->arena_len;
	o->arena_len += len + 1;
	o->slot[h] = (uint32_t)o->nterms;
	return (uint32_t)o->nterms++;
}

/* Makes room for more bytes in a term's buffer. */
static int tbuf_room(ix_tbuf *t, size_t more)
{
	if (t->len + more <= t->cap)
		return 0;
	size_t cap = t->cap ? t->cap * 2 : 16;
	while (cap < t->len + more)
		cap *= 2;
	unsigned char *b = realloc(t->b, cap);
	if (!b)
		return base_fail(BASE_ENOMEM, "out of memory");
	t->b = b;
	t->cap = (uint32_t)cap;
	return 0;
}

static int occ_push(occs *o, uint32_t term, uint32_t pos)
{
	ix_tbuf *t = &o->tb[term];
	int rc = tbuf_room(t, 10);

	if (rc)
		return rc;
	t->len += (uint32_t)ix_put_varint(t->b + t->len, o->doc - t->last_doc);
	t->len += (uint32_t)ix_put_varint(t->b + t->len, pos);
	t->last_doc = o->doc;
	o->n++;
	return 0;
}

/* The id of term key kind:field:term; UINT32_MAX for an empty term.
 * BASE_ENOMEM when out of memory. */
static int term_of(occs *o, char kind, const char *field, const char *term,
		   uint32_t *id)
{
	char key[IX_KEY_MAX];

	*id = UINT32_MAX;
	if (!*term)
		return 0;
	ix_term_key(key, kind, field, term);
	*id = term_intern(o, key);
	return *id == UINT32_MAX ? base_fail(BASE_ENOMEM, "out of memory") : 0;
}

static int occ_add(occs *o, char kind, const char *field, const char *term,
		   uint32_t pos)
{
	uint32_t t;
	int rc = term_of(o, kind, field, term, &t);

	return rc || t == UINT32_MAX ? rc : occ_push(o, t, pos);
}

/* A body token as written and its terms: a token met again is neither
 * case-folded nor looked up again (most of a record's words are words
 * the batch has seen). len 0 is an empty slot. */
#define SPAN_TEXT 24

struct ix_span {
	uint32_t hash, len;
	uint32_t b, x; /* folded and exact terms; UINT32_MAX: none */
	char text[SPAN_TEXT];
};

/* The terms of token s[start, end) of a body text. */
static int span_terms(occs *o, const char *s, size_t start, size_t end,
		      uint32_t *b, uint32_t *x)
{
	size_t len = end - start, h = 0;
	uint32_t hash = 2166136261u;
	ix_token t;
	int rc;

	if (len <= SPAN_TEXT) {
		for (size_t i = start; i < end; i++)
			hash = (hash ^ (unsigned char)s[i]) * 16777619u;
		if (o->nspans * 2 >= o->span_cap) {
			size_t cap = o->span_cap ? o->span_cap * 2 : 4096;
			struct ix_span *v = calloc(cap, sizeof(*v));
			if (!v)
				return base_fail(BASE_ENOMEM, "out of memory");
			for (size_t i = 0; i < o->span_cap; i++) {
				if (!o->span[i].len)
					continue;
				size_t k = o->span[i].hash & (cap - 1);
				while (v[k].len)
					k = (k + 1) & (cap - 1);
				v[k] = o->span[i];
			}
			free(o->span);
			o->span = v;
			o->span_cap = cap;
		}
		for (h = hash & (o->span_cap - 1); o->span[h].len;
		     h = (h + 1) & (o->span_cap - 1)) {
			struct ix_span *e = &o->span[h];
			if (e->hash == hash && e->len == len &&
			    !memcmp(e->text, s + start, len)) {
				*b = e->b;
				*x = e->x;
				return 0;
			}
		}
	}
	ix_token_forms(s, start, end, &t);
	rc = term_of(o, 'b', NULL, t.folded, b);
	*x = UINT32_MAX;
	if (rc == 0 && strcmp(t.exact, t.folded))
		rc = term_of(o, 'x', NULL, t.exact, x);
	if (rc == 0 && len <= SPAN_TEXT) {
		struct ix_span *e = &o->span[h];
		e->hash = hash;
		e->len = (uint32_t)len;
		e->b = *b;
		e->x = *x;
		memcpy(e->text, s + start, len);
		o->nspans++;
	}
	return rc;
}

/* Forgets the occurrences and terms, keeping the memory. */
static void occs_reset(occs *o)
{
	/* the buffers stay for the terms interned next */
	for (size_t t = 0; t < o->nterms; t++)
		o->tb[t].len = o->tb[t].last_doc = 0;
	o->n = 0;
	o->nterms = 0;
	o->arena_len = 0;
	if (o->slot)
		memset(o->slot, 0xff, o->slot_cap * sizeof(*o->slot));
	if (o->span)
		memset(o->span, 0, o->span_cap * sizeof(*o->span));
	o->nspans = 0;
}

static void occs_free(occs *o)
{
	for (size_t t = 0; t < o->term_cap; t++)
		free(o->tb[t].b);
	free(o->tb);
	free(o->slot);
	free(o->term_off);
	free(o->arena);
	free(o->span);
	memset(o, 0, sizeof(*o));
}

void index_close(index_db **ix)
{
	if (ix && *ix) {
		occs_free(&(*ix)->pending);
		free(*ix);
		*ix = NULL;
	}
}

/* The pages' texts (NULL: none), one position after another. */
static int body_occs(const char *const *texts, size_t n, occs *o)
{
	uint32_t pos = 0;
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		size_t at = 0, start, end;
		uint32_t b, x;
		while (rc == 0 && texts[i] &&
		       ix_token_span(texts[i], &at, &start, &end)) {
			rc = span_terms(o, texts[i], start, end, &b, &x);
			if (rc == 0 && b != UINT32_MAX)
				rc = occ_push(o, b, pos);
			if (rc == 0 && x != UINT32_MAX)
				rc = occ_push(o, x, pos);
			pos++;
		}
	}
	o->body_len = pos;
	return rc;
}

/* The texts of page results (an array of objects or nulls; may be
 * NULL): pointers into them. You own the array (free()). */
static const char **page_texts(json_t *pages, size_t *n)
{
	const char **v;
	json_t *p;
	size_t i;

	*n = json_array_size(pages);
	if (!(v = calloc(*n + 1, sizeof(*v))))
		return NULL;
	json_array_foreach(pages, i, p)
		v[i] = json_string_value(json_object_get(p, "text"));
	return v;
}

/* A field value's tokens; the elements of a list are kept apart in
 * position so that a phrase never spans two of them. */
static int value_occs(occs *o, const char *field, const char *value,
		      uint32_t *pos)
{
	char folded[IX_KEY_MAX];
	size_t at = 0;
	ix_token t;
	int rc = 0;

	while (rc == 0 && ix_token_next(value, &at, &t))
		rc = occ_add(o, 'f', field, t.folded, (*pos)++);
	*pos += 16;
	const index_field *f = ix_field(o->schema, field);
	if (rc == 0 && f && f->person) {
		index_fold(value, NULL, 0, folded, sizeof(folded));
		rc = occ_add(o, 'w', field, folded, 0);
	}
	return rc;
}

/* Whether v is YYYY-MM-DD; writes YYYYMMDD. */
static int iso_date(const char *v, char out[9])
{
	if (strlen(v) != 10 || v[4] != '-' || v[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)v[i]))
			return 0;
	snprintf(out, 9, "%.4s%.2s%.2s", v, v + 5, v + 8);
	return 1;
}

/* The terms of a record's type and fields. A date is a term of its
 * field and month ("d:" code YYYYMM) at the position of its day, so a
 * range reads one short list a month. */
static int field_occs(json_t *meta, occs *o)
{
	const char *type = json_string_value(json_object_get(meta, "type"));
	json_t *fields = json_object_get(meta, "fields"), *f;
	const char *name;
	int rc = 0;

	if (type)
		rc = occ_add(o, 'f', "type", type, 0);
	json_object_foreach(fields, name, f) {
		json_t *v = json_object_get(f, "value"), *e;
		uint32_t pos = 0;
		char d[9];
		size_t i;
		int kind = index_field_known(o->schema, name);

		if (rc || !kind)
			continue;
		if (json_is_string(v) && kind == 2) {
			char month[8] = { ix_date_code(o->schema, name) };
			if (iso_date(json_string_value(v), d)) {
				memcpy(month + 1, d, 6);
				rc = occ_add(o, 'd', NULL, month,
					     (uint32_t)atoi(d + 6));
			}
		} else if (json_is_string(v)) {
			rc = value_occs(o, name, json_string_value(v), &pos);
		} else if (json_is_array(v)) {
			json_array_foreach(v, i, e)
				if (rc == 0 && json_is_string(e))
					rc = value_occs(o, name,
							json_string_value(e), &pos);
		}
	}
	return rc;
}

/* How a term's postings are kept, from its key; *syllable is the part
 * fuzzy search may offer (NULL for none). */
static int term_kind(const index_schema *schema, const char *key,
		     const char **syllable)
{
	const char *t;
	char field[IX_KEY_MAX];

	*syllable = NULL;
	if (key[0] == 'b') {
		*syllable = key + 2;
		return IX_POS;
	}
	if (key[0] == 'd')
		return IX_POS; /* the positions are days */
	if (key[0] == 'f' && (t = strchr(key + 2, ':'))) {
		snprintf(field, sizeof(field), "%.*s", (int)(t - key - 2),
			 key + 2);
		*syllable = t + 1;
		return ix_field_positional(schema, field) ? IX_POS : IX_DOCS;
	}
	return IX_DOCS; /* exact forms, whole names */
}

static const occs *sort_ctx; /* for term_cmp: writes are serialised */

static int term_cmp(const void *a, const void *b)
{
	return strcmp(term_key(sort_ctx, *(const uint32_t *)a),
		      term_key(sort_ctx, *(const uint32_t *)b));
}

/* Writes the postings of o: per term, its documents in one append, the
 * terms in key order so the writes walk the tree forwards. */
static int occs_write(index_db *ix, MDB_txn *txn, occs *o, int fresh)
{
	ix_plist add = { 0 };
	uint32_t *order = malloc((o->nterms + 1) * sizeof(*order));
	uint32_t *pos = NULL;
	size_t poscap = 0;
	int rc = order ? 0 : base_fail(BASE_ENOMEM, "out of memory");

	for (uint32_t t = 0; t < o->nterms && rc == 0; t++)
		order[t] = t;
	sort_ctx = o;
	if (rc == 0)
		qsort(order, o->nterms, sizeof(*order), term_cmp);
	for (size_t k = 0; k < o->nterms && rc == 0; k++) {
		uint32_t t = order[k], doc = 0, tf = 0;
		const char *key = term_key(o, t), *syl;
		const unsigned char *p = o->tb[t].b, *end = p + o->tb[t].len;
		add.has_pos = term_kind(ix->pending.schema, key, &syl);
		add.n = add.npos = 0;
		/* a document's positions, a repeated one once, then the next */
		while (p < end && rc == 0) {
			uint32_t gap = ix_varint(&p, end);
			uint32_t at = ix_varint(&p, end);
			if (gap && tf) {
				rc = ix_plist_add(&add, doc, add.has_pos == IX_POS ?
						  pos : NULL, tf);
				tf = 0;
			}
			doc += gap;
			if (tf == poscap) {
				uint32_t *np = realloc(pos, (poscap = poscap ? poscap * 2
							     : 64) * sizeof(*np));
				if (!np) {
					rc = base_fail(BASE_ENOMEM, "out of memory");
					break;
				}
				pos = np;
			}
			if (!tf || pos[tf - 1] != at)
				pos[tf++] = at;
		}
		if (rc == 0 && tf)
			rc = ix_plist_add(&add, doc, add.has_pos == IX_POS ? pos
					  : NULL, tf);
		if (rc == 0 && add.n)
			rc = ix_postings_append(txn, ix->terms, key, &add, fresh);
		/* the syllables fuzzy search may offer instead of a typo */
		if (rc == 0 && add.n && syl && *syl &&
		    !isdigit((unsigned char)*syl)) {
			MDB_val kv = { strlen(syl), (void *)syl };
			MDB_val v = { 0, "" };
			int r = mdb_put(txn, ix->vocab, &kv, &v, MDB_NOOVERWRITE);
			if (r && r != MDB_KEYEXIST)
				rc = ix_db_error(r, "cannot add to vocabulary");
		}
	}
	ix_plist_free(&add);
	free(order);
	free(pos);
	return rc;
}

static const char stats_key[] = "n";

int ix_stats(index_db *ix, MDB_txn *txn, uint64_t *ndocs, uint64_t *total)
{
	MDB_val k = { 1, (void *)stats_key }, v;
	int rc = mdb_get(txn, ix->docs, &k, &v);

	*ndocs = *total = 0;
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc)
		return ix_db_error(rc, "cannot read statistics");
	if (v.mv_size == 16) {
		memcpy(ndocs, v.mv_data, 8);
		memcpy(total, (char *)v.mv_data + 8, 8);
	}
	return 0;
}

/* Body lengths, 128 to a key: a query reads one key for many hits.
 * Fills len[0..128) for the documents doc & ~127 onwards. */
int ix_doc_lengths(index_db *ix, MDB_txn *txn, uint32_t doc,
		   uint32_t len[128])
{
	unsigned char key[4] = { (unsigned char)(doc >> 31),
				 (unsigned char)(doc >> 23),
				 (unsigned char)(doc >> 15),
				 (unsigned char)(doc >> 7) };
	MDB_val k = { 4, key }, v;
	int rc = mdb_get(txn, ix->docs, &k, &v);
	uint16_t l[128];

	memset(len, 0, 128 * sizeof(*len));
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc)
		return ix_db_error(rc, "cannot read lengths");
	if (v.mv_size == sizeof(l)) {
		memcpy(l, v.mv_data, sizeof(l));
		for (int i = 0; i < 128; i++)
			len[i] = l[i];
	}
	return 0;
}

static int doc_length_put(index_db *ix, MDB_txn *txn, uint32_t doc,
			  uint32_t len)
{
	unsigned char key[4] = { (unsigned char)(doc >> 31),
				 (unsigned char)(doc >> 23),
				 (unsigned char)(doc >> 15),
				 (unsigned char)(doc >> 7) };
	uint16_t lens[128] = { 0 }, l = len > 65535 ? 65535 : (uint16_t)len;
	uint64_t st[2];
	MDB_val k = { 4, key }, v;
	int rc = mdb_get(txn, ix->docs, &k, &v);

	if (rc == 0 && v.mv_size == sizeof(lens))
		memcpy(lens, v.mv_data, sizeof(lens));
	else if (rc && rc != MDB_NOTFOUND)
		return ix_db_error(rc, "cannot read lengths");
	lens[doc & 127] = l;
	v.mv_size = sizeof(lens);
	v.mv_data = lens;
	rc = mdb_put(txn, ix->docs, &k, &v, 0);
	if (rc == 0)
		rc = ix_stats(ix, txn, &st[0], &st[1]);
	if (rc)
		return rc < 0 ? rc : ix_db_error(rc, "cannot write lengths");
	st[0]++;
	st[1] += l;
	k.mv_size = 1;
	k.mv_data = (void *)stats_key;
	v.mv_size = sizeof(st);
	v.mv_data = st;
	rc = mdb_put(txn, ix->docs, &k, &v, 0);
	return rc ? ix_db_error(rc, "cannot write statistics") : 0;
}

/* Gathers record id's text and fields into o (o->doc and o->body_len
 * its document and length). A failure fails the transaction, whose
 * retry starts afresh: what was gathered is never written. */
static int record_occs(occs *o, const char *id, json_t *meta,
		       const char *const *texts, size_t n)
{
	int rc;

	if (!(o->doc = ix_doc_of(id)))
		return base_fail(BASE_EINVAL, "index: bad record id '%s'", id);
	o->body_len = 0;
	rc = body_occs(texts, n, o);
	return rc ? rc : field_occs(meta, o);
}

int index_record_add(index_db *ix, MDB_txn *txn, const char *id,
		     json_t *meta, json_t *page_results)
{
	occs *o = &ix->pending;
	size_t n;
	const char **texts = page_texts(page_results, &n);
	int rc = texts ? record_occs(o, id, meta, texts, n)
		       : base_fail(BASE_ENOMEM, "out of memory");

	free(texts);
	return rc ? rc : doc_length_put(ix, txn, o->doc, o->body_len);
}

struct index_part {
	occs o;
	uint32_t *doc, *len; /* each record's document and body length */
	size_t n, cap;
};

index_part *index_part_new(const index_schema *schema)
{
	index_part *p = calloc(1, sizeof(index_part));

	if (p)
		p->o.schema = schema;
	return p;
}

void index_part_free(index_part **p)
{
	if (p && *p) {
		occs_free(&(*p)->o);
		free((*p)->doc);
		free((*p)->len);
		free(*p);
		*p = NULL;
	}
}

int index_part_add_texts(index_part *p, const char *id, json_t *meta,
			 const char *const *texts, size_t n)
{
	occs *o = &p->o;
	int rc;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		uint32_t *d = realloc(p->doc, cap * sizeof(*d));
		if (d)
			p->doc = d;
		uint32_t *l = d ? realloc(p->len, cap * sizeof(*l)) : NULL;
		if (!l)
			return base_fail(BASE_ENOMEM, "out of memory");
		p->len = l;
		p->cap = cap;
	}
	if ((rc = record_occs(o, id, meta, texts, n)))
		return rc; /* the part is dropped with the transaction */
	p->doc[p->n] = o->doc;
	p->len[p->n++] = o->body_len;
	return 0;
}

int index_part_add(index_part *p, const char *id, json_t *meta,
		   json_t *page_results)
{
	size_t n;
	const char **texts = page_texts(page_results, &n);
	int rc;

	if (!texts)
		return base_fail(BASE_ENOMEM, "out of memory");
	rc = index_part_add_texts(p, id, meta, texts, n);
	free(texts);
	return rc;
}

int index_part_put(index_db *ix, MDB_txn *txn, index_part *p)
{
	occs *o = &ix->pending, *from = &p->o;
	int rc = 0;

	for (size_t i = 0; i < p->n && rc == 0; i++)
		rc = doc_length_put(ix, txn, p->doc[i], p->len[i]);
	/* each term's occurrences follow the ones already there: its first
	 * document, a gap from none, becomes a gap from their last */
	for (uint32_t t = 0; t < from->nterms && rc == 0; t++) {
		ix_tbuf *src = &from->tb[t], *dst;
		const unsigned char *q = src->b, *end = q + src->len;
		uint32_t m;
		if (!src->len)
			continue;
		if ((m = term_intern(o, term_key(from, t))) == UINT32_MAX) {
			rc = base_fail(BASE_ENOMEM, "out of memory");
			break;
		}
		dst = &o->tb[m];
		uint32_t first = ix_get_varint(&q, end);
		rc = tbuf_room(dst, 5 + (size_t)(end - q));
		if (rc)
			break;
		dst->len += (uint32_t)ix_put_varint(dst->b + dst->len,
						    first - dst->last_doc);
		memcpy(dst->b + dst->len, q, (size_t)(end - q));
		dst->len += (uint32_t)(end - q);
		dst->last_doc = src->last_doc;
	}
	o->n += from->n;
	occs_reset(from);
	p->n = 0;
	return rc;
}

int index_flush(index_db *ix, MDB_txn *txn)
{
	/* records are added in id order: their documents are the newest */
	int rc = occs_write(ix, txn, &ix->pending, 1);

	occs_reset(&ix->pending);
	ix_zstd_release();
	return rc;
}

size_t index_pending(const index_db *ix)
{
	return ix ? ix->pending.n : 0;
}

void index_discard(index_db *ix)
{
	if (ix)
		occs_reset(&ix->pending);
}

int index_record_fields(index_db *ix, MDB_txn *txn, const char *id,
			json_t *old_meta, json_t *new_meta)
{
	uint32_t doc = ix_doc_of(id);
	occs o = { .schema = ix->pending.schema, .doc = doc };
	occs n = { .schema = ix->pending.schema, .doc = doc };
	int rc;

	rc = field_occs(old_meta, &o);
	if (rc == 0)
		rc = field_occs(new_meta, &n);
	/* each of the old terms once (interned: distinct already) */
	for (uint32_t t = 0; t < o.nterms && rc == 0; t++)
		rc = ix_postings_remove(txn, ix->terms, term_key(&o, t), doc);
	if (rc == 0)
		rc = occs_write(ix, txn, &n, 0);
	occs_free(&o);
	occs_free(&n);
	ix_zstd_release();
	return rc;
}

int index_size(index_db *ix, MDB_txn *txn, size_t *bytes, size_t *keys)
{
	MDB_dbi dbi[] = { ix->terms, ix->vocab, ix->docs };
	MDB_stat st;

	*bytes = *keys = 0;
	for (int i = 0; i < 3; i++) {
		int rc = mdb_stat(txn, dbi[i], &st);
		if (rc)
			return ix_db_error(rc, "cannot read sizes");
		*bytes += (st.ms_branch_pages + st.ms_leaf_pages +
			   st.ms_overflow_pages) * (size_t)st.ms_psize;
		*keys += st.ms_entries;
	}
	return 0;
}
