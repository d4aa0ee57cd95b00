#!/usr/bin/env bash
# The test command: builds the test-ground binaries if missing (cached), starts the test ground and
# moto in a run directory of its own, runs every unit and integration test (`mvn verify`, which also
# checks formatting and the committed CRDs), then the Argo CD health checks and app-of-apps example
# through Argo CD's own code (hack/argocd-health), and stops everything again.
# Extra arguments go to Maven, e.g. hack/test.sh -Dit.test=OperatorIT
set -euo pipefail
export TIDEWATER_RUN=${TIDEWATER_RUN:-${TIDEWATER_CACHE:-$HOME/.cache/tidewater}/run/test}
. "$(dirname "$0")/lib.sh"
cd "$repo_dir"
trap '"$hack_dir/testground.sh" down' EXIT
"$hack_dir/testground.sh" down >/dev/null 2>&1 || true
"$hack_dir/testground.sh" up
export TIDEWATER_ENV="$run_dir/env"
mvn -B verify "$@"
(cd "$hack_dir/argocd-health" && GOTOOLCHAIN=local go test ./...)
