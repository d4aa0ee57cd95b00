#!/usr/bin/env bash
# Builds the AWS Load Balancer Controller from its Go module at AWS_LBC_VERSION (hack/versions.env)
# and caches the binary and the controller's own CRDs outside the repository, keyed by version, so
# later runs skip the build (about 4 minutes on two cores with a warm module cache). Prints the
# directory holding `controller` and `crds/`.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
out="$cache/bin/aws-load-balancer-controller-$AWS_LBC_VERSION"
if [ ! -x "$out/controller" ]; then
  mkdir -p "$out"
  log "building the AWS Load Balancer Controller $AWS_LBC_VERSION"
  start=$(date +%s)
  # The proxy serves the module only under its GitHub path while its go.mod declares
  # sigs.k8s.io/aws-load-balancer-controller, so `go install` refuses it: build in a writable copy of
  # the downloaded source instead (its go.mod and go.sum pin every dependency).
  tmp=$(mktemp -d)
  trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
  (cd "$tmp" && go mod init lbcbuild >/dev/null 2>&1)
  dir=$(cd "$tmp" && go mod download -json "github.com/kubernetes-sigs/aws-load-balancer-controller@$AWS_LBC_VERSION" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  cp -r "$dir" "$tmp/src"
  chmod -R u+w "$tmp/src"
  (cd "$tmp/src" && go build -trimpath -ldflags "-s -w" -o "$out/controller.tmp" .)
  mkdir -p "$out/crds"
  cp "$tmp/src"/config/crd/bases/*.yaml "$out/crds/"
  chmod u+w "$out"/crds/*.yaml
  mv "$out/controller.tmp" "$out/controller"
  log "AWS Load Balancer Controller built in $(($(date +%s) - start)) s"
fi
echo "$out"
