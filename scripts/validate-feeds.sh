#!/usr/bin/env bash
# Validates every calendar feed under DIR with independent readers: Python icalendar,
# vobject (validate=True), Mozilla's ical.js, and libical's restriction check.
# Installs what it needs (a venv and node_modules under target/); any missing tool or
# rejected feed fails.
set -euo pipefail
dir=${1:?usage: validate-feeds.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
tools="$here/../target/feed-validators"
mkdir -p "$tools"

if [ ! -x "$tools/venv/bin/python" ]; then
  python3 -m venv "$tools/venv"
fi
"$tools/venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/validate-feeds/requirements.txt"
"$tools/venv/bin/python" "$here/validate-feeds/validate.py" "$dir"

cp "$here/validate-feeds/package.json" "$here/validate-feeds/validate.mjs" "$tools/"
(cd "$tools" && npm install --silent --no-audit --no-fund >/dev/null)
node "$tools/validate.mjs" "$dir"

/usr/bin/python3 "$here/validate-feeds/libical.py" "$dir"
