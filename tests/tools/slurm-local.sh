#!/bin/sh
# slurm-local.sh start|stop DIR - a Slurm of one node on this machine,
# all of it in DIR: munged with a key and socket of its own, slurmctld
# and slurmd with a configuration, ports and state of their own
# (proctrack/linuxproc, no cgroups: as root, on a machine without
# systemd). `start` prints the line to eval for the Slurm commands
# (SLURM_CONF); `stop` ends the three by their pids.
set -eu
what=$1 dir=$2
case $what in
start)
	mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
	chmod 711 "$dir" "$dir/munge"
	[ -f "$dir/munge/munge.key" ] || {
		dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 2>/dev/null
		chmod 400 "$dir/munge/munge.key"
	}
	munged -f --socket="$dir/munge/munge.sock" --key-file="$dir/munge/munge.key" \
		--log-file="$dir/log/munged.log" --pid-file="$dir/munge/munged.pid" \
		--seed-file="$dir/munge/seed"
	host=$(hostname -s)
	# ports of its own: from the pid, away from a real cluster's 6817
	base=$((20000 + ($$ % 2000) * 2))
	cat >"$dir/slurm.conf" <<CONF
ClusterName=sohoatest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.sock
CredType=cred/munge
SlurmctldPort=$base
SlurmdPort=$((base + 1))
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=3600
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=2000 State=UNKNOWN
PartitionName=sohoa Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
	SLURM_CONF="$dir/slurm.conf"
	export SLURM_CONF
	slurmctld -f "$SLURM_CONF"
	slurmd -f "$SLURM_CONF"
	# ready when the node takes work
	for i in $(seq 1 60); do
		if sinfo -h -o %t 2>/dev/null | grep -q '^idle'; then
			echo "SLURM_CONF=$SLURM_CONF; export SLURM_CONF"
			exit 0
		fi
		sleep 0.5
	done
	echo "slurm-local: the node did not come up; see $dir/log" >&2
	exit 1
	;;
stop)
	for p in slurmd.pid slurmctld.pid munge/munged.pid; do
		[ -f "$dir/$p" ] && kill "$(cat "$dir/$p")" 2>/dev/null || true
	done
	;;
*)
	echo "usage: slurm-local.sh start|stop DIR" >&2
	exit 2
	;;
esac
