/* sh.h - the project's base: error codes, the thread's last error message,
 * SHA-256, whole-file reads and time/user helpers shared by every module. */
#ifndef SH_H
#define SH_H

#include <stddef.h>
#include <stdint.h>

/* Every function in sohoa returns 0 on success or one of these negative
 * codes. sh_strerror() names each code; sh_errmsg() gives the detailed
 * message (naming the file, record or page) that the failing module left. */
enum {
	SH_OK = 0,
	SH_ENOMEM = -1,    /* out of memory */
	SH_EIO = -2,       /* a read, write or open failed */
	SH_EINVAL = -3,    /* bad argument or malformed value */
	SH_ENOTFOUND = -4, /* no such record or key: a normal answer */
	SH_EEXIST = -5,    /* already there (duplicate, existing --out) */
	SH_ECORRUPT = -6,  /* stored data does not match its checksum */
	SH_EVERSION = -7,  /* store written by a newer sohoa */
	SH_EBUSY = -8,     /* another writer holds the store */
	SH_EFORMAT = -9,   /* input is not in a format we accept */
	SH_ELIMIT = -10,   /* input exceeds a configured limit */
	SH_EDB = -11,      /* LMDB failed */
	SH_ECODEC = -12,   /* zstd, libtiff or another codec failed */
	SH_ECANCELED = -13, /* interrupted by a signal */
	SH_ECONFLICT = -14, /* changed by someone else since it was read */
	SH_EDENIED = -15   /* not allowed: a role, a login */
};

/* sh_strerror - a short fixed name for code. Never NULL. */
const char *sh_strerror(int code);

/* sh_fail - records a formatted message as this thread's last error and
 * returns code, so modules can write `return sh_fail(SH_EIO, ...)`. */
int sh_fail(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* sh_errmsg - this thread's last message from sh_fail(), or "" if none.
 * The storage belongs to the thread and is overwritten by the next fail. */
const char *sh_errmsg(void);

/* sh_sha256_hex - SHA-256 of buf as 64 lowercase hex digits plus NUL.
 * SH_ENOMEM, out empty, when OpenSSL cannot compute it. */
int sh_sha256_hex(const void *buf, size_t len, char out[65]);

/* sh_hex - the n bytes at in as 2n lowercase hex digits plus NUL in out
 * (2n + 1 bytes). */
void sh_hex(const void *in, size_t n, char *out);

/* sh_fault - the fault a test asks for in SOHOA_FAULT: N when it is
 * "NAME:N", 1 when it is "NAME", else 0 (not asked, or another). */
int sh_fault(const char *name);

/* sh_read_file - reads a whole regular file into memory. On success *buf
 * is yours to free(). Files larger than max bytes give SH_ELIMIT; on any
 * error *buf is NULL and the message names the file. */
int sh_read_file(const char *path, size_t max, unsigned char **buf,
		 size_t *len);

/* sh_write_file_atomic - writes data to path through a temporary file in
 * the same folder, fsync and rename, so readers see all or nothing. */
int sh_write_file_atomic(const char *path, const void *data, size_t len);

/* sh_now_iso - the current UTC time as 2026-11-22T14:05:09Z. */
void sh_now_iso(char out[32]);

/* sh_monotonic - seconds from an arbitrary start, for rates and timing. */
double sh_monotonic(void);

/* sh_malloc_keep - for a process that answers many queries: freed
 * memory stays with it for the next query instead of going back to the
 * system, where each query's long lists were paged in afresh (a third
 * of a common name's search). */
void sh_malloc_keep(void);

/* sh_user - who is running this: $SOHOA_USER, $SUDO_USER, the login name
 * or the uid. The string is static. */
const char *sh_user(void);

/* sh_mkdir_p - creates dir and its parents (mode 0755); existing is fine. */
int sh_mkdir_p(const char *dir);

/* Work shared out over the cores (at most SH_CORES_MAX). sh_runs - how
 * many runs of consecutive items [0, n) splits into: one a core, each
 * at least min items. sh_on_cores - runs fn(ctx, run, from, to) for
 * each, this thread taking the first (and any a thread could not be
 * made for); the first failed run's code, its sh_fail() message kept. */
#define SH_CORES_MAX 8
size_t sh_runs(size_t n, size_t min);
int sh_on_cores(size_t n, size_t min,
		int (*fn)(void *ctx, size_t run, size_t from, size_t to),
		void *ctx);

#endif
