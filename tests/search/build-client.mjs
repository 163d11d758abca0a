// Builds the search client the theme ships from its readable source:
// src/search/client/*.js (one script in parts, joined in name order) →
// themes/default/static/search/search.js, minified by
// terser (pinned in package.json), so it stays within the 10 KB budget.
//   node tests/search/build-client.mjs          rewrite the shipped file
//   node tests/search/build-client.mjs --check  fail if it is out of date
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = path.join(REPO, 'src/search/client');
const OUT = path.join(REPO, 'themes/default/static/search/search.js');
const HEADER = '/* pestle search client, built from src/search/client/ by tests/search/build-client.mjs; do not edit. */\n';

const parts = fs.readdirSync(SRC).filter((f) => f.endsWith('.js')).sort();
const source = parts.map((f) => fs.readFileSync(path.join(SRC, f), 'utf8')).join('');
const { code } = await minify(source, {
  ecma: 2020,
  compress: { passes: 2 },
  mangle: true,
  format: { comments: false },
});
const built = HEADER + code + '\n';
if (process.argv.includes('--check')) {
  const shipped = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
  if (shipped !== built) {
    console.error(`${path.relative(REPO, OUT)} is out of date: run node tests/search/build-client.mjs`);
    process.exit(1);
  }
  console.log('search client: up to date');
} else {
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, built);
  console.log(`wrote ${path.relative(REPO, OUT)}: ${built.length} bytes`);
}
