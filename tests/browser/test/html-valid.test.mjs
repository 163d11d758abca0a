// Every page the real site builds passes the Nu Html Checker with no errors.
import assert from 'node:assert/strict';
import test from 'node:test';
import { vnuErrors } from '../lib/checkers.mjs';
import { htmlFiles, siteDir } from '../lib/site.mjs';

test('every built HTML page passes the Nu Html Checker (vnu) with no errors', (t) => {
  const root = siteDir();
  const files = htmlFiles(root);
  assert.ok(files.length >= 30, `only ${files.length} pages were built`);
  assert.ok(files.includes('eps/print/index.html'), 'the print pages are among them');
  const { errors, status, stderr } = vnuErrors(root, files);
  t.diagnostic(`${files.length} pages checked`);
  assert.deepEqual(errors, [], `${errors.length} HTML errors in ${files.length} pages:\n${errors.join('\n')}`);
  assert.equal(status, 0, `vnu exited ${status}: ${stderr.slice(0, 2000)}`);
});
