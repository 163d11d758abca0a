// The page features on a fixture site built here (the real site collects no
// feedback and has no banner today): a guidance page with feedback links, a
// banner and images, its section's print page, and the home page with the
// banner pass the Nu Html Checker and axe-core at desktop and phone widths;
// images keep their space before they load; printing hides the menus, the
// banner and the feedback.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { axeViolations, vnuErrors } from '../lib/checkers.mjs';
import { REPO, browser, htmlFiles, serve } from '../lib/site.mjs';

const BIN = process.env.PESTLE_BIN || path.join(REPO, 'target', 'release', 'pestle');
const page = (front, body) => `---\n${front}\n---\n${body}\n`;

function png(width, height) {
  const b = Buffer.alloc(33);
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').copy(b, 0);
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  b.set([8, 2, 0, 0, 0], 24);
  return b;
}

const FILES = {
  'site.yaml': [
    'title: Fixture guidance',
    'description: A fixture for the page features.',
    'base_url: https://example.org/guide/',
    'language: en-GB',
    'feedback_url: https://forms.example/feedback?page={url}&title={title}',
    'banners:',
    '  - text: "**The Spine is down.** Use [the contingency plan](/eps/contingency.md) until it is back."',
    '    from: 2026-06-01',
    '    until: 2026-06-03',
    '',
  ].join('\n'),
  'content/_index.md': page('title: Fixture guidance\ndescription: The home page.', 'Start with [EPS](eps/).'),
  'content/eps/_index.md': page('title: EPS\ndescription: All about EPS.\nreviewed: 2026-01-10\nowner: Pharmacy IT team', '## Overview\nHow EPS works.'),
  'content/eps/contingency.md': page(
    'title: When the Spine is down\ndescription: What to do in an outage.\nweight: 1\nreviewed: 2026-02-01\nowner: Pharmacy IT team',
    '## Before you start\n![A flow chart of the contingency steps](flow.svg)\n\n## Tokens\nUse tokens.\n\n![A photo of a token](token.png)\n\nSee [the overview](_index.md#overview).',
  ),
  'content/eps/tokens.md': page('title: Tokens\ndescription: Ordering tokens.\nweight: 2', '## Stock\nOrder early. See [outages](contingency.md#tokens).'),
  'content/eps/flow.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="120" viewBox="0 0 320 120"><rect width="320" height="120" fill="#e8f1f8"/><text x="20" y="64" font-size="20">Step 1, then step 2</text></svg>',
};

let root;
let out;
before(() => {
  assert.ok(fs.existsSync(BIN), `${BIN} is missing (run.sh builds it)`);
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pestle-features-'));
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  fs.writeFileSync(path.join(root, 'content/eps/token.png'), png(800, 600));
  out = path.join(root, 'out');
  const r = spawnSync(BIN, ['build', '--date', '2026-06-02', '--output', out], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `the fixture did not build:\n${r.stderr}`);
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('the fixture shows feedback, the banner, sized images and a print page', () => {
  const html = fs.readFileSync(path.join(out, 'eps/contingency/index.html'), 'utf8');
  assert.match(html, /<section class="feedback"/);
  assert.match(html, /class="notification-banner" role="region"/);
  assert.match(html, /<img src="\.\.\/flow\.svg" alt="[^"]+" width="320" height="120" \/>/);
  assert.match(html, /<img src="\.\.\/token\.png" alt="[^"]+" width="800" height="600" loading="lazy" \/>/);
  assert.ok(fs.existsSync(path.join(out, 'eps/print/index.html')));
});

test('every page of the fixture passes the Nu Html Checker', () => {
  const files = htmlFiles(out);
  const { errors, status, stderr } = vnuErrors(out, files);
  assert.deepEqual(errors, [], errors.join('\n'));
  assert.equal(status, 0, stderr.slice(0, 2000));
});

describe('in Chromium', () => {
  let server;
  let b;
  let tab;
  before(async () => {
    server = await serve(out);
    b = await browser(server.origin);
    tab = await b.page();
  });
  after(async () => {
    await b?.close();
    await server?.close();
  });

  const PAGES = { feedbackBannerImages: '/eps/contingency/', print: '/eps/print/', home: '/' };
  for (const [name, p] of Object.entries(PAGES)) {
    for (const width of [1280, 375]) {
      test(`axe finds nothing on the ${name} page ${p} at ${width} px`, async () => {
        await tab.setViewportSize({ width, height: 800 });
        const resp = await tab.goto(server.origin + p, { waitUntil: 'load' });
        assert.equal(resp.status(), 200);
        const found = await axeViolations(tab);
        assert.deepEqual(found, [], `${found.length} violations on ${p} at ${width} px:\n${found.join('\n')}`);
      });
    }
  }

  test('an image keeps its space before it loads', async () => {
    await tab.setViewportSize({ width: 1280, height: 800 });
    // The image is held back until it has been measured.
    let held;
    await tab.route('**/token.png', (route) => { held = route; });
    let box;
    try {
      await tab.goto(server.origin + PAGES.feedbackBannerImages, { waitUntil: 'domcontentloaded' });
      box = await tab.$eval('img[src="../token.png"]', (img) => {
        const r = img.getBoundingClientRect();
        return { width: r.width, height: r.height, loaded: img.complete && img.naturalWidth > 0 };
      });
    } finally {
      await held?.continue();
      await tab.unroute('**/token.png');
    }
    assert.equal(box.loaded, false, 'measured before it loaded');
    assert.ok(box.height > 100, `the unloaded image takes ${box.height} px`);
    assert.ok(Math.abs(box.width / box.height - 800 / 600) < 0.02, `its shape is kept: ${JSON.stringify(box)}`);
  });

  test('printing the print page hides the menus, the banner and the feedback', async () => {
    await tab.setViewportSize({ width: 1280, height: 800 });
    await tab.goto(server.origin + PAGES.print, { waitUntil: 'load' });
    await tab.emulateMedia({ media: 'print' });
    try {
      const shown = await tab.evaluate(() => ['.site-nav', '.breadcrumbs', '.notification-banner', '.feedback', '.print-hint', '.site-footer', '.header-search']
        .filter((s) => document.querySelector(s) && getComputedStyle(document.querySelector(s)).display !== 'none'));
      assert.deepEqual(shown, []);
      const chapters = await tab.$$eval('.print-chapter', (els) => els.map((e) => getComputedStyle(e).breakBefore));
      assert.deepEqual(chapters, ['page', 'page'], 'each page starts a new sheet');
    } finally {
      await tab.emulateMedia({ media: 'screen' });
    }
  });
});
