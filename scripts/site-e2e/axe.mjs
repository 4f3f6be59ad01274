// axe-core over every page type of the example's site, in light and dark mode, in
// Debian's Chromium over file://: no violation of the WCAG 2.2 A and AA rules; and a
// runbook printed from either mode keeps the enhanced (7:1) contrast.
// Usage: node axe.mjs PUBLIC_DIR   (the example built with `--today 2027-01-05`)
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const dir = path.resolve(process.argv[2] || 'public');
const root = pathToFileURL(dir).href + '/';
// The site's base_url (from sitemap.xml), played by the output folder as a static host
// would serve it: the 404 page loads its stylesheet from there (it is served at any path).
const hosted = /<loc>(https?:\/\/[^<]*?)index\.html<\/loc>/.exec(fs.readFileSync(path.join(dir, 'sitemap.xml'), 'utf8'))[1];
const TYPES = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript' };
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// axe is added to the page as a script of the test's own, so the page's policy is
// bypassed for it (the site itself still runs under its policy: e2e.mjs checks that).
async function audit(rel, { scheme, width = 390, media = 'screen', options, before } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 844 }, colorScheme: scheme, bypassCSP: true });
  await context.route(hosted + '**', (route) => {
    const rel = decodeURIComponent(new URL(route.request().url()).pathname.slice(new URL(hosted).pathname.length));
    const file = path.join(dir, rel || 'index.html');
    const found = file.startsWith(dir + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile();
    return route.fulfill({
      status: found ? 200 : 404,
      contentType: TYPES[found ? path.extname(file) : '.html'] || 'application/octet-stream',
      body: fs.readFileSync(found ? file : path.join(dir, '404.html')),
    });
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date('2026-12-26T19:30:00Z'));
  await page.goto(rel.startsWith('http') ? rel : root + rel);
  await page.emulateMedia({ media, colorScheme: scheme });
  if (before) await before(page);
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate((opts) => window.axe.run(document, opts), options);
  await context.close();
  return result;
}

const describe = (violations) => violations.map((v) =>
  `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.split('\n').slice(1).join(' ').trim() : '')).join(' | ')}`).join('; ');

const pages = {
  home: 'index.html',
  rota: 'rotas/out-of-hours.html',
  person: 'people/alice.html',
  people: 'people/index.html',
  alerts: 'alerts.html',
  runbook: 'runbooks/site-down.html',
  runbooks: 'runbooks/index.html',
  search: 'search.html?q=replica',
  check: 'check.html',
  // As a static host serves it, at a missing address deeper in the site.
  404: `${hosted}people/zed.html`,
};
for (const scheme of ['light', 'dark']) {
  for (const [kind, rel] of Object.entries(pages)) {
    for (const width of [390, 1280]) {
      const result = await audit(rel, { scheme, width, options: { runOnly: { type: 'tag', values: TAGS } } });
      check(result.violations.length === 0,
        `${kind} page (${rel}) in ${scheme} mode at ${width} px: no WCAG 2.2 A/AA violation${result.violations.length ? ': ' + describe(result.violations) : ''}`);
    }
  }
  // The header's search results, open.
  const result = await audit('runbooks/site-down.html', {
    scheme,
    options: { runOnly: { type: 'tag', values: TAGS } },
    before: async (page) => {
      await page.keyboard.press('/');
      await page.keyboard.type('carol');
      await page.locator('#site-search-panel .results li').first().waitFor();
    },
  });
  check(result.violations.length === 0,
    `the header's search results in ${scheme} mode: no WCAG 2.2 A/AA violation${result.violations.length ? ': ' + describe(result.violations) : ''}`);
  // Printed: the enhanced contrast rule (7:1, 4.5:1 for large text).
  const printed = await audit('runbooks/db/replica-lag.html', {
    scheme, width: 1280, media: 'print',
    options: { runOnly: { type: 'rule', values: ['color-contrast-enhanced', 'color-contrast'] } },
  });
  check(printed.violations.length === 0 && printed.passes.some((p) => p.id === 'color-contrast-enhanced'),
    `a runbook printed from ${scheme} mode keeps 7:1 contrast${printed.violations.length ? ': ' + describe(printed.violations) : ''}`);
}

await browser.close();
if (failures.length) {
  console.error(`\n${failures.length} accessibility check(s) failed`);
  process.exit(1);
}
console.log('\nno accessibility violations');
