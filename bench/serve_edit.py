#!/usr/bin/env python3
"""How long `pestle serve` takes to show an editor's save, at an editor's rhythm.

    python3 bench/serve_edit.py PESTLE_BIN SITE_DIR [--edits N] [--seed S]
                                [--min 0.1] [--max 2.5] [--kinds body,title,...]

SITE_DIR is a pestle site, e.g. the 10,000-page corpus from
../shared/bench/gen_corpus.py (`--flavor pestle`). The script starts
`PESTLE_BIN serve --port 0` in SITE_DIR and saves N edits (default 140), each
to a different page, in a random order of kinds, with a random pause of
0.1-2.5 s between saves (from a fixed seed, so a rerun makes the same edits
at the same moments). Each edit is timed from the moment the file was
written until the changed value is served where a reader sees it:

    body         a new sentence in the body        -> the page
    title        a new title                       -> its section's listing
    weight       moved to the top of its section    -> the listing's order
    date         a new date                        -> the page
    description  a new description                 -> the section's listing
    tags         one tag swapped for another       -> the new tag's page
    region       (ldr pages) another region        -> the new region's page

Body edits add a word no page has; a second thread runs the site's own
search client (tests/search/lib/client.mjs, in Node) over the files serve
is serving until a search for that word finds the page: "search" below.
Pauses do not wait for the search.

It prints the median, 95th percentile and maximum per kind, the server's
own "Rebuilt ... in N ms" figures, and serve's resident memory after the
first build, every 100 edits and at the end (VmRSS, and the peak VmHWM). Every page is put
back as it was at the end.
"""
import argparse
import http.client
import json
import os
import pathlib
import random
import re
import statistics
import subprocess
import sys
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
KINDS = ["body", "title", "weight", "date", "description", "tags", "region"]


def pct(xs, p):
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, int(-(-p * len(s) // 1)) - 1))]


class Server:
    def __init__(self, binary, site):
        self.proc = subprocess.Popen(
            [binary, "serve", "--port", "0"],
            cwd=site,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.rebuilt = []
        started = time.perf_counter()
        line = self.proc.stdout.readline()
        m = re.search(r"http://([\d.]+):(\d+)/", line)
        if not m:
            self.proc.kill()
            sys.exit(f"no address in {line!r}: {self.proc.stderr.read()}")
        self.startup = time.perf_counter() - started
        self.host, self.port = m.group(1), int(m.group(2))
        self.out_dir = pathlib.Path("/tmp") / f"pestle-serve-{self.proc.pid}"
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        threading.Thread(target=self._log, daemon=True).start()
        threading.Thread(target=self._errors, daemon=True).start()

    def _log(self):
        for line in self.proc.stdout:
            r = re.search(r"Rebuilt \d+ files? in (\d+) ms", line)
            if r:
                self.rebuilt.append(int(r.group(1)))

    def _errors(self):
        for line in self.proc.stderr:
            if line.startswith("error") or "Rebuild failed" in line:
                print(f"serve: {line.rstrip()}", file=sys.stderr)

    def get(self, path):
        for _ in range(3):
            try:
                self.conn.request("GET", path)
                resp = self.conn.getresponse()
                return resp.status, resp.read().decode("utf-8", "replace")
            except (http.client.HTTPException, OSError):
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        return 0, ""

    def memory(self):
        fields = {}
        try:
            for line in open(f"/proc/{self.proc.pid}/status"):
                k, _, v = line.partition(":")
                if k in ("VmRSS", "VmHWM"):
                    fields[k] = int(v.split()[0]) // 1024
        except OSError:
            pass
        return fields

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class SearchProbe:
    """Runs the site's search client in Node over serve's output folder."""

    SCRIPT = r"""
import readline from 'node:readline';
import { loadClient, run } from %s;
const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  const [dir, q, url] = line.split('\t');
  let found = false;
  try {
    const c = loadClient(dir);
    const { top } = await run(c.S, q, {}, 5);
    found = top.some((r) => r && typeof r.url === 'string' && ('/' + r.url.replace(/index\.html$/, '')).endsWith(url));
  } catch (e) { found = false; }
  console.log(found ? '1' : '0');
}
"""

    def __init__(self):
        lib = json.dumps(str(HERE.parent / "tests" / "search" / "lib" / "client.mjs"))
        self.proc = subprocess.Popen(
            ["node", "--input-type=module", "-e", self.SCRIPT % lib],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def finds(self, out_dir, word, url):
        self.proc.stdin.write(f"{out_dir}\t{word}\t{url}\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip() == "1"

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


class Page:
    def __init__(self, site, path):
        self.path = path
        self.original = path.read_text()
        self.front, self.body = self.original[4:].split("\n---\n", 1)
        rel = path.relative_to(site / "content").with_suffix("")
        self.url = "/" + "/".join(rel.parts) + "/"
        self.section_url = self.url.rsplit("/", 2)[0] + "/"

    def field(self, key):
        for line in self.front.splitlines():
            if line.startswith(key + ":"):
                return line[len(key) + 1 :].strip()
        return None

    def with_field(self, key, value):
        lines = self.front.splitlines()
        out = [f"{key}: {value}" if l.startswith(key + ":") else l for l in lines]
        if not any(l.startswith(key + ":") for l in lines):
            out.append(f"{key}: {value}")
        return "---\n" + "\n".join(out) + "\n---\n" + self.body

    def restore(self):
        self.path.write_text(self.original)


def word_for(rng):
    # Letters only and no common ending, so stemming leaves it whole.
    return "zq" + "".join(rng.choice("bcdfghjkmnpvwxz") for _ in range(8))


def plan_edit(kind, page, n, rng, tags, regions):
    """(new text, URL to poll, test on the served HTML) for one edit."""
    if kind == "body":
        word = word_for(rng)
        text = f"---\n{page.front}\n---\n{page.body}\nEdited: see {word} here.\n"
        return text, page.url, lambda html: word in html, word
    if kind == "title":
        title = f"Retitled page {n} {rng.randrange(10**9)}"
        return page.with_field("title", f'"{title}"'), page.section_url, lambda html: title in html, None
    if kind == "description":
        d = f"Described again {n} {rng.randrange(10**9)}."
        return page.with_field("description", f'"{d}"'), page.section_url, lambda html: d in html, None
    if kind == "date":
        day = f"20{rng.randrange(10, 26)}-{rng.randrange(1, 13):02}-{rng.randrange(1, 29):02}"
        return page.with_field("date", day), page.url, lambda html: f'datetime="{day}"' in html, None
    if kind == "weight":
        # First in its section: its link comes before every other page's.
        href = page.url.rstrip("/").rsplit("/", 1)[-1] + "/"
        def first(html):
            m = re.search(r'class="listing-title" href="([^"]+)"', html.split('id="section-pages"', 1)[-1])
            return bool(m) and m.group(1) == href
        return page.with_field("weight", -1000 - n), page.section_url, first, None
    if kind == "tags":
        old = page.field("tags") or "[]"
        have = [t.strip() for t in old.strip("[]").split(",") if t.strip()]
        new = rng.choice([t for t in tags if t not in have])
        link = f'href="../../{page.url[1:]}"'
        return (
            page.with_field("tags", "[" + ", ".join(have[1:] + [new]) + "]"),
            f"/tags/{new}/",
            lambda html: link in html,
            None,
        )
    if kind == "region":
        old = page.field("region")
        new = rng.choice([r for r in regions if r != old])
        link = f'href="../../{page.url[1:]}"'
        return (
            page.with_field("region", new),
            f"/region/{new}/",
            lambda html: link in html,
            None,
        )
    raise ValueError(kind)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("site")
    ap.add_argument("--edits", type=int, default=140)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--min", type=float, default=0.1, help="shortest pause between saves, s")
    ap.add_argument("--max", type=float, default=2.5, help="longest pause between saves, s")
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--no-search", action="store_true", help="do not time the search index")
    args = ap.parse_args()
    site = pathlib.Path(args.site).resolve()
    binary = str(pathlib.Path(args.binary).resolve())
    kinds = [k for k in args.kinds.split(",") if k]
    rng = random.Random(args.seed)

    all_pages = sorted(p for p in (site / "content").rglob("*.md") if p.name != "_index.md")
    regional = [p for p in all_pages if re.search(r"^region:", p.read_text()[:2000], re.M)]
    tags = sorted({t.strip() for p in all_pages[:500] for t in (Page(site, p).field("tags") or "").strip("[]").split(",") if t.strip()})
    regions = sorted({Page(site, p).field("region") for p in regional} - {None}) or ["north", "south"]
    order = [kinds[i % len(kinds)] for i in range(args.edits)]
    rng.shuffle(order)
    used = set()

    def pick(kind):
        pool = regional if kind == "region" else all_pages
        while True:
            p = rng.choice(pool)
            if p not in used:
                used.add(p)
                return Page(site, p)

    edits = [(kind, pick(kind)) for kind in order]
    pauses = [rng.uniform(args.min, args.max) for _ in edits]
    probe = None if args.no_search else SearchProbe()
    server = Server(binary, site)
    mem_start = server.memory()
    results = {k: [] for k in kinds}
    mem_trace = []
    search_ms, search_missed = [], []
    pending, lock, done = [], threading.Lock(), threading.Event()

    def watch_search():
        while not done.is_set() or pending:
            with lock:
                todo = list(pending)
            if not todo:
                time.sleep(0.01)
                continue
            for item in todo:
                word, url, saved = item
                if probe.finds(server.out_dir, word, url):
                    search_ms.append((time.perf_counter() - saved) * 1000)
                    with lock:
                        pending.remove(item)
                elif time.perf_counter() - saved > 30:
                    search_missed.append(word)
                    with lock:
                        pending.remove(item)

    searcher = threading.Thread(target=watch_search, daemon=True) if probe else None
    if searcher:
        searcher.start()
    try:
        time.sleep(1.0)
        for n, ((kind, page), pause) in enumerate(zip(edits, pauses)):
            text, url, shown, word = plan_edit(kind, page, n, rng, tags, regions)
            saved = time.perf_counter()
            page.path.write_text(text)
            if word and probe:
                with lock:
                    pending.append((word, page.url, saved))
            while True:
                _, html = server.get(url)
                if shown(html):
                    results[kind].append((time.perf_counter() - saved) * 1000)
                    break
                if time.perf_counter() - saved > 20:
                    print(f"edit {n} ({kind} of {page.url}) not served at {url} after 20 s", file=sys.stderr)
                    break
                time.sleep(0.003)
            time.sleep(max(0.0, pause - (time.perf_counter() - saved)))
            if (n + 1) % 100 == 0:
                mem_trace.append((n + 1, server.memory().get("VmRSS")))
        done.set()
        if searcher:
            searcher.join(timeout=60)
        mem_end = server.memory()
        rebuilt = list(server.rebuilt)
    finally:
        for _, page in edits:
            page.restore()
        time.sleep(1.0)
        server.stop()
        if probe:
            probe.stop()

    pages = len(all_pages) + len(list((site / "content").rglob("_index.md")))
    print(f"# {site} ({pages} pages), {args.edits} edits, pauses {args.min}-{args.max} s, seed {args.seed}")
    print(f"# serve started in {server.startup:.1f} s")
    print(f"{'edit':<12} {'served at':<18} {'n':>4} {'median':>8} {'p95':>8} {'max':>8}  (ms from save)")
    where = {"body": "the page", "title": "section listing", "weight": "section listing", "date": "the page",
             "description": "section listing", "tags": "new tag's page", "region": "new region's page"}
    for k in kinds:
        xs = results[k]
        if xs:
            print(f"{k:<12} {where[k]:<18} {len(xs):>4} {statistics.median(xs):8.1f} {pct(xs, 0.95):8.1f} {max(xs):8.1f}")
    if search_ms:
        print(f"{'search':<12} {'new word found':<18} {len(search_ms):>4} {statistics.median(search_ms):8.1f} "
              f"{pct(search_ms, 0.95):8.1f} {max(search_ms):8.1f}")
    if search_missed:
        print(f"search: {len(search_missed)} words never found within 30 s")
    if rebuilt:
        r = rebuilt
        print(f"server 'Rebuilt' figures: median {statistics.median(r)} ms, p95 {pct(r, 0.95)} ms, max {max(r)} ms ({len(r)} rebuilds)")
    if mem_start and mem_end:
        print(f"serve memory: {mem_start.get('VmRSS')} MiB after the first build, {mem_end.get('VmRSS')} MiB "
              f"after {args.edits} edits (peak {mem_end.get('VmHWM')} MiB)")
    if mem_trace:
        print("serve memory every 100 edits: " + ", ".join(f"{n}: {m} MiB" for n, m in mem_trace))


if __name__ == "__main__":
    main()
