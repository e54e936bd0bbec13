#!/usr/bin/env bash
# Runs Fjord's benchmarks (the separate package in Benchmarks/, ordo-one/benchmark) in release
# and prints one summary table of the figures and ratios against the issue targets.
#
#   scripts/bench.sh                      # everything (about 6 minutes on 2 vCPUs)
#   scripts/bench.sh --target Lookup      # one target; any `swift package benchmark` option
#   scripts/bench.sh --filter 'table.*'   # benchmarks whose whole name matches a regex
#
# The framework's own tables (every metric, p0 to p100) are kept in
# Benchmarks/.build/bench-output.txt. Not part of `make test` or CI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/Benchmarks"
mkdir -p .build
out=.build/bench-output.txt
# The plugin builds the benchmark targets (and the main package) in release itself.
swift package benchmark --no-progress "$@" 2>&1 | tee "$out"
awk -f "$root/scripts/bench-summary.awk" "$out"
echo "(full output: Benchmarks/$out)"
