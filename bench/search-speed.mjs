// Warm query time in headless Chromium with the CPU throttled 4x, over a
// built site (the 10,000-page corpus in bench/search.sh).
//   node bench/search-speed.mjs SITE_DIR
import { warmQueryTimes } from '../tests/browser/lib/search-speed.mjs';

const QUERIES = ['prescriber details', 'owing slips', 'controlled drugs register', 'how do I submit the end of month claim',
  'exemption declarations', 'drug tariff', 'accuracy checker', 'responsible pharmacist', 'bag labels', 'stock order',
  'locum', 'tokens', 'nominations', 'incident report', 'dispensing', 'repeat dispensing', 'dispencing', 'exemp', 'the pharmacist should', 'CD register'];
const { median, p95, times } = await warmQueryTimes(process.argv[2], QUERIES);
console.log(`warm query, CPU throttled 4x, ${times.length} queries: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`);
if (p95 > 30) { console.error('search speed: FAIL (p95 over 30 ms)'); process.exit(1); }
console.log('search speed: ok');
