#!/usr/bin/env bash
# The benchmark of issues 9 and 18, one command: builds what is missing, starts a test ground of its
# own (kube-controller-manager and kube-scheduler with raised --kube-api-qps / --kube-api-burst,
# moto), runs the floor runs (no operator yet), then the packaged operator
# (target/quarkus-app/quarkus-run.jar, own JVM, fixed heap, the ground's operator credential) and the
# driver (dev.tidewater.bench.Benchmark, on the test classpath), prints the table and writes the JSON
# results. See docs/benchmarks.md.
#
#   hack/bench/run.sh [--sizes 100,1000,3000|none] [--rate all,20] [--out target/bench/results.json]
#                     [--resync 60] [--steady all|none|N,...] [--floor all|none|N,...]
#                     [--ecs 200|0] [--routes 40|0] [--listeners 2]
#                     [--pin auto|none|CP_CPUS:OP_CPUS] [--pin-sizes 1000|none|N,...]
#                     [--memory-point 10000|0] [--memory-batch 1000] [--heap 2g]
#                     [--timeout 900] [--keep-ground]
#
# Environment: TIDEWATER_RUN (default ~/.cache/tidewater/run/bench), TIDEWATER_KCM_QPS /
# TIDEWATER_KCM_BURST (default 500 / 1000, for both kube-controller-manager and kube-scheduler),
# TIDEWATER_BENCH_OPERATOR_OPTS (extra JVM options of the operator, e.g. a JFR recording),
# TIDEWATER_LBC (default 0: the ground's Load Balancer Controller has nothing to do here, and watching
# every pod it would take CPU from the operator; 1 starts it).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$repo_dir"

keep_ground=
args=()
for a in "$@"; do
  case "$a" in
    --keep-ground) keep_ground=1 ;;
    -h|--help) sed -n "2,20p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$a") ;;
  esac
done

export TIDEWATER_RUN=${TIDEWATER_RUN:-$cache/run/bench}
export TIDEWATER_KCM_QPS=${TIDEWATER_KCM_QPS:-500}
export TIDEWATER_KCM_BURST=${TIDEWATER_KCM_BURST:-1000}
export TIDEWATER_LBC=${TIDEWATER_LBC:-0}
run_dir=$TIDEWATER_RUN
mkdir -p target/bench

# the operator as packaged, and the driver's classes (package compiles the tests too)
if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ ! -d target/test-classes/dev/tidewater/bench ] \
  || [ -n "$(find src pom.xml -newer target/quarkus-app/quarkus-run.jar -print -quit)" ]; then
  log "building the operator and the benchmark driver"
  mvn -B -q package -DskipTests -Dspotless.check.skip=true
fi
cp_file=target/bench/classpath.txt
if [ ! -s "$cp_file" ] || [ pom.xml -nt "$cp_file" ]; then
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
fi

"$hack_dir/testground.sh" up
if [ -z "$keep_ground" ]; then
  trap '"$hack_dir/testground.sh" down' EXIT
fi

# what the control plane really runs with (an already running ground keeps its own flags)
flag() { # component flag
  tr '\0' '\n' <"/proc/$(cat "$run_dir/pids/$1.pid")/cmdline" | grep -A1 -x -- "$2" | tail -1
}
for c in kube-controller-manager kube-scheduler; do
  log "$c: --kube-api-qps $(flag "$c" --kube-api-qps) --kube-api-burst $(flag "$c" --kube-api-burst)"
done
TIDEWATER_KCM_QPS=$(flag kube-controller-manager --kube-api-qps)
TIDEWATER_KCM_BURST=$(flag kube-controller-manager --kube-api-burst)

# the driver's informers hold every Service and Deployment of a run: 10,000 at the memory point
java -Xmx2g -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  dev.tidewater.bench.Benchmark "${args[@]}"
