#!/usr/bin/env bash
# Search checks that need Node: the shipped client is up to date with its
# source, then the relevance harness over the real site built from content/.
#   bash tests/search/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
node "$here/build-client.mjs" --check
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$repo" && cargo run --release --quiet -- build --output "$tmp/site")
node "$here/harness.mjs" "$tmp/site"
