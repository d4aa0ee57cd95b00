#!/usr/bin/env bash
# Regenerates the CRDs from the Java classes and copies them to crds/ and to the Helm chart's crds/
# (committed, checked by CrdsUpToDateIT and HelmChartCrdsTest); then re-renders deploy/ and the
# API reference (docs/api-reference.md).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo_dir"
mvn -B -q package -DskipTests -Dspotless.check.skip=true
rm -f crds/*.yml helm/tidewater/crds/*.yml
mkdir -p crds helm/tidewater/crds
cp target/kubernetes/*.ecs.tidewater.dev-v1.yml crds/
cp crds/*.yml helm/tidewater/crds/
log "crds/ and helm/tidewater/crds/ updated: $(ls crds | tr '\n' ' ')"
"$hack_dir/update-deploy.sh"
"$hack_dir/update-api-docs.sh"
if ! git diff --quiet -- helm/tidewater/crds; then
  log "helm/tidewater changed: bump its version in Chart.yaml and run hack/package-chart.sh"
fi
