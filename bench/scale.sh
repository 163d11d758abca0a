#!/usr/bin/env bash
# bench/scale.sh [SMALL] [LARGE] — how a clean build grows with the site:
# the shared corpus at SMALL (10000) and LARGE (50000) pages, built in turn
# (small, large, small, ...) RUNS times each, every build into a new output
# folder that is deleted, untimed, once the build is measured. Prints each
# build (size, wall s, user s, kernel s, peak KiB), then the medians, ranges
# and the LARGE/SMALL ratios of wall time and peak memory: the ratio of the
# medians and the median of the paired ratios (each round's large build
# over its small one).
#
# Where the builds go matters more than anything pestle does: on this
# project's virtual machines, writing into memory the system has not used
# lately costs up to ten times more, and on ext4 a folder full of recently
# deleted files makes creating new ones slow. WORK_DIR=/dev/shm (tmpfs)
# gives the steadiest figures; KEEP=1 keeps every output instead of
# deleting it (as compare.sh does), which needs RUNS x 2 GB for the defaults.
#
# Needs ../shared/bench/gen_corpus.py and GNU time (/usr/bin/time).
#   WORK_DIR=/dev/shm RUNS=5 bash bench/scale.sh 10000 50000
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
gen=${GEN:-$here/../shared/bench/gen_corpus.py}
small=${1:-10000}
large=${2:-50000}
runs=${RUNS:-5}
[ -f "$gen" ] || { echo "bench/scale.sh: $gen not found" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/scale.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }
work=$(mktemp -d "${WORK_DIR:-${TMPDIR:-/tmp}}/pestle-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin=$here/target/release/pestle
for n in "$small" "$large"; do
  python3 "$gen" --pages "$n" --out "$work/c$n" --flavor pestle >/dev/null
done
sync
for ((i = 1; i <= runs; i++)); do
  for n in "$small" "$large"; do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
      "$bin" --root "$work/c$n" build --output "$work/out-$n-$i" >/dev/null
    read -r wall user sys kib < "$work/time"
    echo "$n $wall $user $sys $kib" | tee -a "$work/runs"
    [ -n "${KEEP:-}" ] || rm -rf "$work/out-$n-$i"
  done
done
python3 - "$work/runs" "$small" "$large" <<'EOF'
import statistics as st, sys
runs, small, large = sys.argv[1], sys.argv[2], sys.argv[3]
by = {small: [], large: []}
for line in open(runs):
    n, wall, user, sys_, kib = line.split()
    by[n].append((float(wall), float(user) + float(sys_), int(kib) / 1024))
def row(n):
    w = [r[0] for r in by[n]]; c = [r[1] for r in by[n]]; m = [r[2] for r in by[n]]
    print(f"{n:>7} pages: wall {st.median(w):.2f} s ({min(w):.2f}-{max(w):.2f}), "
          f"CPU {st.median(c):.2f} s, peak {st.median(m):.0f} MiB ({min(m):.0f}-{max(m):.0f})")
row(small); row(large)
a, b = by[small], by[large]
for k, name in ((0, "wall"), (2, "peak memory")):
    med = st.median(r[k] for r in b) / st.median(r[k] for r in a)
    paired = st.median(y[k] / x[k] for x, y in zip(a, b))
    print(f"{large}/{small} {name}: {med:.2f} x (ratio of medians), {paired:.2f} x (median of paired ratios)")
EOF
