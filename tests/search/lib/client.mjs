// Runs the real search client (search/search.js of a built site) in Node:
// a vm context stands in for the browser, and injected <script src> tags
// are answered by running the file from disk, so the client loads exactly
// the files it would load in a browser. Every file loaded is recorded with
// its raw and gzip size.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';

/** The client over the site built in `siteDir`; `clientFile` overrides search.js. */
export function loadClient(siteDir, clientFile) {
  const dir = path.join(siteDir, 'search');
  const loaded = [];
  const gz = new Map();
  const record = (file) => {
    const bytes = fs.readFileSync(file);
    if (!gz.has(file)) gz.set(file, zlib.gzipSync(bytes, { level: 9 }).length);
    loaded.push({ file: path.relative(siteDir, file), bytes: bytes.length, gzip: gz.get(file) });
    return bytes.toString('utf8');
  };
  const head = {
    appendChild(el) {
      const file = el.src.startsWith('file://') ? new URL(el.src).pathname : el.src;
      setImmediate(() => {
        if (!fs.existsSync(file)) return el.onerror && el.onerror();
        vm.runInContext(record(file), ctx, { filename: file });
        if (el.onload) el.onload();
      });
      return el;
    },
  };
  const client = clientFile || path.join(dir, 'search.js');
  const document = {
    currentScript: { src: client },
    readyState: 'complete',
    head,
    createElement: () => ({}),
    getElementById: () => null,
    querySelector: () => null,
  };
  const ctx = vm.createContext({
    document, atob, TextDecoder, setTimeout, clearTimeout, setImmediate, console, URLSearchParams,
  });
  ctx.window = ctx;
  vm.runInContext(record(client), ctx, { filename: client });
  return {
    S: ctx.pestleSearch,
    loaded,
    /** Forgets what was loaded (the client keeps its cache: a warm run). */
    reset() { loaded.length = 0; },
  };
}

/** Runs one query and describes the first `n` results, as the page does. */
export async function run(S, q, opts = {}, n = 10) {
  const res = await S.search({ q, section: opts.section || [], region: opts.region || [], exact: !!opts.exact });
  const top = res.results.slice(0, n);
  const described = await Promise.all(top.map((r) => S.describe(r, res)));
  return { res, top: described };
}
