/* mets.c - a package's METS.xml, the map of an E-ARK CSIP 2.0.4
 * package (libxml2's writer): the header with its creating software and
 * package type, a dmdSec for each record's description, the PREMIS file
 * in amdSec, the fileSec (schemas, the representation's files, each with
 * size, SHA-256 and type) and the CSIP structMap. */
#include "export.h"
#include "internal.h"

#include "../base/base.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <string.h>

#ifndef SOHOA_VERSION
#define SOHOA_VERSION "dev"
#endif

#define METS_NS "http://www.loc.gov/METS/"
#define CSIP_NS "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
#define XLINK_NS "http://www.w3.org/1999/xlink"

static void attr(xmlTextWriterPtr x, const char *name, const char *v)
{
	xmlTextWriterWriteAttribute(x, BAD_CAST name, BAD_CAST v);
}

static void file_attrs(xmlTextWriterPtr x, const csip_file *f)
{
	attr(x, "MIMETYPE", f->mime);
	xmlTextWriterWriteFormatAttribute(x, BAD_CAST "SIZE", "%zu", f->bytes);
	attr(x, "CREATED", f->created);
	attr(x, "CHECKSUM", f->sha256);
	attr(x, "CHECKSUMTYPE", "SHA-256");
}

static void location(xmlTextWriterPtr x, const char *el, const csip_file *f)
{
	xmlTextWriterStartElement(x, BAD_CAST el);
	attr(x, "LOCTYPE", "URL");
	attr(x, "xlink:type", "simple");
	attr(x, "xlink:href", f->rel);
}

static void group(xmlTextWriterPtr x, const csip_pkg *p, char g,
		  const char *use, const char *id)
{
	char fid[32];

	xmlTextWriterStartElement(x, BAD_CAST "fileGrp");
	attr(x, "USE", use);
	attr(x, "ID", id);
	for (size_t i = 0; i < p->n; i++) {
		const csip_file *f = &p->v[i];
		if (f->group != g)
			continue;
		xmlTextWriterStartElement(x, BAD_CAST "file");
		snprintf(fid, sizeof(fid), "ID-file-%zu", i + 1);
		attr(x, "ID", fid);
		file_attrs(x, f);
		if (*f->owner)
			attr(x, "GROUPID", f->owner);
		location(x, "FLocat", f);
		xmlTextWriterEndElement(x); /* FLocat */
		xmlTextWriterEndElement(x); /* file */
	}
	xmlTextWriterEndElement(x);
}

/* The header: when, what kind of package, made by which sohoa. */
static void mets_header(xmlTextWriterPtr x, const csip_pkg *p, const char *now)
{
	xmlTextWriterStartElement(x, BAD_CAST "metsHdr");
	attr(x, "CREATEDATE", now);
	attr(x, "RECORDSTATUS", "NEW");
	attr(x, "csip:OAISPACKAGETYPE", p->kind);
	xmlTextWriterStartElement(x, BAD_CAST "agent");
	attr(x, "ROLE", "CREATOR");
	attr(x, "TYPE", "OTHER");
	attr(x, "OTHERTYPE", "SOFTWARE");
	xmlTextWriterWriteElement(x, BAD_CAST "name", BAD_CAST "sohoa");
	xmlTextWriterStartElement(x, BAD_CAST "note");
	attr(x, "csip:NOTETYPE", "SOFTWARE VERSION");
	xmlTextWriterWriteString(x, BAD_CAST SOHOA_VERSION);
	xmlTextWriterEndElement(x);
	xmlTextWriterEndElement(x); /* agent */
	xmlTextWriterEndElement(x); /* metsHdr */
}

/* A dmdSec a record's description (their ids into dmdids, spaced;
 * returns how many) and the amdSec of the package's PREMIS. */
static size_t mets_metadata(xmlTextWriterPtr x, const csip_pkg *p,
			    xmlBufferPtr dmdids)
{
	char id[96];

	size_t nd = 0;
	for (size_t i = 0; i < p->n; i++) {
		const csip_file *f = &p->v[i];
		if (f->group != 'D')
			continue;
		snprintf(id, sizeof(id), "ID-dmd-%zu", ++nd);
		xmlBufferCat(dmdids, BAD_CAST(nd > 1 ? " " : ""));
		xmlBufferCat(dmdids, BAD_CAST id);
		xmlTextWriterStartElement(x, BAD_CAST "dmdSec");
		attr(x, "ID", id);
		attr(x, "CREATED", f->created);
		location(x, "mdRef", f);
		attr(x, "MDTYPE", "OTHER");
		attr(x, "OTHERMDTYPE", "SOHOA-RECORD");
		file_attrs(x, f);
		attr(x, "LABEL", f->owner);
		xmlTextWriterEndElement(x);
		xmlTextWriterEndElement(x);
	}
	xmlTextWriterStartElement(x, BAD_CAST "amdSec");
	for (size_t i = 0; i < p->n; i++) {
		const csip_file *f = &p->v[i];
		if (f->group != 'P')
			continue;
		xmlTextWriterStartElement(x, BAD_CAST "digiprovMD");
		attr(x, "ID", "ID-premis");
		attr(x, "CREATED", f->created);
		location(x, "mdRef", f);
		attr(x, "MDTYPE", "PREMIS");
		file_attrs(x, f);
		xmlTextWriterEndElement(x);
		xmlTextWriterEndElement(x);
	}
	xmlTextWriterEndElement(x); /* amdSec */
	return nd;
}

/* The physical structure: the package, its metadata, its schemas and
 * its representation. */
static void mets_structure(xmlTextWriterPtr x, const csip_pkg *p, size_t nd,
			   xmlBufferPtr dmdids)
{
	xmlTextWriterStartElement(x, BAD_CAST "structMap");
	attr(x, "ID", "ID-structmap");
	attr(x, "TYPE", "PHYSICAL");
	attr(x, "LABEL", "CSIP");
	xmlTextWriterStartElement(x, BAD_CAST "div");
	attr(x, "ID", "ID-div-package");
	attr(x, "LABEL", p->objid);
	xmlTextWriterStartElement(x, BAD_CAST "div");
	attr(x, "ID", "ID-div-metadata");
	attr(x, "LABEL", "Metadata");
	if (nd)
		attr(x, "DMDID", (const char *)xmlBufferContent(dmdids));
	attr(x, "ADMID", "ID-premis");
	xmlTextWriterEndElement(x);
	static const char *const divs[][3] = {
		{ "ID-div-schemas", "Schemas", "ID-grp-schemas" },
		{ "ID-div-rep1", "Representations", "ID-grp-rep1" },
	};
	for (size_t i = 0; i < 2; i++) {
		xmlTextWriterStartElement(x, BAD_CAST "div");
		attr(x, "ID", divs[i][0]);
		attr(x, "LABEL", divs[i][1]);
		xmlTextWriterStartElement(x, BAD_CAST "fptr");
		attr(x, "FILEID", divs[i][2]);
		xmlTextWriterEndElement(x);
		xmlTextWriterEndElement(x);
	}
	xmlTextWriterEndElement(x); /* div */
	xmlTextWriterEndElement(x); /* structMap */
}

int csip_mets(csip_pkg *p)
{
	char path[4600], now[32];
	xmlTextWriterPtr x;
	xmlBufferPtr dmdids = xmlBufferCreate();

	snprintf(path, sizeof(path), "%s/METS.xml", p->tmp);
	xmlBufferPtr out;
	x = ex_xml_writer(&out);
	if (!x || !dmdids) {
		xmlBufferFree(dmdids);
		if (x) {
			xmlFreeTextWriter(x);
			xmlBufferFree(out);
		}
		return base_fail(BASE_EIO, "cannot write '%s'", path);
	}
	base_now_iso(now);
	xmlTextWriterSetIndent(x, 1);
	xmlTextWriterStartDocument(x, NULL, "UTF-8", NULL);
	xmlTextWriterStartElementNS(x, NULL, BAD_CAST "mets", BAD_CAST METS_NS);
	xmlTextWriterWriteAttributeNS(x, BAD_CAST "xmlns", BAD_CAST "csip", NULL, BAD_CAST CSIP_NS);
	xmlTextWriterWriteAttributeNS(x, BAD_CAST "xmlns", BAD_CAST "xlink", NULL, BAD_CAST XLINK_NS);
	xmlTextWriterWriteAttributeNS(x, BAD_CAST "xmlns", BAD_CAST "xsi", NULL,
		BAD_CAST "http://www.w3.org/2001/XMLSchema-instance");
	attr(x, "xsi:schemaLocation", METS_NS " schemas/mets.xsd " XLINK_NS
	     " schemas/xlink.xsd " CSIP_NS " schemas/DILCISExtensionMETS.xsd");
	attr(x, "OBJID", p->objid);
	attr(x, "LABEL", "Hồ sơ hộ tịch và nhà đất số hóa");
	/* the content category: none of CSIP's vocabulary fits digitised
	 * registry records, so OTHER and what they are */
	attr(x, "TYPE", "OTHER");
	attr(x, "csip:OTHERTYPE", "Digitised civil-status and land records");
	attr(x, "PROFILE", "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml");

	mets_header(x, p, now);
	size_t nd = mets_metadata(x, p, dmdids);
	xmlTextWriterStartElement(x, BAD_CAST "fileSec");
	attr(x, "ID", "ID-filesec");
	group(x, p, 'S', "Schemas", "ID-grp-schemas");
	group(x, p, 'R', "Representations", "ID-grp-rep1");
	xmlTextWriterEndElement(x);

	mets_structure(x, p, nd, dmdids);
	xmlBufferFree(dmdids);
	return ex_xml_save(x, out, path);
}
