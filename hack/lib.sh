# Shared shell functions of the hack/ scripts (sourced, not run).
hack_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(cd "$hack_dir/.." && pwd)
# shellcheck source=versions.env
. "$hack_dir/versions.env"
cache=${TIDEWATER_CACHE:-$HOME/.cache/tidewater}
run_dir=${TIDEWATER_RUN:-$cache/run/default}

k8s_bin() { echo "$cache/bin/kubernetes-$K8S_VERSION/$1"; }
etcd_bin() { echo "$cache/bin/etcd-$ETCD_VERSION/etcd"; }
kwok_bin() { echo "$cache/bin/kwok-$KWOK_VERSION/kwok"; }
moto_venv() { echo "$cache/venv/moto-$MOTO_VERSION"; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# free_ports N: N distinct free loopback ports, one per line (held open together while chosen, so
# servers started side by side never pick the same one).
free_ports() {
  python3 -c 'import socket,sys
s=[socket.socket() for _ in range(int(sys.argv[1]))]
[x.bind(("127.0.0.1",0)) for x in s]
print("\n".join(str(x.getsockname()[1]) for x in s))
[x.close() for x in s]' "$1"
}

# start_bg NAME CMD...: runs CMD in its own session, logs to $run_dir/logs/NAME.log, pid in $run_dir/pids.
start_bg() {
  local name=$1; shift
  mkdir -p "$run_dir/logs" "$run_dir/pids"
  setsid "$@" >"$run_dir/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$run_dir/pids/$name.pid"
}

# stop_bg NAME: TERM the process group, then KILL after 10 s.
stop_bg() {
  local f="$run_dir/pids/$1.pid" pid i
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

running() { local f="$run_dir/pids/$1.pid"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }

# wait_for SECONDS DESCRIPTION CMD...: polls CMD every 0.2 s until it succeeds.
wait_for() {
  local limit=$1 what=$2; shift 2
  local deadline=$(($(date +%s) + limit))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || die "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}
