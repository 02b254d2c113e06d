/* csip_verify.c - is an E-ARK CSIP package complete, unaltered and
 * conformant? METS.xml against the METS schema (with the CSIP
 * extension), every MUST of the CSIP 2.0.4 profile that a program can
 * decide (each failure named by its requirement id), every listed file's
 * size and checksum, and files present but not listed. libxml2 parses,
 * validates and evaluates the profile's XPaths. */
#include "export.h"

#include "../base/base.h"

#include <ftw.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define CSIP_STRUCTMAP "/mets:mets/mets:structMap[@LABEL='CSIP' or @LABEL='CSIP StructMap']"

/* A requirement: for every node of ctx, test holds. */
typedef struct rule {
	const char *id, *ctx, *test, *what;
} rule;

#define MDREF(a, b, c, d, e, f, g, h, i, sec)                                      \
	{ a, sec "/mets:mdRef", "@LOCTYPE='URL'", "mdRef/@LOCTYPE is not URL" },    \
	{ b, sec "/mets:mdRef", "@xlink:type='simple'", "mdRef/@xlink:type is not simple" }, \
	{ c, sec "/mets:mdRef", "@xlink:href", "mdRef has no @xlink:href" },        \
	{ d, sec "/mets:mdRef", "@MDTYPE", "mdRef has no @MDTYPE" },                \
	{ e, sec "/mets:mdRef", "@MIMETYPE", "mdRef has no @MIMETYPE" },            \
	{ f, sec "/mets:mdRef", "@SIZE", "mdRef has no @SIZE" },                    \
	{ g, sec "/mets:mdRef", "@CREATED", "mdRef has no @CREATED" },              \
	{ h, sec "/mets:mdRef", "@CHECKSUM", "mdRef has no @CHECKSUM" },            \
	{ i, sec "/mets:mdRef", "@CHECKSUMTYPE", "mdRef has no @CHECKSUMTYPE" }

/* The MUSTs of E-ARK-CSIP-v2-0-4.xml a program can decide. Those of a
 * section apply to each occurrence of it (an absent optional section
 * has nothing to break); where the profile's own example package uses
 * the label of CSIP 2.0-2.0.3 ("CSIP StructMap"), it is accepted beside
 * 2.0.4's "CSIP". Requirements on a representation's own METS apply
 * through its mptr when there is one. */
static const rule rules[] = {
	{ "CSIP1", "/mets:mets", "normalize-space(@OBJID) != ''", "mets/@OBJID (the package's identifier) is missing" },
	{ "CSIP2", "/mets:mets", "@TYPE", "mets/@TYPE (the content category) is missing" },
	{ "CSIP6", "/mets:mets", "@PROFILE", "mets/@PROFILE is missing" },
	{ "CSIP117", "/mets:mets", "count(mets:metsHdr) = 1", "there is no metsHdr" },
	{ "CSIP7", "/mets:mets/mets:metsHdr", "@CREATEDATE", "metsHdr/@CREATEDATE is missing" },
	{ "CSIP9", "/mets:mets/mets:metsHdr", "@csip:OAISPACKAGETYPE", "metsHdr/@csip:OAISPACKAGETYPE (SIP, AIP, DIP...) is missing" },
	{ "CSIP10", "/mets:mets/mets:metsHdr", "mets:agent", "metsHdr has no agent" },
	{ "CSIP11", "/mets:mets/mets:metsHdr[mets:agent]", "mets:agent[@ROLE='CREATOR']", "no agent has @ROLE CREATOR" },
	{ "CSIP12", "/mets:mets/mets:metsHdr[mets:agent[@ROLE='CREATOR']]", "mets:agent[@ROLE='CREATOR'][@TYPE='OTHER']", "the creating agent's @TYPE is not OTHER" },
	{ "CSIP13", "/mets:mets/mets:metsHdr[mets:agent[@ROLE='CREATOR'][@TYPE='OTHER']]", "mets:agent[@ROLE='CREATOR'][@TYPE='OTHER'][@OTHERTYPE='SOFTWARE']", "the creating agent's @OTHERTYPE is not SOFTWARE" },
	{ "CSIP14", "/mets:mets/mets:metsHdr/mets:agent[@ROLE='CREATOR'][@OTHERTYPE='SOFTWARE']", "count(mets:name) = 1", "the creating software has no name" },
	{ "CSIP15", "/mets:mets/mets:metsHdr/mets:agent[@ROLE='CREATOR'][@OTHERTYPE='SOFTWARE']", "mets:note", "the creating software has no note" },
	{ "CSIP16", "/mets:mets/mets:metsHdr/mets:agent[@ROLE='CREATOR'][@OTHERTYPE='SOFTWARE'][mets:note]", "mets:note[@csip:NOTETYPE='SOFTWARE VERSION']", "no note of the creating software says its SOFTWARE VERSION" },
	{ "CSIP18", "/mets:mets/mets:dmdSec", "@ID", "a dmdSec has no @ID" },
	{ "CSIP19", "/mets:mets/mets:dmdSec", "@CREATED", "a dmdSec has no @CREATED" },
	MDREF("CSIP22", "CSIP23", "CSIP24", "CSIP25", "CSIP26", "CSIP27", "CSIP28", "CSIP29", "CSIP30", "/mets:mets/mets:dmdSec"),
	{ "CSIP33", "/mets:mets/mets:amdSec/mets:digiprovMD", "@ID", "a digiprovMD has no @ID" },
	MDREF("CSIP36", "CSIP37", "CSIP38", "CSIP39", "CSIP40", "CSIP41", "CSIP42", "CSIP43", "CSIP44", "/mets:mets/mets:amdSec/mets:digiprovMD"),
	{ "CSIP46", "/mets:mets/mets:amdSec/mets:rightsMD", "@ID", "a rightsMD has no @ID" },
	MDREF("CSIP49", "CSIP50", "CSIP51", "CSIP52", "CSIP53", "CSIP54", "CSIP55", "CSIP56", "CSIP57", "/mets:mets/mets:amdSec/mets:rightsMD"),
	{ "CSIP59", "/mets:mets/mets:fileSec", "@ID", "fileSec has no @ID" },
	{ "CSIP64", "/mets:mets/mets:fileSec/mets:fileGrp", "@USE", "a fileGrp has no @USE" },
	{ "CSIP65", "/mets:mets/mets:fileSec/mets:fileGrp", "@ID", "a fileGrp has no @ID" },
	{ "CSIP66", "/mets:mets/mets:fileSec/mets:fileGrp", "mets:file", "a fileGrp has no file" },
	{ "CSIP67", "/mets:mets/mets:fileSec/mets:fileGrp/mets:file", "@ID", "a file has no @ID" },
	{ "CSIP68", "/mets:mets/mets:fileSec/mets:fileGrp/mets:file", "@MIMETYPE", "a file has no @MIMETYPE" },
	{ "CSIP69", "/mets:mets/mets:fileSec/mets:fileGrp/mets:file", "@SIZE", "a file has no @SIZE" },
	{ "CSIP70", "/mets:mets/mets:fileSec/mets:fileGrp/mets:file", "@CREATED", "a file has no @CREATED" },
	{ "CSIP71", "/mets:mets/mets:fileSec/mets:fileGrp/mets:file", "@CHECKSUM", "a file has no @CHECKSUM" },
	{ "CSIP72", "/mets:mets/mets:fileSec/mets:fileGrp/mets:file", "@CHECKSUMTYPE", "a file has no @CHECKSUMTYPE" },
	{ "CSIP76", "/mets:mets/mets:fileSec/mets:fileGrp/mets:file", "count(mets:FLocat) = 1", "a file has no FLocat, or several" },
	{ "CSIP77", "/mets:mets/mets:fileSec/mets:fileGrp/mets:file/mets:FLocat", "@LOCTYPE='URL'", "an FLocat's @LOCTYPE is not URL" },
	{ "CSIP78", "/mets:mets/mets:fileSec/mets:fileGrp/mets:file/mets:FLocat", "@xlink:type='simple'", "an FLocat's @xlink:type is not simple" },
	{ "CSIP79", "/mets:mets/mets:fileSec/mets:fileGrp/mets:file/mets:FLocat", "@xlink:href", "an FLocat has no @xlink:href" },
	{ "CSIP80", "/mets:mets", "mets:structMap", "there is no structMap" },
	{ "CSIP81", "/mets:mets[mets:structMap]", "mets:structMap[@TYPE='PHYSICAL']", "no structMap has @TYPE PHYSICAL" },
	{ "CSIP82", "/mets:mets[mets:structMap]", "mets:structMap[@LABEL='CSIP' or @LABEL='CSIP StructMap']", "no structMap has @LABEL CSIP" },
	{ "CSIP83", CSIP_STRUCTMAP, "@ID", "the CSIP structMap has no @ID" },
	{ "CSIP84", CSIP_STRUCTMAP, "count(mets:div) = 1", "the CSIP structMap does not hold one div" },
	{ "CSIP85", CSIP_STRUCTMAP "/mets:div", "@ID", "the package's div has no @ID" },
	{ "CSIP86", CSIP_STRUCTMAP "/mets:div", "@LABEL", "the package's div has no @LABEL" },
	{ "CSIP88", CSIP_STRUCTMAP "/mets:div", "not(/mets:mets/mets:dmdSec or /mets:mets/mets:amdSec) or mets:div[@LABEL='Metadata']", "metadata sections but no Metadata div" },
	{ "CSIP89", CSIP_STRUCTMAP "/mets:div/mets:div[@LABEL='Metadata']", "@ID", "the Metadata div has no @ID" },
	{ "CSIP95", CSIP_STRUCTMAP "/mets:div", "not(/mets:mets/mets:fileSec/mets:fileGrp[@USE='Documentation']) or mets:div[@LABEL='Documentation']", "a Documentation fileGrp but no Documentation div" },
	{ "CSIP99", CSIP_STRUCTMAP "/mets:div", "not(/mets:mets/mets:fileSec/mets:fileGrp[@USE='Schemas']) or mets:div[@LABEL='Schemas']", "a Schemas fileGrp but no Schemas div" },
	{ "CSIP103", CSIP_STRUCTMAP "/mets:div", "not(/mets:mets/mets:fileSec/mets:fileGrp[starts-with(@USE, 'Representations')]) or mets:div[starts-with(@LABEL, 'Representations')]", "a Representations fileGrp but no Representations div" },
	{ "CSIP106", CSIP_STRUCTMAP "/mets:div/mets:div", "@ID", "a div of the package's div has no @ID" },
	{ "CSIP107", CSIP_STRUCTMAP "/mets:div/mets:div", "@LABEL", "a div of the package's div has no @LABEL" },
	{ "CSIP116", CSIP_STRUCTMAP "/mets:div/mets:div/mets:fptr", "@FILEID", "an fptr has no @FILEID" },
	{ "CSIP108", CSIP_STRUCTMAP "/mets:div/mets:div/mets:mptr", "@xlink:title", "an mptr has no @xlink:title" },
	{ "CSIP110", CSIP_STRUCTMAP "/mets:div/mets:div/mets:mptr", "@xlink:href", "an mptr has no @xlink:href" },
	{ "CSIP111", CSIP_STRUCTMAP "/mets:div/mets:div/mets:mptr", "@xlink:type='simple'", "an mptr's @xlink:type is not simple" },
	{ "CSIP112", CSIP_STRUCTMAP "/mets:div/mets:div/mets:mptr", "@LOCTYPE='URL'", "an mptr's @LOCTYPE is not URL" },
};

static void problem(json_t *list, const char *prefix, const char *file,
		    const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void problem(json_t *list, const char *prefix, const char *file,
		    const char *rule, const char *fmt, ...)
{
	char msg[1024], path[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s%s", prefix, file);
	json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "file", path,
					      "rule", rule, "problem", msg));
}

/* The schema's complaints, each a problem naming its line. */
struct schema_ctx {
	json_t *list;
	const char *prefix;
	int n;
};

static void on_schema_error(void *ctx, xmlErrorPtr e)
{
	struct schema_ctx *c = ctx;
	char msg[800];

	if (++c->n > 20)
		return; /* the first twenty say enough */
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "invalid");
	msg[strcspn(msg, "\n")] = 0;
	problem(c->list, c->prefix, "METS.xml", "METS schema", "line %d: %s", e->line, msg);
}

static int validate(xmlDocPtr doc, const char *schemas, json_t *list,
		    const char *prefix)
{
	char xsd[4200];
	struct schema_ctx c = { list, prefix, 0 };

	snprintf(xsd, sizeof(xsd), "%s/csip-mets.xsd", schemas);
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd);
	xmlSchemaPtr schema = pc ? xmlSchemaParse(pc) : NULL;
	xmlSchemaFreeParserCtxt(pc);
	if (!schema)
		return base_fail(BASE_ENOTFOUND, "cannot read the METS schema '%s' "
			       "([export] schemas)", xsd);
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
	xmlSchemaSetValidStructuredErrors(vc, on_schema_error, &c);
	int rc = xmlSchemaValidateDoc(vc, doc);
	if (rc != 0 && c.n == 0)
		problem(list, prefix, "METS.xml", "METS schema", "not valid METS");
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	return 0;
}

static void check_rules(xmlXPathContextPtr xp, json_t *list, const char *prefix)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(*rules); i++) {
		const rule *r = &rules[i];
		xmlXPathObjectPtr ctx = xmlXPathEvalExpression(BAD_CAST r->ctx, xp);
		int bad = 0;
		long line = 0;
		for (int k = 0; ctx && ctx->nodesetval && k < ctx->nodesetval->nodeNr; k++) {
			xmlNodePtr node = ctx->nodesetval->nodeTab[k];
			xp->node = node;
			xmlXPathObjectPtr t = xmlXPathEvalExpression(BAD_CAST r->test, xp);
			if (!t || !xmlXPathCastToBoolean(t)) {
				if (!bad++)
					line = xmlGetLineNo(node);
			}
			xmlXPathFreeObject(t);
		}
		xp->node = NULL;
		xmlXPathFreeObject(ctx);
		if (bad)
			problem(list, prefix, "METS.xml", r->id, "%s (line %ld%s)", r->what,
				line, bad > 1 ? ", and elsewhere" : "");
	}
}

/* An href as a path inside the package, or NULL when it leaves it. */
static int local_path(const char *href, char *out, size_t cap)
{
	size_t o = 0;

	if (!href || !*href || strstr(href, "://") || *href == '/')
		return 0;
	for (const char *h = href; *h && o + 1 < cap; h++) {
		if (*h == '%' && h[1] && h[2]) {
			char hx[3] = { h[1], h[2], 0 };
			out[o++] = (char)strtol(hx, NULL, 16);
			h += 2;
		} else {
			out[o++] = *h;
		}
	}
	out[o] = 0;
	if (!strncmp(out, "./", 2))
		memmove(out, out + 2, strlen(out + 2) + 1);
	return strstr(out, "../") == NULL && strcmp(out, "..") != 0;
}

static const EVP_MD *algorithm(const char *name)
{
	if (!name)
		return NULL;
	if (!strcasecmp(name, "MD5"))
		return EVP_md5();
	if (!strcasecmp(name, "SHA-1"))
		return EVP_sha1();
	if (!strcasecmp(name, "SHA-256"))
		return EVP_sha256();
	if (!strcasecmp(name, "SHA-384"))
		return EVP_sha384();
	if (!strcasecmp(name, "SHA-512"))
		return EVP_sha512();
	return NULL;
}

static void digest_hex(const EVP_MD *md, const void *d, size_t n, char *out)
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	EVP_Digest(d, n, h, &len, md, NULL);
	base_hex(h, len, out);
}

/* Whether data with its line ends changed (LF to CRLF, or CRLF to LF)
 * has the listed checksum: a file altered by a copy that "fixed" its
 * line ends, a common way to lose fixity. */
static const char *line_ends(const EVP_MD *md, const unsigned char *d,
			     size_t n, const char *want)
{
	unsigned char *c = malloc(2 * n + 1);
	size_t m = 0;
	char got[2 * EVP_MAX_MD_SIZE + 1];
	const char *why = NULL;

	if (!c)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (d[i] == '\n' && (i == 0 || d[i - 1] != '\r'))
			c[m++] = '\r';
		c[m++] = d[i];
	}
	digest_hex(md, c, m, got);
	if (!strcasecmp(got, want))
		why = "its line ends were changed from CRLF to LF after it was "
		      "listed (the listed checksum is of the CRLF form)";
	m = 0;
	for (size_t i = 0; !why && i < n; i++)
		if (!(d[i] == '\r' && i + 1 < n && d[i + 1] == '\n'))
			c[m++] = d[i];
	if (!why) {
		digest_hex(md, c, m, got);
		if (!strcasecmp(got, want))
			why = "its line ends were changed from LF to CRLF after it "
			      "was listed";
	}
	free(c);
	return why;
}

/* One listed file: there, its size and checksum as METS says. */
static void check_file(const char *root, xmlNodePtr file, xmlNodePtr loc,
		       const char *const rules3[3], json_t *listed, json_t *list,
		       const char *prefix, size_t *files, size_t *bytes)
{
	xmlChar *href = xmlGetNsProp(loc, BAD_CAST "href", BAD_CAST "http://www.w3.org/1999/xlink");
	xmlChar *size = xmlGetProp(file, BAD_CAST "SIZE");
	xmlChar *sum = xmlGetProp(file, BAD_CAST "CHECKSUM");
	xmlChar *type = xmlGetProp(file, BAD_CAST "CHECKSUMTYPE");
	char rel[2048], path[6200];
	unsigned char *data = NULL;
	size_t len = 0;

	if (!href)
		goto out;
	if (!local_path((const char *)href, rel, sizeof(rel))) {
		problem(list, prefix, (const char *)href, rules3[0], "points outside "
			"the package");
		goto out;
	}
	json_object_set_new(listed, rel, json_true());
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (base_read_file(path, (size_t)1 << 34, &data, &len)) {
		problem(list, prefix, rel, rules3[0], "missing (METS.xml lists it)");
		goto out;
	}
	(*files)++;
	*bytes += len;
	if (size && strtoull((const char *)size, NULL, 10) != len)
		problem(list, prefix, rel, rules3[1], "size %zu, METS.xml says %s",
			len, (const char *)size);
	const EVP_MD *md = algorithm((const char *)type);
	if (sum && type && !md) {
		problem(list, prefix, rel, rules3[2], "checksum type '%s' is not "
			"one of MD5, SHA-1, SHA-256, SHA-384, SHA-512", (const char *)type);
	} else if (sum && md) {
		char got[2 * EVP_MAX_MD_SIZE + 1];
		digest_hex(md, data, len, got);
		if (strcasecmp(got, (const char *)sum)) {
			const char *why = len < ((size_t)64 << 20)
				? line_ends(md, data, len, (const char *)sum) : NULL;
			problem(list, prefix, rel, rules3[2], "%s %s, METS.xml says %s%s%s",
				(const char *)type, got, (const char *)sum, why ? ": " : "",
				why ? why : "");
		}
	}
out:
	free(data);
	xmlFree(href);
	xmlFree(size);
	xmlFree(sum);
	xmlFree(type);
}

/* Every file under root not listed (hidden ones are notes, not
 * failures: .gitkeep and the like carry no content). */
static const char *walk_root;
static json_t *walk_listed, *walk_list, *walk_notes;
static const char *walk_prefix;

static int on_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	const char *rel = path + strlen(walk_root) + 1;
	const char *base = path + ftw->base;

	if (flag != FTW_F || !strcmp(rel, "METS.xml") ||
	    json_object_get(walk_listed, rel))
		return 0;
	if (*base == '.')
		problem(walk_notes, walk_prefix, rel, "unlisted", "a hidden file "
			"METS.xml does not list (not counted as content)");
	else
		problem(walk_list, walk_prefix, rel, "unlisted", "present but not "
			"listed in METS.xml");
	return 0;
}

int export_verify_package(const char *dir, const char *schemas,
			  const char *prefix, json_t *list, json_t *notes,
			  size_t *files, size_t *bytes)
{
	char mets[4200];
	xmlDocPtr doc;
	int rc = 0;

	snprintf(mets, sizeof(mets), "%s/METS.xml", dir);
	doc = xmlReadFile(mets, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
			  XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		problem(list, prefix, "METS.xml", "METS schema", "not well-formed "
			"XML: line %d: %s", e ? e->line : 0, e && e->message ?
			e->message : "unreadable");
		return 0;
	}
	rc = validate(doc, schemas, list, prefix);
	xmlXPathContextPtr xp = rc ? NULL : xmlXPathNewContext(doc);
	if (xp) {
		xmlXPathRegisterNs(xp, BAD_CAST "mets", BAD_CAST "http://www.loc.gov/METS/");
		xmlXPathRegisterNs(xp, BAD_CAST "csip", BAD_CAST "https://DILCIS.eu/XML/METS/CSIPExtensionMETS");
		xmlXPathRegisterNs(xp, BAD_CAST "xlink", BAD_CAST "http://www.w3.org/1999/xlink");
		check_rules(xp, list, prefix);
		/* the files: fileSec's, and the metadata mdRef points to */
		json_t *listed = json_object();
		static const struct {
			const char *xpath, *r[3];
		} kinds[] = {
			{ "/mets:mets/mets:fileSec//mets:file[mets:FLocat]", { "CSIP79", "CSIP69", "CSIP71" } },
			{ "/mets:mets/mets:dmdSec[mets:mdRef]", { "CSIP24", "CSIP27", "CSIP29" } },
			{ "/mets:mets/mets:amdSec/mets:digiprovMD[mets:mdRef]", { "CSIP38", "CSIP41", "CSIP43" } },
			{ "/mets:mets/mets:amdSec/mets:rightsMD[mets:mdRef]", { "CSIP51", "CSIP54", "CSIP56" } },
		};
		for (size_t k = 0; k < 4; k++) {
			xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST kinds[k].xpath, xp);
			for (int i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
				xmlNodePtr n = o->nodesetval->nodeTab[i], loc = n->children;
				while (loc && !(loc->type == XML_ELEMENT_NODE &&
						(!xmlStrcmp(loc->name, BAD_CAST "FLocat") ||
						 !xmlStrcmp(loc->name, BAD_CAST "mdRef"))))
					loc = loc->next;
				if (!loc)
					continue;
				/* an mdRef carries its own size and checksum */
				check_file(dir, k ? loc : n, loc, kinds[k].r, listed, list,
					   prefix, files, bytes);
			}
			xmlXPathFreeObject(o);
		}
		/* a file's group: schemas in Schemas, and so on */
		xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST
			"/mets:mets/mets:fileSec/mets:fileGrp/mets:file/mets:FLocat", xp);
		for (int i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
			xmlNodePtr loc = o->nodesetval->nodeTab[i];
			xmlChar *use = xmlGetProp(loc->parent->parent, BAD_CAST "USE");
			xmlChar *href = xmlGetNsProp(loc, BAD_CAST "href", BAD_CAST "http://www.w3.org/1999/xlink");
			const char *h = (const char *)href, *u = use ? (const char *)use : "";
			if (h && !strncmp(h, "schemas/", 8) && strcmp(u, "Schemas"))
				problem(list, prefix, h, "CSIP113", "a schema in the fileGrp '%s', not Schemas", u);
			if (h && !strncmp(h, "documentation/", 14) && strcmp(u, "Documentation"))
				problem(list, prefix, h, "CSIP60", "documentation in the fileGrp '%s', not Documentation", u);
			if (h && !strncmp(h, "representations/", 16) && strncmp(u, "Representations", 15))
				problem(list, prefix, h, "CSIP114", "a representation's file in the fileGrp '%s', not Representations", u);
			xmlFree(use);
			xmlFree(href);
		}
		xmlXPathFreeObject(o);
		/* representation METS files an mptr points to are listed too */
		o = xmlXPathEvalExpression(BAD_CAST "//mets:mptr/@xlink:href", xp);
		for (int i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
			xmlChar *h = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
			char rel[2048];
			if (h && local_path((const char *)h, rel, sizeof(rel)))
				json_object_set_new(listed, rel, json_true());
			xmlFree(h);
		}
		xmlXPathFreeObject(o);
		walk_root = dir;
		walk_listed = listed;
		walk_list = list;
		walk_notes = notes;
		walk_prefix = prefix;
		nftw(dir, on_entry, 16, FTW_PHYS);
		walk_root = NULL;
		json_decref(listed);
		xmlXPathFreeContext(xp);
	}
	xmlFreeDoc(doc);
	return rc;
}
