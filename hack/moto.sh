#!/usr/bin/env bash
# moto in server mode on loopback for the ECS, ELBv2, IAM, Application Auto Scaling and EC2 APIs,
# behind the strict AWS layer (hack/strict-aws: AWS's model constraints, the operator limited to
# deploy/iam-policy.json, AWS behaviours moto lacks), in one process.
#   hack/moto.sh install   create the venv with moto[server] (cached, keyed by version)
#   hack/moto.sh start     start on a free loopback port; prints the endpoint (the strict layer)
#   hack/moto.sh stop
set -euo pipefail
. "$(dirname "$0")/lib.sh"

install_moto() {
  local venv; venv=$(moto_venv)
  [ -x "$venv/bin/moto_server" ] && return 0
  log "installing moto[server]==$MOTO_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
}

start_moto() {
  install_moto
  if running moto; then cat "$run_dir/moto.endpoint"; return 0; fi
  # TIDEWATER_MOTO_PORT: a port chosen by the caller (hack/testground.sh picks it with the ports of
  # what starts beside moto, so that no two servers pick the same free port)
  local port; port=${TIDEWATER_MOTO_PORT:-$(free_port)}
  # MOTO_ECS_SERVICE_RUNNING: the runningCount a new service reports when the strict layer's ECS
  # scheduler is switched off (`ecsScheduler: false`; with it on, services run real tasks in moto and
  # report them); set TIDEWATER_MOTO_ECS_SERVICE_RUNNING to change it.
  # MOTO_IAM_LOAD_MANAGED_POLICIES: AWS managed policy ARNs exist.
  # The operator's keys get deploy/iam-policy.json (TIDEWATER_STRICT_OPERATOR_POLICY: another file,
  # e.g. to try a policy change before committing it).
  start_bg moto env MOTO_ECS_SERVICE_RUNNING="${TIDEWATER_MOTO_ECS_SERVICE_RUNNING:-1}" \
    MOTO_IAM_LOAD_MANAGED_POLICIES=true \
    AWS_DEFAULT_REGION=us-east-1 "$(moto_venv)/bin/python" "$hack_dir/strict-aws/strict_aws.py" \
    --host 127.0.0.1 --port "$port" --operator-policy "${TIDEWATER_STRICT_OPERATOR_POLICY:-$repo_dir/deploy/iam-policy.json}"
  wait_for 60 "moto on port $port" curl -fsS "http://127.0.0.1:$port/moto-api/data.json"
  echo "http://127.0.0.1:$port" >"$run_dir/moto.endpoint"
  cat "$run_dir/moto.endpoint"
}

case "${1:-}" in
  install) install_moto ;;
  start) start_moto ;;
  stop) stop_bg moto; rm -f "$run_dir/moto.endpoint" ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
