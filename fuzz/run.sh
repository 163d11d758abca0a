#!/usr/bin/env bash
# A bounded fuzzing run of every target: SECONDS_EACH seconds each (default
# 20), seeded from the real site. Needs cargo-fuzz (`cargo install
# cargo-fuzz`); on a stable toolchain RUSTC_BOOTSTRAP=1 lets it use the
# sanitizer flags. A crash leaves its input in fuzz/artifacts/TARGET/ and
# fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${SECONDS_EACH:-20}
export RUSTC_BOOTSTRAP=1
bash fuzz/seed.sh
targets=(page site_yaml glossary_yaml link name search_text image_size)
cargo fuzz build --fuzz-dir fuzz
for t in "${targets[@]}"; do
  echo "== fuzz $t for ${seconds}s"
  log=$(mktemp)
  rc=0
  cargo fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$log" 2>&1 || rc=$?
  grep -E "^stat::(number_of_executed_units|peak_rss_mb)" "$log" || true
  if [ "$rc" -ne 0 ] || [ -n "$(ls -A "fuzz/artifacts/$t" 2>/dev/null)" ]; then
    tail -n 40 "$log" >&2
    echo "fuzz target $t failed (exit $rc); inputs in fuzz/artifacts/$t/" >&2
    exit 1
  fi
  rm -f "$log"
done
