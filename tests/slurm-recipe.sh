#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Slurm recipe of examples/, for real: start munge and a one-node Slurm (slurmctld + slurmd from
# Debian's slurm-wlm) on localhost with a generated slurm.conf in a temporary directory, submit
# examples/slurm-map.sbatch as an array job, wait, merge with examples/slurm-merge.sh and compare
# with the same map computed in one run, byte for byte; a part left over from an earlier job is
# refused, and a lost part is run again alone. Needs root (slurmd launches the tasks) and
# the packages slurm-wlm and munge; not part of make check, since it starts daemons.
#   tests/slurm-recipe.sh [PATH/TO/calcium-stdp]     (from the source tree, after make)
# Prints TAP. Everything it starts is stopped on the way out; nothing outside the temporary
# directory is touched (the daemons use their own sockets, ports, spool and state directories).
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
prog=$(realpath "${1:-${CALCIUM_STDP:-$src/calcium-stdp}}")
tasks=${TASKS:-3}
map="--map theta_d=0.7:1.3:4 --map theta_p=1.2:2.4:5 --reps 300 --set points=21 --seed 11"
n=0 failed=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
for tool in munged slurmctld slurmd sbatch squeue scontrol; do
	command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin
	if ! command -v "$tool" >/dev/null; then
		echo "1..0 # SKIP $tool is not installed (apt-get install slurm-wlm munge)"
		exit 0
	fi
done
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root: slurmd starts the tasks"
	exit 0
fi
tmp=$(mktemp -d /tmp/cstdp-slurm.XXXXXX)
chmod 700 "$tmp"
cleanup() {
	for pidfile in "$tmp/slurmd.pid" "$tmp/slurmctld.pid" "$tmp/munged.pid"; do
		[ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
	done
	sleep 1
	[ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

# munge: its own key, socket and files.
dd if=/dev/urandom of="$tmp/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge.key"
munged --key-file="$tmp/munge.key" --socket="$tmp/munge.sock" --pid-file="$tmp/munged.pid" \
	--log-file="$tmp/munged.log" --seed-file="$tmp/munged.seed" --force
ok $? "munged starts on a private socket"

# Ports in the dynamic range, chosen per run so that two runs do not collide.
port=$((20000 + $$ % 20000))
cpus=$(nproc)
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/work"
cat > "$tmp/slurm.conf" <<CONF
ClusterName=cstdp-test
SlurmctldHost=localhost
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge.sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=localhost NodeHostname=$(hostname) NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf
slurmctld -i
ok $? "slurmctld starts"
slurmd -N localhost
ok $? "slurmd starts"

# Wait for the node to come up (at most 30 s).
up=1
for _ in $(seq 60); do
	state=$(sinfo -h -N -o %T 2>/dev/null | head -1)
	case $state in idle | idle\*) up=0; break ;; esac
	sleep 0.5
done
ok $up "the node is idle (state: ${state:-none})"
sinfo | sed "s/^/# /"

# wait_job JOB: until the job has left the queue (at most 5 min); 0 when it has.
wait_job() {
	for _ in $(seq 600); do
		[ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return 0
		sleep 0.5
	done
	return 1
}

cd "$tmp/work" || exit 1
# An earlier job in the same folder: another seed, one part more. Its last part stays behind.
stale=$((tasks + 1))
job=$(CALCIUM_STDP=$prog CSTDP_ARGS="$map --seed 12" sbatch --parsable --export=ALL --array=1-"$stale" \
	"$src/examples/slurm-map.sbatch" "$stale")
ok $? "sbatch accepts an earlier job of $stale parts ($job)"
wait_job "$job"
ok $? "the earlier job finished"

# The array job, from the work directory, as a user would submit it.
echo "# sbatch --array=1-$tasks $src/examples/slurm-map.sbatch $tasks"
job=$(CALCIUM_STDP=$prog CSTDP_ARGS="$map" sbatch --parsable --export=ALL --array=1-"$tasks" \
	"$src/examples/slurm-map.sbatch" "$tasks")
ok $? "sbatch accepts the array job ($job)"
t0=$(date +%s)
wait_job "$job"
ok $? "all $tasks array tasks finished ($(($(date +%s) - t0)) s)"
ls -l parts | sed "s/^/# /"
! ls parts | grep -q tmp
ok $? "no temporary part is left behind"
stalepart=$(printf 'part-%06d.csv' "$stale")
CALCIUM_STDP=$prog "$src/examples/slurm-merge.sh" merged.csv parts 2>err
rc=$?
sed 's/^/# /' err
[ $rc = 2 ] && [ ! -e merged.csv ] && grep -q "$stalepart: part $stale/$stale is of another run" err
ok $? "the stale part of the earlier job is refused, naming it, and merged.csv is not written"
rm -f "parts/$stalepart"

# One part lost, run again alone with one command.
rm -f parts/part-000002.csv
CALCIUM_STDP=$prog "$src/examples/slurm-merge.sh" merged.csv parts 2>err
rc=$?
[ $rc = 2 ] && [ ! -e merged.csv ] && grep -q "missing: 2/$tasks" err
ok $? "a lost part is refused as missing ($(cat err))"
echo "# sbatch --array=2 $src/examples/slurm-map.sbatch $tasks"
job=$(CALCIUM_STDP=$prog CSTDP_ARGS="$map" sbatch --parsable --export=ALL --array=2 \
	"$src/examples/slurm-map.sbatch" "$tasks")
ok $? "sbatch accepts part 2 of $tasks alone ($job)"
wait_job "$job" && [ -s parts/part-000002.csv ]
ok $? "part 2 was written again"
CALCIUM_STDP=$prog "$src/examples/slurm-merge.sh" merged.csv parts
ok $? "slurm-merge.sh merges $tasks parts"
# shellcheck disable=SC2086 # map is a list of options
"$prog" --batch $map > single.csv
ok $? "the same map in one run"
cmp merged.csv single.csv
ok $? "merged parts = the single run, byte for byte ($(wc -l < single.csv) lines, $(wc -c < single.csv) bytes)"
echo "# the merged map:"
sed 's/^/#   /' merged.csv
if [ $failed != 0 ]; then
	echo "# logs in $tmp (kept)"
	KEEP=1
	tail -n 20 "$tmp"/*.log "$tmp"/work/slurm-*.out 2>/dev/null | sed 's/^/# /'
fi
echo "1..$n"
exit $failed
