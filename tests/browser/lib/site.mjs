// Shared helpers for the browser tests: where the built site is, a tiny static
// server for it on 127.0.0.1, and headless Debian Chromium that may only talk
// to that server.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const HERE = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO = path.resolve(HERE, '..', '..');

/** The built site: SITE_DIR, which run.sh sets after building content/. */
export function siteDir() {
  const dir = process.env.SITE_DIR;
  if (!dir || !fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error('SITE_DIR must name a built site (run the suite through tests/browser/run.sh)');
  }
  return path.resolve(dir);
}

/** Every .html file under `dir`, as sorted paths relative to it. */
export function htmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.html')) out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.webp': 'image/webp', '.ico': 'image/x-icon', '.xml': 'application/xml; charset=utf-8', '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8', '.pdf': 'application/pdf', '.woff2': 'font/woff2',
};

/**
 * Serves `root` like a static host: `dir/` gives dir/index.html, `dir` redirects
 * to `dir/`, and anything missing gets 404.html with status 404.
 * Resolves to { origin, requests, close }; `requests` lists every path asked for.
 */
export function serve(root) {
  const requests = [];
  const send = (res, status, file) => {
    const body = fs.readFileSync(file);
    res.writeHead(status, { 'content-type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-store' });
    res.end(body);
  };
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    requests.push(pathname);
    const file = path.join(root, pathname);
    if (!file.startsWith(root + path.sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    let stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat && stat.isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { location: pathname + '/' }).end();
        return;
      }
      const index = path.join(file, 'index.html');
      if (fs.existsSync(index)) return send(res, 200, index);
      stat = null;
    }
    if (stat && stat.isFile()) return send(res, 200, file);
    const notFound = path.join(root, '404.html');
    if (fs.existsSync(notFound)) return send(res, 404, notFound);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        origin: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

/**
 * Debian's Chromium, headless, with a fresh profile. Every request that does
 * not go to `origin` is aborted and recorded in `blocked`.
 */
export async function browser(origin) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pestle-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
    reducedMotion: 'reduce',
  });
  const blocked = [];
  const allowed = new URL(origin);
  await ctx.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || (url.protocol === 'http:' && url.host === allowed.host)) {
      return route.continue();
    }
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  const errors = [];
  ctx.on('weberror', (e) => errors.push(String(e.error())));
  return {
    ctx,
    blocked,
    errors,
    page: async () => ctx.pages()[0] || ctx.newPage(),
    close: async () => {
      await ctx.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The pages the accessibility, keyboard and screenshot tests visit. */
export const PAGES = {
  home: '/',
  section: '/eps/', // with an image: content/eps/eps-flow.svg
  guidance: '/smartcards/registration-authorities/',
  print: '/eps/print/',
  region: '/region/london/',
  notFound: '/no-such-page/',
  search: '/search/?q=smartcard',
};

/**
 * For the tests of one file (or `describe` block): serves the built site and
 * opens Chromium before them, closes both after. `set` receives
 * `{ server, browser, page }` once they are ready.
 */
export function useSite(set) {
  let server;
  let b;
  before(async () => {
    server = await serve(siteDir());
    b = await browser(server.origin);
    set({ server, browser: b, page: await b.page() });
  });
  after(async () => {
    await b?.close();
    await server?.close();
  });
}
