/* cluster.c - a batch as a Slurm job array: the folder it lives in
 * (files.txt, task.sh, cluster.json, shard-I/, logs/), what is missing
 * submitted with sbatch, what squeue and the shard stores say of it. */
#include "cluster.h"

#include "../base/base.h"
#include "../ingest/ingest.h"
#include "../store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* argv run with its stdout and stderr into *out (yours, NUL-ended):
 * its exit status, or -1 when it could not run (said in *out). */
static int run_capture(char *const argv[], char **out)
{
	int fd[2], status = 0;
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	pid_t pid;
	ssize_t got;

	*out = NULL;
	if (!buf || pipe(fd)) {
		free(buf);
		return -1;
	}
	if ((pid = fork()) == 0) {
		dup2(fd[1], STDOUT_FILENO);
		dup2(fd[1], STDERR_FILENO);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	while (pid > 0 && (got = read(fd[0], buf + len, cap - len - 1)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)got;
		if (len + 1 == cap) {
			char *g = realloc(buf, cap *= 2);
			if (!g)
				break;
			buf = g;
		}
	}
	close(fd[0]);
	buf[len] = 0;
	*out = buf;
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* s in single quotes for sh, into f. */
static void sh_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

static void path_in(char *out, size_t len, const char *dir, const char *name)
{
	snprintf(out, len, "%s/%s", dir, name);
}

/* The task script: share $SLURM_ARRAY_TASK_ID of the list into its own
 * store, with the task's CPUs as workers; files rejected (exit 3) are
 * the batch's report's, not the task's failure. */
static int write_task(const cluster_opts *o, const char *batch, int tasks)
{
	char path[4200], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return base_fail(BASE_ENOMEM, "out of memory");
	fprintf(f, "#!/bin/sh\n# sohoa cluster task: a share of batch %s (%d tasks)\n"
		"i=${SLURM_ARRAY_TASK_ID:?run by sbatch --array}\n", batch, tasks);
	sh_quote(f, o->sohoa);
	if (o->config) {
		fputs(" -c ", f);
		sh_quote(f, o->config);
	}
	fputs(" --store ", f);
	sh_quote(f, o->dir);
	fputs("/shard-$i -q ingest --list ", f);
	sh_quote(f, o->dir);
	fprintf(f, "/files.txt --shard \"$i/%d\" -j \"${SLURM_CPUS_PER_TASK:-1}\" "
		"--report ", tasks);
	sh_quote(f, o->dir);
	fputs("/logs/report-$i.json\nrc=$?\n[ $rc = 3 ] && rc=0\nexit $rc\n", f);
	if (fclose(f)) {
		free(buf);
		return base_fail(BASE_ENOMEM, "out of memory");
	}
	path_in(path, sizeof(path), o->dir, "task.sh");
	rc = base_write_file_atomic(path, buf, len);
	free(buf);
	if (rc == 0 && chmod(path, 0755))
		rc = base_fail(BASE_EIO, "cannot make '%s' runnable: %s", path,
			       strerror(errno));
	return rc;
}

static json_t *load_batch(const char *dir)
{
	char path[4200];
	json_error_t err;

	path_in(path, sizeof(path), dir, "cluster.json");
	return json_load_file(path, 0, &err);
}

static int save_batch(const char *dir, json_t *b)
{
	char path[4200], *text = json_dumps(b, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int rc;

	if (!text)
		return base_fail(BASE_ENOMEM, "out of memory");
	path_in(path, sizeof(path), dir, "cluster.json");
	rc = base_write_file_atomic(path, text, strlen(text));
	free(text);
	return rc;
}

/* A new batch in o->dir: its name, list, script and cluster.json. */
static int batch_new(const cluster_opts *o, char *const *files, size_t n,
		     json_t **b)
{
	char name[INGEST_BATCH_MAX], stamp[32], path[4200];
	unsigned char r[2] = { 0 };
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	*b = NULL;
	if (o->tasks < 1)
		return base_fail(BASE_EINVAL, "'%s' holds no batch yet: say how "
			       "many tasks (--tasks N) and which files", o->dir);
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r[0] = (unsigned char)getpid(), r[1] = (unsigned char)(getpid() >> 8);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	snprintf(name, sizeof(name), "C-%s-%02x%02x", stamp, r[0], r[1]);
	path_in(path, sizeof(path), o->dir, "logs");
	if ((mkdir(o->dir, 0755) && errno != EEXIST) ||
	    (mkdir(path, 0755) && errno != EEXIST))
		return base_fail(BASE_EIO, "cannot make '%s': %s", path,
			       strerror(errno));
	/* shares of about as many pages each: the tasks end together */
	ingest_list l = { .files = (char **)files, .count = n, .of = o->tasks,
			  .bounds = ingest_list_shares(files, n, o->tasks) };
	snprintf(l.batch, sizeof(l.batch), "%s", name);
	path_in(path, sizeof(path), o->dir, "files.txt");
	rc = l.bounds ? ingest_list_write(path, &l)
		      : base_fail(BASE_ENOMEM, "out of memory");
	free(l.bounds);
	if (rc || (rc = write_task(o, name, o->tasks)))
		return rc;
	base_now_iso(stamp);
	*b = json_pack("{s:s, s:i, s:i, s:I, s:s, s:s, s:s?, s:[]}", "batch", name,
		       "tasks", o->tasks, "cpus", o->cpus, "files", (json_int_t)n,
		       "created", stamp, "sohoa", o->sohoa, "config", o->config,
		       "jobs");
	return *b ? save_batch(o->dir, *b) : base_fail(BASE_ENOMEM, "out of memory");
}

static int active_state(const char *st)
{
	static const char *const active[] = { "PENDING", "RUNNING", "CONFIGURING",
		"COMPLETING", "SUSPENDED", "REQUEUED", "REQUEUE_HOLD",
		"REQUEUE_FED", "RESIZING", "SIGNALING", "STAGE_OUT" };

	for (size_t i = 0; st && i < sizeof(active) / sizeof(*active); i++)
		if (!strcmp(st, active[i]))
			return 1;
	return 0;
}

/* One job's tasks' states as Slurm's controller remembers them
 * (squeue, a few minutes after they end) or, where accounting is kept,
 * as sacct has them: "TASK STATE" or "JOB_TASK|STATE" a line, into
 * states[0..n). */
static void job_states(const char *id, int n, char **states)
{
	char *sq[] = { "squeue", "-h", "-r", "--states=all", "-j", (char *)id,
		       "-o", "%K %T", NULL };
	char *sa[] = { "sacct", "-n", "-P", "-X", "-j", (char *)id, "-o",
		       "JobID,State", NULL };
	char *out = NULL, *save = NULL;
	int acct = run_capture(sq, &out) != 0 || !out || !*out;

	if (acct) {
		free(out);
		if (run_capture(sa, &out) != 0) {
			free(out);
			return;
		}
	}
	for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		int k;
		char st[32];
		const char *u = strchr(l, '_');
		if ((acct ? u && sscanf(u + 1, "%d|%31[A-Z_]", &k, st) == 2
			  : sscanf(l, "%d %31s", &k, st) == 2) && k >= 0 && k < n) {
			free(states[k]);
			states[k] = strdup(st);
		}
	}
	free(out);
}

/* What Slurm says of each task of the batch's jobs, into states[0..n)
 * (later jobs over earlier ones; a task it no longer knows stays NULL).
 * The strings are yours. */
static void slurm_states(json_t *b, int n, char **states)
{
	json_t *job;
	size_t i;

	json_array_foreach(json_object_get(b, "jobs"), i, job)
		if (json_string_value(json_object_get(job, "job")))
			job_states(json_string_value(json_object_get(job, "job")),
				   n, states);
}

/* Shard k of the batch in dir: its files, records, and whether its
 * task went through them all. */
static json_t *shard_state(const cluster_opts *o, const ingest_list *l,
			   int of, int k, const char *state)
{
	char path[4200];
	store_opts so = { .schema = o->schema };
	store *s = NULL;
	ingest_shard sh, at;
	json_t *sum = NULL, *stats = NULL;
	int done = 0;

	ingest_shard_of(l, k, of, &sh);
	snprintf(path, sizeof(path), "%s/shard-%d", o->dir, k);
	if (access(path, F_OK) == 0 && store_open(&s, path, &so) == 0 &&
	    ingest_shard_get(s, &at, &sum) == 0 && !strcmp(at.batch, sh.batch))
		done = ingest_shard_done(&sh, sum);
	if (s)
		store_stats(s, &stats);
	json_t *j = json_pack("{s:i, s:I, s:I, s:b, s:s?}", "shard", k, "files",
			      (json_int_t)sh.count, "records",
			      json_integer_value(json_object_get(stats, "records")),
			      "finished", done, "state", state);
	json_decref(stats);
	json_decref(sum);
	store_close(&s);
	return j;
}

int cluster_status(const cluster_opts *o, json_t **out)
{
	json_t *b = load_batch(o->dir), *shards = json_array();
	int n = (int)json_integer_value(json_object_get(b, "tasks")), fin = 0, act = 0;
	char **states = calloc((size_t)(n > 0 ? n : 1), sizeof(*states));
	char path[4200];
	ingest_list l = { .count = 0 };
	int rc = 0;

	*out = NULL;
	path_in(path, sizeof(path), o->dir, "files.txt");
	if (!b || n < 1)
		rc = base_fail(BASE_ENOTFOUND, "'%s' holds no batch (cluster "
			       "submit makes one)", o->dir);
	else if (!shards || !states)
		rc = base_fail(BASE_ENOMEM, "out of memory");
	else
		rc = ingest_list_read(path, &l);
	if (rc) {
		json_decref(b);
		json_decref(shards);
		free(states);
		return rc;
	}
	slurm_states(b, n, states);
	for (int k = 0; k < n; k++) {
		json_t *s = shard_state(o, &l, n, k, states[k]);
		fin += json_is_true(json_object_get(s, "finished"));
		act += active_state(states[k]);
		json_array_append_new(shards, s);
		free(states[k]);
	}
	free(states);
	*out = json_pack("{s:O, s:i, s:O, s:o, s:i, s:i}", "batch",
			 json_object_get(b, "batch"), "tasks", n, "files",
			 json_object_get(b, "files"), "shards", shards,
			 "finished", fin, "active", act);
	json_decref(b);
	ingest_list_free(&l);
	return *out ? 0 : base_fail(BASE_ENOMEM, "out of memory");
}

/* Whether the files given again are the batch's (a rerun may give none). */
static int same_files(const char *dir, char *const *files, size_t n)
{
	char path[4200];
	ingest_list l;
	int same;

	if (!n)
		return 1;
	path_in(path, sizeof(path), dir, "files.txt");
	if (ingest_list_read(path, &l))
		return 0;
	same = l.count == n;
	for (size_t i = 0; same && i < n; i++)
		same = !strcmp(l.files[i], files[i]);
	ingest_list_free(&l);
	return same;
}

/* sbatch of the tasks listed in array ("0,2-3"): the job's id into id. */
static int sbatch(const cluster_opts *o, json_t *b, const char *array,
		  char *id, size_t len)
{
	char arr[4096], cpus[32], log[4200], task[4200], part[256], name[96];
	char *out = NULL;
	int n = 0;
	char *argv[16];

	snprintf(arr, sizeof(arr), "--array=%s", array);
	snprintf(cpus, sizeof(cpus), "--cpus-per-task=%d",
		 (int)json_integer_value(json_object_get(b, "cpus")));
	snprintf(log, sizeof(log), "--output=%s/logs/task-%%a.log", o->dir);
	snprintf(name, sizeof(name), "--job-name=sohoa-%s",
		 json_string_value(json_object_get(b, "batch")));
	path_in(task, sizeof(task), o->dir, "task.sh");
	argv[n++] = "sbatch";
	argv[n++] = "--parsable";
	argv[n++] = arr;
	argv[n++] = cpus;
	argv[n++] = log;
	argv[n++] = name;
	if (o->partition) {
		snprintf(part, sizeof(part), "--partition=%s", o->partition);
		argv[n++] = part;
	}
	argv[n++] = task;
	argv[n] = NULL;
	int st = run_capture(argv, &out);
	if (st != 0) {
		int rc = base_fail(BASE_EIO, "sbatch failed: %s", out && *out
				   ? strtok(out, "\n") : "it could not run");
		free(out);
		return rc;
	}
	/* --parsable: "JOBID" or "JOBID;CLUSTER" */
	snprintf(id, len, "%.*s", (int)strcspn(out, ";\n"), out);
	free(out);
	return 0;
}

int cluster_submit(const cluster_opts *o, char *const *files, size_t n,
		   json_t **out)
{
	json_t *b = load_batch(o->dir), *st = NULL, *s;
	json_t *sub = json_array(), *fin = json_array(), *act = json_array();
	char array[4096] = "", job[64] = "";
	size_t i, at = 0;
	int rc = 0;

	*out = NULL;
	if (b && !same_files(o->dir, files, n))
		rc = base_fail(BASE_EINVAL, "'%s' holds batch %s of other files: "
			       "give another folder, or no files to finish it",
			       o->dir, json_string_value(json_object_get(b, "batch")));
	else if (b && o->tasks > 0 && o->tasks !=
		 json_integer_value(json_object_get(b, "tasks")))
		rc = base_fail(BASE_EINVAL, "'%s' holds batch %s of %lld tasks, "
			       "not %d", o->dir,
			       json_string_value(json_object_get(b, "batch")),
			       (long long)json_integer_value(json_object_get(b, "tasks")),
			       o->tasks);
	else if (!b)
		rc = batch_new(o, files, n, &b);
	if (rc == 0)
		rc = cluster_status(o, &st);
	json_array_foreach(json_object_get(st, "shards"), i, s) {
		json_t *k = json_object_get(s, "shard");
		const char *state = json_string_value(json_object_get(s, "state"));
		if (json_is_true(json_object_get(s, "finished"))) {
			json_array_append(fin, k);
		} else if (active_state(state)) {
			json_array_append(act, k);
		} else {
			json_array_append(sub, k);
			at += (size_t)snprintf(array + at, sizeof(array) - at, "%s%lld",
					       at ? "," : "", (long long)json_integer_value(k));
			if (at >= sizeof(array) - 16)
				break; /* the rest on the next rerun */
		}
	}
	if (rc == 0 && json_array_size(sub) && (rc = sbatch(o, b, array, job,
							      sizeof(job))) == 0) {
		char stamp[32];
		base_now_iso(stamp);
		json_array_append_new(json_object_get(b, "jobs"), json_pack(
			"{s:s, s:s, s:s}", "job", job, "tasks", array,
			"submitted", stamp));
		rc = save_batch(o->dir, b);
	}
	if (rc == 0)
		*out = json_pack("{s:O, s:s, s:s?, s:O, s:O, s:O}", "batch",
				 json_object_get(b, "batch"), "dir", o->dir,
				 "job", job[0] ? job : NULL, "submitted", sub,
				 "finished", fin, "active", act);
	if (rc == 0 && !*out)
		rc = base_fail(BASE_ENOMEM, "out of memory");
	json_decref(sub);
	json_decref(fin);
	json_decref(act);
	json_decref(st);
	json_decref(b);
	return rc;
}
