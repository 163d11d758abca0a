// Screenshots of the home page and a guidance page on a phone and a desktop,
// for a person to look at (SHOTS_DIR, default tests/browser/shots), and the
// print stylesheet.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { HERE, PAGES, useSite } from '../lib/site.mjs';

const SHOTS = path.resolve(process.env.SHOTS_DIR || path.join(HERE, 'shots'));
let server;
let b;
let page;
before(() => fs.mkdirSync(SHOTS, { recursive: true }));
useSite((s) => ({ server, browser: b, page } = s));

for (const name of ['home', 'guidance']) {
  for (const [label, width, height] of [['phone', 375, 812], ['desktop', 1280, 800]]) {
    test(`screenshot: ${name} page at ${width} px`, async (t) => {
      await page.setViewportSize({ width, height });
      await page.goto(server.origin + PAGES[name], { waitUntil: 'load' });
      const file = path.join(SHOTS, `${name}-${label}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(fs.statSync(file).size > 10_000, `${file} looks empty`);
      t.diagnostic(file);
    });
  }
}

test('print: no header search, menus, pager or footer; link URLs are shown', async (t) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.origin + PAGES.guidance, { waitUntil: 'load' });
  await page.emulateMedia({ media: 'print' });
  try {
    const hidden = await page.evaluate(() => ['.header-search', '.site-nav', '.breadcrumbs', '.pager', '.site-footer', '.latest-news']
      .filter((s) => document.querySelector(s))
      .map((s) => [s, getComputedStyle(document.querySelector(s)).display]));
    for (const [sel, display] of hidden) assert.equal(display, 'none', `${sel} is printed`);
    const after = await page.$eval('main a[href^="http"]', (a) => getComputedStyle(a, '::after').content);
    assert.match(after, /\(http/, 'an external link prints its URL');
    const file = path.join(SHOTS, 'guidance-print.png');
    await page.screenshot({ path: file, fullPage: true });
    t.diagnostic(file);
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});
