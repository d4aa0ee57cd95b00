#!/usr/bin/env bash
# Builds helm from its Go module at HELM_VERSION (hack/versions.env) and caches it outside the
# repository, keyed by version, so later runs skip the build. Prints the binary's path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"
cache=${TIDEWATER_CACHE:-$HOME/.cache/tidewater}
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
out="$cache/bin/helm-$HELM_VERSION"
if [ ! -x "$out/helm" ]; then
  mkdir -p "$out"
  echo "building helm $HELM_VERSION" >&2
  start=$(date +%s)
  # helm's module has no replace directives, so `go install` works; the version variable is
  # set so that `helm version` reports the pinned release instead of "v3.x-dirty".
  GOBIN="$out" go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  echo "helm $HELM_VERSION built in $(($(date +%s) - start)) s" >&2
fi
echo "$out/helm"
