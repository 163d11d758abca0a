// Search budget benchmark: gzip bytes a browser downloads for a first query
// (client, meta.js, term shards, result fragments, vocabulary when a typo is
// fixed) with a cold cache, over the queries in bench/search-queries.txt,
// run by the real client in Node over a built site. Prints per-query bytes,
// then median, 95th percentile and maximum, the client's gzip size, and the
// time for a warm query in Node (the browser figure, with the CPU throttled
// 4x, comes from tests/browser/test/search-speed.test.mjs).
//
//   node bench/search.mjs SITE_DIR [QUERIES_FILE]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadClient, run } from '../tests/search/lib/client.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const site = process.argv[2];
const file = process.argv[3] || path.join(HERE, 'search-queries.txt');
if (!site || !fs.existsSync(path.join(site, 'search', 'meta.js'))) {
  console.error('usage: node bench/search.mjs SITE_DIR [QUERIES_FILE]');
  process.exit(2);
}
const queries = fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
const rows = [];
for (const q of queries) {
  const c = loadClient(site);
  const { res } = await run(c.S, q);
  const by = (re) => c.loaded.filter((f) => re.test(f.file)).reduce((s, f) => s + f.gzip, 0);
  rows.push({
    q, total: c.loaded.reduce((s, f) => s + f.gzip, 0), results: res.total,
    client: by(/search\.js$/), meta: by(/meta\.js$/), shards: by(/\/t\//), pages: by(/\/p\//), vocab: by(/\/v\/|\/g-/),
    files: c.loaded.length,
  });
}
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };
const kb = (n) => (n / 1024).toFixed(1);
console.log('| query | results | files | total KB | client | meta | shards | fragments | vocab/glossary |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.q} | ${r.results} | ${r.files} | ${kb(r.total)} | ${kb(r.client)} | ${kb(r.meta)} | ${kb(r.shards)} | ${kb(r.pages)} | ${kb(r.vocab)} |`);
}
const totals = rows.map((r) => r.total);
// Warm queries: one client, every query once to warm it, then timed.
const warm = loadClient(site);
for (const q of queries) await run(warm.S, q);
const times = [];
for (const q of queries) {
  const t = process.hrtime.bigint();
  await run(warm.S, q);
  times.push(Number(process.hrtime.bigint() - t) / 1e6);
}
console.log(`\n${rows.length} queries, first-query gzip bytes: median ${kb(pct(totals, 0.5))} KB, p95 ${kb(pct(totals, 0.95))} KB, max ${kb(Math.max(...totals))} KB`);
console.log(`client search.js: ${kb(rows[0].client)} KB gzipped; meta.js ${kb(rows[0].meta)} KB`);
console.log(`warm query in Node (unthrottled): median ${pct(times, 0.5).toFixed(1)} ms, p95 ${pct(times, 0.95).toFixed(1)} ms`);
const fail = [];
if (pct(totals, 0.5) > 50 * 1024) fail.push('median over 50 KB');
if (pct(totals, 0.95) > 90 * 1024) fail.push('p95 over 90 KB');
if (rows[0].client > 10 * 1024) fail.push('client over 10 KB');
if (rows.length < 50) fail.push('fewer than 50 queries');
if (fail.length) { console.error(`search budget: FAIL (${fail.join(', ')})`); process.exit(1); }
console.log('search budget: ok');
