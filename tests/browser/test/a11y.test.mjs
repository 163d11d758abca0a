// axe-core finds no WCAG 2.2 A/AA violations on the key page types at desktop
// and phone widths, no page scrolls sideways at 320 px, and no request
// leaves 127.0.0.1.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { axeViolations } from '../lib/checkers.mjs';
import { PAGES, useSite } from '../lib/site.mjs';

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

const axe = () => axeViolations(page);

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
  test('the section page and its print page checked above show an image with its size', async () => {
    for (const path of [PAGES.section, PAGES.print]) {
      await open(path, 1280);
      const sized = await page.$$eval('main img', (imgs) => imgs.filter((i) => i.getAttribute('width') && i.getAttribute('height')).length);
      assert.ok(sized >= 1, `${path} has no image with width and height`);
    }
  });
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
