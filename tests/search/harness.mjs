// Relevance of the real search client over a built site, against the judged
// queries in judgements.json. Prints MRR@10, nDCG@10, Success@1/@3 and the
// zero-result rate per query kind, and fails (exit 1) below the targets:
// Success@1 0.90 overall and 0.85 on task questions, Success@3 0.97 overall
// and 0.95 on acronyms, MRR@10 0.80; also if a jump link points into a
// Sources list or a correctly spelt word (kind "word") is "corrected".
//
//   node tests/search/harness.mjs SITE_DIR [--json report.json] [--verbose]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadClient, run } from './lib/client.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const site = args.find((a) => !a.startsWith('--'));
if (!site || !fs.existsSync(path.join(site, 'search', 'meta.js'))) {
  console.error('usage: node tests/search/harness.mjs SITE_DIR [--json FILE] [--verbose]  (SITE_DIR: a built site)');
  process.exit(2);
}
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;
const verbose = args.includes('--verbose');
const { queries } = JSON.parse(fs.readFileSync(path.join(HERE, 'judgements.json'), 'utf8'));
const LIMITS = { mrr: 0.8, acronymS3: 0.95, s1: 0.9, taskS1: 0.85, s3: 0.97 };

function dcg(grades) {
  return grades.reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
}

const client = loadClient(site);
const rows = [];
for (const j of queries) {
  const { res, top } = await run(client.S, j.q, { section: j.section, region: j.region });
  const urls = top.map((d) => d.url);
  const grades = urls.map((u) => j.rel[u] || 0);
  const first = grades.findIndex((g) => g >= 2);
  const ideal = Object.values(j.rel).sort((a, b) => b - a).slice(0, 10);
  rows.push({
    q: j.q, kind: j.kind, filters: { section: j.section, region: j.region }, top: urls,
    mrr: first >= 0 ? 1 / (first + 1) : 0,
    ndcg: dcg(ideal) ? dcg(grades) / dcg(ideal) : 0,
    s1: first === 0 ? 1 : 0,
    s3: first >= 0 && first < 3 ? 1 : 0,
    zero: res.total === 0 ? 1 : 0,
    unjudged: urls.filter((u) => !(u in j.rel)).length,
    corrections: res.corrections,
    sources: top.filter((d) => d.hash === 'sources').length,
  });
  if (verbose || first !== 0) {
    console.log(`${first === 0 ? 'ok  ' : first > 0 ? `@${first + 1}  ` : 'MISS'} [${j.kind}] ${j.q}${j.region ? ` region=${j.region}` : ''}${j.section ? ` section=${j.section}` : ''} -> ${urls.slice(0, 3).join(', ') || '(none)'}`);
  }
}

const mean = (xs, k) => xs.reduce((s, r) => s + r[k], 0) / (xs.length || 1);
const kinds = [...new Set(rows.map((r) => r.kind))];
const table = [['kind', 'queries', 'MRR@10', 'nDCG@10', 'Success@1', 'Success@3', 'zero results', 'unjudged@10']];
for (const k of [...kinds, 'all']) {
  const xs = k === 'all' ? rows : rows.filter((r) => r.kind === k);
  table.push([k, xs.length, ...['mrr', 'ndcg', 's1', 's3', 'zero'].map((m) => mean(xs, m).toFixed(3)),
    xs.reduce((s, r) => s + r.unjudged, 0)]);
}
console.log('\n' + table.map((r, i) => `| ${r.join(' | ')} |` + (i === 0 ? `\n|${' --- |'.repeat(r.length)}` : '')).join('\n'));

const summary = {
  queries: rows.length,
  mrr: mean(rows, 'mrr'),
  ndcg: mean(rows, 'ndcg'),
  s1: mean(rows, 's1'),
  s3: mean(rows, 's3'),
  taskS1: mean(rows.filter((r) => r.kind === 'task'), 's1'),
  acronymS3: mean(rows.filter((r) => r.kind === 'acronym'), 's3'),
};
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ summary, rows }, null, 1));
const fails = [];
if (summary.mrr < LIMITS.mrr) fails.push(`MRR@10 ${summary.mrr.toFixed(3)} is below ${LIMITS.mrr}`);
if (summary.acronymS3 < LIMITS.acronymS3) fails.push(`Success@3 on acronym queries ${summary.acronymS3.toFixed(3)} is below ${LIMITS.acronymS3}`);
if (summary.s1 < LIMITS.s1) fails.push(`Success@1 ${summary.s1.toFixed(3)} is below ${LIMITS.s1}`);
if (summary.taskS1 < LIMITS.taskS1) fails.push(`Success@1 on task questions ${summary.taskS1.toFixed(3)} is below ${LIMITS.taskS1}`);
if (summary.s3 < LIMITS.s3) fails.push(`Success@3 ${summary.s3.toFixed(3)} is below ${LIMITS.s3}`);
for (const r of rows) {
  if (r.sources) fails.push(`"${r.q}": a jump link into a Sources list`);
  if (r.kind === 'word' && r.corrections.length) fails.push(`"${r.q}": a word the site has was corrected to ${r.corrections.map((c) => c.to)}`);
}
if (rows.length < 170) fails.push(`only ${rows.length} judged queries (at least 170 are needed)`);
console.log(`\n${rows.length} queries: Success@1 ${summary.s1.toFixed(3)} (task questions ${summary.taskS1.toFixed(3)}), Success@3 ${summary.s3.toFixed(3)}, MRR@10 ${summary.mrr.toFixed(3)}, nDCG@10 ${summary.ndcg.toFixed(3)}, acronym Success@3 ${summary.acronymS3.toFixed(3)}`);
if (fails.length) {
  console.error(`search relevance: FAIL\n  ${fails.join('\n  ')}`);
  process.exit(1);
}
console.log('search relevance: ok');
