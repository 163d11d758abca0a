#!/usr/bin/env python3
"""Parses every Atom feed of a built site with feedparser, a real feed reader,
and fails on anything it cannot read cleanly.

Usage: check_feeds.py OUTPUT_DIR BASE_URL
"""
import pathlib
import sys

import feedparser


def main() -> int:
    out, base = pathlib.Path(sys.argv[1]), sys.argv[2]
    feeds = sorted(out.rglob("atom.xml"))
    problems = []
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        rel = path.relative_to(out)
        if parsed.bozo:
            problems.append(f"{rel}: not well-formed: {parsed.bozo_exception}")
            continue
        if parsed.version != "atom10":
            problems.append(f"{rel}: parsed as {parsed.version!r}, not Atom 1.0")
        feed = parsed.feed
        for key in ("title", "id", "updated", "link"):
            if not feed.get(key):
                problems.append(f"{rel}: the feed has no {key}")
        if not feed.get("id", "").startswith(base):
            problems.append(f"{rel}: feed id {feed.get('id')!r} is not under {base}")
        for n, entry in enumerate(parsed.entries):
            for key in ("title", "id", "updated", "link"):
                if not entry.get(key):
                    problems.append(f"{rel}: entry {n} has no {key}")
            if not entry.get("link", "").startswith(base):
                problems.append(f"{rel}: entry {n} link {entry.get('link')!r} is not absolute")
    for p in problems:
        print(p)
    print(f"feeds: {len(feeds)} checked, {len(problems)} problems")
    return 1 if problems or not feeds else 0


if __name__ == "__main__":
    sys.exit(main())
