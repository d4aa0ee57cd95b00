#!/usr/bin/env bash
# Regenerates docs/api-reference.md from the committed CRDs (crds/); ApiReferenceTest fails
# when the committed reference is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test -Dtest=ApiReferenceTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtidewater.write-docs=true -Dspotless.check.skip=true
echo "docs/api-reference.md updated"
