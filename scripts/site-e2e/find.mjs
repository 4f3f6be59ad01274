// Finding things on the example's site in Debian's Chromium, over file://: the search
// box in every page's header (and `/`), runbook pages in an incident (mentions, live
// "now", permalinks, folder navigation, previous/next), the alert catalogue's rules, a
// rota page's turns on a phone, and printing.
// Usage: node find.mjs PUBLIC_DIR   (the example built with `--today 2027-01-05`)
//
// Expected names are worked out by hand from the example data: second line, turn k from
// Mon 5 Jan 2026 09:00 weekly, engineer members[k % 4] of [kate, leo, mia, noah]; so on
// Sat 26 Dec 2026 (turn 50) Mia Murphy, and at the build, Tue 5 Jan 2027 (turn 52), Kate
// Kowalski.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
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
const errors = [];
const outside = [];
async function open(rel, { width = 390, clock = '2026-12-26T19:30:00Z', scheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 844 }, colorScheme: scheme });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(root)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${rel}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`${rel}: ${e.message}`));
  if (clock) await page.clock.setFixedTime(new Date(clock));
  await page.goto(root + rel);
  return page;
}
const done = (page) => page.context().close();
const text = async (locator) => ((await locator.innerText()) || '').replace(/\s+/g, ' ').trim();

// ---- Search from the header of a runbook page: `/`, a person's name, an alert id ----
for (const width of [390, 1280]) {
  const page = await open('runbooks/site-down.html', { width });
  await page.keyboard.press('/');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  check(focused === 'site-search', `${width} px: "/" moves to the header's search box (got ${focused})`);
  await page.keyboard.type('carol');
  const panel = page.locator('#site-search-panel');
  await panel.waitFor({ state: 'visible' });
  const first = panel.locator('.results li').first();
  const link = first.locator('a');
  check((await text(link)) === 'Carol Chen', `${width} px: searching "carol" from a runbook finds the person (got ${await text(link)})`);
  check((await first.locator('.kind').innerText()) === 'Person', `${width} px: the result says it is a person`);
  const marks = await first.locator('mark').allInnerTexts();
  check(marks.length >= 2 && marks.every((m) => m.toLowerCase() === 'carol'),
    `${width} px: the matched words are highlighted in the name and the handle (got ${JSON.stringify(marks)})`);
  const snippet = await text(first.locator('.snippet'));
  check(snippet.startsWith('@carol') && !/@example|\+44|phone/i.test(snippet),
    `${width} px: a person's snippet is their work handle and rotas, no contact details (got ${snippet})`);
  const href = await link.getAttribute('href');
  check(href === '../people/carol.html', `${width} px: the result links from the runbook's folder (got ${href})`);
  await page.keyboard.press('ArrowDown');
  const onResult = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
  check(onResult === 'Carol Chen', `${width} px: arrow down moves into the results (got ${onResult})`);
  await page.keyboard.press('Escape');
  check(!(await panel.isVisible()), `${width} px: Escape closes the results`);
  await page.fill('#site-search', 'db-replica-lag');
  await panel.locator('.results li').first().waitFor();
  const alert = panel.locator('.results li').first();
  check((await alert.locator('.kind').innerText()).startsWith('Alert'), `${width} px: searching an alert id finds the alert`);
  const alertText = await text(alert.locator('a'));
  check(alertText === 'Database replica more than 5 minutes behind the primary', `${width} px: the alert's summary is the result (got ${alertText})`);
  await Promise.all([page.waitForURL(/alerts\.html#db-replica-lag$/), alert.locator('a').click()]);
  const target = await page.evaluate(() => document.querySelector(':target') && document.querySelector(':target').id);
  check(target === 'db-replica-lag', `${width} px: following the result lands on the alert's row (got ${target})`);
  await done(page);
}

// The search page answers for rotas, people, services and runbooks, with snippets.
{
  const page = await open('search.html?q=second+line');
  await page.locator('#q').blur();
  await page.keyboard.press('/');
  const onBox = await page.evaluate(() => document.activeElement && document.activeElement.id);
  check(onBox === 'q', `on the search page "/" moves to its search box (got ${onBox})`);
  const kinds = await page.locator('#results .kind').allInnerTexts();
  check(kinds[0] === 'Rota', `searching "second line" puts the rota first (got ${kinds.join(', ')})`);
  await page.fill('#q', 'blogging');
  const service = await page.locator('#results li').filter({ hasText: 'Service' }).count();
  check(service >= 1, `searching "blogging" finds the service (got ${service})`);
  await page.fill('#q', 'replica cancel');
  const snippet = await text(page.locator('#results li .snippet').first());
  check(/cancel/i.test(snippet) && (await page.locator('#results li .snippet mark').count()) >= 1,
    `a runbook result quotes its text around the match, highlighted (got ${snippet})`);
  await done(page);
}

// ---- A runbook in an incident ----
{
  const page = await open('runbooks/site-down.html', { width: 1280 });
  // "Page rota:second-line …": a link to the rota and who holds it by the reader's clock.
  const mention = page.locator('.prose a[href="../rotas/second-line.html"]');
  check((await mention.count()) === 1 && (await mention.innerText()) === 'Second line', 'a rota:ID mention is a link to the rota');
  const now = await text(page.locator('.prose [data-rota-now="second-line"]'));
  check(now === '(now engineer Mia Murphy)', `the mention says who holds the rota at the reader's moment (got ${now})`);
  const paged = await text(page.locator('.paged [data-rota-now="out-of-hours"]'));
  check(paged === '(now primary Heidi Hussain, secondary Dan Dlamini)', `the page names who its alerts page now (got ${paged})`);
  const alerts = await text(page.locator('.alert-list li').first());
  check(alerts.includes('site-down') && alerts.includes('Pages In hours (first line), Out of hours'),
    `the alerts that link here and the rotas they page (got ${alerts})`);
  const permalink = page.locator('#escalate + a.permalink');
  check((await permalink.getAttribute('href')) === '#escalate', 'a heading has a visible permalink beside it');
  const owner = await page.locator('.facts a[href^="https://chat.example.com/"]').getAttribute('href');
  check(owner === 'https://chat.example.com/channels/operations-engineering-alerts', `the owner links to their channel (got ${owner})`);
  check(await page.locator('#runbook-nav').evaluate((d) => d.open), 'on a desktop the folder navigation is open beside the page');
  const current = await text(page.locator('.runbook-nav [aria-current="page"]'));
  check(current === 'Site returns 5xx', `the navigation marks this page (got ${current})`);
  const next = await page.locator('.pager a[rel="next"]').getAttribute('href');
  check(next === '../runbooks/db/replica-lag.html', `next goes to the following runbook in the index (got ${next})`);
  await done(page);
}
{
  // Built on 5 Jan 2027 (Kate), read on a phone without a clock override of the data's
  // span: the build-time answer stays when the moment is outside the published data.
  const page = await open('runbooks/site-down.html', { width: 390, clock: '2031-01-01T12:00:00Z' });
  const now = await text(page.locator('.prose [data-rota-now="second-line"]'));
  check(now === '(now engineer Kate Kowalski)', `outside the published data the build-time holder stays (got ${now})`);
  check(!(await page.locator('#runbook-nav').evaluate((d) => d.open)), 'on a phone the folder navigation is folded');
  await done(page);
}

// ---- The alert catalogue: severity, for, expression, who each rota's holder is now ----
{
  const page = await open('alerts.html', { width: 1280 });
  const row = page.locator('tr#site-down');
  const facts = await text(row.locator('.rule-facts'));
  check(facts === 'fires after 5m · rule SiteDown', `an alert read from a rule says its for and rule (got ${facts})`);
  const expr = await row.locator('.expr code').evaluate((c) => c.textContent);
  check(expr.length > 0 && (await row.locator('.expr pre code').count()) === 1, `its expression is in a code block (got ${expr})`);
  const now = await text(row.locator('[data-rota-now="out-of-hours"]'));
  check(now === '(now primary Heidi Hussain, secondary Dan Dlamini)', `each rota says who holds it now (got ${now})`);
  await done(page);
}
{
  const page = await open('alerts.html?severity=critical');
  const shown = await page.locator('#alerts tbody tr:visible').count();
  check(shown === 2, `alerts.html?severity=critical opens filtered (got ${shown})`);
  await done(page);
}

// ---- A rota page on a phone: one line per turn, by month, under 2,500 px ----
for (const rota of ['out-of-hours', 'in-hours', 'second-line']) {
  const page = await open(`rotas/${rota}.html`, { clock: '2027-01-20T12:00:00Z' });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  check(height < 2500, `rotas/${rota}.html at 390 px is under 2,500 px tall (got ${height})`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 390, `rotas/${rota}.html does not scroll sideways at 390 px (got ${width})`);
  // Months after the first few turns are folded under "Later turns": read them all.
  const months = (await page.locator('h3.month').allTextContents()).map((m) => m.trim());
  check(months.includes('January 2027') && months.indexOf('January 2027') < months.indexOf('February 2027'),
    `turns are grouped by month, in order (got ${months.join(', ')})`);
  const current = await page.locator('li.turn.current .turn-time').allInnerTexts();
  check(current.length === 1 && current[0].startsWith(rota === 'second-line' ? '18 Jan' : '20 Jan'),
    `the turn under way by the reader's clock is marked now (got ${JSON.stringify(current)})`);
  const labels = await page.locator('table.members td[data-label]').count();
  check(labels === 0, `the members table stays a table (${labels} cells with stacked labels)`);
  await done(page);
}
// The "now" tag of the turn under way sits beside or below its dates, never over its
// holders' names, on a phone and a desktop.
for (const width of [390, 1280]) {
  for (const rota of ['out-of-hours', 'in-hours', 'second-line']) {
    const page = await open(`rotas/${rota}.html`, { width, clock: '2027-01-05T12:00:00Z' });
    const overlap = await page.evaluate(() => {
      const turn = document.querySelector('li.turn.current');
      if (!turn) return 'no current turn';
      const tag = turn.querySelector('.now-tag').getBoundingClientRect();
      return Array.from(turn.querySelectorAll('.turn-holder a, .turn-holder .unfilled'))
        .map((a) => a.getBoundingClientRect())
        .some((r) => tag.left < r.right && r.left < tag.right && tag.top < r.bottom && r.top < tag.bottom);
    });
    check(overlap === false, `${width} px: rotas/${rota}.html's "now" tag does not cover a holder's name (got ${overlap})`);
    await done(page);
  }
}

// ---- The home page's moment picker stands apart from the cards above it ----
for (const width of [390, 1280]) {
  const page = await open('index.html', { width });
  const gap = await page.evaluate(() => {
    const cards = Array.from(document.querySelectorAll('#now-cards .card'), (c) => c.getBoundingClientRect().bottom);
    return Math.round(document.querySelector('.at-form').getBoundingClientRect().top - Math.max(...cards));
  });
  check(gap >= 16, `${width} px: the moment picker is at least 16 px below the last card (got ${gap} px)`);
  await done(page);
}

// ---- Every other page at 390 px: nothing wider than the phone ----
// Every person page of the example and every runbook, the home, people, alerts, runbooks,
// search and check pages (the 404 page's is in now.mjs, which opens it with no network), on a day with a turn under way (its "now" tag shown) and
// at the build's moment. A page wider than the viewport scrolls sideways; the elements
// that stick out are named so that a failure says where to look.
{
  const pages = ['index.html', 'people/index.html', 'alerts.html', 'runbooks/index.html', 'search.html?q=replica',
    'check.html'];
  for (const folder of ['people', 'runbooks', 'runbooks/db']) {
    for (const name of fs.readdirSync(path.join(dir, folder)).sort()) {
      if (name.endsWith('.html') && name !== 'index.html') pages.push(`${folder}/${name}`);
    }
  }
  check(pages.filter((p) => p.startsWith('people/')).length >= 16 && pages.includes('runbooks/db/replica-lag.html'),
    `the width check covers every person and runbook page (${pages.length} pages)`);
  for (const clock of ['2027-01-05T12:00:00Z', '2027-02-04T12:00:00Z']) {
    const wide = [];
    for (const rel of pages) {
      const page = await open(rel, { clock });
      const found = await page.evaluate(() => {
        const width = window.innerWidth;
        const sticking = Array.from(document.querySelectorAll('body *'))
          .filter((e) => e.getBoundingClientRect().right > width + 0.5 && !e.closest('.visually-hidden'))
          .filter((e, _, all) => !all.some((inner) => inner !== e && e.contains(inner)))
          .slice(0, 3)
          .map((e) => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).split(' ').join('.') : ''}`);
        return { scroll: document.documentElement.scrollWidth, width, sticking };
      });
      if (found.scroll > found.width) wide.push(`${rel} ${found.scroll} px (${found.sticking.join(', ')})`);
      await done(page);
    }
    check(wide.length === 0, `at 390 px on ${clock.slice(0, 10)}, no page scrolls sideways${wide.length ? ': ' + wide.join('; ') : ` (${pages.length} pages)`}`);
  }
}

// ---- Printing a runbook: light and ≥ 7:1 whatever the screen mode, external links' URLs ----
for (const scheme of ['light', 'dark']) {
  const page = await open('runbooks/db/replica-lag.html', { width: 1280, scheme, clock: '2027-01-05T12:00:00Z' });
  await page.emulateMedia({ media: 'print', colorScheme: scheme });
  const worst = await page.evaluate(() => {
    const lum = (rgb) => {
      const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const parse = (c) => { const m = c.match(/[\d.]+/g); return m ? { rgb: m.slice(0, 3).map(Number), a: m.length > 3 ? Number(m[3]) : 1 } : null; };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) return c.rgb;
      }
      return [255, 255, 255];
    };
    let worst = { ratio: 99, what: '' };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim()) continue;
      const el = n.parentElement;
      const style = getComputedStyle(el);
      if (el.closest('[hidden]') || !el.getClientRects().length || style.visibility === 'hidden') continue;
      const fg = lum(parse(style.color).rgb), bg = lum(background(el));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      if (ratio < worst.ratio) worst = { ratio, what: `${el.tagName.toLowerCase()}.${el.className} "${n.textContent.trim().slice(0, 30)}"` };
    }
    return worst;
  });
  check(worst.ratio >= 7, `printed from ${scheme} mode, every text keeps 7:1 contrast (lowest ${worst.ratio.toFixed(2)}: ${worst.what})`);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  check(bg === 'rgb(255, 255, 255)', `printed from ${scheme} mode, the page is white (got ${bg})`);
  const url = await page.locator('.facts a[href^="https://"]').first().evaluate((a) => getComputedStyle(a, '::after').content);
  check(url.includes('https://chat.example.com/channels/data-platform'), `an external link prints its URL (got ${url})`);
  const built = await page.locator('.site-footer').isVisible();
  check(built, 'the print keeps the build time (the footer)');
  const nav = await page.locator('.site-header').isVisible();
  check(!nav, 'the print leaves out the header and its search box');
  await done(page);
}

check(errors.length === 0, `no console errors${errors.length ? ': ' + errors.join('; ') : ''}`);
check(outside.length === 0, `no request leaves the output folder${outside.length ? ': ' + outside.join(', ') : ''}`);
await browser.close();
if (failures.length) {
  console.error(`\n${failures.length} find check(s) failed`);
  process.exit(1);
}
console.log('\nall find checks passed');
