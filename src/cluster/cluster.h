/* cluster.h - a batch spread over a Slurm cluster: its file list and a
 * job array script written into a folder on shared storage, each task
 * an `ingest --shard` into a store of its own there, submitted with
 * sbatch; what Slurm (squeue) and the shard stores say of it. The merge
 * is ingest's (ingest_merge). Slurm is asked through its commands, as
 * a person would: sbatch, squeue and (where accounting is kept) sacct
 * are found on PATH. */
#ifndef CLUSTER_H
#define CLUSTER_H

#include <jansson.h>
#include <stddef.h>

#include "../index/index.h"

typedef struct cluster_opts {
	const char *dir;       /* the batch's folder (shared storage) */
	int tasks;             /* array tasks (submit; 0 on a rerun) */
	int cpus;              /* CPUs a task (--cpus-per-task), >= 1 */
	const char *partition; /* sbatch --partition, or NULL */
	const char *sohoa;     /* the program the tasks run (absolute) */
	const char *config;    /* the configuration they read, or NULL */
	const index_schema *schema; /* to open the shard stores */
} cluster_opts;

/* cluster_submit - the batch of files (n of them; none on a rerun)
 * into o->dir: the first time its list (ingest_list_write, absolute
 * paths), the task script and cluster.json (the batch's name, tasks,
 * jobs); then one sbatch of the array tasks that are missing: neither
 * finished (their shard store says so) nor pending or running (squeue
 * says so). A rerun with files of another batch is refused
 * (BASE_EINVAL, naming the folder). *out (yours): {"batch", "dir",
 * "job" (null when nothing was missing), "submitted", "finished",
 * "active" (task indexes)}. sbatch's failure is BASE_EIO with what it
 * said. */
int cluster_submit(const cluster_opts *o, char *const *files, size_t n,
		   json_t **out);

/* cluster_status - what Slurm and the shard stores say of the batch in
 * o->dir: *out (yours) {"batch", "tasks", "files", "shards": [{"shard",
 * "files", "records", "finished", "state" (Slurm's: PENDING, RUNNING,
 * COMPLETED, CANCELLED, FAILED...: squeue's, else sacct's; null when
 * neither knows the task)}], "finished", "active"}. BASE_ENOTFOUND when the folder holds
 * no batch. */
int cluster_status(const cluster_opts *o, json_t **out);

#endif
