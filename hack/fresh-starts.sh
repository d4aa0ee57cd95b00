#!/usr/bin/env bash
# Runs the main command (hack/run.sh) N times in a row from a cold test ground (a new run directory
# each time: new etcd, new API server, CRDs installed anew, the operator started right after them),
# each until the examples are Ready, and fails at the first start that does not get there.
#   hack/fresh-starts.sh [N]   (default 10)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
n=${1:-10}
base=$(mktemp -d "${TMPDIR:-/tmp}/tidewater-fresh.XXXXXX")
trap 'rm -rf "$base"' EXIT
for i in $(seq 1 "$n"); do
  start=$(date +%s)
  if ! TIDEWATER_RUN="$base/run-$i" TIDEWATER_RUN_ONCE=1 "$hack_dir/run.sh" >"$base/run-$i.log" 2>&1; then
    cat "$base/run-$i.log" >&2
    [ -f "$base/run-$i/logs/operator.log" ] && tail -n 50 "$base/run-$i/logs/operator.log" >&2
    die "fresh start $i of $n failed"
  fi
  log "fresh start $i of $n: examples Ready in $(($(date +%s) - start)) s"
done
log "$n fresh starts in a row passed"
