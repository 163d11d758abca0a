#!/usr/bin/env bash
# bench/search.sh [PAGES] — the search budgets on the shared corpus:
# first-query gzip bytes over the queries in bench/search-queries.txt, the
# client's size, warm query time in Chromium at 4x CPU throttling, and the
# time the index adds to a build (same binary, with and without the search
# page in the theme; RUNS interleaved builds each, medians).
#   RUNS=5 bench/search.sh 10000
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
gen=${GEN:-$here/../shared/bench/gen_corpus.py}
pages=${1:-10000}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin=$here/target/release/pestle
python3 "$gen" --pages "$pages" --out "$work/kb" --flavor pestle >/dev/null
# The same site without search: a full copy of the default theme minus search.html.
mkdir -p "$work/kb/themes/nosearch"
cp -r "$here/themes/default/templates" "$work/kb/themes/nosearch/"
rm "$work/kb/themes/nosearch/templates/search.html"
mkdir -p "$work/kb/themes/nosearch/static" && cp -r "$here/themes/default/static/css" "$work/kb/themes/nosearch/static/"
cp "$work/kb/site.yaml" "$work/site-search.yaml"
{ cat "$work/site-search.yaml"; echo "theme: nosearch"; } > "$work/site-nosearch.yaml"
with=(); without=()
for ((i = 0; i < runs; i++)); do
  for mode in search nosearch; do
    cp "$work/site-$mode.yaml" "$work/kb/site.yaml"
    rm -rf "$work/kb/public"; sync
    t0=$EPOCHREALTIME
    "$bin" --root "$work/kb" build --output "$work/kb/public" >/dev/null
    t=$(echo "$EPOCHREALTIME - $t0" | bc)
    if [ $mode = search ]; then with+=("$t"); else without+=("$t"); fi
  done
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "build of $pages pages, $runs runs each: with search $(med "${with[@]}") s, without $(med "${without[@]}") s (medians, wall)"
PESTLE_LOG=debug "$bin" --root "$work/kb" build --output "$work/kb/public" 2>&1 >/dev/null | grep 'search index' || true
cp "$work/site-search.yaml" "$work/kb/site.yaml"
rm -rf "$work/kb/public"
"$bin" --root "$work/kb" build --output "$work/kb/public" >/dev/null
node "$here/bench/search.mjs" "$work/kb/public" | tail -4
if [ -d "$here/tests/browser/node_modules/playwright-core" ]; then
  node "$here/bench/search-speed.mjs" "$work/kb/public"
else
  echo "(warm query time: run npm ci in tests/browser first)"
fi
