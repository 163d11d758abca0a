// Reads {"glossary": [terms], "texts": [strings]} as JSON on stdin and prints
// the search client's terms for each text as a JSON array of arrays: the
// JavaScript half of the tokeniser parity tests (src/search/parity.rs).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadClient } from './lib/client.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const { S } = loadClient(REPO, path.join(REPO, 'themes/default/static/search/search.js'));
S.meta({ glossary: input.glossary.map((t) => [t]), shards: [], sections: [], regions: [] });
process.stdout.write(JSON.stringify(input.texts.map((t) => S.terms(t))));
