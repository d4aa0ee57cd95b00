#!/usr/bin/env bash
# Renders the Helm chart with its default values into deploy/ (a kustomization for users without
# Helm). Committed; DeployManifestsIT fails when deploy/ differs from a fresh render.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo_dir"
helm=${TIDEWATER_HELM:-$("$hack_dir/build-helm.sh")}
mkdir -p deploy
"$helm" template tidewater helm/tidewater --namespace tidewater-system --include-crds \
  >deploy/tidewater.yaml
log "deploy/tidewater.yaml rendered from helm/tidewater"
