// Runs queries with the real client over a built site and prints, as JSON,
// for each: {q, mode, total, urls, corrections, concept, counts, snippets}.
//   node tests/search/query.mjs SITE_DIR '[{"q": "SCR"}, {"q": "LDR", "region": ["london"]}]'
import { loadClient, run } from './lib/client.mjs';

const [site, json] = process.argv.slice(2);
const { S } = loadClient(site);
const out = [];
for (const o of JSON.parse(json)) {
  const { res, top } = await run(S, o.q, o);
  out.push({
    q: o.q, mode: res.mode, total: res.total, urls: top.map((d) => d.url), corrections: res.corrections, corrected: res.corrected,
    concept: res.concept >= 0 ? (await S.glossary(res.concept)).term : null, counts: res.counts,
    snippets: top.map((d) => d.snippet.map((x) => (x[1] ? `[${x[0]}]` : x[0])).join('')),
    headings: top.map((d) => d.hash),
  });
}
process.stdout.write(JSON.stringify(out));
