/* base.c - error codes, last-error messages, hashing and small helpers. */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static _Thread_local char last_msg[1024];

const char *base_strerror(int code)
{
	switch (code) {
	case BASE_OK: return "success";
	case BASE_ENOMEM: return "out of memory";
	case BASE_EIO: return "input/output error";
	case BASE_EINVAL: return "invalid argument";
	case BASE_ENOTFOUND: return "not found";
	case BASE_EEXIST: return "already exists";
	case BASE_ECORRUPT: return "data corrupted";
	case BASE_EVERSION: return "unsupported store version";
	case BASE_EBUSY: return "store busy";
	case BASE_EFORMAT: return "unsupported format";
	case BASE_ELIMIT: return "over a configured limit";
	case BASE_EDB: return "database error";
	case BASE_ECODEC: return "codec error";
	case BASE_ECANCELED: return "interrupted";
	case BASE_ECONFLICT: return "changed since read";
	case BASE_EDENIED: return "not allowed";
	}
	return "unknown error";
}

int base_fail(int code, const char *fmt, ...)
{
	va_list ap;

	char msg[sizeof(last_msg)];

	/* formatted apart first: the message often quotes base_errmsg() */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(last_msg, msg, sizeof(msg));
	return code;
}

const char *base_errmsg(void)
{
	return last_msg;
}

void base_hex(const void *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = in;

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[u[i] >> 4];
		out[2 * i + 1] = hex[u[i] & 15];
	}
	out[2 * n] = '\0';
}

int base_sha256_hex(const void *buf, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	/* SOHOA_FAULT=sha256: the tests' way to see a failure said */
	if (base_fault("sha256") ||
	    !EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
		/* no hash is ever a zero one that could match another */
		memset(out, 0, 65);
		return base_fail(BASE_ENOMEM, "cannot compute a SHA-256 (OpenSSL "
			       "failed, out of memory?)");
	}
	base_hex(md, 32, out);
	return 0;
}

int base_fault(const char *name)
{
	const char *f = getenv("SOHOA_FAULT");
	size_t n = strlen(name);

	if (!f || strncmp(f, name, n))
		return 0;
	return f[n] == '\0' ? 1 : f[n] == ':' ? atoi(f + n + 1) : 0;
}

int base_read_file(const char *path, size_t max, unsigned char **buf,
		 size_t *len)
{
	struct stat st;
	unsigned char *data = NULL;
	size_t got = 0;
	int fd;

	*buf = NULL;
	*len = 0;
	/* never waiting: a FIFO or a device named like a scan would block
	 * the batch for ever; what is not a regular file is refused below */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return base_fail(BASE_EIO, "cannot open '%s': %s", path,
			       strerror(errno));
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return base_fail(BASE_EIO, "cannot read '%s': %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return base_fail(BASE_EIO, "cannot read '%s': %s", path,
			       S_ISDIR(st.st_mode) ? "Is a directory"
			       : S_ISFIFO(st.st_mode) ? "not a regular file (a FIFO)"
			       : S_ISSOCK(st.st_mode) ? "not a regular file (a socket)"
			       : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)
			       ? "not a regular file (a device)" : "not a regular file");
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return base_fail(BASE_ELIMIT,
			       "'%s' is %lld bytes, over the limit of %zu",
			       path, (long long)st.st_size, max);
	}
	data = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!data) {
		close(fd);
		return base_fail(BASE_ENOMEM, "cannot read '%s': out of memory",
			       path);
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : 0;
			free(data);
			close(fd);
			return base_fail(BASE_EIO, "cannot read '%s': %s", path,
				       e ? strerror(e) : "file shrank while reading");
		}
		got += (size_t)n;
	}
	close(fd);
	*buf = data;
	*len = got;
	return 0;
}

int base_write_file_atomic(const char *path, const void *data, size_t len)
{
	char tmp[4096];
	const char *p = data;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp))
		return base_fail(BASE_EINVAL, "path too long: '%s'", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return base_fail(BASE_EIO, "cannot create '%s': %s", tmp,
			       strerror(errno));
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			unlink(tmp);
			return base_fail(BASE_EIO, "cannot write '%s': %s", tmp,
				       strerror(e));
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		int e = errno;
		unlink(tmp);
		return base_fail(BASE_EIO, "cannot write '%s': %s", tmp,
			       strerror(e));
	}
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return base_fail(BASE_EIO, "cannot rename '%s' to '%s': %s", tmp,
			       path, strerror(e));
	}
	return 0;
}

void base_now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

double base_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void base_malloc_keep(void)
{
	/* up to 256 MB kept free; blocks up to 32 MB (the most glibc
	 * allows) from the heap, not each its own mapping */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

const char *base_user(void)
{
	static char name[64];
	const char *u = getenv("SOHOA_USER");
	struct passwd *pw;

	if (!u || !*u)
		u = getenv("SUDO_USER");
	if (!u || !*u) {
		pw = getpwuid(getuid());
		u = pw ? pw->pw_name : NULL;
	}
	if (u && *u)
		snprintf(name, sizeof(name), "%s", u);
	else
		snprintf(name, sizeof(name), "uid%ld", (long)getuid());
	return name;
}

int base_mkdir_p(const char *dir)
{
	char buf[4096];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(buf))
		return base_fail(BASE_EINVAL, "bad folder name '%s'", dir);
	memcpy(buf, dir, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return base_fail(BASE_EIO, "cannot create '%s': %s", buf,
				       strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return base_fail(BASE_EIO, "cannot create '%s': %s", buf,
			       strerror(errno));
	return 0;
}

size_t base_runs(size_t n, size_t min)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t k = cores < 1 ? 1 : cores > BASE_CORES_MAX ? BASE_CORES_MAX
							: (size_t)cores;

	if (min && k > n / min + 1)
		k = n / min + 1;
	return k;
}

typedef struct core_run {
	int (*fn)(void *, size_t, size_t, size_t);
	void *ctx;
	size_t run, from, to;
	int rc;
	char err[1024]; /* as base_errmsg() holds */
} core_run;

static void *core_main(void *arg)
{
	core_run *m = arg;

	m->rc = m->fn(m->ctx, m->run, m->from, m->to);
	if (m->rc)
		snprintf(m->err, sizeof(m->err), "%s", base_errmsg());
	return NULL;
}

int base_on_cores(size_t n, size_t min,
		int (*fn)(void *ctx, size_t run, size_t from, size_t to),
		void *ctx)
{
	size_t k = base_runs(n, min);
	core_run run[BASE_CORES_MAX];
	pthread_t th[BASE_CORES_MAX];
	int started[BASE_CORES_MAX] = { 0 };

	for (size_t t = 0; t < k; t++)
		run[t] = (core_run){ fn, ctx, t, n * t / k, n * (t + 1) / k, 0,
				     "" };
	for (size_t t = 1; t < k; t++)
		started[t] = !pthread_create(&th[t], NULL, core_main, &run[t]);
	for (size_t t = 0; t < k; t++)
		if (!started[t])
			core_main(&run[t]);
	for (size_t t = 1; t < k; t++)
		if (started[t])
			pthread_join(th[t], NULL);
	for (size_t t = 0; t < k; t++)
		if (run[t].rc)
			return base_fail(run[t].rc, "%s", run[t].err);
	return 0;
}
