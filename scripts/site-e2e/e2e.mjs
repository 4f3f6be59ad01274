// End-to-end checks of the example's site in Debian's Chromium, over file://.
// Usage: node e2e.mjs PUBLIC_DIR   (the example built with `--today 2027-01-05`)
//
// Expected names are worked out by hand from the example data (rota/rotas/*.yaml):
// out of hours, block 1: turn k starts Wed 2026-01-07 10:00 + k weeks, primary
// members[k % 8], secondary members[(k + 1) % 8] of [alice, bob, carol, dan, erin, frank,
// grace, heidi]; block 2 from Wed 2027-01-06 10:00 with oscar added (9 members) and
// `first: erin`, so primary members[(k + 4) % 9], secondary members[(k + 5) % 9].
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = path.resolve(process.argv[2] || 'public');
const root = pathToFileURL(dir).href + '/';
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
const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
const outside = [];
// The site's base_url (from sitemap.xml), played by the output folder as a static host
// would serve it: the 404 page links absolutely from it (it is served at any path).
const hosted = /<loc>(https?:\/\/[^<]*?)index\.html<\/loc>/.exec(fs.readFileSync(path.join(dir, 'sitemap.xml'), 'utf8'))[1];
const TYPES = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json' };
// Answers a request under `site` from the output folder, as a static host would: the
// file, or the 404 page with status 404.
function fromFolder(route, site) {
  const rel = decodeURIComponent(new URL(route.request().url()).pathname.slice(new URL(site).pathname.length));
  const file = path.join(dir, rel || 'index.html');
  const found = file.startsWith(dir + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile();
  return route.fulfill({
    status: found ? 200 : 404,
    contentType: TYPES[found ? path.extname(file) : '.html'] || 'application/octet-stream',
    body: fs.readFileSync(found ? file : path.join(dir, '404.html')),
  });
}
await context.route('**/*', (route) => {
  const url = route.request().url();
  if (url.startsWith(root)) return route.continue();
  if (url.startsWith(hosted)) return fromFolder(route, hosted);
  outside.push(url);
  return route.abort();
});
const consoleErrors = [];
// Every Content-Security-Policy violation a page reports (the site must need nothing its
// policy forbids: no inline script or style, no other origin).
const cspViolations = [];
const recordViolations = () => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`);
  });
};
await context.addInitScript(recordViolations);
async function violations(page, rel) {
  const seen = await page.evaluate(() => window.__cspViolations || []);
  for (const v of seen) cspViolations.push(`${rel}: ${v}`);
}

async function open(rel, at) {
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${rel}: ${m.text()}`); });
  page.on('pageerror', (e) => consoleErrors.push(`${rel}: ${e.message}`));
  if (at) await page.clock.setFixedTime(new Date(at));
  await page.goto(root + rel);
  return page;
}

// Who the home page names for a rota's position (what a reader sees).
async function holder(page, rota, position) {
  const dd = page.locator(`#now-cards [data-rota="${rota}"] dd[data-position="${position}"]`);
  if ((await dd.count()) === 0) return null;
  return (await dd.locator('a.person, .unfilled').first().innerText()).trim();
}
async function duty(page, rota) {
  return (await page.locator(`#now-cards [data-rota="${rota}"] .duty`).innerText()).trim();
}

const moments = [
  {
    // Trade: Heidi took Carol's primary turn 50 (Wed 23 Dec to Wed 30 Dec).
    at: '2026-12-26T15:00', what: 'inside the Christmas trade',
    expect: { 'out-of-hours': { primary: 'Heidi Hussain', secondary: 'Dan Dlamini', duty: 'On duty' } },
  },
  {
    // Bank holiday Fri 1 Jan 2027: turn 51 (dan, erin) out of hours, on duty all day; in
    // hours off duty (developer, offset 5: (51 + 5) % 7 = alice, on leave and traded to
    // ivan; ops, offset 2: (51 + 2) % 4 = frank).
    at: '2027-01-01T12:00', what: 'on a bank holiday',
    expect: {
      'out-of-hours': { primary: 'Dan Dlamini', secondary: 'Erin Evans', duty: 'On duty' },
      'in-hours': { developer: 'Ivan Ivanov', ops: 'Frank Fischer', duty: 'Off duty' },
      // Second line: turn k from Mon 5 Jan 2026 09:00; 1 Jan 2027 is in turn 51: noah.
      'second-line': { engineer: 'Noah Nakamura', duty: 'On duty' },
    },
  },
  {
    // The clocks go forward on Sun 28 Mar 2027: 01:30 does not exist and moves to 02:00
    // BST. Block 2 turn 11 (Wed 24 Mar 10:00 GMT to Wed 31 Mar 10:00 BST): grace, heidi.
    at: '2027-03-28T01:30', what: 'in the spring-forward gap',
    expect: { 'out-of-hours': { primary: 'Grace Gallagher', secondary: 'Heidi Hussain', duty: 'On duty' } },
  },
  {
    // One minute before the first handover in summer time: still turn 11.
    at: '2027-03-31T09:59', what: 'a minute before the handover after the clocks changed',
    expect: { 'out-of-hours': { primary: 'Grace Gallagher', secondary: 'Heidi Hussain', duty: 'On duty' } },
  },
  {
    // 10:00 BST: turn 12 (heidi, oscar); a weekday at 10:00 is off duty out of hours.
    at: '2027-03-31T10:00', what: 'at the handover after the clocks changed',
    expect: { 'out-of-hours': { primary: 'Heidi Hussain', secondary: 'Óscar Ortega', duty: 'Off duty' } },
  },
];

for (const m of moments) {
  const page = await open(`index.html?at=${m.at}`);
  for (const [rota, want] of Object.entries(m.expect)) {
    for (const [position, name] of Object.entries(want)) {
      const got = position === 'duty' ? await duty(page, rota) : await holder(page, rota, position);
      check(got === name, `?at=${m.at} (${m.what}): ${rota} ${position} is ${name} (got ${got})`);
    }
  }
  await page.close();
}

// The rotas on duty come first, in the order recomputed for the moment shown: a
// Wednesday at 10:00 BST (in hours on, out of hours off), a Saturday afternoon.
for (const [at, order] of [
  ['2027-03-31T10:00', 'in-hours second-line out-of-hours'],
  ['2026-12-26T15:00', 'out-of-hours second-line in-hours'],
]) {
  const page = await open(`index.html?at=${at}`);
  const got = (await page.locator('#now-cards [data-rota]')
    .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-rota')))).join(' ');
  check(got === order, `?at=${at}: the rotas on duty come first (got ${got})`);
  const off = await page.locator('#now-cards .rota-card.off-duty').count();
  check(off === 1, `?at=${at}: one card is marked off duty (got ${off})`);
  await page.close();
}

// "Now" comes from the browser's clock, not the build: built on 5 Jan 2027 (dan, erin),
// read on Sat 26 Dec 2026 15:00 UTC (heidi, dan).
{
  const page = await open('index.html', '2026-12-26T15:00:00Z');
  const got = await holder(page, 'out-of-hours', 'primary');
  check(got === 'Heidi Hussain', `without ?at the home page answers for the browser's now (got ${got})`);
  const label = (await page.locator('#at-time').innerText()).trim();
  check(label === 'Sat 26 Dec 2026, 15:00 GMT', `the home page says which moment it shows (got ${label})`);
  await page.close();
}

// A rota's page recomputes its "Now" box and the escalation's "(now NAME)" the same way:
// from the browser's clock, or from ?at=.
async function rotaPageNow(page) {
  const box = page.locator('#now-card');
  const names = {};
  for (const position of ['primary', 'secondary']) {
    names[position] = (await box.locator(`dd[data-position="${position}"]`).locator('a.person, .unfilled').first().innerText()).trim();
    names[`esc-${position}`] = (await page.locator(`.esc-now[data-position="${position}"]`).innerText()).trim();
  }
  names.duty = (await box.locator('.duty').innerText()).trim();
  return names;
}
for (const [rel, clock, want] of [
  ['rotas/out-of-hours.html', '2026-12-26T15:00:00Z',
    { primary: 'Heidi Hussain', secondary: 'Dan Dlamini', 'esc-primary': '(now Heidi Hussain)', 'esc-secondary': '(now Dan Dlamini)', duty: 'On duty' }],
  ['rotas/out-of-hours.html?at=2027-03-31T10:00', null,
    { primary: 'Heidi Hussain', secondary: 'Óscar Ortega', 'esc-primary': '(now Heidi Hussain)', 'esc-secondary': '(now Óscar Ortega)', duty: 'Off duty' }],
]) {
  const page = await open(rel, clock);
  const got = await rotaPageNow(page);
  for (const [k, v] of Object.entries(want)) {
    check(got[k] === v, `${rel}${clock ? ` read at ${clock}` : ''}: ${k} is ${v} (got ${got[k]})`);
  }
  const href = await page.locator('#now-card a.person').first().getAttribute('href');
  check(href === '../people/heidi.html', `the rota page's Now box links to ../people/ (got ${href})`);
  await page.close();
}

// An invalid or non-existent ?at= is refused with a notice and "now" is shown instead
// (it must not roll over to another date); a valid one changes the heading.
for (const bad of ['2026-13-45T03:00', '2027-02-30T12:00', '2027-01-01T24:00', 'christmas']) {
  const page = await open(`index.html?at=${bad}`, '2026-12-26T15:00:00Z');
  const note = (await page.locator('#at-note').innerText()).trim();
  check(note.includes(`Not a valid moment: “${bad}”`), `?at=${bad} is refused with a notice (got ${note})`);
  const got = await holder(page, 'out-of-hours', 'primary');
  check(got === 'Heidi Hussain', `?at=${bad} shows the browser's now instead (got ${got})`);
  const h1 = (await page.locator('h1').innerText()).trim();
  check(h1 === 'On call now', `?at=${bad} keeps the heading "On call now" (got ${h1})`);
  await page.close();
}
{
  const page = await open('index.html?at=2027-01-01T12:00');
  const h1 = (await page.locator('h1').innerText()).trim();
  check(h1 === 'On call at Fri 1 Jan 2027, 12:00 GMT', `another moment is named in the heading (got ${h1})`);
  const note = (await page.locator('#at-note').innerText()).trim();
  check(note === '', `a valid ?at= shows no notice (got ${note})`);
  await page.close();
}

// The form sends ?at= and the answer follows.
{
  const page = await open('index.html');
  await page.fill('#at', '2027-01-01T12:00');
  await Promise.all([page.waitForURL(/at=2027-01-01T12/), page.click('.at-form button[type=submit]')]);
  const got = await holder(page, 'out-of-hours', 'primary');
  check(got === 'Dan Dlamini', `the moment form shows who is on call then (got ${got})`);
  await page.close();
}

// Search finds a runbook by a word that is only in its body ("deployment" is in the
// body of runbooks/site-down.md, not in its title or headings), as you type.
{
  const page = await open('search.html');
  await page.locator('#q').pressSequentially('deploym');
  const first = page.locator('#results li a').first();
  const title = (await first.innerText()).trim();
  check(title === 'Site returns 5xx', `search finds a runbook by a word in its body (got ${title})`);
  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
  check(focused === 'Site returns 5xx', `arrow down moves from the search box to the first result (got ${focused})`);
  await page.close();
}

// The alert filter narrows the list without a reload.
{
  const page = await open('alerts.html');
  const visible = () => page.locator('#alerts tbody tr:visible').count();
  const all = await visible();
  await page.selectOption('#filter-severity', 'critical');
  const critical = await visible();
  check(all === 5 && critical === 2, `the severity filter narrows 5 alerts to the 2 critical ones (got ${all} → ${critical})`);
  await page.selectOption('#filter-severity', '');
  await page.selectOption('#filter-rota', 'in-hours');
  const inHours = await visible();
  check(inHours === 3, `the rota filter keeps the 3 alerts that page in hours (got ${inHours})`);
  await page.close();
}

// Review banners: db/replica-lag (reviewed 2026-10-01, every 3 months) was overdue at the
// build (5 Jan 2027); site-down (2026-08-28 + 6 months = 2027-02-28) was not, and the
// browser switches its banner on once that date has passed.
{
  let page = await open('runbooks/db/replica-lag.html', '2027-01-05T12:00:00Z');
  check(await page.locator('.review-banner').isVisible(), 'an overdue runbook shows the review banner');
  await page.close();
  page = await open('runbooks/site-down.html', '2027-01-05T12:00:00Z');
  check(!(await page.locator('.review-banner').isVisible()), 'a runbook within its review period shows no banner');
  await page.close();
  page = await open('runbooks/site-down.html', '2027-03-10T12:00:00Z');
  check(await page.locator('.review-banner').isVisible(), 'the browser shows the banner once the review date passes');
  await page.close();
}

// The 404 page, served by the host at a missing address deeper in the site, still has
// its stylesheet and working navigation.
{
  const page = await context.newPage();
  page.on('pageerror', (e) => consoleErrors.push(`404 at people/zed.html: ${e.message}`));
  const response = await page.goto(hosted + 'people/zed.html');
  check(response.status() === 404, `a missing page is the 404 page (got ${response.status()})`);
  const styled = await page.evaluate(() => document.styleSheets.length > 0 && document.styleSheets[0].cssRules.length > 0);
  check(styled, 'the 404 page served at people/zed.html has its stylesheet');
  await Promise.all([page.waitForURL(hosted + 'people/index.html'), page.click('.site-nav a[href$="people/index.html"]')]);
  const h1 = (await page.locator('h1').innerText()).trim();
  check(h1 === 'People', `the 404 page's navigation works from people/zed.html (got ${h1})`);
  await page.close();
}

// A deploy preview: the same folder on another origin, at its root, before base_url's
// host has the site (every request there fails). A missing address at the root still
// gets a styled 404 page (its stylesheet also linked relatively), whose links stay on
// the preview. Deeper, only base_url can style it (docs/site.md).
{
  const preview = 'https://preview.example.net/';
  const previewContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await previewContext.route('**/*', (route) => (route.request().url().startsWith(preview) ? fromFolder(route, preview) : route.abort()));
  const page = await previewContext.newPage();
  const response = await page.goto(preview + 'no-such-page.html');
  check(response.status() === 404, `a deploy preview answers a missing page with the 404 page (got ${response.status()})`);
  const nav = await page.evaluate(() => getComputedStyle(document.querySelector('.site-nav ul')).display);
  check(nav === 'flex', `on a deploy preview whose base_url is not up, the 404 page is styled (nav ${nav})`);
  await Promise.all([page.waitForURL(preview + 'alerts.html'), page.click('#not-found-links a[data-site-path="alerts.html"]')]);
  const h1 = (await page.locator('h1').innerText()).trim();
  check(h1 === 'Alert catalogue', `on a deploy preview, the 404 page's links stay on the preview (got ${page.url()}: ${h1})`);
  await previewContext.close();
}

// Every page loads without console errors, under its own Content-Security-Policy, and
// its script still runs (the search page lists results, the home page names people).
for (const rel of ['index.html', 'alerts.html', 'search.html?q=replica', 'check.html', 'people/index.html',
  'people/alice.html', 'rotas/out-of-hours.html', 'runbooks/index.html', 'runbooks/site-down.html',
  'runbooks/db/replica-lag.html', '404.html']) {
  const page = await open(rel);
  await page.waitForLoadState('load');
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  check(/default-src 'none'/.test(policy || '') && /script-src 'self'/.test(policy || ''),
    `${rel} carries the Content-Security-Policy meta (got ${policy})`);
  await violations(page, rel);
  await page.close();
}
{
  const page = await open('search.html?q=replica');
  const found = await page.locator('#results li').count();
  check(found > 0, `under the policy, search still answers (got ${found} results)`);
  await violations(page, 'search.html?q=replica');
  await page.close();
}
check(cspViolations.length === 0, `no Content-Security-Policy violations${cspViolations.length ? ': ' + cspViolations.join('; ') : ''}`);

check(consoleErrors.length === 0, `no console errors${consoleErrors.length ? ': ' + consoleErrors.join('; ') : ''}`);
check(outside.length === 0, `no request leaves the output folder${outside.length ? ': ' + outside.join(', ') : ''}`);

// `rota serve` (SERVE_URL, http://127.0.0.1:PORT/): its pages work under the policy it
// sends as a header, the preview's reload script included; another origin cannot read
// the search index by loading it as a script (Cross-Origin-Resource-Policy).
if (process.env.SERVE_URL) {
  const served = process.env.SERVE_URL;
  const serveContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await serveContext.addInitScript(recordViolations);
  const elsewhere = [];
  await serveContext.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(served)) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  const serveErrors = [];
  for (const rel of ['', 'alerts.html', 'search.html?q=replica', 'rotas/out-of-hours.html', 'runbooks/site-down.html',
    'no-such-page.html']) {
    const page = await serveContext.newPage();
    page.on('console', (m) => { if (m.type() === 'error' && !/404/.test(m.text())) serveErrors.push(`${rel}: ${m.text()}`); });
    page.on('pageerror', (e) => serveErrors.push(`${rel}: ${e.message}`));
    const polled = page.waitForRequest((r) => r.url() === served + '__rota/version', { timeout: 15000 })
      .then(() => true, () => false);
    const response = await page.goto(served + rel);
    const headers = response.headers();
    check(/frame-ancestors 'none'/.test(headers['content-security-policy'] || '')
      && headers['cross-origin-resource-policy'] === 'same-origin',
    `serve: /${rel} is sent with the Content-Security-Policy and CORP headers`);
    check(await polled, `serve: /${rel} runs the reload script (it polls the build version)`);
    if (rel.startsWith('search')) {
      const found = await page.locator('#results li').count();
      check(found > 0, `serve: search answers under the policy (got ${found} results)`);
    }
    await violations(page, `serve /${rel}`);
    await page.close();
  }
  // Another origin on this machine (a real server, so that the browser's guard against
  // public pages reaching loopback addresses does not blur what is tested): its page
  // loads the search index as a script. A script from a server without the header, also
  // of another origin, does load: the control, so this check can fail.
  {
    const attacker = http.createServer((req, res) => {
      const at = `http://127.0.0.1:${attacker.address().port}/`;
      if (req.url === '/control.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript' });
        return res.end('window.controlLoaded = true;');
      }
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><title>another origin</title><script src="${at}control.js"></script><script src="${served}assets/search-index.js"></script>`);
    });
    await new Promise((ready) => attacker.listen(0, '127.0.0.1', ready));
    const attackerContext = await browser.newContext();
    const page = await attackerContext.newPage();
    const blocked = [];
    page.on('requestfailed', (r) => blocked.push(`${r.url()} ${r.failure() && r.failure().errorText}`));
    await page.goto(`http://localhost:${attacker.address().port}/attacker.html`);
    await page.waitForLoadState('load');
    const control = await page.evaluate(() => window.controlLoaded === true);
    check(control, 'control: another origin can load a script from a server that does not send CORP');
    const leaked = await page.evaluate(() => typeof window.rotaSearchIndex !== 'undefined');
    check(!leaked, `another origin cannot read the search index with <script src> (${blocked.join('; ') || 'no failed request'})`);
    await attackerContext.close();
    await new Promise((closed) => attacker.close(closed));
  }
  check(serveErrors.length === 0, `serve: no console errors${serveErrors.length ? ': ' + serveErrors.join('; ') : ''}`);
  check(cspViolations.length === 0, `serve: no Content-Security-Policy violations${cspViolations.length ? ': ' + cspViolations.join('; ') : ''}`);
  check(elsewhere.length === 0, `serve: no request leaves the preview${elsewhere.length ? ': ' + elsewhere.join(', ') : ''}`);
  await serveContext.close();
}
await browser.close();
if (failures.length) {
  console.error(`\n${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('\nall site checks passed');
