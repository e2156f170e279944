#!/usr/bin/env bash
# Stops the daemons test/slurm/start-slurm.sh started, by the process ids it recorded.
STATE=${1:-/tmp/dfl-slurm}
for name in slurmd slurmctld munged; do
  file="$STATE/$name.pid"
  [ -s "$file" ] || continue
  pid=$(cat "$file")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$file"
done
