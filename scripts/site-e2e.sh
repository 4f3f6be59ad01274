#!/usr/bin/env bash
# End-to-end checks of the site: builds the example as of 2027-01-05 (so the data spans
# Christmas, a bank holiday and the spring clock change), then
#   - html-validate on every page,
#   - linkinator over the whole site, fragments included (no broken link or anchor),
#   - Debian's Chromium (via playwright-core, never a downloaded browser) over file://:
#     who is on call at several ?at= moments, search, the alert filter, review banners,
#     no console errors, no Content-Security-Policy violation, no request outside the
#     output folder, the 404 page on a deploy preview's origin,
#   - now.mjs: the "now" cards' escalation chain and duty edge, a page that keeps itself
#     current as the browser's clock moves, moments beyond the horizon and around the
#     clock changes (a second build, as of 2026-10-20, spans the autumn change), the 404
#     page opened as a file with no network (styled, its links leading into the site),
#   - the same browser against `rota serve` on the example: pages and the reload script
#     work under the policy it sends, and another origin cannot load its search index,
#   - find.mjs: the header's search box (and `/`), runbook pages in an incident, the
#     alert catalogue, a rota page's height on a phone, no page wider than a phone (every
#     person and runbook page among them), printing,
#   - axe.mjs: axe-core over every page type, light and dark, 0 WCAG 2.2 A/AA violations,
#     and a runbook printed at 7:1 contrast.
# With --screenshots it also writes docs/screenshots/*.png.
# Installs its npm tools under target/site-e2e; a missing tool fails (never skips).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
work="$repo/target/site-e2e"
out="$work/public"
mkdir -p "$work"

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "site-e2e: $chromium is missing (apt-get install -y --no-install-recommends chromium)" >&2
  exit 1
fi
node_major=$(node -p "process.versions.node.split('.')[0]" 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "site-e2e: Node.js 20 or later is needed (html-validate, linkinator)" >&2
  exit 1
fi

cp "$here/site-e2e/package.json" "$here/site-e2e/e2e.mjs" "$here/site-e2e/now.mjs" "$here/site-e2e/screenshots.mjs" \
  "$here/site-e2e/find.mjs" "$here/site-e2e/axe.mjs" "$here/site-e2e/htmlvalidate.json" "$work/"
(cd "$work" && npm install --silent --no-audit --no-fund >/dev/null)

echo "== build the example site (today 2027-01-05)"
rm -rf "$out"
(cd "$repo" && SOURCE_DATE_EPOCH=1790000000 cargo run --quiet -- --today 2027-01-05 build --out "$out")

# The same example as of 20 Oct 2026: its data spans the autumn clock change (now.mjs).
rm -rf "$work/public-autumn"
(cd "$repo" && SOURCE_DATE_EPOCH=1790000000 cargo run --quiet -- --today 2026-10-20 build --out "$work/public-autumn")

echo "== html-validate"
(cd "$work" && npx html-validate --config htmlvalidate.json "public/**/*.html")
echo "every page is valid"

echo "== linkinator (links and fragments)"
(cd "$work" && npx linkinator public --recurse --check-fragments --verbosity error \
  --skip '^(webcal|https?)://(?!localhost|127\.0\.0\.1)')

echo "== rota serve (the example, on a free loopback port)"
target_dir=$(cd "$repo" && cargo metadata --format-version 1 --no-deps |
  node -e 'let s = ""; process.stdin.on("data", (d) => s += d).on("end", () => console.log(JSON.parse(s).target_directory))')
"$target_dir/debug/rota" --root "$repo" --today 2027-01-05 serve --port 0 >"$work/serve.log" 2>&1 &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true' EXIT
serve_url=
for _ in $(seq 1 600); do
  serve_url=$(sed -n 's|^serving \(http://127\.0\.0\.1:[0-9]*/\).*|\1|p' "$work/serve.log")
  [ -n "$serve_url" ] && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
if [ -z "$serve_url" ]; then
  echo "site-e2e: rota serve did not start within 60 s" >&2
  cat "$work/serve.log" >&2
  exit 1
fi
echo "serving at $serve_url"

echo "== Chromium over file:// and against rota serve"
(cd "$work" && CHROMIUM="$chromium" SERVE_URL="$serve_url" node e2e.mjs "$out")

echo "== Chromium: who to call, now (now.mjs)"
(cd "$work" && CHROMIUM="$chromium" node now.mjs "$out" "$work/public-autumn")

echo "== Chromium: search, runbooks in an incident, phone layout, print (find.mjs)"
(cd "$work" && CHROMIUM="$chromium" node find.mjs "$out")

echo "== axe-core: every page type, light and dark (axe.mjs)"
(cd "$work" && CHROMIUM="$chromium" node axe.mjs "$out")

if [ "${1:-}" = "--screenshots" ]; then
  echo "== screenshots"
  (cd "$work" && CHROMIUM="$chromium" node screenshots.mjs "$out" "$repo/docs/screenshots")
fi
