// The search page in headless Chromium, over http (the real site) and from
// file:// (the real site built with --file-urls): results as you type,
// glossary card, filters kept in the URL with Back, keyboard, focus,
// axe-core, page text inserted as text, and no requests off the machine.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { REPO, useSite } from '../lib/site.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Builds a site with the release binary into a new temporary folder. */
export function buildSite(root, ...args) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pestle-search-'));
  execFileSync('cargo', ['run', '--release', '--quiet', '--manifest-path', path.join(REPO, 'Cargo.toml'), '--',
    '--root', root, 'build', '--output', path.join(out, 'site'), ...args], { stdio: 'inherit' });
  return path.join(out, 'site');
}

async function axe(page) {
  await page.evaluate(AXE);
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} -> ${n.target.join(' ')}`));
  }, TAGS);
}

const results = (page) => page.$$eval('.search-list .search-result h3 a', (as) => as.map((a) => a.getAttribute('href')));
const status = (page) => page.textContent('.search-status');
async function settle(page, q) {
  await page.waitForFunction((q) => {
    const s = document.querySelector('.search-status');
    return s && /result/.test(s.textContent) && s.textContent.includes(q) && !/Searching/.test(s.textContent);
  }, q, { timeout: 10000 });
}

describe('search over http', () => {
  let server;
  let b;
  let page;
  useSite((s) => ({ server, browser: b, page } = s));

  test('a query in the URL shows results, a glossary card and a count in the status line', async () => {
    await page.goto(`${server.origin}/search/?q=SCR`);
    await settle(page, 'SCR');
    const hrefs = await results(page);
    assert.ok(hrefs.length >= 3, `only ${hrefs.length} results`);
    assert.equal(hrefs[0], '../national-systems/summary-care-record/');
    assert.match(await status(page), /^\d+ results for “SCR”$/);
    assert.match(await page.textContent('.search-card h2'), /SCR: Summary Care Record/);
    assert.ok(await page.$eval('.search-snippet mark', (m) => m.textContent.length > 0));
    assert.equal(await page.getAttribute('.search-status', 'role'), 'status');
    assert.equal(await page.getAttribute('.search-list', 'aria-live'), null, 'the list is not a live region');
    assert.ok(await page.isHidden('#search-fallback'));
    assert.deepEqual(b.blocked, []);
    assert.deepEqual(b.errors, []);
  });

  test('typing shows results as you type, and focus stays in the box', async () => {
    await page.goto(`${server.origin}/search/`);
    await page.focus('#search-page-q');
    await page.keyboard.type('nomin', { delay: 30 });
    await settle(page, 'nomin');
    assert.ok((await results(page)).includes('../nominations/'));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'search-page-q');
    assert.match(page.url(), /\?q=nomin$/);
  });

  test('a typo shows "showing results for" with a way back to the exact words', async () => {
    await page.goto(`${server.origin}/search/?q=dispencing+tokens`);
    await settle(page, 'dispencing');
    assert.match(await page.textContent('.search-note'), /Showing results for dispensing tokens\. Search instead for dispencing tokens/);
    assert.ok((await results(page)).includes('../tokens/types-of-token/'));
  });

  test('filters count, narrow, live in the URL and Back undoes them', async () => {
    await page.goto(`${server.origin}/search/?q=LDR`);
    await settle(page, 'LDR');
    const before = (await results(page)).length;
    assert.match(await page.textContent('label[for=f-region-london]'), /London \(\d+\)/);
    await page.check('#f-region-london');
    await page.waitForFunction(() => /region=london/.test(location.search) && /in London/.test(document.querySelector('.search-status').textContent));
    const hrefs = await results(page);
    assert.ok(hrefs.length < before && hrefs.includes('../ldr/london/'), hrefs.join(' '));
    assert.deepEqual(await axe(page), [], 'no axe violations with a filter applied');
    await page.goBack();
    await page.waitForFunction(() => !/region=/.test(location.search) && !document.querySelector('#f-region-london').checked);
    await settle(page, 'LDR');
    assert.equal((await results(page)).length, before);
  });

  test('everything works by keyboard: Escape clears, Tab reaches filters then results', async () => {
    await page.goto(`${server.origin}/search/?q=smartcard`);
    await settle(page, 'smartcard');
    await page.focus('#search-page-q');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'search-button');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Filter results', 'the filters disclosure');
    assert.ok(await page.$eval('.search-filters', (d) => d.open), 'open beside the results on a wide screen');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.type), 'checkbox');
    await page.focus('#search-page-q');
    await page.keyboard.press('Escape');
    assert.equal(await page.inputValue('#search-page-q'), '');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'search-page-q');
    await page.keyboard.type('tokens');
    await page.keyboard.press('Enter');
    await settle(page, 'tokens');
    const first = (await results(page))[0];
    await page.focus('.search-list .search-result h3 a');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname.endsWith(first.replace('..', '')));
  });

  test('"Show more results" adds the next ten and moves focus to the first of them', async () => {
    await page.goto(`${server.origin}/search/?q=pharmacy`);
    await settle(page, 'pharmacy');
    const total = Number((await status(page)).match(/^(\d+)/)[1]);
    assert.ok(total > 20, `${total} results`);
    assert.equal((await results(page)).length, 10);
    await page.click('.search-more');
    await page.waitForFunction(() => document.querySelectorAll('.search-list .search-result').length === 20);
    assert.equal(await page.evaluate(() => document.activeElement.closest('.search-result') === document.querySelectorAll('.search-result')[10]), true);
    assert.equal(new Set(await results(page)).size, 20, 'no result twice');
  });

  test('axe finds nothing with results and with no results', async () => {
    for (const q of ['eRD', 'zzzzqqq']) {
      await page.goto(`${server.origin}/search/?q=${q}`);
      await page.waitForFunction(() => /result/i.test(document.querySelector('.search-status')?.textContent || ''));
      assert.deepEqual(await axe(page), [], `axe on ?q=${q}`);
    }
    assert.match(await status(page), /No results for “zzzzqqq”/);
    assert.ok(await page.isVisible('#search-fallback'), 'no results shows the browse links');
  });

  test('a single-key press does nothing outside the box (no shortcuts)', async () => {
    await page.goto(`${server.origin}/search/?q=tokens`);
    await settle(page, 'tokens');
    await page.focus('body');
    const url = page.url();
    for (const key of ['s', '/', 'f']) await page.keyboard.press(key);
    assert.equal(page.url(), url);
    assert.notEqual(await page.evaluate(() => document.activeElement.id), 'search-page-q');
  });
});

describe('search from file:// and with page text that looks like HTML', () => {
  let ctx;
  let profile;
  before(async () => {
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pestle-chromium-'));
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await ctx.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  });
  after(async () => {
    await ctx?.close();
    fs.rmSync(profile, { recursive: true, force: true });
  });

  test('built with --file-urls, the search works from disk and its links end in index.html', async () => {
    const site = buildSite(REPO, '--file-urls');
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('requestfailed', (r) => errors.push(r.url()));
    await page.goto(`file://${site}/search/index.html?q=eRD`);
    await settle(page, 'eRD');
    const hrefs = await results(page);
    assert.equal(hrefs[0], '../eps/electronic-repeat-dispensing/index.html');
    await page.check('#f-section-eps');
    await page.waitForFunction(() => /section=eps/.test(location.search));
    await page.click('.search-list .search-result h3 a');
    await page.waitForURL(/electronic-repeat-dispensing\/index\.html$/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a page titled <img src=x onerror=alert(1)> is shown as text, never run', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pestle-xss-'));
    fs.mkdirSync(path.join(root, 'content'));
    fs.writeFileSync(path.join(root, 'site.yaml'), 'title: XSS test\n');
    fs.writeFileSync(path.join(root, 'content', 'xss.md'),
      '---\ntitle: "<img src=x onerror=alert(1)>"\ndescription: "<script>alert(2)</script>"\n---\nAbout <b>markup</b> and zebra crossings.\n');
    const site = buildSite(root, '--file-urls');
    const page = await ctx.newPage();
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs++; d.dismiss(); });
    await page.goto(`file://${site}/search/index.html?q=zebra`);
    await settle(page, 'zebra');
    assert.equal(await page.textContent('.search-result h3 a'), '<img src=x onerror=alert(1)>');
    assert.equal(await page.$$eval('.search-results img, .search-results script', (x) => x.length), 0);
    assert.equal(dialogs, 0);
    await page.close();
  });
});
