#!/usr/bin/env bash
# Builds the test-ground binaries from their Go modules, pinned in hack/versions.env:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl and kwok.
# Binaries are cached outside the repository, keyed by version, so later runs skip the build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"
cache=${TIDEWATER_CACHE:-$HOME/.cache/tidewater}
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
bindir() { echo "$cache/bin/$1-$2"; }

build_k8s() {
  local out; out=$(bindir kubernetes "$K8S_VERSION")
  local cmds=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
  local missing=0
  for c in "${cmds[@]}"; do [ -x "$out/$c" ] || missing=1; done
  [ "$missing" = 0 ] && return 0
  local src="$cache/src/kubernetes-$K8S_VERSION"
  mkdir -p "$src" "$out"
  local minor=${K8S_VERSION#v1.}
  local staging="v0.$minor"
  # k8s.io/kubernetes cannot be `go install`ed: its staging modules are v0.0.0 + replaces.
  # A private module requires it and replaces each staging module with its published version.
  {
    echo "module tidewater.dev/testground"
    echo
    echo "go 1.25.0"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    curl -fsSL "https://proxy.golang.org/k8s.io/kubernetes/@v/$K8S_VERSION.mod" |
      sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#replace \1 => \1 '"$staging"'#p'
  } >"$src/go.mod"
  {
    echo "//go:build tools"
    echo "package tools"
    echo "import ("
    for c in "${cmds[@]}"; do echo "  _ \"k8s.io/kubernetes/cmd/$c\""; done
    echo ")"
  } >"$src/tools.go"
  (cd "$src" && go mod tidy -e >/dev/null 2>&1 || true)
  (cd "$src" && go mod download k8s.io/kubernetes)
  local major=1 minorno=${minor%%.*}
  local ld="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minorno -X $pkg.gitTreeState=clean"
  done
  for c in "${cmds[@]}"; do
    [ -x "$out/$c" ] && continue
    echo "building $c $K8S_VERSION" >&2
    (cd "$src" && go build -trimpath -ldflags "$ld" -tags tools -o "$out/$c.tmp" "k8s.io/kubernetes/cmd/$c")
    mv "$out/$c.tmp" "$out/$c"
  done
}

build_gobin() { # name version module-path
  local out; out=$(bindir "$1" "$2")
  [ -x "$out/$1" ] && return 0
  mkdir -p "$out"
  echo "building $1 $2" >&2
  GOBIN="$out" go install -trimpath -ldflags "-s -w" "$3@$2"
}

build_etcd() {
  local out; out=$(bindir etcd "$ETCD_VERSION")
  [ -x "$out/etcd" ] && return 0
  local src="$cache/src/etcd-$ETCD_VERSION"
  mkdir -p "$src" "$out"
  echo "building etcd $ETCD_VERSION" >&2
  # The server module carries replace directives, so it cannot be `go install`ed directly:
  # build it from a private module that requires the published version.
  printf 'module tidewater.dev/etcdbuild\n\ngo 1.25.0\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" >"$src/go.mod"
  printf '//go:build tools\npackage tools\nimport _ "go.etcd.io/etcd/server/v3"\n' >"$src/tools.go"
  (cd "$src" && go mod tidy -e >/dev/null 2>&1 || true)
  (cd "$src" && go build -trimpath -ldflags "-s -w" -o "$out/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$out/etcd.tmp" "$out/etcd"
}

start=$(date +%s)
build_etcd
build_gobin kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok
build_k8s
echo "control-plane binaries ready in $cache/bin ($(($(date +%s) - start)) s)" >&2
