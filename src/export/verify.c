/* verify.c - is a bag complete and unaltered? Any producer's bag: the
 * manifests it has (md5, sha1, sha256, sha512), Payload-Oxum first, then
 * every checksum, each file read once for all its algorithms, on as many
 * threads as asked. */
#include "export.h"

#include "../base/base.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ALGS 4
static const char *const alg_names[ALGS] = { "md5", "sha1", "sha256",
					     "sha512" };
static const int alg_hex[ALGS] = { 32, 40, 64, 128 };

/* A file to hash: its path in the bag and the digests the manifests
 * expect (NULL where no manifest of that algorithm lists it). */
typedef struct target {
	char *rel;
	char *want[ALGS];
	char *from[ALGS]; /* which manifest */
	int present;
	char got[ALGS][129];
	int error;
} target;

typedef struct vctx {
	const char *dir;
	target *t;
	size_t n, cap, next;
	pthread_mutex_t mu;
	json_t *problems;
	size_t bytes;
} vctx;

static void problem(json_t *list, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(json_t *list, const char *file, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(list, json_pack("{s:s, s:s}", "file", file,
					      "problem", msg));
}

static target *target_get(vctx *v, const char *rel)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->t[i].rel, rel))
			return &v->t[i];
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 256;
		target *t = realloc(v->t, cap * sizeof(*t));
		if (!t)
			return NULL;
		v->t = t;
		v->cap = cap;
	}
	memset(&v->t[v->n], 0, sizeof(*v->t));
	v->t[v->n].rel = strdup(rel);
	return &v->t[v->n++];
}

/* RFC 8493 2.1.3: %0A, %0D and %25 in manifest paths. */
static void percent_decode(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '%' && (!strncasecmp(s, "%0A", 3) ||
				    !strncasecmp(s, "%0D", 3) ||
				    !strncmp(s, "%25", 3))) {
			*o++ = s[2] == '5' ? '%' : s[2] == 'A' || s[2] == 'a'
				? '\n' : '\r';
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

static int safe_path(const char *p)
{
	return *p && *p != '/' && !strstr(p, "../") && strcmp(p, "..") &&
	       strncmp(p, "./", 2);
}

/* Reads manifest name (algorithm alg); payload says whether its entries
 * must lie under data/. */
static void read_manifest(vctx *v, const char *name, int alg, int payload)
{
	char path[4400], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", v->dir, name);
	if (!(f = fopen(path, "r"))) {
		problem(v->problems, name, "cannot be read: %s", strerror(errno));
		return;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (len == 0)
			continue;
		char *sp = line + strcspn(line, " \t"), *rel = sp;
		while (*rel == ' ' || *rel == '\t')
			rel++;
		int hexok = sp - line == alg_hex[alg];
		for (char *h = line; hexok && h < sp; h++)
			hexok = strchr("0123456789abcdefABCDEF", *h) != NULL;
		if (!*sp || !hexok || !*rel) {
			problem(v->problems, name, "malformed line %d: '%.60s'",
				lineno, line);
			continue;
		}
		*sp = 0;
		percent_decode(rel);
		if (!safe_path(rel) || (payload && strncmp(rel, "data/", 5))) {
			problem(v->problems, name, "line %d names a path outside "
				"the %s: '%s'", lineno, payload ? "payload" : "bag",
				rel);
			continue;
		}
		target *t = target_get(v, rel);
		if (!t)
			break;
		for (char *h = line; *h; h++)
			*h = (char)tolower((unsigned char)*h);
		if (t->want[alg])
			problem(v->problems, name, "line %d lists '%s' again",
				lineno, rel);
		free(t->want[alg]);
		t->want[alg] = strdup(line);
		t->from[alg] = strdup(name);
	}
	free(line);
	fclose(f);
}

/* Every file under dir/rel, as paths relative to the bag. */
static void walk(const char *root, const char *rel, json_t *out,
		 json_t *problems)
{
	char path[8800];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (!(d = opendir(path)))
		return;
	while ((e = readdir(d))) {
		char sub[4400];
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", rel, e->d_name);
		snprintf(path, sizeof(path), "%s/%s", root, sub);
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISLNK(st.st_mode))
			/* a link reads as whatever it points at: named, never
			 * followed (its target is outside what was hashed) */
			problem(problems, sub, "a symbolic link, not a file: a bag's "
				"payload holds files only");
		else if (S_ISDIR(st.st_mode))
			walk(root, sub, out, problems);
		else
			json_array_append_new(out, json_pack("{s:s, s:I}", "rel",
				sub, "bytes", (json_int_t)st.st_size));
	}
	closedir(d);
}

static void hash_one(vctx *v, target *t)
{
	EVP_MD_CTX *c[ALGS] = { 0 };
	unsigned char *buf = malloc(1 << 20), md[EVP_MAX_MD_SIZE];
	char path[4400];
	ssize_t r;
	size_t total = 0;
	unsigned n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", v->dir, t->rel);
	fd = open(path, O_RDONLY);
	if (fd < 0 || !buf) {
		t->error = errno ? errno : ENOMEM;
		free(buf);
		if (fd >= 0)
			close(fd);
		return;
	}
	for (int a = 0; a < ALGS; a++)
		if (t->want[a]) {
			c[a] = EVP_MD_CTX_new();
			EVP_DigestInit_ex(c[a], EVP_get_digestbyname(alg_names[a]),
					  NULL);
		}
	/* one read of the file feeds every algorithm */
	while ((r = read(fd, buf, 1 << 20)) > 0) {
		total += (size_t)r;
		for (int a = 0; a < ALGS; a++)
			if (c[a])
				EVP_DigestUpdate(c[a], buf, (size_t)r);
	}
	if (r < 0)
		t->error = errno;
	for (int a = 0; a < ALGS; a++)
		if (c[a]) {
			EVP_DigestFinal_ex(c[a], md, &n);
			base_hex(md, n, t->got[a]);
			EVP_MD_CTX_free(c[a]);
		}
	close(fd);
	free(buf);
	pthread_mutex_lock(&v->mu);
	v->bytes += total;
	pthread_mutex_unlock(&v->mu);
}

static void *hasher(void *arg)
{
	vctx *v = arg;

	for (;;) {
		pthread_mutex_lock(&v->mu);
		size_t i = v->next++;
		pthread_mutex_unlock(&v->mu);
		if (i >= v->n)
			return NULL;
		if (v->t[i].present)
			hash_one(v, &v->t[i]);
	}
}

/* Payload-Oxum (octets.streamcount) against what data/ holds. */
static void check_oxum(vctx *v, json_t *files)
{
	char path[4400], *line = NULL;
	size_t cap = 0, bytes = 0, i;
	json_t *f;
	FILE *in;

	snprintf(path, sizeof(path), "%s/bag-info.txt", v->dir);
	if (!(in = fopen(path, "r")))
		return; /* bag-info.txt is optional */
	json_array_foreach(files, i, f)
		bytes += (size_t)json_integer_value(json_object_get(f, "bytes"));
	while (getline(&line, &cap, in) >= 0) {
		unsigned long long ob, oc;
		if (strncasecmp(line, "Payload-Oxum:", 13))
			continue;
		if (sscanf(line + 13, " %llu.%llu", &ob, &oc) != 2)
			problem(v->problems, "bag-info.txt", "malformed "
				"Payload-Oxum: '%.60s'", line + 13);
		else if (ob != bytes || oc != json_array_size(files))
			problem(v->problems, "bag-info.txt", "Payload-Oxum says "
				"%llu bytes in %llu files, data/ holds %zu bytes "
				"in %zu files", ob, oc, bytes,
				json_array_size(files));
	}
	free(line);
	fclose(in);
}

static int by_file(const void *a, const void *b)
{
	return strcmp(json_string_value(json_object_get(*(json_t **)a, "file")),
		      json_string_value(json_object_get(*(json_t **)b, "file")));
}

static void compare(vctx *v, int payload_algs[ALGS], json_t *files)
{
	size_t i;
	json_t *f;

	for (size_t k = 0; k < v->n; k++) {
		target *t = &v->t[k];
		char which[64] = "";
		if (!t->present) {
			problem(v->problems, t->rel, "missing (listed in %s)",
				t->from[0] ? t->from[0] : t->from[1] ? t->from[1]
				: t->from[2] ? t->from[2] : t->from[3]);
			continue;
		}
		if (t->error) {
			problem(v->problems, t->rel, "cannot be read: %s",
				strerror(t->error));
			continue;
		}
		for (int a = 0; a < ALGS; a++)
			if (t->want[a] && strcmp(t->want[a], t->got[a]))
				snprintf(which + strlen(which), sizeof(which) -
					 strlen(which), "%s%s", *which ? ", " : "",
					 alg_names[a]);
		if (*which)
			problem(v->problems, t->rel, "altered (%s differs from "
				"the manifest)", which);
		/* complete: every payload file in every payload manifest */
		if (!strncmp(t->rel, "data/", 5))
			for (int a = 0; a < ALGS; a++)
				if (payload_algs[a] && !t->want[a])
					problem(v->problems, t->rel, "not listed "
						"in manifest-%s.txt", alg_names[a]);
	}
	json_array_foreach(files, i, f) {
		const char *rel = json_string_value(json_object_get(f, "rel"));
		size_t k;
		for (k = 0; k < v->n && strcmp(v->t[k].rel, rel); k++)
			;
		if (k == v->n)
			problem(v->problems, rel, "added (in no manifest)");
	}
}

int export_verify(const char *dir, int threads, json_t **problems,
		  json_t *notes, size_t *files_out, size_t *bytes_out)
{
	vctx v = { .dir = dir };
	int payload_algs[ALGS] = { 0 }, nman = 0, ntag = 0;
	char path[4400];
	struct dirent *e;
	json_t *files = json_array();
	DIR *d;

	*problems = NULL;
	if (!(d = opendir(dir)))
		return base_fail(errno == ENOENT ? BASE_ENOTFOUND : BASE_EIO,
			       "cannot open bag '%s': %s", dir, strerror(errno));
	v.problems = json_array();
	pthread_mutex_init(&v.mu, NULL);
	snprintf(path, sizeof(path), "%s/bagit.txt", dir);
	unsigned char *bt;
	size_t btl;
	if (base_read_file(path, 1 << 16, &bt, &btl))
		problem(v.problems, "bagit.txt", "missing: not a bag");
	else {
		if (btl < 14 || memcmp(bt, "BagIt-Version:", 14))
			problem(v.problems, "bagit.txt", "malformed: no "
				"BagIt-Version line first");
		free(bt);
	}
	/* completeness first: manifests, the files, Payload-Oxum */
	while ((e = readdir(d))) {
		for (int a = 0; a < ALGS; a++) {
			char m[64], tm[64];
			snprintf(m, sizeof(m), "manifest-%s.txt", alg_names[a]);
			snprintf(tm, sizeof(tm), "tagmanifest-%s.txt", alg_names[a]);
			if (!strcmp(e->d_name, m)) {
				payload_algs[a] = 1;
				nman++;
				read_manifest(&v, m, a, 1);
			} else if (!strcmp(e->d_name, tm)) {
				ntag++;
				read_manifest(&v, tm, a, 0);
			}
		}
		if (!strncmp(e->d_name, "manifest-", 9) && !strstr(e->d_name,
		    "md5") && !strstr(e->d_name, "sha1") &&
		    !strstr(e->d_name, "sha256") && !strstr(e->d_name, "sha512"))
			problem(v.problems, e->d_name, "algorithm not supported");
	}
	closedir(d);
	if (!nman)
		problem(v.problems, "manifest-sha256.txt", "missing: a bag needs "
			"at least one payload manifest");
	snprintf(path, sizeof(path), "%s/bag-info.txt", dir);
	if (!ntag && notes && access(path, F_OK) == 0)
		/* valid BagIt, but nothing protects bag-info.txt any more */
		problem(notes, "bag-info.txt", "no tag manifest (tagmanifest-"
			"sha256.txt missing): a change to bag-info.txt, the "
			"manifests or bagit.txt would go unseen");
	walk(dir, "data", files, v.problems);
	check_oxum(&v, files);
	for (size_t k = 0; k < v.n; k++) {
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, v.t[k].rel);
		v.t[k].present = lstat(path, &st) == 0 && S_ISREG(st.st_mode);
	}
	/* validity: every checksum, both cores busy */
	pthread_t th[16];
	int nt = threads < 1 ? 1 : threads > 16 ? 16 : threads;
	for (int i = 0; i < nt; i++)
		pthread_create(&th[i], NULL, hasher, &v);
	for (int i = 0; i < nt; i++)
		pthread_join(th[i], NULL);
	compare(&v, payload_algs, files);
	/* in file order, the way a person reads them */
	size_t np = json_array_size(v.problems);
	json_t **arr = malloc((np + 1) * sizeof(*arr));
	for (size_t i = 0; i < np; i++)
		arr[i] = json_incref(json_array_get(v.problems, i));
	qsort(arr, np, sizeof(*arr), by_file);
	*problems = json_array();
	for (size_t i = 0; i < np; i++)
		json_array_append_new(*problems, arr[i]);
	free(arr);
	json_decref(v.problems);
	*files_out = 0;
	for (size_t k = 0; k < v.n; k++) {
		*files_out += v.t[k].present;
		free(v.t[k].rel);
		for (int a = 0; a < ALGS; a++) {
			free(v.t[k].want[a]);
			free(v.t[k].from[a]);
		}
	}
	*bytes_out = v.bytes;
	free(v.t);
	json_decref(files);
	pthread_mutex_destroy(&v.mu);
	return 0;
}
