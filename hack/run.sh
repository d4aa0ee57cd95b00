#!/usr/bin/env bash
# The main job on a fresh machine: builds what is missing (control-plane binaries, moto venv, the
# operator), starts the local control plane and moto, installs the CRDs of crds/, starts the operator
# as the Helm chart installs it (the chart's ServiceAccount and RBAC, profile cluster with leader
# election), applies examples/, prints `kubectl get ecs -A`, and keeps the operator running in the
# foreground until Ctrl-C (which stops the operator and the test ground).
# Set TIDEWATER_KEEP_GROUND=1 to leave the control plane running after the operator stops, and
# TIDEWATER_RUN_ONCE=1 to stop (exit 0) once the examples are Ready and the operator stayed up and
# ready for 30 s more without an RBAC denial, instead of waiting for Ctrl-C (hack/fresh-starts.sh);
# in that mode anything else exits 1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo_dir"

if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ -n "$(find src pom.xml -newer target/quarkus-app/quarkus-run.jar -print -quit)" ]; then
  log "building the operator"
  mvn -B -q package -DskipTests -Dspotless.check.skip=true
fi
"$hack_dir/testground.sh" up
# shellcheck disable=SC1091
. "$run_dir/env"
kubectl() { "$TIDEWATER_KUBECTL" --kubeconfig "$TIDEWATER_KUBECONFIG" "$@"; }
kubectl apply --server-side --force-conflicts --field-manager tidewater-install -f crds/ >/dev/null
kubectl wait --for condition=Established --timeout 60s -f crds/ >/dev/null

cleanup() {
  [ -n "${op_pid:-}" ] && kill "$op_pid" 2>/dev/null && wait "$op_pid" 2>/dev/null || true
  [ "${TIDEWATER_KEEP_GROUND:-}" = 1 ] || "$hack_dir/testground.sh" down
}
trap cleanup EXIT INT TERM

port=${TIDEWATER_HTTP_PORT:-8080}
log "starting the operator (health: http://127.0.0.1:$port/q/health, log: $run_dir/logs/operator.log)"
KUBECONFIG=$TIDEWATER_OPERATOR_KUBECONFIG QUARKUS_HTTP_PORT=$port \
  QUARKUS_PROFILE=cluster POD_NAMESPACE=$TIDEWATER_OPERATOR_NAMESPACE \
  TIDEWATER_AWS_ENDPOINT=$TIDEWATER_MOTO_ENDPOINT AWS_ACCESS_KEY_ID=$TIDEWATER_AWS_OPERATOR_ACCESS_KEY_ID \
  AWS_SECRET_ACCESS_KEY=$TIDEWATER_AWS_OPERATOR_SECRET_ACCESS_KEY \
  java -jar target/quarkus-app/quarkus-run.jar >"$run_dir/logs/operator.log" 2>&1 &
op_pid=$!
wait_for 90 "the operator's readiness" curl -fsS "http://127.0.0.1:$port/q/health/ready"

kubectl create namespace tidewater-examples --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply -n tidewater-examples -f examples/ >/dev/null
ready=0
kubectl wait -n tidewater-examples --for condition=Ready --timeout 90s service.ecs.tidewater.dev/web >/dev/null && ready=1
kubectl get ecs -A
if [ "$ready" != 1 ]; then
  log "Service web did not become Ready within 90 s; see $run_dir/logs/operator.log"
  [ "${TIDEWATER_RUN_ONCE:-}" = 1 ] && exit 1
fi
if [ "${TIDEWATER_RUN_ONCE:-}" = 1 ]; then
  # past the first lease renewals (a Role without patch on leases ended the operator after ~12 s):
  # alive and ready for 30 s, and never refused by RBAC
  for _ in $(seq 1 30); do
    kill -0 "$op_pid" 2>/dev/null || die "the operator exited; see $run_dir/logs/operator.log"
    curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null || die "the operator is not ready; see $run_dir/logs/operator.log"
    sleep 1
  done
  if grep -E 'forbidden: User "[^"]+" cannot|No permission to lease resource' "$run_dir/logs/operator.log"; then
    die "the operator was refused by RBAC; see $run_dir/logs/operator.log"
  fi
  log "examples Ready, the operator up and ready for 30 s more; stopping (TIDEWATER_RUN_ONCE)"
  exit 0
fi
log "operator running against $TIDEWATER_KUBECONFIG; Ctrl-C stops it"
log "try: $TIDEWATER_KUBECTL --kubeconfig $TIDEWATER_KUBECONFIG get ecs -A"
wait "$op_pid"
