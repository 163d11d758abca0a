// The web editor end to end. decap-server (the local proxy Decap CMS saves
// through, from this folder's node_modules) and `pestle serve` run on
// 127.0.0.1 for a fixture site whose site.yaml has a `cms:` block; the CMS
// script itself is served from node_modules on another loopback port
// (`cms.script_url`), so no request leaves this machine. Headless Chromium
// opens /admin/, picks a section, fills the form and saves; the Markdown
// file written must be exactly what the form said, pass `pestle check`, and
// be served by `pestle serve`. A second test opens every page of the real
// site in the editor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { HERE, REPO, browser, serve } from '../lib/site.mjs';

const BIN = process.env.PESTLE_BIN || path.join(REPO, 'target', 'release', 'pestle');
const SHOTS = process.env.SHOTS_DIR || path.join(HERE, 'shots');
const DECAP_DIST = path.join(HERE, 'node_modules', 'decap-cms', 'dist');
const DECAP_SERVER = path.join(HERE, 'node_modules', 'decap-server', 'dist', 'index.js');
// Review dates are judged against this day, so the outcome never depends on the calendar.
const TODAY = '2026-11-27';

function write(root, rel, text) {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

/** A free port on 127.0.0.1 (decap-server takes its port from PORT). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Waits for a line of `stream` that matches `re`; resolves to the match. */
function waitForLine(stream, re, what) {
  const lines = readline.createInterface({ input: stream });
  return new Promise((resolve, reject) => {
    const seen = [];
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${seen.join('\n')}`)), 30000);
    lines.on('line', (line) => {
      seen.push(line);
      const m = line.match(re);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
  });
}

/** decap-server in its file-system mode, saving into `root`, on loopback. */
async function startDecapServer(root) {
  const port = await freePort();
  const child = spawn(process.execPath, [DECAP_SERVER], {
    cwd: root,
    env: { ...process.env, PORT: String(port), BIND_HOST: '127.0.0.1', MODE: 'fs', GIT_REPO_DIRECTORY: root },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForLine(child.stdout, /listening on 127\.0\.0\.1/, 'decap-server');
  return { url: `http://127.0.0.1:${port}/api/v1`, host: `127.0.0.1:${port}`, stop: () => child.kill() };
}

async function startServe(root) {
  const child = spawn(BIN, ['serve', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
  const [origin] = await waitForLine(child.stdout, /http:\/\/127\.0\.0\.1:\d+/, 'pestle serve');
  return { origin, stop: () => child.kill() };
}

/** The CMS block of site.yaml for this run's loopback servers. */
const cmsBlock = (scripts, proxy) => `cms:
  backend: { name: github, repo: ORG/REPO, branch: main }
  script_url: ${scripts.origin}/decap-cms.js
  local_backend_url: ${proxy.url}
`;

/**
 * Everything a test needs around a site folder: the proxy, the script
 * server, pestle serve and a browser that may reach only those three.
 */
async function editorFor(root, siteYaml) {
  const scripts = await serve(DECAP_DIST);
  const proxy = await startDecapServer(root);
  write(root, 'site.yaml', siteYaml + cmsBlock(scripts, proxy));
  const site = await startServe(root);
  const b = await browser(site.origin);
  const loopback = new Set([new URL(scripts.origin).host, proxy.host]);
  await b.ctx.route('**/*', (route) => (loopback.has(new URL(route.request().url()).host) ? route.continue() : route.fallback()));
  const page = await b.page();
  await page.goto(`${site.origin}/admin/`);
  // The CMS script is 5 MB: give a busy machine time to start it.
  await page.getByRole('button', { name: 'Login' }).click({ timeout: 60000 });
  return {
    site, page, b,
    close: async () => {
      await b.close();
      site.stop();
      proxy.stop();
      await scripts.close();
    },
  };
}

/** Polls until `fn` returns something truthy (a throw counts as not yet). */
async function until(fn, what, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await Promise.resolve().then(fn).catch(() => false);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Opens an entry in the editor by its address, by way of its collection's
 * list (the editor does not reload when only the entry in its address
 * changes).
 */
async function openEntry(page, collection, slug) {
  const go = (h) => page.evaluate((hash) => { window.location.hash = hash; }, h);
  await go(`#/collections/${collection}`);
  await page.getByRole('link', { name: 'Create entry of type page' }).waitFor();
  await go(`#/collections/${collection}/entries/${slug}`);
}

/** Publish, Publish now, and wait until the editor says it is saved. */
async function publish(page) {
  await page.getByRole('button', { name: /^Publish$/ }).click();
  await page.getByText('Publish now').click();
  await page.getByText('Changes saved', { exact: true }).waitFor();
}

function check(root) {
  const out = spawnSync(BIN, ['check', '--format', 'json'], { cwd: root, env: { ...process.env, PESTLE_TODAY: TODAY }, encoding: 'utf8' });
  return { status: out.status, report: JSON.parse(out.stdout) };
}

const FIXTURE_YAML = `title: CMS test site
base_url: https://example.org/
taxonomies:
  - name: region
    title: NHS England regions
    closed: true
    terms:
      - { slug: north, title: North }
      - { slug: midlands-and-east, title: Midlands and East }
      - { slug: london, title: London }
      - { slug: south, title: South }
  - name: tags
    title: Topics
`;

const EXISTING = `---
title: Existing guidance
description: A page written by hand.
reviewed: 2026-01-02
owner: Pharmacy IT guidance team
tags: [tokens]
region: london
related:
  - _index.md
  - title: NHS England
    url: https://www.england.nhs.uk/
extra:
  note: kept as written
---
> [!WARNING]
> Written by hand, with an alert.
`;

/** EXISTING as Decap saves it after the description is changed. */
const EDITED = `---
related:
  - _index.md
  - title: NHS England
    url: https://www.england.nhs.uk/
extra:
  note: kept as written
title: Existing guidance
description: 'Changed in the CMS: with "quotes".'
reviewed: 2026-01-02
owner: Pharmacy IT guidance team
tags:
  - tokens
region: london
---
> [!WARNING]
> Written by hand, with an alert.
`;

test('a page made in the CMS form is the page pestle builds and serves', { timeout: 180000 }, async () => {
  assert.ok(fs.existsSync(BIN), `${BIN} is missing (run.sh builds it)`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pestle-cms-site-'));
  write(root, 'content/_index.md', '---\ntitle: Home\ndescription: The home page.\n---\nSee [the guide](guide/_index.md).\n');
  write(root, 'content/guide/_index.md', '---\ntitle: Tokens guide\ndescription: Everything about tokens.\n---\n');
  write(root, 'content/guide/existing.md', EXISTING);
  const ed = await editorFor(root, FIXTURE_YAML);
  const { page: p } = ed;
  try {
    // Pick the section, then a new page in it.
    await p.getByRole('link', { name: 'Tokens guide' }).click();
    await p.getByRole('link', { name: 'Create entry of type page' }).click();
    await p.getByRole('textbox', { name: 'Title' }).fill("Ordering tokens: Ann's café guide");
    await p.getByRole('textbox', { name: 'Description' }).fill('How to order FP10DT tokens, step by step.');
    await p.locator('input[id^="reviewed-field"]').fill('2026-11-26');
    await p.locator('[id^="region-field"]').click();
    await p.getByRole('option', { name: 'London' }).click();
    // The picture in README: the form down to the region, as filled in.
    fs.mkdirSync(SHOTS, { recursive: true });
    await p.setViewportSize({ width: 1280, height: 1500 });
    await p.locator('input[id^="title-field"]').scrollIntoViewIfNeeded();
    await p.screenshot({ path: path.join(SHOTS, 'cms-new-page.png') });
    await p.setViewportSize({ width: 1280, height: 800 });
    // A list emptied again is saved as []; a number and a date typed and
    // then cleared are left out, not saved as "" (the admin page's hook).
    await p.locator('input[id^="tags-field"]').fill('tokens');
    await p.locator('input[id^="tags-field"]').fill('');
    await p.locator('input[id^="weight-field"]').fill('3');
    await p.locator('input[id^="weight-field"]').fill('');
    await p.locator('input[id^="review_due-field"]').fill('2027-01-01');
    await p.locator('[id^="review_due-field"]').locator('xpath=..').getByRole('button', { name: 'Clear' }).click();
    await p.locator('[aria-label="markdown field"] [contenteditable="true"]').click();
    await p.keyboard.type('Order them from Primary Care Support England.');
    await publish(p);

    const file = path.join(root, 'content', 'guide', 'ordering-tokens-anns-cafe-guide.md');
    const text = await until(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8'), 'the saved page');
    // Exactly what Decap writes (tests/suite/cms.rs holds the same text).
    assert.equal(text, `---
title: "Ordering tokens: Ann's café guide"
description: How to order FP10DT tokens, step by step.
reviewed: 2026-11-26
tags: []
region:
  - london
---
Order them from Primary Care Support England.
`);

    const { status, report } = check(root);
    const own = report.findings.filter((f) => f.path.endsWith('ordering-tokens-anns-cafe-guide.md'));
    assert.deepEqual(own, [], 'pestle check has nothing to say about the new page');
    assert.equal(status, 0, JSON.stringify(report.findings));

    // serve shows it at the address made from its file name, listed under its region.
    const url = `${ed.site.origin}/guide/ordering-tokens-anns-cafe-guide/`;
    const html = await until(async () => {
      const r = await fetch(url);
      return r.ok && (await r.text());
    }, 'serve to show the new page');
    assert.match(html, /<h1>Ordering tokens: Ann&#39;s café guide<\/h1>/);
    assert.match(html, /26 November 2026/);
    const region = await (await fetch(`${ed.site.origin}/region/london/`)).text();
    assert.match(region, /ordering-tokens-anns-cafe-guide/);

    // A page written by hand keeps what the form does not show when edited.
    await openEntry(p, 'guide', 'existing');
    await until(async () => (await p.getByRole('textbox', { name: 'Title' }).inputValue()) === 'Existing guidance', 'the page to open');
    await p.getByRole('textbox', { name: 'Description' }).fill('Changed in the CMS: with "quotes".');
    await publish(p);
    const existing = path.join(root, 'content', 'guide', 'existing.md');
    const edited = await until(() => {
      const t = fs.readFileSync(existing, 'utf8');
      return t !== EXISTING && t;
    }, 'the edited page');
    // Decap writes the keys in an order of its own and lists in block
    // style; every value, and the text, is as it was.
    assert.equal(edited, EDITED);
    assert.equal(check(root).status, 0);

    assert.deepEqual(ed.b.blocked, [], 'no request left loopback');
    assert.deepEqual(ed.b.errors, []);
  } finally {
    await ed.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

/** Every .md file under `dir`, relative to it. */
function mdFiles(dir, base = dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return mdFiles(full, base);
    return e.name.endsWith('.md') ? [path.relative(base, full)] : [];
  });
}

/** Builds `root` into `out`; resolves to each output file's bytes by path. */
function buildTree(root, out) {
  const r = spawnSync(BIN, ['build', '--output', out], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = new Map();
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else files.set(path.relative(out, full), fs.readFileSync(full));
    }
  };
  walk(out);
  return files;
}

// Real pages with the most in their front matter: every region as a list,
// one region as text, LDR tables in extra, a glossary template, a news
// item, related pages and links mixed.
const SAVED = ['ldr/_index.md', 'ldr/london.md', 'glossary.md', 'news/2015-07-01-controlled-drugs-in-eps.md', 'eps/_index.md', 'tokens/ordering.md'];

test('every page of the real site opens in the CMS, and one saved there builds as the same edit by hand', { timeout: 300000 }, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pestle-cms-real-'));
  fs.cpSync(path.join(REPO, 'content'), path.join(root, 'content'), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'glossary.yaml'), path.join(root, 'glossary.yaml'));
  const ed = await editorFor(root, fs.readFileSync(path.join(REPO, 'site.yaml'), 'utf8'));
  const { page: p } = ed;
  try {
    const config = await (await fetch(`${ed.site.origin}/admin/config.yml`)).text();
    const collection = new Map();
    for (const m of config.matchAll(/^- name: (\S+)\n(?: {2}.*\n)*? {2}folder: (\S+)$/gm)) collection.set(m[2], m[1]);
    const pages = mdFiles(path.join(root, 'content'));
    assert.ok(pages.length >= 30);
    let opened = 0;
    for (const rel of pages) {
      const folder = path.posix.join('content', path.dirname(rel)).replace(/\/\.$/, '');
      const name = collection.get(folder);
      assert.ok(name, `${rel}: no collection for ${folder}`);
      const text = fs.readFileSync(path.join(root, 'content', rel), 'utf8');
      const title = text.match(/^title: (.*)$/m)[1].replace(/^"(.*)"$/, '$1').replace(/\\"/g, '"');
      await openEntry(p, name, path.basename(rel, '.md'));
      const input = p.getByRole('textbox', { name: 'Title' });
      await until(async () => (await input.inputValue().catch(() => '')) === title, `${rel} to open with its title`, 20000);
      opened += 1;
    }
    assert.equal(opened, pages.length);

    // A word added to the description in the form and saved: the site
    // pestle builds from what the CMS wrote is, byte for byte, the site
    // built from the same word added by hand to the file as it was.
    const byHand = new Map();
    for (const rel of SAVED) {
      const file = path.join(root, 'content', rel);
      assert.ok(fs.existsSync(file), `${rel} is not in the real site any more: pick another`);
      const original = fs.readFileSync(file, 'utf8');
      byHand.set(rel, original.replace(/^(description: .*?)(["']?)$/m, '$1 x$2'));
      assert.notEqual(byHand.get(rel), original, `${rel} has no description line`);
      await openEntry(p, collection.get(path.posix.join('content', path.dirname(rel)).replace(/\/\.$/, '')), path.basename(rel, '.md'));
      const description = p.getByRole('textbox', { name: 'Description' });
      await until(async () => (await description.inputValue().catch(() => '')) !== '', `${rel} to open`);
      const want = `${await description.inputValue()} x`;
      await description.press('Control+End');
      await description.pressSequentially(' x');
      // The editor may still be drawing the entry (a page with an image
      // loads its preview) and drop keys typed meanwhile: type again until
      // the form holds the new description.
      await until(async () => {
        if ((await description.inputValue()) === want) return true;
        await description.fill(want);
        return false;
      }, `${rel}: the form to hold the new description`);
      await publish(p);
      await until(() => fs.readFileSync(file, 'utf8') !== original, `${rel} to be saved`);
      await until(async () => {
        const now = fs.readFileSync(file, 'utf8');
        await new Promise((r) => setTimeout(r, 500));
        return fs.readFileSync(file, 'utf8') === now;
      }, `${rel} to be written in full`);
    }
    const saved = buildTree(root, `${root}-saved`);
    for (const [rel, text] of byHand) fs.writeFileSync(path.join(root, 'content', rel), text);
    const edited = buildTree(root, `${root}-by-hand`);
    const differ = [...new Set([...saved.keys(), ...edited.keys()])].filter((k) => !saved.get(k)?.equals(edited.get(k) ?? Buffer.alloc(0)));
    assert.deepEqual(differ, [], 'what the CMS saved builds to the same site as the same edit by hand');
    assert.deepEqual(ed.b.blocked, [], 'no request left loopback');
    assert.deepEqual(ed.b.errors, []);
  } finally {
    await ed.close();
    for (const d of [root, `${root}-saved`, `${root}-by-hand`]) fs.rmSync(d, { recursive: true, force: true });
  }
});
