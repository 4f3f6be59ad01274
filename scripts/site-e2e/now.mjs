// "Who to call, now" on the example's site, in Debian's Chromium over file://: the
// escalation chain with names and handles, the duty edge, a page that keeps itself
// current as the clock moves, moments outside the published data, and moments around
// the clock changes with their zone abbreviations.
// Usage: node now.mjs PUBLIC_DIR AUTUMN_DIR
//   PUBLIC_DIR: the example built with `--today 2027-01-05` (data to Tue 6 Apr 2027)
//   AUTUMN_DIR: the example built with `--today 2026-10-20` (data over the autumn change)
// Names come from `rota now` on the example (worked out by hand in e2e.mjs): on Tue 5 Jan
// 2027 in hours developer Ivan Ivanov (traded from Alice), ops Frank Fischer; out of hours
// Dan Dlamini and Erin Evans until Wed 6 Jan 10:00 GMT, then Erin and Frank; second line
// Kate Kowalski until Mon 11 Jan 09:00.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = pathToFileURL(path.resolve(process.argv[2] || 'public')).href + '/';
const autumn = pathToFileURL(path.resolve(process.argv[3] || 'public-autumn')).href + '/';
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
const errors = [];
const outside = [];
async function newContext(options = {}) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, ...options });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  return context;
}
const context = await newContext();

// Opens `rel` with the browser's clock installed at `clock` (it then runs on, and
// page.clock.fastForward moves it).
async function open(rel, clock, base = root, ctx = context) {
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${rel}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`${rel}: ${e.message}`));
  if (clock) await page.clock.install({ time: new Date(clock) });
  await page.goto(base + rel);
  return page;
}
const text = async (locator) => (await locator.innerText()).trim().replace(/\s+/g, ' ');
const card = (page, rota) => page.locator(`#now-cards [data-rota="${rota}"]`);
// The sentence as written (its first letter is capitalised by the stylesheet only).
const edge = async (page, rota) => (await card(page, rota).locator('.duty-edge').textContent()).trim();
const chain = async (page, rota) => (await card(page, rota).locator('.chain-steps li').allInnerTexts()).map((s) => s.trim());
const holder = async (page, rota, position) =>
  text(card(page, rota).locator(`dd[data-position="${position}"]`).locator('a.person, .unfilled').first());

// Escalation names and handles on the home cards, at a fixed clock: Tue 5 Jan 2027 17:59.
{
  const page = await open('index.html', '2027-01-05T17:59:00Z');
  const steps = await chain(page, 'in-hours');
  const want = ['at once: Ivan Ivanov @ivan (developer)', 'after 5 min: Frank Fischer @frank (ops)',
    'after 10 min: Second line → Kate Kowalski @kate'];
  check(JSON.stringify(steps) === JSON.stringify(want), `in hours: the chain names each step with handle (got ${JSON.stringify(steps)})`);
  const handle = await text(card(page, 'in-hours').locator('dd[data-position="ops"] .handle'));
  check(handle === '@frank', `in hours: the ops holder's work handle is shown (got ${handle})`);
  const second = await chain(page, 'second-line');
  check(second[1] === 'after 5 min: Olivia Okafor @olivia', `second line: a person step names them (got ${second[1]})`);
  const ooh = await chain(page, 'out-of-hours');
  check(ooh[2] === 'after 10 min: Second line → Kate Kowalski @kate', `out of hours: a rota step names who it reaches (got ${ooh[2]})`);
  // The duty edge before the in-hours rota's duty window ends…
  let got = await edge(page, 'in-hours');
  check(got === 'on duty until 18:00 GMT, then Out of hours takes over', `17:59: in hours is on duty until 18:00 GMT (got ${got})`);
  got = await edge(page, 'out-of-hours');
  check(got === 'off duty — from 18:00 GMT (In hours (first line) until then)', `17:59: out of hours comes on at 18:00 GMT (got ${got})`);
  const updated = await text(page.locator('#at-updated'));
  check(updated === 'updated 17:59 GMT', `the page says when it last answered (got ${updated})`);
  // …and after it, without a reload: the browser's clock moves on two minutes.
  await page.evaluate(() => { window.__notReloaded = true; });
  await page.clock.fastForward('02:00');
  got = await edge(page, 'in-hours');
  check(got === 'off duty — from Wed 6 Jan, 10:00 GMT (Out of hours until then)', `18:01: in hours is off duty until Wednesday (got ${got})`);
  got = await edge(page, 'out-of-hours');
  check(got === 'on duty until Wed 6 Jan, 10:00 GMT, then In hours (first line) takes over', `18:01: out of hours is on duty (got ${got})`);
  const order = await page.locator('#now-cards [data-rota]').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-rota')).join(' '));
  check(order.startsWith('out-of-hours'), `18:01: the rotas on duty come first again (got ${order})`);
  check(await page.evaluate(() => window.__notReloaded === true), 'the page updated itself without a reload');
  await page.close();
}

// A handover passes while the page is open: Wed 6 Jan 2027 10:00 GMT, Dan and Erin hand
// out of hours over to Erin and Frank.
{
  const page = await open('index.html', '2027-01-06T09:59:10Z');
  let primary = await holder(page, 'out-of-hours', 'primary');
  check(primary === 'Dan Dlamini', `09:59: out-of-hours primary is Dan Dlamini (got ${primary})`);
  // Off duty until 10:00, the in-hours card says who comes on then, as `rota now` does.
  const until = await text(card(page, 'in-hours').locator('dd[data-position="developer"] .until'));
  check(until === 'until 10:00 GMT, then Bob Byrne', `09:59: the in-hours developer line names who takes over (got ${until})`);
  await page.evaluate(() => { window.__notReloaded = true; });
  await page.clock.fastForward('01:00');
  primary = await holder(page, 'out-of-hours', 'primary');
  const secondary = await holder(page, 'out-of-hours', 'secondary');
  check(primary === 'Erin Evans' && secondary === 'Frank Fischer',
    `a minute past the handover the page shows Erin Evans and Frank Fischer by itself (got ${primary}, ${secondary})`);
  const at = await text(page.locator('#at-time'));
  check(at === 'Wed 6 Jan 2027, 10:00 GMT', `the moment shown moved on with the clock (got ${at})`);
  check(await page.evaluate(() => window.__notReloaded === true), 'no reload happened');
  // Coming back to a tab recomputes at once, without waiting for the minute.
  await page.clock.setSystemTime(new Date('2027-01-06T18:30:00Z'));
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  const updated = await text(page.locator('#at-updated'));
  check(updated === 'updated 18:30 GMT', `focus recomputes at once (got ${updated})`);
  await page.close();
}

// What the browser computes is what the build wrote: the same page at the build's own
// moment (Tue 5 Jan 2027 00:00 GMT), with and without the script.
{
  const noScript = await newContext({ javaScriptEnabled: false });
  for (const [rel, scope] of [['index.html', '#now-cards [data-rota]'], ['rotas/in-hours.html', '#now-card']]) {
    const built = await open(rel, null, root, noScript);
    const live = await open(rel, '2027-01-05T00:00:00Z');
    const words = (page) => page.locator(scope).evaluateAll((cards) => cards.map((c) =>
      [...c.querySelectorAll('.duty-edge, dd, .chain-steps li')].map((e) => e.textContent.trim().replace(/\s+/g, ' ')).join(' | ')));
    const a = await words(built);
    const b = await words(live);
    check(a.length > 0 && JSON.stringify(a) === JSON.stringify(b),
      `${rel}: the script's words equal the build's (${JSON.stringify(a)} vs ${JSON.stringify(b)})`);
    await built.close();
    await live.close();
  }
  await noScript.close();
}

// A runbook page at 03:00 on a weekday: the rota off duty is said so, not its holders.
{
  const page = await open('runbooks/site-down.html', '2027-01-05T03:00:00Z');
  const now = async (id) => text(page.locator(`.paged-rotas [data-rota-now="${id}"]`));
  const inHours = await now('in-hours');
  check(inHours === '(now off duty)', `03:00: the runbook says in hours is off duty (got ${inHours})`);
  const ooh = await now('out-of-hours');
  check(ooh.startsWith('(now primary '), `03:00: the runbook names out of hours' holders (got ${ooh})`);
  await page.close();
}

// A rota page: its chain's rota step says who it reaches, and its "now" turn follows the clock.
{
  const page = await open('rotas/in-hours.html', '2027-01-05T12:00:00Z');
  const reach = await text(page.locator('.esc-now[data-step="2"]'));
  check(reach === '(now Kate Kowalski)', `the rota page's rota step names who it reaches now (got ${reach})`);
  const nowTurn = await text(page.locator('.turn.current .turn-time'));
  check(nowTurn.startsWith('30 Dec – 6 Jan'), `the turn in force is marked now (got ${nowTurn})`);
  await page.clock.fastForward('24:00:00');
  const next = await text(page.locator('.turn.current .turn-time'));
  check(next.startsWith('6 Jan – 13 Jan'), `a day later the next turn is marked now, without a reload (got ${next})`);
  check(await page.locator('.turn .now-tag:visible').count() === 1, 'exactly one turn is marked now');
  await page.close();
}

// A moment beyond the published horizon (the data ends Tue 6 Apr 2027): the heading says
// so and no names are shown; the rota page likewise.
{
  const page = await open('index.html?at=2027-04-10T12:00', '2027-01-05T12:00:00Z');
  const h1 = await text(page.locator('h1'));
  check(h1.startsWith('No rota published for Sat 10 Apr 2027 — published up to '), `beyond the horizon the heading says so (got ${h1})`);
  check(!(await page.locator('#now-cards').isVisible()), 'beyond the horizon no names are shown');
  await page.close();
  const rota = await open('rotas/out-of-hours.html?at=2027-04-10T12:00', '2027-01-05T12:00:00Z');
  const h2 = await text(rota.locator('#now-heading'));
  check(h2.startsWith('No rota published for Sat 10 Apr 2027'), `the rota page says so too (got ${h2})`);
  check(!(await rota.locator('#now-card dl.holders').isVisible()), 'the rota page shows no names beyond the horizon');
  await rota.close();
}

// ?at= in the spring gap: 01:30 on Sun 28 Mar 2027 does not exist; the page says so,
// and the picker shows the moment it moved to.
{
  const page = await open('index.html?at=2027-03-28T01:30', '2027-01-05T12:00:00Z');
  const h1 = await text(page.locator('h1'));
  check(h1 === 'On call at Sun 28 Mar 2027, 02:00 BST', `the spring-gap moment moves to 02:00 BST (got ${h1})`);
  const note = await text(page.locator('#at-note'));
  check(note.includes('01:30 does not exist on Sun 28 Mar 2027') && note.includes('01:00 GMT to 02:00 BST'),
    `the move out of the gap is explained (got ${note})`);
  const value = await page.locator('#at').inputValue();
  check(value === '2027-03-28 02:00', `the picker shows the moment shown, in the site's format (got ${value})`);
  await page.close();
}

// ?at= in the autumn repeated hour (Sun 25 Oct 2026, 01:00–02:00 happens twice): both
// instants are offered, each with its zone, and each can be shown.
{
  const page = await open('index.html?at=2026-10-25T01:30', '2026-10-20T12:00:00Z', autumn);
  const choices = await page.locator('#at-choices a').allInnerTexts();
  check(JSON.stringify(choices) === '["01:30 BST","01:30 GMT"]', `both instants of 01:30 are offered (got ${JSON.stringify(choices)})`);
  let at = await text(page.locator('#at-time'));
  check(at === 'Sun 25 Oct 2026, 01:30 BST', `the first (BST) is shown by default (got ${at})`);
  const first = await holder(page, 'out-of-hours', 'primary');
  await Promise.all([page.waitForURL(/at=2026-10-25T01(:|%3A)30%2B00/), page.click('#at-choices a:has-text("01:30 GMT")')]);
  at = await text(page.locator('#at-time'));
  check(at === 'Sun 25 Oct 2026, 01:30 GMT', `the second (GMT) shows an hour later (got ${at})`);
  const h1 = await text(page.locator('h1'));
  check(h1 === 'On call at Sun 25 Oct 2026, 01:30 GMT', `the heading names the instant with its zone (got ${h1})`);
  const second = await holder(page, 'out-of-hours', 'primary');
  check(first === 'Bob Byrne' && second === 'Bob Byrne', `both instants fall in Bob Byrne's turn (got ${first}, ${second})`);
  await page.close();
}

// The moment picker takes the site's format, and says which zone it means.
{
  const page = await open('index.html', '2027-01-05T12:00:00Z');
  const label = await text(page.locator('label[for="at"]'));
  check(label.includes('Europe/London (GMT/BST)'), `the picker is labelled with the zone (got ${label})`);
  await page.fill('#at', '2027-01-01 12:00');
  await Promise.all([page.waitForURL(/at=2027-01-01/), page.click('.at-form button[type=submit]')]);
  const h1 = await text(page.locator('h1'));
  check(h1 === 'On call at Fri 1 Jan 2027, 12:00 GMT', `a typed moment is shown (got ${h1})`);
  await page.close();
}

// Review banners go by the organisation's date: site-down is due Sun 28 Feb 2027. At
// 12:00 GMT that day it is already 1 March in Auckland, but not in London.
{
  const nz = await newContext({ timezoneId: 'Pacific/Auckland' });
  let page = await open('runbooks/site-down.html', '2027-02-28T12:00:00Z', root, nz);
  check(!(await page.locator('.review-banner').isVisible()), 'a reader in Auckland sees no banner on the due day in London');
  await page.close();
  page = await open('runbooks/site-down.html', '2027-03-01T00:30:00Z', root, nz);
  check(await page.locator('.review-banner').isVisible(), 'the banner shows once the day has passed in London');
  await page.close();
  page = await open('index.html', '2027-03-01T00:30:00Z', root, nz);
  const overdue = await page.locator('#overdue li a').allInnerTexts();
  check(overdue.includes('Site returns 5xx'), `the home page's overdue list follows the clock (got ${JSON.stringify(overdue)})`);
  await page.close();
  await nz.close();
}

// Times say their zone: a summer handover on a person page, a winter one on the home page.
{
  const page = await open('people/heidi.html', '2027-01-05T12:00:00Z');
  const times = await page.locator('.turn-time time').allInnerTexts();
  check(times.length > 0 && times.every((t) => / (GMT|BST)$/.test(t.trim())), `every shift time says GMT or BST (got ${JSON.stringify(times.slice(0, 4))}…)`);
  check(times.some((t) => t.endsWith('BST')), 'a shift after the clocks go forward says BST');
  await page.close();
}

// No favicon request: every page names an inline icon.
{
  const page = await open('index.html', '2027-01-05T12:00:00Z');
  const icon = await page.locator('link[rel="icon"]').getAttribute('href');
  check((icon || '').startsWith('data:'), `the favicon is a data: URI (no favicon.ico request) (got ${(icon || '').slice(0, 20)})`);
  await page.close();
}

// The 404 page opened as a file, with no network (nothing but file:// loads, so its
// stylesheet linked from base_url cannot be what styles it): site.css applies, and its
// links lead to the site's pages, no script needed. Its links to the site's own pages
// go to files of the output folder; the header's (from base_url, as a host serves the
// page at any address) to pages the output folder has.
{
  const dir = path.resolve(process.argv[2] || 'public');
  const hosted = /<loc>(https?:\/\/[^<]*?)index\.html<\/loc>/.exec(fs.readFileSync(path.join(dir, 'sitemap.xml'), 'utf8'))[1];
  const plain = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  await plain.route('**/*', (route) => (route.request().url().startsWith('file://') ? route.continue() : route.abort()));
  const page = await plain.newPage();
  await page.goto(root + '404.html');
  const look = await page.evaluate(() => {
    const nav = getComputedStyle(document.querySelector('.site-nav ul'));
    const skip = document.querySelector('.skip-link').getBoundingClientRect();
    return {
      sheets: Array.from(document.styleSheets).filter((s) => (s.href || '').startsWith('file:')).length,
      nav: `${nav.display} ${nav.listStyleType}`,
      skipHidden: skip.bottom <= 0,
      bodyMargin: getComputedStyle(document.body).marginTop,
    };
  });
  check(look.sheets === 1 && look.nav === 'flex none' && look.skipHidden && look.bodyMargin === '0px',
    `from a file with no network, the 404 page is styled by site.css (got ${JSON.stringify(look)})`);
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  check(scroll <= 390, `from a file, the 404 page does not scroll sideways at 390 px (got ${scroll})`);
  const hrefs = await page.evaluate(() => Array.from(document.querySelectorAll('a[href]'), (a) => a.href));
  const unresolved = hrefs.filter((href) => {
    const url = new URL(href);
    url.hash = '';
    url.search = '';
    if (url.href.startsWith(root)) return !fs.existsSync(path.join(dir, decodeURIComponent(url.href.slice(root.length))));
    if (url.href.startsWith(hosted)) return !fs.existsSync(path.join(dir, decodeURIComponent(url.href.slice(hosted.length)) || 'index.html'));
    return true;
  });
  check(hrefs.length >= 9 && unresolved.length === 0,
    `from a file, every link of the 404 page leads to a page of the site (${hrefs.length} links${unresolved.length ? '; not: ' + unresolved.join(', ') : ''})`);
  const local = await page.locator('#not-found-links a').evaluateAll((as) => as.map((a) => a.href));
  check(local.length === 3 && local.every((href) => href.startsWith(root)),
    `from a file, the 404 page's own links stay in the output folder (got ${local.join(', ')})`);
  await Promise.all([page.waitForURL(root + 'alerts.html'), page.click('#not-found-links a[data-site-path="alerts.html"]')]);
  check(page.url() === root + 'alerts.html', `from a file, the 404 page links to the site's pages (got ${page.url()})`);
  await plain.close();
}

check(errors.length === 0, `no console errors${errors.length ? ': ' + errors.join('; ') : ''}`);
check(outside.length === 0, `no request leaves the output folder${outside.length ? ': ' + outside.join(', ') : ''}`);
await browser.close();
if (failures.length) {
  console.error(`\n${failures.length} "now" check(s) failed`);
  process.exit(1);
}
console.log('\nall "now" checks passed');
