// A warm search renders its results within 30 ms with the CPU throttled 4x.
import assert from 'node:assert/strict';
import test from 'node:test';
import { warmQueryTimes } from '../lib/search-speed.mjs';
import { siteDir } from '../lib/site.mjs';

test('a warm query renders results in at most 30 ms at 4x CPU throttling (p95)', async (t) => {
  const { median, p95 } = await warmQueryTimes(siteDir());
  t.diagnostic(`warm query at 4x throttling: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
  assert.ok(p95 <= 30, `p95 ${p95.toFixed(1)} ms is over 30 ms`);
});
