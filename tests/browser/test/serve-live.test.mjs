// `pestle serve` end to end: a page open in Chromium shows an edit to its
// Markdown without a manual reload (and without a full reload: the page's
// JavaScript state survives), shows a broken save as an overlay naming the
// file and line, and clears it when the file is fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { REPO, browser } from '../lib/site.mjs';

const BIN = process.env.PESTLE_BIN || path.join(REPO, 'target', 'release', 'pestle');

function write(root, rel, text) {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

const page = (front, body) => `---\n${front}\n---\n${body}\n`;

async function startServe(root) {
  const child = spawn(BIN, ['serve', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = readline.createInterface({ input: child.stdout });
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('pestle serve did not start')), 30000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = line.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) resolve(m[0]); else reject(new Error(`no address in ${line}`));
    });
  });
  lines.on('line', () => {});
  return { origin, stop: () => child.kill() };
}

test('an edit shows in the open page without a reload; errors show and clear', { timeout: 90000 }, async () => {
  assert.ok(fs.existsSync(BIN), `${BIN} is missing (run.sh builds it)`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pestle-serve-site-'));
  write(root, 'site.yaml', 'title: Live test\nbase_url: https://example.org/\n');
  write(root, 'content/_index.md', page('title: Home\ndescription: Home.', '[Guide](guide/_index.md)'));
  write(root, 'content/guide/_index.md', page('title: Guide\ndescription: The guide.', ''));
  write(root, 'content/guide/a.md', page('title: Page A\ndescription: A.', 'First version of the text.'));
  const serve = await startServe(root);
  const b = await browser(serve.origin);
  try {
    const p = await b.page();
    await p.goto(`${serve.origin}/guide/a/`);
    await p.getByText('First version of the text.').waitFor();
    await p.evaluate(() => { window.__kept = 42; });

    write(root, 'content/guide/a.md', page('title: Page A\ndescription: A.', 'Second version, saved by the editor.'));
    await p.getByText('Second version, saved by the editor.').waitFor({ timeout: 10000 });
    assert.equal(await p.evaluate(() => window.__kept), 42, 'the page was updated in place, not reloaded');

    write(root, 'content/guide/a.md', '---\ntitle: Page A\ntitel: oops\n---\nBroken.\n');
    const overlay = p.locator('#pestle-overlay[role="alert"]');
    await overlay.waitFor({ timeout: 10000 });
    const text = await overlay.innerText();
    assert.match(text, /content\/guide\/a\.md:3:1/);
    assert.match(text, /unknown front-matter key titel/);
    assert.match(text, /did you mean title\?/);
    // Code is marked up as code, never as literal backticks; the line as
    // written is shown with a caret under the column, as in the terminal.
    assert.deepEqual(await overlay.locator('.pestle-message code').allInnerTexts(), ['titel']);
    assert.deepEqual(await overlay.locator('.pestle-hint code').allInnerTexts(), ['title']);
    assert.ok(!text.includes('`'), text);
    assert.equal(await overlay.locator('pre.pestle-source').innerText(), '3 | titel: oops\n  | ^');
    assert.ok(await p.getByText('Second version, saved by the editor.').isVisible(), 'the last good page stays');

    write(root, 'content/guide/a.md', page('title: Page A\ndescription: A.', 'Fixed and saved again.'));
    await p.getByText('Fixed and saved again.').waitFor({ timeout: 10000 });
    await overlay.waitFor({ state: 'detached', timeout: 10000 });
    assert.deepEqual(b.blocked, []);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    serve.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
