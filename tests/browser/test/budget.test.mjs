// The default theme's CSS and JavaScript stay within 20 KB gzipped in total.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import zlib from 'node:zlib';
import { REPO } from '../lib/site.mjs';

const BUDGET = 20 * 1024;
const STATIC = path.join(REPO, 'themes', 'default', 'static');

function assets(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...assets(full));
    else if (/\.(css|js|mjs)$/.test(e.name)) out.push(full);
  }
  return out.sort();
}

test('theme CSS + JS is at most 20 KB gzipped', (t) => {
  const files = assets(STATIC);
  assert.ok(files.some((f) => f.endsWith('.css')), 'the theme has a stylesheet');
  let total = 0;
  for (const f of files) {
    const gz = zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length;
    total += gz;
    t.diagnostic(`${path.relative(REPO, f)}: ${gz} bytes gzipped`);
  }
  t.diagnostic(`total: ${total} of ${BUDGET} bytes`);
  assert.ok(total <= BUDGET, `theme CSS + JS is ${total} bytes gzipped, over the ${BUDGET}-byte budget`);
});
