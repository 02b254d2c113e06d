/* pack.c - originals packed with zstd (a context a thread) and
 * unpacked with a bound on their size. */
#include "store.h"

#include "../index/index.h"
#include "../base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "internal.h"

#include <errno.h>
#include <sys/statvfs.h>


/* A compression context a thread, made on first use and freed with the
 * thread: making one for each record was a tenth of storing it. */
static pthread_key_t pack_key;
static pthread_once_t pack_once = PTHREAD_ONCE_INIT;

static void pack_ctx_free(void *c)
{
	ZSTD_freeCCtx(c);
}

static void pack_init(void)
{
	pthread_key_create(&pack_key, pack_ctx_free);
}

int store_pack(const void *data, size_t len, int level, void **out,
	       size_t *out_len)
{
	ZSTD_CCtx *cctx;
	size_t cap = ZSTD_compressBound(len), n;
	void *buf = malloc(cap);

	*out = NULL;
	pthread_once(&pack_once, pack_init);
	if (!(cctx = pthread_getspecific(pack_key)) &&
	    (cctx = ZSTD_createCCtx()) && pthread_setspecific(pack_key, cctx)) {
		ZSTD_freeCCtx(cctx);
		cctx = NULL;
	}
	if (!cctx || !buf) {
		free(buf);
		return base_fail(BASE_ENOMEM, "cannot compress: out of memory");
	}
	/* every parameter set again: the context keeps the last call's */
	ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
	ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
	ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
	n = ZSTD_compress2(cctx, buf, cap, data, len);
	if (ZSTD_isError(n)) {
		free(buf);
		return base_fail(BASE_ECODEC, "cannot compress: %s",
			       ZSTD_getErrorName(n));
	}
	*out = buf;
	*out_len = n;
	return 0;
}

int store_unpack(const void *data, size_t len, size_t max_len, void **out,
		 size_t *out_len)
{
	unsigned long long size = ZSTD_getFrameContentSize(data, len);
	void *buf;
	size_t n;

	*out = NULL;
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
		return base_fail(BASE_ECORRUPT, "stored frame is damaged");
	if (size > max_len)
		return base_fail(BASE_ECORRUPT, "stored frame claims %llu bytes, "
			       "expected at most %zu", size, max_len);
	buf = malloc(size ? size : 1);
	if (!buf)
		return base_fail(BASE_ENOMEM, "cannot unpack: out of memory");
	n = ZSTD_decompress(buf, size, data, len);
	if (ZSTD_isError(n) || n != size) {
		free(buf);
		return base_fail(BASE_ECORRUPT, "stored frame is damaged: %s",
			       ZSTD_isError(n) ? ZSTD_getErrorName(n)
					       : "short");
	}
	*out = buf;
	*out_len = n;
	return 0;
}

/* The key of a record's next history event: "ID:" and its number. */
