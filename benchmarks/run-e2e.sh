#!/usr/bin/env bash
# End-to-end comparison: tungate beside the kernel (veth), pasta and slirp4netns, side by side in one run.
# Usage: benchmarks/run-e2e.sh [REPS=3] [MODES="kernel pasta slirp4netns tungate"]   (root; iperf3, pasta,
# slirp4netns, python3; TUNGATE=/path/to/bin/tungate picks the build). Prints each repetition, then a table of
# medians with the ratio to the kernel.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
reps=${1:-3}
modes=${2:-kernel pasta slirp4netns tungate}
results=$(mktemp /tmp/tg-e2e-results-XXXXXX)
trap 'rm -f "$results"' EXIT
for script in throughput connrate latency; do
  for mode in $modes; do
    echo "== $script $mode" >&2
    if ! timeout 600 "$here/e2e/$script.sh" "$mode" "$reps" | tee -a "$results" >&2; then
      echo "RESULT ${script}_failed $mode nan" >>"$results"
    fi
  done
done
python3 - "$results" "$modes" <<'PY'
import math, statistics, sys
rows, modes = {}, sys.argv[2].split()
for line in open(sys.argv[1]):
    if line.startswith("RESULT "):
        _, metric, mode, value = line.split()
        rows.setdefault(metric, {}).setdefault(mode, []).append(float(value))
print(f"{'metric (median)':<22}" + "".join(f"{m:>22}" for m in modes))
for metric, by_mode in rows.items():
    base = statistics.median(by_mode["kernel"]) if "kernel" in by_mode else math.nan
    cells = []
    for m in modes:
        if m not in by_mode:
            cells.append(f"{'-':>22}")
            continue
        v = statistics.median(by_mode[m])
        ratio = v / base if base and not math.isnan(base) else math.nan
        cells.append(f"{v:>12.2f} ({ratio:5.2f}x)" if m != "kernel" else f"{v:>22.2f}")
    print(f"{metric:<22}" + "".join(cells))
PY
