// Screenshots of the example's site for the README: home and a rota page at phone
// width, light and dark, and the home page on a desktop.
// Usage: node screenshots.mjs PUBLIC_DIR OUT_DIR
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = path.resolve(process.argv[2] || 'public');
const outDir = path.resolve(process.argv[3] || 'screenshots');
fs.mkdirSync(outDir, { recursive: true });
const root = pathToFileURL(dir).href + '/';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
// The moment shown: a Saturday evening during the Christmas trade.
const at = '2026-12-26T19:30:00Z';
const shots = [
  { file: 'home-phone.png', rel: 'index.html', width: 390, height: 844, scheme: 'light', full: true },
  { file: 'rota-phone.png', rel: 'rotas/out-of-hours.html', width: 390, height: 844, scheme: 'light', full: false },
  { file: 'rota-calendar-phone.png', rel: 'rotas/out-of-hours.html', width: 390, height: 844, scheme: 'light', full: false, scrollTo: '#calendar-heading' },
  { file: 'alerts-phone.png', rel: 'alerts.html', width: 390, height: 844, scheme: 'light', full: false },
  { file: 'person-phone-dark.png', rel: 'people/heidi.html', width: 390, height: 844, scheme: 'dark', full: false },
  { file: 'home-phone-dark.png', rel: 'index.html', width: 390, height: 844, scheme: 'dark', full: false },
  { file: 'home-desktop.png', rel: 'index.html', width: 1280, height: 900, scheme: 'light', full: false },
  { file: 'runbook-desktop-dark.png', rel: 'runbooks/site-down.html', width: 1280, height: 900, scheme: 'dark', full: false },
];
for (const s of shots) {
  const context = await browser.newContext({
    viewport: { width: s.width, height: s.height }, deviceScaleFactor: 1, colorScheme: s.scheme,
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date(at));
  await page.goto(root + s.rel);
  if (s.scrollTo) await page.locator(s.scrollTo).evaluate((e) => e.scrollIntoView());
  await page.screenshot({ path: path.join(outDir, s.file), fullPage: s.full });
  await context.close();
  console.log(`wrote ${path.join(outDir, s.file)}`);
}
await browser.close();
