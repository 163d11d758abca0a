// Warm query time on the search page with the CPU throttled 4x through the
// Chrome DevTools Protocol: each query runs once to load its files, then
// again, timed from the call to the results rendered (list and status).
import { browser, serve } from './site.mjs';

export const SPEED_QUERIES = ['nominations', 'SCR', 'smartcard locked', 'dispensing tokens', 'how do I change a nomination',
  'registration authority', 'eRD', 'midlands roadmap', 'controlled drugs', 'nhsmail', 'LDR', 'tokens', 'contingency',
  'summary care record', 'prescription'];

/** { median, p95, times } in ms over `queries` for the site in `dir`. */
export async function warmQueryTimes(dir, queries = SPEED_QUERIES, rate = 4) {
  const server = await serve(dir);
  const b = await browser(server.origin);
  try {
    const page = await b.page();
    await page.goto(`${server.origin}/search/`);
    await page.waitForFunction(() => window.pestleSearch && window.pestleSearch.go);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const times = [];
    for (const q of queries) {
      const s = { q, section: [], region: [], exact: false };
      await page.evaluate((s) => window.pestleSearch.go(s, false, true), s);
      times.push(await page.evaluate(async (s) => {
        const t = performance.now();
        await window.pestleSearch.go(s, false, true);
        return performance.now() - t;
      }, s));
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    const sorted = [...times].sort((a, b) => a - b);
    const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    return { median: at(0.5), p95: at(0.95), times };
  } finally {
    await b.close();
    await server.close();
  }
}
