#!/usr/bin/env bash
# Runs the libFuzzer targets built by `make fuzz-build` (Fuzz/, docs/fuzzing.md).
#   scripts/fuzz.sh keep SECONDS TARGET...   new corpus entries (minimised by -merge) and crash
#                                            inputs go to fixtures/fuzz/<target>/
#   scripts/fuzz.sh smoke SECONDS TARGET...  CI: the committed corpus, nothing kept; fails on a
#                                            crash, leak or timeout
# Each target also reads seed inputs from fixtures/ (read-only) and its dictionary
# Fuzz/dictionaries/<target>.dict. One target at a time, under `nice`. FUZZ_TIMEOUT (seconds
# for one input) is 5 by default; `make fuzz-smoke` gives 60, so that CI fails on a hang but not
# on a slow input of the instrumented debug build on a busy machine.
set -uo pipefail
cd "$(dirname "$0")/.."
mode=$1 seconds=$2
shift 2
bin=Fuzz/.build/debug
timeout=${FUZZ_TIMEOUT:-5}
export SWIFT_BACKTRACE=enable=no
# LeakSanitizer off (here and -detect_leaks=0): it reports the built-in schema, a global built
# once, as leaked at exit, since Swift keeps pointers in enum payloads with spare bits set where
# LeakSanitizer does not look. Growth is still caught by -rss_limit_mb (docs/fuzzing.md).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
status=0

seeds() {
    case $1 in
    mesh) echo fixtures/checks fixtures/examples fixtures/regressions ;;
    residency) echo fixtures/examples fixtures/checks ;;
    *) ;;
    esac
}

for t in "$@"; do
    exe=$bin/fuzz-$t
    [ -x "$exe" ] || { echo "fuzz: $exe is missing (make fuzz-build)"; exit 2; }
    corpus=fixtures/fuzz/$t
    work=$(mktemp -d "/tmp/fjord-fuzz-$t.XXXXXX")
    mkdir -p "$work/new" "$work/artifacts"
    log=$work/log
    echo "== fuzz $t: $seconds s (corpus $corpus: $(ls "$corpus" | wc -l) inputs; log $log)"
    # shellcheck disable=SC2046
    nice "$exe" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 -max_len=65536 -detect_leaks=0 \
        -dict="Fuzz/dictionaries/$t.dict" -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
        "$work/new" "$corpus" $(seeds "$t") >"$log" 2>&1
    rc=$?
    grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$log" | tail -2
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb|new_units_added)' "$log"
    # A slow unit (over libFuzzer's -report_slow_units, 10 s) is reported, not failed: the
    # sanitizer build runs inputs that spend the analysis' work budget (FJ2007) 10x slower than
    # a normal build; a hang still fails through -timeout.
    for a in "$work"/artifacts/slow-unit-*; do
        [ -f "$a" ] || continue
        echo "fuzz $t: slow input ($(wc -c <"$a") bytes, $(basename "$a")); reported, not a failure"
        mkdir -p "$work/slow" && mv "$a" "$work/slow/"
    done
    crashes=$(find "$work/artifacts" -type f | wc -l)
    if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
        status=1
        echo "fuzz $t: FAILED (exit $rc, $crashes artifact(s)):"
        grep -E 'ERROR: |SUMMARY: |Fatal error|==ERROR|deadly signal|timeout' "$log" | head -20
        for a in "$work"/artifacts/*; do
            [ -f "$a" ] || continue
            echo "  artifact $a ($(wc -c <"$a") bytes)"
            if [ "$mode" = keep ]; then cp "$a" "$corpus/$(basename "$a")"; echo "  kept as $corpus/$(basename "$a")"; fi
        done
    fi
    if [ "$mode" = keep ] && [ -n "$(ls "$work/new")" ]; then
        before=$(ls "$corpus" | wc -l)
        nice "$exe" -merge=1 -timeout="$timeout" -rss_limit_mb=2048 -max_len=65536 "$corpus" "$work/new" >"$work/merge.log" 2>&1
        echo "fuzz $t: corpus $before -> $(ls "$corpus" | wc -l) inputs"
    fi
    [ "$status" -eq 0 ] && rm -rf "$work"
done
exit $status
