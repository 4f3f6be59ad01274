#!/usr/bin/env bash
# The JSON Schemas, checked by an independent validator (check-jsonschema, from PyPI):
#  1. the generated schemas are valid JSON Schema (their metaschema);
#  2. every example data file (rota/**/*.yaml, runbook front matter) passes its schema;
#  3. each broken file in tests/fixtures/schema-broken/ (a typo'd key, a wrong type, a
#     bad enum value, ...) is rejected by its schema AND by `rota check` (exit 1, a
#     `parse` finding in that file);
#  4. the JSON outputs (check, now, shifts, report, review, toil, api/oncall.json) pass
#     their schemas;
#  5. the GitHub workflows (this repository's and the one `rota init` writes) pass
#     check-jsonschema's vendored workflow schema, the .gitlab-ci.yml that
#     `rota init --gitlab` writes (and docs/ci.md shows) passes its GitLab CI schema,
#     and the data files `rota init` writes pass the schemas it writes beside them.
# Usage: scripts/schema-check.sh   (CHECK_JSONSCHEMA=path/to/check-jsonschema, ROTA=path)
set -euo pipefail
cd "$(dirname "$0")/.."

check=${CHECK_JSONSCHEMA:-check-jsonschema}
if ! command -v "$check" >/dev/null; then
  echo "schema-check: $check not found (python3 -m venv V && V/bin/pip install check-jsonschema)" >&2
  exit 1
fi
if [[ -z "${ROTA:-}" ]]; then
  cargo build --quiet
  ROTA=target/debug/rota
fi
today=2026-11-22
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

"$ROTA" schema --out "$work/schema"
schema() { echo "$work/schema/$1.schema.json"; }

echo "== the schemas are valid JSON Schema"
"$check" --check-metaschema "$work"/schema/*.json || fail "metaschema"

# The schema kind of a data file, by its path in a data repository.
kind_of() {
  case "$1" in
    rota/config.yaml) echo config ;;
    rota/people.yaml) echo people ;;
    rota/rotas/*.yaml | rota/rotas/*.yml) echo rota ;;
    rota/alerts/*.yaml | rota/alerts/*.yml) echo alerts ;;
    rota/services.yaml) echo services ;;
    rota/leave.yaml) echo leave ;;
    rota/pages/*.yaml | rota/pages/*.yml) echo pages ;;
    runbooks/*.md) echo runbook ;;
    *) echo "" ;;
  esac
}

# A runbook's front matter as a YAML file of its own (lines between the opening and
# closing `---`); prints its path, or nothing when there is no front matter.
front_matter() {
  local md=$1 out=$2
  if [[ "$(head -n 1 "$md" | tr -d '\r')" != "---" ]]; then
    return 0
  fi
  mkdir -p "$(dirname "$out")"
  awk 'NR == 1 { next } /^---[[:space:]]*$/ { exit } { print }' "$md" >"$out"
  echo "$out"
}

# Validates one data file (path relative to its repository `$2`) against its schema.
validate_data() {
  local rel=$1 root=$2 kind file
  kind=$(kind_of "$rel")
  [[ -n "$kind" ]] || { echo "no schema for $rel" >&2; return 2; }
  file="$root/$rel"
  if [[ "$kind" == runbook ]]; then
    file=$(front_matter "$file" "$work/front-matter/$RANDOM-$(basename "$rel" .md).yaml")
    [[ -n "$file" ]] || return 0
  fi
  "$check" --schemafile "$(schema "$kind")" "$file"
}

echo "== every example data file passes its schema"
count=0
while IFS= read -r rel; do
  validate_data "$rel" . >/dev/null || { validate_data "$rel" . || true; fail "$rel"; }
  count=$((count + 1))
done < <(find rota runbooks -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.md' \) | sort)
echo "$count files checked"
[[ $count -ge 10 ]] || fail "too few example files found ($count)"

echo "== broken files are rejected by the schema and by rota check"
cases=0
for case_dir in tests/fixtures/schema-broken/*/; do
  while IFS= read -r rel; do
    cases=$((cases + 1))
    name="$(basename "$case_dir"): $rel"
    if validate_data "$rel" "$case_dir" >"$work/out" 2>&1; then
      fail "$name: the schema accepts it"
    else
      echo "schema rejects $name: $(grep -m1 -v '^Schema validation errors' "$work/out" | sed 's/^ *//')"
    fi
    repo="$work/repo-$cases"
    mkdir -p "$repo"
    cp -r rota runbooks "$repo/"
    cp "$case_dir/$rel" "$repo/$rel"
    set +e
    "$ROTA" --root "$repo" --today "$today" check --format json >"$work/check.json"
    code=$?
    set -e
    if [[ $code -ne 1 ]]; then
      fail "$name: rota check exits $code, not 1"
    elif ! python3 - "$work/check.json" "$rel" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
hits = [f for f in report["findings"] if f["rule"] == "parse" and f["file"] == sys.argv[2]]
for f in hits:
    print(f"rota check rejects it: {f['file']}:{f['line']}:{f['column']}: {f['message']}")
sys.exit(0 if hits else 1)
EOF
    then
      fail "$name: rota check reports no parse finding in $rel"
    fi
  done < <(cd "$case_dir" && find . -type f | sed 's|^\./||' | sort)
done
[[ $cases -ge 4 ]] || fail "too few broken cases ($cases)"

echo "== JSON outputs pass their schemas"
out_json() { "$ROTA" --root . --today "$today" "$@"; }
out_json check --format json >"$work/check.out.json" || true
out_json now --format json >"$work/now.out.json"
out_json shifts --format json >"$work/shifts.out.json"
out_json report --format json >"$work/report.out.json"
"$ROTA" --root . --today 2027-06-01 review --format json >"$work/review.out.json"
for kind in check now shifts report review; do
  "$check" --schemafile "$(schema "$kind")" "$work/$kind.out.json" || fail "$kind output"
done
out_json toil --month 2026-10 --format json >"$work/toil.out.json"
"$check" --schemafile "$(schema toil)" "$work/toil.out.json" || fail "toil output"
SOURCE_DATE_EPOCH=1790000000 "$ROTA" --root . --today "$today" build --out "$work/public" >/dev/null
"$check" --schemafile "$(schema oncall)" "$work/public/api/oncall.json" || fail "api/oncall.json"
cmp -s "$work/public/schema/rota.schema.json" "$(schema rota)" || fail "the site's schema/rota.schema.json differs from rota schema"

echo "== CI files pass check-jsonschema's vendored schemas"
"$check" --builtin-schema vendor.github-workflows .github/workflows/*.yml || fail "GitHub workflows"
"$ROTA" init "$work/github-repo" >/dev/null
"$ROTA" init "$work/gitlab-repo" --gitlab >/dev/null
"$check" --builtin-schema vendor.github-workflows "$work"/github-repo/.github/workflows/*.yml || fail "rota init's workflow"
"$check" --builtin-schema vendor.gitlab-ci "$work/gitlab-repo/.gitlab-ci.yml" || fail "rota init --gitlab's .gitlab-ci.yml"

echo "== rota init's data files pass the schemas it writes beside them"
for repo in "$work/github-repo" "$work/gitlab-repo"; do
  while IFS= read -r rel; do
    validate_data "$rel" "$repo" >/dev/null || { validate_data "$rel" "$repo" || true; fail "init: $rel"; }
  done < <(cd "$repo" && find rota runbooks -type f | sort)
  "$check" --check-metaschema "$repo"/.rota/schema/*.json >/dev/null || fail "init: schemas"
done

# The .gitlab-ci.yml docs/ci.md shows: the yaml block after `<!-- gitlab-ci -->`.
awk '/<!-- gitlab-ci -->/ { found = 1; next } found && /^```yaml/ { inside = 1; next } inside && /^```/ { exit } inside { print }' docs/ci.md >"$work/docs-gitlab-ci.yml"
if [[ -s "$work/docs-gitlab-ci.yml" ]]; then
  "$check" --builtin-schema vendor.gitlab-ci "$work/docs-gitlab-ci.yml" || fail "docs/ci.md's .gitlab-ci.yml"
else
  fail "docs/ci.md shows no .gitlab-ci.yml (a yaml block after <!-- gitlab-ci -->)"
fi

if [[ $failures -gt 0 ]]; then
  echo "schema-check: $failures failure(s)" >&2
  exit 1
fi
echo "schema-check: ok"
