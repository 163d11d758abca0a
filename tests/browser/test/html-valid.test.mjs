// Every page the real site builds passes the Nu Html Checker with no errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import test from 'node:test';
import vnuJar from 'vnu-jar';
import { htmlFiles, siteDir } from '../lib/site.mjs';

test('every built HTML page passes the Nu Html Checker (vnu) with no errors', (t) => {
  const root = siteDir();
  const files = htmlFiles(root);
  assert.ok(files.length >= 30, `only ${files.length} pages were built`);
  // One JVM for every page: start-up is most of the cost.
  const r = spawnSync('java', ['-Xss2m', '-jar', String(vnuJar), '--errors-only', '--format', 'json', ...files.map((f) => path.join(root, f))], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 240_000,
  });
  assert.equal(r.error, undefined, `could not run java: ${r.error}`);
  let messages;
  try {
    messages = JSON.parse(r.stderr || r.stdout).messages;
  } catch {
    assert.fail(`vnu gave no JSON report (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
  }
  const errors = messages
    .filter((m) => m.type === 'error' || m.subType === 'fatal')
    .map((m) => `${path.relative(root, new URL(m.url).pathname)}:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}: ${m.message}${m.extract ? `  [${m.extract.trim()}]` : ''}`);
  t.diagnostic(`${files.length} pages checked`);
  assert.deepEqual(errors, [], `${errors.length} HTML errors in ${files.length} pages:\n${errors.join('\n')}`);
  assert.equal(r.status, 0, `vnu exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
});
