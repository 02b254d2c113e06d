/* files.c - every file of an export written whole or not at all: the
 * XML writers and the PDF writer work in memory, and the bytes go to
 * disk through base_write_file_atomic, whose every write, sync and close
 * is checked. A short write (a full disk, a file size limit, a network
 * share that reports its error at close) fails the export, which then
 * removes its folder; a manifest never hashes a cut file. */
#include "internal.h"

#include "../base/base.h"

xmlTextWriterPtr ex_xml_writer(xmlBufferPtr *buf)
{
	xmlTextWriterPtr x;

	*buf = xmlBufferCreate();
	if (!*buf)
		return NULL;
	x = xmlNewTextWriterMemory(*buf, 0);
	if (!x) {
		xmlBufferFree(*buf);
		*buf = NULL;
	}
	return x;
}

int ex_xml_save(xmlTextWriterPtr x, xmlBufferPtr buf, const char *path)
{
	int rc = xmlTextWriterEndDocument(x) < 0 || xmlTextWriterFlush(x) < 0;

	xmlFreeTextWriter(x);  /* flushes what remains into buf */
	if (rc)
		rc = base_fail(BASE_EIO, "cannot write '%s': the XML could not be "
			     "made (out of memory?)", path);
	else
		rc = base_write_file_atomic(path, xmlBufferContent(buf),
					  (size_t)xmlBufferLength(buf));
	xmlBufferFree(buf);
	return rc;
}
