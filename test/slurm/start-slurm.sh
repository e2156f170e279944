#!/usr/bin/env bash
# Starts a single-node Slurm (munged, slurmctld, slurmd) for the sweep tests, as root, without
# systemd: state, spool, logs and slurm.conf under STATE_DIR (default /tmp/dfl-slurm). Prints
# `export SLURM_CONF=…` for the clients (sbatch, squeue, sinfo). The daemons' process ids are in
# STATE_DIR/*.pid; test/slurm/stop-slurm.sh STATE_DIR stops exactly those.
# Needs: apt-get install -y slurm-wlm munge.
set -euo pipefail
STATE=${1:-/tmp/dfl-slurm}
for cmd in munged slurmctld slurmd sinfo; do command -v "$cmd" >/dev/null || { echo "start-slurm: $cmd not found (apt-get install -y slurm-wlm munge)" >&2; exit 3; }; done
[ "$(id -u)" = 0 ] || { echo "start-slurm: must run as root" >&2; exit 3; }
mkdir -p "$STATE/spool" "$STATE/state" "$STATE/log"
HOST=$(hostname -s)

# munge: the key and folders owned by munge; munged as the munge user (unless one is running).
mkdir -p /run/munge /var/lib/munge /var/log/munge /etc/munge
chown munge:munge /run/munge /var/lib/munge /var/log/munge /etc/munge
chmod 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
fi
if ! munge -n >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  cp /run/munge/munged.pid "$STATE/munged.pid"
fi

CPUS=$(nproc)
cat > "$STATE/slurm.conf" <<CONF
ClusterName=dfl
SlurmctldHost=$HOST
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SchedulerType=sched/backfill
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmdSpoolDir=$STATE/spool
StateSaveLocation=$STATE/state
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
NodeName=$HOST CPUs=$CPUS RealMemory=2000 State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
# cgroup.conf is read by some plugins even when unused; an empty one keeps them quiet.
: > "$STATE/cgroup.conf"
export SLURM_CONF="$STATE/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 150); do
  if sinfo -h -o %T 2>/dev/null | grep -qx idle; then echo "export SLURM_CONF=$SLURM_CONF"; exit 0; fi
  sleep 0.2
done
echo "start-slurm: the node did not become idle in 30 s; see $STATE/log" >&2
exit 1
