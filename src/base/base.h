/* base.h - the project's base: error codes, the thread's last error message,
 * SHA-256, whole-file reads and time/user helpers shared by every module. */
#ifndef BASE_H
#define BASE_H

#include <stddef.h>
#include <stdint.h>

/* Every function in sohoa returns 0 on success or one of these negative
 * codes. base_strerror() names each code; base_errmsg() gives the detailed
 * message (naming the file, record or page) that the failing module left. */
enum {
	BASE_OK = 0,
	BASE_ENOMEM = -1,    /* out of memory */
	BASE_EIO = -2,       /* a read, write or open failed */
	BASE_EINVAL = -3,    /* bad argument or malformed value */
	BASE_ENOTFOUND = -4, /* no such record or key: a normal answer */
	BASE_EEXIST = -5,    /* already there (duplicate, existing --out) */
	BASE_ECORRUPT = -6,  /* stored data does not match its checksum */
	BASE_EVERSION = -7,  /* store written by a newer sohoa */
	BASE_EBUSY = -8,     /* another writer holds the store */
	BASE_EFORMAT = -9,   /* input is not in a format we accept */
	BASE_ELIMIT = -10,   /* input exceeds a configured limit */
	BASE_EDB = -11,      /* LMDB failed */
	BASE_ECODEC = -12,   /* zstd, libtiff or another codec failed */
	BASE_ECANCELED = -13, /* interrupted by a signal */
	BASE_ECONFLICT = -14, /* changed by someone else since it was read */
	BASE_EDENIED = -15   /* not allowed: a role, a login */
};

/* base_strerror - a short fixed name for code. Never NULL. */
const char *base_strerror(int code);

/* base_fail - records a formatted message as this thread's last error and
 * returns code, so modules can write `return base_fail(BASE_EIO, ...)`. */
int base_fail(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* base_errmsg - this thread's last message from base_fail(), or "" if none.
 * The storage belongs to the thread and is overwritten by the next fail. */
const char *base_errmsg(void);

/* base_sha256_hex - SHA-256 of buf as 64 lowercase hex digits plus NUL.
 * BASE_ENOMEM, out empty, when OpenSSL cannot compute it. */
int base_sha256_hex(const void *buf, size_t len, char out[65]);

/* base_hex - the n bytes at in as 2n lowercase hex digits plus NUL in out
 * (2n + 1 bytes). */
void base_hex(const void *in, size_t n, char *out);

/* base_fault - the fault a test asks for in SOHOA_FAULT: N when it is
 * "NAME:N", 1 when it is "NAME", else 0 (not asked, or another). */
int base_fault(const char *name);

/* base_read_file - reads a whole regular file into memory. On success *buf
 * is yours to free(). Files larger than max bytes give BASE_ELIMIT; on any
 * error *buf is NULL and the message names the file. */
int base_read_file(const char *path, size_t max, unsigned char **buf,
		 size_t *len);

/* base_write_file_atomic - writes data to path through a temporary file in
 * the same folder, fsync and rename, so readers see all or nothing. */
int base_write_file_atomic(const char *path, const void *data, size_t len);

/* base_now_iso - the current UTC time as 2026-11-22T14:05:09Z. */
void base_now_iso(char out[32]);

/* base_monotonic - seconds from an arbitrary start, for rates and timing. */
double base_monotonic(void);

/* base_malloc_keep - for a process that answers many queries: freed
 * memory stays with it for the next query instead of going back to the
 * system, where each query's long lists were paged in afresh (a third
 * of a common name's search). */
void base_malloc_keep(void);

/* base_user - who is running this: $SOHOA_USER, $SUDO_USER, the login name
 * or the uid. The string is static. */
const char *base_user(void);

/* base_mkdir_p - creates dir and its parents (mode 0755); existing is fine. */
int base_mkdir_p(const char *dir);

/* Work shared out over the cores (at most BASE_CORES_MAX). base_runs - how
 * many runs of consecutive items [0, n) splits into: one a core, each
 * at least min items. base_on_cores - runs fn(ctx, run, from, to) for
 * each, this thread taking the first (and any a thread could not be
 * made for); the first failed run's code, its base_fail() message kept. */
#define BASE_CORES_MAX 8
size_t base_runs(size_t n, size_t min);
int base_on_cores(size_t n, size_t min,
		int (*fn)(void *ctx, size_t run, size_t from, size_t to),
		void *ctx);

#endif
