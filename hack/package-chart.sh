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
mkdir -p helm/releases
rm -f "$pkg"
"$helm" package helm/tidewater --destination helm/releases >/dev/null
# index: the committed one (keeps the released entries as they are) plus the new package
base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT
git show HEAD:helm/releases/index.yaml >"$base/index.yaml" 2>/dev/null || rm -f "$base/index.yaml"
"$helm" repo index helm/releases --merge "$base/index.yaml"
log "$pkg packaged, helm/releases/index.yaml updated"
