#!/usr/bin/env bash
# Regenerates the CRDs from the Java classes and copies them to crds/ (committed, checked by CrdsUpToDateIT).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo_dir"
mvn -B -q package -DskipTests -Dspotless.check.skip=true
rm -f crds/*.yml
mkdir -p crds
cp target/kubernetes/*.ecs.tidewater.dev-v1.yml crds/
log "crds/ updated: $(ls crds | tr '\n' ' ')"
