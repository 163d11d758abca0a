// axe-core finds no WCAG 2.2 A/AA violations on the key page types at desktop
// and phone widths, no page scrolls sideways at 320 px, and no request
// leaves 127.0.0.1.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { PAGES, useSite } from '../lib/site.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WIDTHS = [1280, 375];

let server;
let b;
let page;
useSite((s) => ({ server, browser: b, page } = s));

async function open(path, width, height = 800) {
  await page.setViewportSize({ width, height });
  const resp = await page.goto(server.origin + path, { waitUntil: 'load' });
  const want = path === PAGES.notFound ? 404 : 200;
  assert.equal(resp.status(), want, `${path} answered HTTP ${resp.status()}`);
}

async function axe() {
  await page.evaluate(AXE);
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${v.help} -> ${n.target.join(' ')}\n    ${n.failureSummary?.split('\n').join('\n    ')}`));
  }, TAGS);
}

describe('axe-core (WCAG 2.2 A and AA)', () => {
  for (const [name, path] of Object.entries(PAGES)) {
    for (const width of WIDTHS) {
      test(`${name} page ${path} at ${width} px has no violations`, async () => {
        await open(path, width);
        const found = await axe();
        assert.deepEqual(found, [], `${found.length} violations on ${path} at ${width} px:\n${found.join('\n')}`);
      });
    }
  }
  test('the phone menu, opened, has no violations', async () => {
    await open(PAGES.guidance, 375);
    await page.click('.site-nav summary');
    assert.equal(await page.$eval('.site-nav details', (d) => d.open), true);
    const found = await axe();
    assert.deepEqual(found, [], found.join('\n'));
  });
});

describe('reflow (WCAG 1.4.10)', () => {
  for (const [name, path] of Object.entries(PAGES)) {
    test(`${name} page ${path} does not scroll sideways at 320 px`, async () => {
      await open(path, 320, 640);
      const { scroll, client, culprits } = await page.evaluate(() => {
        const de = document.documentElement;
        const vw = de.clientWidth;
        const culprits = [];
        for (const el of document.body.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          if (r.width && r.right > vw + 1 && culprits.length < 5) {
            let clipped = false;
            for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
              if (getComputedStyle(a).overflowX !== 'visible') clipped = true;
            }
            if (!clipped) culprits.push(`${el.localName}.${[...el.classList].join('.')} (${Math.round(r.right)} px)`);
          }
        }
        return { scroll: de.scrollWidth, client: vw, culprits };
      });
      assert.ok(scroll <= client, `${path} is ${scroll} px wide in a ${client} px viewport: ${culprits.join(', ')}`);
    });
  }
});

describe('no external requests', () => {
  test('the pages above asked for nothing outside 127.0.0.1', async () => {
    for (const path of Object.values(PAGES)) {
      await open(path, 1280);
    }
    assert.ok(server.requests.some((r) => r.endsWith('.css')), 'the stylesheet was requested from the local server');
    assert.deepEqual(b.blocked, [], `requests that left 127.0.0.1:\n${b.blocked.join('\n')}`);
    assert.deepEqual(b.errors, [], `JavaScript errors:\n${b.errors.join('\n')}`);
  });
});
