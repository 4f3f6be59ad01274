#!/usr/bin/env bash
# The pre-commit hook end to end: `pre-commit try-repo` runs this repository's
# rota-check-system hook on a copy of the example data with a typo'd key; the hook must
# fail and name the key. (rota-check, which builds rota with cargo, runs the same entry.)
# Usage: PRE_COMMIT=path/to/pre-commit ROTA=target/debug/rota scripts/pre-commit-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
pre_commit=$(command -v "${PRE_COMMIT:-pre-commit}" || true)
[[ -n "$pre_commit" ]] || { echo "pre-commit-check: pre-commit not found" >&2; exit 1; }
pre_commit=$(realpath "$pre_commit")
rota=$(realpath "${ROTA:-target/debug/rota}")
hooks_repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/data"
ln -s "$rota" "$work/bin/rota"
cp -r rota runbooks "$work/data/"
sed -i '3s/opted_in:/opted_inn:/' "$work/data/rota/people.yaml"
cd "$work/data"
git init -q
git add -A
set +e
PATH="$work/bin:$PATH" PRE_COMMIT_HOME="$work/home" \
  "$pre_commit" try-repo "$hooks_repo" rota-check-system --files rota/people.yaml >"$work/out" 2>&1
code=$?
set -e
if [[ $code -eq 0 ]] || ! grep -q 'unknown field `opted_inn`' "$work/out"; then
  cat "$work/out" >&2
  echo "pre-commit-check: the hook did not fail on a typo'd key (exit $code)" >&2
  exit 1
fi
echo "pre-commit-check: ok (the hook fails on a typo'd key)"
