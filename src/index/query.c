/* query.c - the query language: words (all required), "phrases",
 * field:value and field:"phrase", dates and date ranges, -exclusions. */
#include "internal.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

#define QUERY_MAX_BYTES 1024
#define QUERY_MAX_CLAUSES QUERY_CLAUSES_MAX

static int bad(const char *text, size_t at, const char *fmt, const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, what);
	return base_fail(BASE_EINVAL, "bad query at column %zu: %s\n  %s\n  %*s^",
		       at + 1, msg, text, (int)at, "");
}

/* A date typed as a word, the way people type them: 15/3/1985,
 * 15-03-1985, 15.3.85 (a two-digit year is this century's when it is
 * not after this year, else the last one's; *century is then 1, and the
 * year a century earlier is as likely: a death record's 15.3.25).
 * 0 when v[0..n) is none. */
static int typed_date_c(const char *v, size_t n, uint32_t *ymd, int *century)
{
	unsigned d, m, y;
	char s1, s2, buf[16], tail;
	int yl;

	if (n < 6 || n >= sizeof(buf))
		return 0;
	memcpy(buf, v, n);
	buf[n] = 0;
	if (sscanf(buf, "%2u%c%2u%c%u%c", &d, &s1, &m, &s2, &y, &tail) != 5 ||
	    s1 != s2 || !strchr("/.-", s1))
		return 0;
	yl = (int)(n - (size_t)(strrchr(buf, s1) - buf) - 1);
	*century = 0;
	if (yl == 2) {
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		*century = y <= (unsigned)(tm.tm_year % 100);
		y += *century ? 2000 : 1900;
	} else if (yl != 4) {
		return 0;
	}
	if (d < 1 || d > 31 || m < 1 || m > 12 || y < 1800)
		return 0;
	*ymd = y * 10000 + m * 100 + d;
	return 1;
}

static int typed_date(const char *v, size_t n, uint32_t *ymd)
{
	int century;

	return typed_date_c(v, n, ymd, &century);
}

/* The day range of a date query value: 1985, 1985-03, 1985-03-15,
 * 15/03/1985 or 03/1985. 0 if it is none of these. */
static int date_span(const char *v, size_t n, uint32_t *lo, uint32_t *hi)
{
	unsigned y = 0, m = 0, d = 0;
	char buf[16], tail;

	if (n == 0 || n >= sizeof(buf))
		return 0;
	if (typed_date(v, n, lo)) { /* 15-03-1985, 15.3.85 */
		*hi = *lo;
		return 1;
	}
	memcpy(buf, v, n);
	buf[n] = 0;
	if (sscanf(buf, "%4u-%2u-%2u%c", &y, &m, &d, &tail) == 3 ||
	    sscanf(buf, "%2u/%2u/%4u%c", &d, &m, &y, &tail) == 3) {
		if (n < 8)
			return 0;
	} else if (sscanf(buf, "%4u-%2u%c", &y, &m, &tail) == 2 ||
		   sscanf(buf, "%2u/%4u%c", &m, &y, &tail) == 2) {
		d = 0;
	} else if (n == 4 && sscanf(buf, "%4u%c", &y, &tail) == 1) {
		m = d = 0;
	} else {
		return 0;
	}
	if (y < 1000 || m > 12 || d > 31 || (d && !m))
		return 0;
	*lo = y * 10000 + (m ? m : 1) * 100 + (d ? d : 1);
	*hi = y * 10000 + (m ? m : 12) * 100 + (d ? d : 31);
	return 1;
}

/* v[0..n) is a date, or a range A..B with either end left open. */
static int date_range(const char *v, size_t n, uint32_t *lo, uint32_t *hi)
{
	const char *dots = memmem(v, n, "..", 2);
	uint32_t l2, h2;

	if (!dots)
		return date_span(v, n, lo, hi);
	size_t a = (size_t)(dots - v), b = n - a - 2;
	if (a == 0 && b == 0)
		return 0;
	*lo = 0;
	*hi = 99991231;
	if (a && !date_span(v, a, lo, &h2))
		return 0;
	if (b && !date_span(dots + 2, b, &l2, hi))
		return 0;
	return *lo <= *hi;
}

static int clause_new(index_query *q, const char *text, size_t at,
		      ix_clause **out)
{
	if (q->n == QUERY_MAX_CLAUSES)
		return bad(text, at, "more than %s terms", "24");
	*out = &q->c[q->n++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

/* Reads a word or a "phrase" at *i; sets the span [*s, *e). */
static int read_value(const char *text, size_t *i, size_t *s, size_t *e,
		      int *quoted)
{
	*quoted = text[*i] == '"';
	if (*quoted) {
		const char *close = strchr(text + *i + 1, '"');
		if (!close)
			return bad(text, *i, "%s", "unterminated quote");
		*s = *i + 1;
		*e = (size_t)(close - text);
		*i = *e + 1;
		return 0;
	}
	*s = *i;
	while (text[*i] && !isspace((unsigned char)text[*i]) && text[*i] != '"')
		(*i)++;
	*e = *i;
	return 0;
}

static int tokens_of(ix_clause *c, const char *text, size_t s, size_t e)
{
	char *v = strndup(text + s, e - s);
	int rc;

	if (!v)
		return base_fail(BASE_ENOMEM, "out of memory");
	rc = ix_tokenize(v, &c->tok, &c->ntok);
	free(v);
	return rc;
}

/* field:value, the field name in text[s..colon). */
static int parse_field(index_query *q, const char *text, size_t s,
		       size_t colon, size_t *i, int neg)
{
	size_t vs, ve;
	int quoted, rc, kind;
	ix_clause *c = NULL;

	if (colon - s >= sizeof(c->field))
		return bad(text, s, "%s", "field name too long");
	char name[32];
	memcpy(name, text + s, colon - s);
	name[colon - s] = 0;
	kind = index_field_known(q->schema, name);
	if (!kind)
		return bad(text, s, "unknown field '%s' (see 'Search' in the "
			   "README for the fields)", name);
	*i = colon + 1;
	if (!text[*i] || isspace((unsigned char)text[*i]))
		return bad(text, *i, "field '%s' needs a value", name);
	rc = read_value(text, i, &vs, &ve, &quoted);
	if (rc == 0)
		rc = clause_new(q, text, s, &c);
	if (rc)
		return rc;
	c->neg = neg;
	snprintf(c->field, sizeof(c->field), "%s", kind == 4 ? "" : name);
	if (kind == 2 || kind == 4) {
		c->kind = IX_C_DATE;
		c->record_date = kind == 4;
		if (!date_range(text + vs, ve - vs, &c->lo, &c->hi))
			return bad(text, vs, "'%s' is not a date or range "
				   "(1985, 1985-03, 1985-03-15, 15/03/1985, "
				   "1990..1995)", name);
		return 0;
	}
	if (kind == 3) {
		c->kind = IX_C_TYPE;
		if (ve - vs >= sizeof(c->value))
			return bad(text, vs, "%s", "type too long");
		memcpy(c->value, text + vs, ve - vs);
		c->value[ve - vs] = 0;
		for (char *p = c->value; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		return 0;
	}
	c->kind = IX_C_FIELD;
	rc = tokens_of(c, text, vs, ve);
	if (rc == 0 && c->ntok == 0)
		return bad(text, vs, "field '%s' needs a word or number", name);
	return rc;
}

static int parse_item(index_query *q, const char *text, size_t *i)
{
	size_t s, e, at = *i;
	int neg = 0, quoted, rc;
	ix_clause *c = NULL;

	if (text[*i] == '-' && text[*i + 1] && !isspace((unsigned char)text[*i + 1])) {
		neg = 1;
		(*i)++;
	}
	s = *i;
	if (text[s] != '"') {
		size_t k = s;
		while (isalpha((unsigned char)text[k]) || text[k] == '_')
			k++;
		if (k > s && text[k] == ':')
			return parse_field(q, text, s, k, i, neg);
	}
	rc = read_value(text, i, &s, &e, &quoted);
	if (rc == 0)
		rc = clause_new(q, text, at, &c);
	if (rc == 0)
		rc = tokens_of(c, text, s, e);
	if (rc)
		return rc;
	c->neg = neg;
	/* "38/1999" or "Nguyễn-Văn" hold several tokens: a phrase */
	c->kind = quoted || c->ntok > 1 ? IX_C_PHRASE : IX_C_TERM;
	/* a date typed bare is any of the record's dates, or the same
	 * digits printed in its text (field empty: every date field) */
	int century;
	if (!quoted && typed_date_c(text + s, e - s, &c->lo, &century)) {
		c->kind = IX_C_DATE;
		c->hi = c->lo;
		c->alt = century ? c->lo - 1000000 : 0;
		c->field[0] = '\0';
	}
	if (c->ntok == 0) {
		if (quoted)
			return bad(text, at, "%s", "empty phrase");
		q->n--; /* punctuation alone: nothing to look for */
	}
	return 0;
}

/* An ID number typed in groups ("001 219 004 567", "001.219.004.567",
 * "079-060-001-234"): groups of 2 to 4 digits, apart by spaces, dots or
 * dashes, 9 digits in all (CMND) or 12 (CCCD, số định danh), become the
 * number as printed, "001219004567". The rest of text is copied as it
 * is; out holds at least strlen(text) + 1 bytes. */
static void join_id_groups(const char *text, char *out)
{
	size_t o = 0;

	for (size_t i = 0; text[i];) {
		size_t j = i, digits = 0, groups = 0;
		int starts = i == 0 || isspace((unsigned char)text[i - 1]) ||
			     text[i - 1] == ':';
		while (starts && isdigit((unsigned char)text[j])) {
			size_t g = strspn(text + j, "0123456789");
			if (g < 2 || g > 4)
				break;
			digits += g;
			groups++;
			j += g;
			if (!strchr(" .-", text[j]) || !text[j] ||
			    !isdigit((unsigned char)text[j + 1]))
				break;
			j++;
		}
		while (j > i && !isdigit((unsigned char)text[j - 1]))
			j--;
		if (groups >= 2 && (digits == 9 || digits == 12) &&
		    (!text[j] || isspace((unsigned char)text[j]))) {
			for (; i < j; i++)
				if (isdigit((unsigned char)text[i]))
					out[o++] = text[i];
			continue;
		}
		out[o++] = text[i++];
	}
	out[o] = '\0';
}

int index_query_parse(const index_schema *schema, const char *given,
		      index_query **out)
{
	index_query *q;
	size_t i = 0, pos = 0;
	int rc = 0;
	char text[QUERY_MAX_BYTES + 1];

	*out = NULL;
	if (strlen(given) > QUERY_MAX_BYTES)
		return base_fail(BASE_EINVAL, "bad query: longer than %d bytes",
			       QUERY_MAX_BYTES);
	join_id_groups(given, text);
	q = calloc(1, sizeof(*q) + QUERY_MAX_CLAUSES * sizeof(ix_clause));
	if (!q)
		return base_fail(BASE_ENOMEM, "out of memory");
	q->c = (ix_clause *)(q + 1);
	q->schema = schema;
	while (rc == 0 && text[i]) {
		if (isspace((unsigned char)text[i])) {
			i++;
			continue;
		}
		rc = parse_item(q, text, &i);
	}
	for (size_t k = 0; k < q->n; k++)
		pos += !q->c[k].neg;
	if (rc == 0 && pos == 0)
		rc = q->n ? bad(text, 0, "%s", "only exclusions: say what to "
				"look for")
			  : base_fail(BASE_EINVAL, "bad query: nothing to look for");
	if (rc) {
		index_query_free(&q);
		return rc;
	}
	*out = q;
	return 0;
}

void index_query_free(index_query **qp)
{
	index_query *q = qp ? *qp : NULL;

	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++)
		free(q->c[i].tok);
	free(q);
	*qp = NULL;
}
