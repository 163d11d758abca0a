#!/usr/bin/env bash
# bench/build.sh [PAGES] — clean-build timing of pestle against Hugo (and Zola
# when installed) on the shared deterministic corpus, all in one run.
#
# Needs ../shared/bench (present in the team's checkouts, not in CI). Builds
# pestle in release mode, then runs compare.sh, which prints medians of wall
# time, CPU time and peak memory and, last, the pestle/hugo wall-time ratio.
#   RUNS=5 WARMUP=1 bench/build.sh 10000
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
compare=${COMPARE:-$here/../shared/bench/compare.sh}
[ -x "$compare" ] || [ -f "$compare" ] || { echo "bench/build.sh: $compare not found" >&2; exit 2; }
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
exec bash "$compare" "$here/target/release/pestle" "${1:-10000}"
