#!/usr/bin/env bash
# Fetches the CRDs of Gateway API (HTTPRoute, Gateway, GatewayClass), of the AWS Load Balancer
# Controller (TargetGroupBinding) and of the External Secrets Operator (ExternalSecret) from their Go
# modules at the versions pinned in versions.env, and
# caches them outside the repository (keyed by version). Prints the directory holding the YAML files.
# Usage: hack/external-crds.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
out="$cache/crds/gateway-api-$GATEWAY_API_VERSION+aws-lbc-$AWS_LBC_VERSION+eso-$ESO_VERSION"
if [ ! -f "$out/.complete" ]; then
  mkdir -p "$out"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # a throwaway module: `go mod download` outside one needs an explicit version, which we have
  (cd "$tmp" && go mod init crds >/dev/null 2>&1 || true)
  dir() { (cd "$tmp" && go mod download -json "$1@$2") | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])'; }
  gw=$(dir sigs.k8s.io/gateway-api "$GATEWAY_API_VERSION")
  lbc=$(dir github.com/kubernetes-sigs/aws-load-balancer-controller "$AWS_LBC_VERSION")
  for kind in gatewayclasses gateways httproutes referencegrants; do
    cp "$gw/config/crd/standard/gateway.networking.k8s.io_$kind.yaml" "$out/"
  done
  cp "$lbc/config/crd/bases/elbv2.k8s.aws_targetgroupbindings.yaml" "$out/"
  eso=$(dir github.com/external-secrets/external-secrets "$ESO_VERSION")
  # in a directory of its own: the routing ITs apply every file of $out; the test ground installs
  # this one itself (hack/testground.sh up)
  mkdir -p "$out/eso"
  cp "$eso/config/crds/bases/external-secrets.io_externalsecrets.yaml" "$out/eso/"
  chmod u+w "$out"/*.yaml "$out"/eso/*.yaml
  touch "$out/.complete"
  log "external CRDs cached in $out"
fi
echo "$out"
