#!/usr/bin/env python3
"""Time from saving a page to `pestle serve` serving the rebuilt result.

    python3 bench/serve_edit.py PESTLE_BIN SITE_DIR [EDITS]

SITE_DIR is a pestle site, e.g. the 10,000-page corpus from
../shared/bench/gen_corpus.py (`--flavor pestle`). The script starts
`PESTLE_BIN serve --port 0` in SITE_DIR, then, EDITS times each (default 20):

- body edit: rewrites one page with a new sentence in its body and polls the
  page's URL until the sentence is served;
- title edit: rewrites the page's title and polls its section's listing
  until the new title is served.

It prints the median and maximum of each, measured from the moment the file
was written, plus the server's own "Rebuilt ... in N ms" figures. The page's
original text is restored at the end.
"""
import http.client
import pathlib
import re
import statistics
import subprocess
import sys
import threading
import time


def pick_page(site: pathlib.Path) -> pathlib.Path:
    for section in sorted((site / "content").iterdir()):
        if section.is_dir() and (section / "_index.md").exists():
            pages = sorted(p for p in section.glob("*.md") if p.name != "_index.md")
            if pages:
                return pages[0]
    sys.exit("no page found under content/")


def url_of(site: pathlib.Path, page: pathlib.Path) -> str:
    rel = page.relative_to(site / "content").with_suffix("")
    return "/" + "/".join(rel.parts) + "/"


def fetch(conn_box, host, port, path):
    for _ in range(2):
        try:
            conn = conn_box[0]
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.read().decode("utf-8", "replace")
        except (http.client.HTTPException, OSError):
            conn_box[0] = http.client.HTTPConnection(host, port, timeout=10)
    return ""


def wait_served(conn_box, host, port, path, marker, started, timeout=10.0):
    while time.perf_counter() - started < timeout:
        if marker in fetch(conn_box, host, port, path):
            return (time.perf_counter() - started) * 1000
        time.sleep(0.001)
    raise SystemExit(f"{path} never showed {marker!r}")


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, site = str(pathlib.Path(sys.argv[1]).resolve()), pathlib.Path(sys.argv[2]).resolve()
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    page = pick_page(site)
    original = page.read_text()
    front, body = original.split("\n---\n", 1)
    title_line = next(l for l in front.splitlines() if l.startswith("title:"))
    proc = subprocess.Popen([binary, "serve", "--port", "0"], cwd=site, stdout=subprocess.PIPE, text=True)
    first = proc.stdout.readline()
    m = re.search(r"http://([\d.]+):(\d+)/", first)
    if not m:
        proc.kill()
        sys.exit(f"no address in {first!r}")
    host, port = m.group(1), int(m.group(2))
    rebuilt = []

    def read_log():
        for line in proc.stdout:
            r = re.search(r"Rebuilt \d+ files? in (\d+) ms", line)
            if r:
                rebuilt.append(int(r.group(1)))

    threading.Thread(target=read_log, daemon=True).start()
    conn_box = [http.client.HTTPConnection(host, port, timeout=10)]
    page_url = url_of(site, page)
    section_url = url_of(site, page.parent / "x.md").rsplit("x/", 1)[0]
    body_ms, title_ms = [], []
    try:
        time.sleep(1.0)
        for n in range(edits):
            marker = f"Edited body number {n} {time.time_ns()}."
            started = time.perf_counter()
            page.write_text(f"{front}\n---\n{body}\n{marker}\n")
            body_ms.append(wait_served(conn_box, host, port, page_url, marker, started))
            time.sleep(0.2)
        for n in range(edits):
            marker = f"Retitled {n} {time.time_ns()}"
            started = time.perf_counter()
            page.write_text(original.replace(title_line, f"title: {marker}", 1))
            title_ms.append(wait_served(conn_box, host, port, section_url, marker, started))
            time.sleep(0.3)
    finally:
        page.write_text(original)
        time.sleep(0.5)
        proc.terminate()
        proc.wait(timeout=10)
    print(f"# {site} ({len(list((site / 'content').rglob('*.md')))} pages), page {page_url}, section {section_url}")
    print(f"body edit  -> page served:    median {statistics.median(body_ms):7.1f} ms  max {max(body_ms):7.1f} ms  ({edits} edits)")
    print(f"title edit -> listing served: median {statistics.median(title_ms):7.1f} ms  max {max(title_ms):7.1f} ms  ({edits} edits)")
    if rebuilt:
        half = len(rebuilt) // 2
        print(f"server rebuild time: body median {statistics.median(rebuilt[:half] or [0])} ms, title median {statistics.median(rebuilt[half:] or [0])} ms")


if __name__ == "__main__":
    main()
