/* premis.c - a package's preservation metadata in PREMIS 3.0 (libxml2's
 * writer): every file with its fixity, size and format; each record's
 * events from its history (ingestion, the text recognition and field
 * extraction ingestion ran, each person's correction or acceptance,
 * earlier exports) and this packing; the agents, software and people. */
#include "export.h"
#include "internal.h"

#include "../ocr/ocr.h"
#include "../base/base.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <string.h>

#ifndef SOHOA_VERSION
#define SOHOA_VERSION "dev"
#endif

#define PREMIS_NS "http://www.loc.gov/premis/v3"

static void text(xmlTextWriterPtr x, const char *name, const char *v)
{
	xmlTextWriterWriteElement(x, BAD_CAST name, BAD_CAST(v ? v : ""));
}

static void ident(xmlTextWriterPtr x, const char *el, const char *prefix,
		  const char *value)
{
	char t[64], v[64];

	snprintf(t, sizeof(t), "%sType", prefix);
	snprintf(v, sizeof(v), "%sValue", prefix);
	xmlTextWriterStartElement(x, BAD_CAST el);
	text(x, t, "local");
	text(x, v, value);
	xmlTextWriterEndElement(x);
}

static void link_agent(xmlTextWriterPtr x, const char *agent, const char *role)
{
	xmlTextWriterStartElement(x, BAD_CAST "linkingAgentIdentifier");
	text(x, "linkingAgentIdentifierType", "local");
	text(x, "linkingAgentIdentifierValue", agent);
	text(x, "linkingAgentRole", role);
	xmlTextWriterEndElement(x);
}

/* One event of a record, linked to its files (their paths). */
static void event(xmlTextWriterPtr x, const char *evid, const char *type,
		  const char *when, const char *detail, const char *agent,
		  const char *person, const csip_pkg *p, size_t from, size_t to)
{
	xmlTextWriterStartElement(x, BAD_CAST "event");
	ident(x, "eventIdentifier", "eventIdentifier", evid);
	text(x, "eventType", type);
	text(x, "eventDateTime", when);
	if (detail && *detail) {
		xmlTextWriterStartElement(x, BAD_CAST "eventDetailInformation");
		text(x, "eventDetail", detail);
		xmlTextWriterEndElement(x);
	}
	xmlTextWriterStartElement(x, BAD_CAST "eventOutcomeInformation");
	text(x, "eventOutcome", "success");
	xmlTextWriterEndElement(x);
	link_agent(x, agent, "executing program");
	if (person && *person) {
		char a[160];
		snprintf(a, sizeof(a), "person-%s", person);
		link_agent(x, a, "implementer");
	}
	for (size_t i = from; i < to; i++) {
		xmlTextWriterStartElement(x, BAD_CAST "linkingObjectIdentifier");
		text(x, "linkingObjectIdentifierType", "local");
		text(x, "linkingObjectIdentifierValue", p->v[i].rel);
		xmlTextWriterEndElement(x);
	}
	xmlTextWriterEndElement(x);
}

static const char *event_type(const char *ev)
{
	static const char *const map[][2] = {
		{ "ingested", "ingestion" },
		{ "corrected", "metadata modification" },
		{ "reviewed", "validation" },
		{ "exported", "exporting" },
	};

	for (size_t i = 0; ev && i < sizeof(map) / sizeof(*map); i++)
		if (!strcmp(ev, map[i][0]))
			return map[i][1];
	return ev ? ev : "modification";
}

/* What an event did, for a reader: the fields a person changed (their
 * names; the values are in the record's description), the bag or
 * package it went to. */
static void event_detail(json_t *h, char *out, size_t cap)
{
	const char *ev = json_string_value(json_object_get(h, "event"));
	json_t *changes = json_object_get(h, "changes"), *c;
	size_t n = 0, i;

	*out = 0;
	if (json_array_size(changes)) {
		n = (size_t)snprintf(out, cap, "%s:", ev && !strcmp(ev, "corrected")
				     ? "corrected" : ev ? ev : "changed");
		json_array_foreach(changes, i, c)
			if (n < cap)
				n += (size_t)snprintf(out + n, cap - n, "%s%s",
					i ? ", " : " ", json_string_value(
					json_object_get(c, "field")));
		return;
	}
	if (json_string_value(json_object_get(h, "bag")))
		snprintf(out, cap, "BagIt bag %s", json_string_value(json_object_get(h, "bag")));
	else if (json_string_value(json_object_get(h, "package")))
		snprintf(out, cap, "package %s", json_string_value(json_object_get(h, "package")));
	else if (json_string_value(json_object_get(h, "batch")))
		snprintf(out, cap, "batch %s", json_string_value(json_object_get(h, "batch")));
}

/* The objects: every file of the package but this one and METS.xml,
 * with its digest, size and format. */
static void write_objects(xmlTextWriterPtr x, const csip_pkg *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const csip_file *f = &p->v[i];
		char size[32];
		xmlTextWriterStartElement(x, BAD_CAST "object");
		xmlTextWriterWriteAttribute(x, BAD_CAST "xsi:type", BAD_CAST "file");
		ident(x, "objectIdentifier", "objectIdentifier", f->rel);
		xmlTextWriterStartElement(x, BAD_CAST "objectCharacteristics");
		text(x, "compositionLevel", "0");
		xmlTextWriterStartElement(x, BAD_CAST "fixity");
		text(x, "messageDigestAlgorithm", "SHA-256");
		text(x, "messageDigest", f->sha256);
		text(x, "messageDigestOriginator", "sohoa");
		xmlTextWriterEndElement(x);
		snprintf(size, sizeof(size), "%zu", f->bytes);
		text(x, "size", size);
		xmlTextWriterStartElement(x, BAD_CAST "format");
		xmlTextWriterStartElement(x, BAD_CAST "formatDesignation");
		text(x, "formatName", f->mime);
		xmlTextWriterEndElement(x);
		xmlTextWriterEndElement(x);
		xmlTextWriterEndElement(x); /* objectCharacteristics */
		xmlTextWriterEndElement(x); /* object */
	}
}

/* What ingestion ran on a record (event *e of id): recognition and the
 * fields, each an event of its own. */
static void ingest_events(xmlTextWriterPtr x, const csip_pkg *p, const char *id,
			  json_t *meta, const char *when, int *e, size_t from,
			  size_t to)
{
	json_t *pg = json_object_get(meta, "pages");
	const char *type = json_string_value(json_object_get(meta, "type"));
	char detail[1024], evid[128];

	if (json_array_size(pg) && json_is_number(json_object_get(meta, "ocr_confidence"))) {
		snprintf(detail, sizeof(detail), "text recognition (OCR) of %zu "
			 "page(s), mean confidence %.0f", json_array_size(pg),
			 json_number_value(json_object_get(meta, "ocr_confidence")));
		snprintf(evid, sizeof(evid), "%s-event-%d", id, ++*e);
		event(x, evid, "metadata extraction", when, detail,
		      "software-tesseract", NULL, p, from, to);
	}
	if (json_object_size(json_object_get(meta, "fields"))) {
		snprintf(detail, sizeof(detail), "field extraction: %zu field(s) "
			 "of a %s", json_object_size(json_object_get(meta, "fields")),
			 type ? type : "record");
		snprintf(evid, sizeof(evid), "%s-event-%d", id, ++*e);
		event(x, evid, "metadata extraction", when, detail,
		      "software-sohoa", NULL, p, from, to);
	}
}

/* A record's history as events linked to its files p->v[from..to); the
 * people who acted into people. */
static int record_events(xmlTextWriterPtr x, const csip_pkg *p, store *s,
			 const char *id, size_t from, size_t to, json_t *people)
{
	json_t *meta = NULL, *history = NULL, *h;
	size_t k;
	int e = 0, rc = store_record_get(s, id, &meta, &history);

	json_array_foreach(history, k, h) {
		const char *ev = json_string_value(json_object_get(h, "event"));
		const char *when = json_string_value(json_object_get(h, "time"));
		const char *user = json_string_value(json_object_get(h, "user"));
		char detail[1024], evid[128];
		if (user && *user)
			json_object_set_new(people, user, json_true());
		event_detail(h, detail, sizeof(detail));
		snprintf(evid, sizeof(evid), "%s-event-%d", id, ++e);
		event(x, evid, event_type(ev), when, detail, "software-sohoa",
		      user, p, from, to);
		if (ev && !strcmp(ev, "ingested"))
			ingest_events(x, p, id, meta, when, &e, from, to);
	}
	json_decref(meta);
	json_decref(history);
	return rc;
}

static void agent(xmlTextWriterPtr x, const char *id, const char *name,
		  const char *type, const char *version)
{
	xmlTextWriterStartElement(x, BAD_CAST "agent");
	ident(x, "agentIdentifier", "agentIdentifier", id);
	text(x, "agentName", name);
	text(x, "agentType", type);
	if (version)
		text(x, "agentVersion", version);
	xmlTextWriterEndElement(x);
}

int csip_premis(csip_pkg *p, store *s, char **ids, size_t n)
{
	char path[4600], tess[128], now[32];
	xmlTextWriterPtr x;
	json_t *people = json_object();
	int rc = 0;

	snprintf(path, sizeof(path), "%s/metadata/preservation/premis.xml", p->tmp);
	xmlBufferPtr out;
	x = ex_xml_writer(&out);
	if (!x) {
		json_decref(people);
		return base_fail(BASE_EIO, "cannot write '%s'", path);
	}
	ocr_versions(tess, sizeof(tess));
	base_now_iso(now);
	xmlTextWriterSetIndent(x, 1);
	xmlTextWriterStartDocument(x, NULL, "UTF-8", NULL);
	xmlTextWriterStartElementNS(x, NULL, BAD_CAST "premis", BAD_CAST PREMIS_NS);
	xmlTextWriterWriteAttributeNS(x, BAD_CAST "xmlns", BAD_CAST "xsi", NULL,
		BAD_CAST "http://www.w3.org/2001/XMLSchema-instance");
	xmlTextWriterWriteAttribute(x, BAD_CAST "version", BAD_CAST "3.0");
	write_objects(x, p);
	/* each record's events, linked to its files: a run of the file
	 * list, since a record's files are written one after another */
	size_t at = 0;
	for (size_t r = 0; r < n && rc == 0; r++) {
		size_t from, to;
		while (at < p->n && strcmp(p->v[at].owner, ids[r]))
			at++;
		for (from = to = at; to < p->n && !strcmp(p->v[to].owner, ids[r]); to++)
			;
		at = to;
		rc = record_events(x, p, s, ids[r], from, to, people);
	}
	char detail[600];
	snprintf(detail, sizeof(detail), "E-ARK CSIP %s %s of %zu record(s)",
		 p->kind, p->objid, n);
	event(x, "package-event-1", "information package creation", now, detail,
	      "software-sohoa", NULL, p, 0, 0);
	agent(x, "software-sohoa", "sohoa", "software", SOHOA_VERSION);
	agent(x, "software-tesseract", "Tesseract OCR", "software", tess);
	const char *who;
	json_t *v;
	json_object_foreach(people, who, v) {
		char id[160];
		snprintf(id, sizeof(id), "person-%s", who);
		agent(x, id, who, "person", NULL);
	}
	json_decref(people);
	if (rc) {  /* a record that could not be read again: named by the store */
		xmlFreeTextWriter(x);
		xmlBufferFree(out);
		return rc;
	}
	return ex_xml_save(x, out, path);
}
