// The search page on a 375 px phone: results first (the first result is above
// the fold, glossary card and all), filters in a closed disclosure under the
// status line that says how many are chosen, no filter with a count of 0, no
// squashed checkboxes, no empty boxes; by keyboard and axe-clean, open and shut.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { useSite } from '../lib/site.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PHONE = { width: 375, height: 667 };

async function axe(page) {
  await page.evaluate(AXE);
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} -> ${n.target.join(' ')}`));
  }, TAGS);
}
async function settle(page, q) {
  await page.waitForFunction((q) => {
    const s = document.querySelector('.search-status');
    return s && /result/.test(s.textContent) && s.textContent.includes(q) && !/Searching/.test(s.textContent);
  }, q, { timeout: 10000 });
}
/** Visible boxes in the results area with nothing in them. */
const emptyBoxes = (page) => page.$$eval('#search-results *', (els) => els.filter((e) => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && !e.textContent.trim() && !['INPUT', 'MARK', 'BR'].includes(e.tagName) && !e.querySelector('input');
}).map((e) => `${e.tagName}.${e.className}`));

describe('search on a 375 px phone', () => {
  let server;
  let page;
  useSite((s) => ({ server, page } = s));

  for (const q of ['SCR', 'how do I order dispensing tokens', 'smartcard']) {
    test(`?q=${q}: the first result is above the fold, filters closed under the status line`, async () => {
      await page.setViewportSize(PHONE);
      await page.goto(`${server.origin}/search/?q=${encodeURIComponent(q)}`);
      await settle(page, q);
      const first = await page.$eval('.search-list .search-result', (li) => li.getBoundingClientRect().toJSON());
      const h3 = await page.$eval('.search-list .search-result h3', (h) => h.getBoundingClientRect().bottom);
      assert.ok(h3 <= PHONE.height, `the first result's title ends at ${Math.round(h3)} px, below the ${PHONE.height} px fold`);
      assert.ok(first.top < PHONE.height - 60, `the first result starts at ${Math.round(first.top)} px`);
      assert.equal(await page.$eval('.search-filters', (d) => d.open), false, 'filters start closed on a phone');
      const order = await page.$$eval('#search-results > :not([hidden])', (els) => els.map((e) => e.className));
      assert.ok(order.indexOf('search-status') < order.indexOf('search-filters'), order.join(' '));
      assert.ok(order.indexOf('search-filters') < order.indexOf('search-list'), order.join(' '));
      assert.deepEqual(await emptyBoxes(page), [], 'no empty boxes');
      assert.deepEqual(await axe(page), [], 'axe with the filters closed');
    });
  }

  test('filters: no zero counts, checkboxes keep their size, the summary counts the chosen ones', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.origin}/search/?q=LDR`);
    await settle(page, 'LDR');
    assert.equal(await page.textContent('.search-filters summary'), 'Filter results');
    await page.click('.search-filters summary');
    assert.equal(await page.$eval('.search-filters', (d) => d.open), true);
    const labels = await page.$$eval('.search-option', (rows) => rows.filter((r) => r.getBoundingClientRect().height > 0).map((r) => r.textContent));
    assert.ok(labels.length > 0);
    for (const l of labels) assert.doesNotMatch(l, /\(0\)/, `a filter with nothing in it: ${l}`);
    const widths = await page.$$eval('.search-option input', (cbs) => cbs.filter((c) => c.getBoundingClientRect().height > 0).map((c) => c.getBoundingClientRect().width));
    for (const w of widths) assert.ok(w >= 23, `a checkbox squashed to ${w} px`);
    assert.deepEqual(await axe(page), [], 'axe with the filters open');
    await page.check('#f-region-london');
    await page.waitForFunction(() => /region=london/.test(location.search) && /in London/.test(document.querySelector('.search-status').textContent));
    assert.equal(await page.textContent('.search-filters summary'), 'Filter results (1)');
    assert.deepEqual(await emptyBoxes(page), []);
  });

  test('by keyboard: Tab from the search button reaches the disclosure, Enter opens it, Tab reaches a filter', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.origin}/search/?q=tokens`);
    await settle(page, 'tokens');
    await page.focus('.search-page .search-button');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SUMMARY');
    await page.keyboard.press('Enter');
    assert.equal(await page.$eval('.search-filters', (d) => d.open), true);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.type), 'checkbox');
  });

  test('a query with no glossary term shows no glossary box', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.origin}/search/?q=tokens`);
    await settle(page, 'tokens');
    assert.equal(await page.isVisible('.search-card'), false);
  });
});
