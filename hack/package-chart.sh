#!/usr/bin/env bash
# Packages helm/tidewater into helm/releases/tidewater-<version>.tgz and adds it to
# helm/releases/index.yaml (a Helm chart repository, committed). Every change to the chart is a new
# chart version: bump `version` in helm/tidewater/Chart.yaml, then run this. A package already
# committed is a release and is never replaced; an uncommitted one (the version being worked on)
# is packaged again. HelmChartReleasesTest fails when the chart differs from the package of its
# version; HelmUpgradeIT upgrades the previous release to the chart with --reuse-values.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo_dir"
helm=${TIDEWATER_HELM:-$("$hack_dir/build-helm.sh")}
version=$(awk '$1 == "version:" {print $2}' helm/tidewater/Chart.yaml | tr -d '"')
[ -n "$version" ] || die "no version in helm/tidewater/Chart.yaml"
pkg=helm/releases/tidewater-$version.tgz
if git cat-file -e "HEAD:$pkg" 2>/dev/null; then
  die "$pkg is committed: chart $version is released. Bump version in helm/tidewater/Chart.yaml"
fi
# Indexed on its own and merged into the committed index, so released entries stay as they are.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$helm" package helm/tidewater --destination "$tmp" >/dev/null
git show HEAD:helm/releases/index.yaml >"$tmp/released.yaml" 2>/dev/null || rm -f "$tmp/released.yaml"
"$helm" repo index "$tmp" --merge "$tmp/released.yaml"
mkdir -p helm/releases
mv "$tmp/tidewater-$version.tgz" "$pkg"
mv "$tmp/index.yaml" helm/releases/index.yaml
log "$pkg packaged, helm/releases/index.yaml updated"
