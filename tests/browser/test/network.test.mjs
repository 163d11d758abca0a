// No page of the built site loads anything from another host: no CDN, web
// font, analytics or image from elsewhere. (Links to other sites are fine:
// following one is the reader's choice, not a request the page makes.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { htmlFiles, siteDir } from '../lib/site.mjs';

const OFFSITE = /^\s*(?:https?:)?\/\//i;

function loads(html) {
  const found = [];
  // Elements that fetch what their attribute names when the page loads.
  for (const m of html.matchAll(/<(img|script|iframe|audio|video|source|track|embed|object|input|image|use)\b[^>]*>/gis)) {
    for (const a of m[0].matchAll(/\s(src|srcset|data|poster|href|xlink:href)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
      if (m[1].toLowerCase() === 'use' || a[1].toLowerCase() !== 'href') found.push(a[3] ?? a[4] ?? a[5]);
    }
  }
  for (const m of html.matchAll(/<link\b[^>]*>/gis)) {
    const rel = (m[0].match(/\srel\s*=\s*["']?([^"'>]+)/i) || [])[1] || '';
    if (/\b(stylesheet|icon|preload|modulepreload|prefetch|preconnect|dns-prefetch|manifest)\b/i.test(rel)) {
      found.push((m[0].match(/\shref\s*=\s*["']?([^"'\s>]+)/i) || [])[1] || '');
    }
  }
  for (const m of html.matchAll(/url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)/gi)) found.push(m[1] || m[2]);
  return found.flatMap((v) => v.split(',').map((s) => s.trim().split(/\s+/)[0]));
}

test('no page or stylesheet loads anything from another host', () => {
  const root = siteDir();
  const bad = [];
  for (const rel of htmlFiles(root)) {
    for (const url of loads(fs.readFileSync(path.join(root, rel), 'utf8'))) {
      if (OFFSITE.test(url)) bad.push(`${rel}: ${url}`);
    }
  }
  const css = [];
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.css') && css.push(path.join(d, e.name))));
  walk(root);
  assert.ok(css.length > 0, 'the site has a stylesheet');
  for (const f of css) {
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)/gi)) {
      if (OFFSITE.test(m[1] || m[2])) bad.push(`${path.relative(root, f)}: ${m[1] || m[2]}`);
    }
  }
  assert.deepEqual(bad, [], `off-site loads:\n${bad.join('\n')}`);
});

test('any script is optional: external and deferred, never needed to read a page', () => {
  const root = siteDir();
  const bad = [];
  for (const rel of htmlFiles(root)) {
    for (const m of fs.readFileSync(path.join(root, rel), 'utf8').matchAll(/<script\b([^>]*)>/gi)) {
      const attrs = m[1];
      if (/type\s*=\s*["']?application\/(ld\+)?json/i.test(attrs)) continue;
      if (!/\ssrc\s*=/.test(attrs) || !/\s(defer|async)\b|type\s*=\s*["']?module/i.test(attrs)) bad.push(`${rel}: <script${attrs}>`);
    }
  }
  assert.deepEqual(bad, [], `blocking or inline scripts:\n${bad.join('\n')}`);
});
