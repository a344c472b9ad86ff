#!/usr/bin/env bash
# Language pipeline throughput (issue 5, point 3): transcripts per second through detection, diarization, entity
# extraction, redaction (pii + numbers) and context analysis of a fixed ~150-word billing call with words
# (bench/pipeline_throughput.cpp, Google Benchmark), each stage alone, and two ceilings measured in the same run:
# copying the transcript and one std::regex scan of its text for digit runs. Builds the program in build/bench,
# runs it pinned to one core and prints a markdown table. Run by hand. See bench/README.md.
set -Eeuo pipefail
export LC_ALL=C  # decimal points in printf and awk
trap 'echo "pipeline: error: unexpected failure (status $?) at line $LINENO: $BASH_COMMAND" >&2' ERR

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
BUILD_DIR="${BENCH_BUILD_DIR:-$ROOT/build/bench}"
CORE="${BENCH_CORE:-0}"
MIN_TIME="${BENCH_MIN_TIME:-1}"
REPETITIONS="${BENCH_REPETITIONS:-3}"

usage() {
    cat <<USAGE
Usage: bench/pipeline.sh

Measures transcripts per second through the language pipeline on one core: the whole pipeline as a transcription
job runs it (language detection, diarization, entities, redaction of "pii" and "numbers", context analysis; no
translation) on a fixed ~150-word call with words, each stage alone, and two ceilings from the same run: copying
the transcript (every pipeline run works on one) and one plain std::regex scan of the text. Prints a markdown
table (medians of the repetitions) with each row's ratio to the copy.

It builds only bench/pipeline_throughput.cpp, in BENCH_BUILD_DIR (CMake Release, -DCROSSVOICE_BENCH=ON, -j1).

Environment:
  BENCH_CORE         the CPU the benchmark is pinned to with taskset (default 0)
  BENCH_MIN_TIME     seconds per benchmark repetition (default 1)
  BENCH_REPETITIONS  repetitions of each benchmark; the table shows the median (default 3)
  BENCH_BUILD_DIR    CMake build directory (default build/bench)
USAGE
}

BENCH_NAME=pipeline
# shellcheck source=bench/lib/args.sh
source "$ROOT/bench/lib/args.sh"
parse_help_only "$@"

check_core BENCH_CORE "$CORE"
[[ "$MIN_TIME" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "BENCH_MIN_TIME must be seconds like 1 or 0.5, got '$MIN_TIME'"
[[ "$REPETITIONS" =~ ^[1-9][0-9]?$ ]] || die "BENCH_REPETITIONS must be an integer from 1 to 99, got '$REPETITIONS'"
need_tools cmake taskset

SCRATCH_PREFIX=crossvoice-pipeline
# shellcheck source=bench/lib/scratch.sh
source "$ROOT/bench/lib/scratch.sh"
# shellcheck source=bench/lib/build.sh
source "$ROOT/bench/lib/build.sh"
build_bench_target pipeline_throughput
BIN="$BUILD_DIR/bench/pipeline_throughput"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
note "running pipeline_throughput on CPU $CORE ($REPETITIONS × ${MIN_TIME}s per benchmark)"
run_waited taskset -c "$CORE" "$BIN" --benchmark_format=csv --benchmark_min_time="$MIN_TIME" \
    --benchmark_repetitions="$REPETITIONS" --benchmark_report_aggregates_only=true \
    >"$WORK/out.csv" 2>"$WORK/err.log" || die "pipeline_throughput failed: $(tail -n 5 "$WORK/err.log")"
grep -q '^"BM_Pipeline_median"' "$WORK/out.csv" || { cat "$WORK/out.csv" "$WORK/err.log" >&2; die "no median in the output"; }
if grep -q ',true,' "$WORK/out.csv"; then
    grep ',true,' "$WORK/out.csv" >&2
    die "a benchmark reported an error (above)"
fi

# CSV columns: name,iterations,real_time,cpu_time,time_unit,bytes_per_second,items_per_second,...
# One item = one transcript; items_per_second is from CPU time, which on a pinned core is the wall time.
median() { awk -F, -v n="\"BM_$1_median\"" '$1 == n { printf "%.1f", $7 }' "$WORK/out.csv"; }
PIPELINE="$(median Pipeline)"
COPY="$(median CopyTranscript)"
REGEX="$(median RegexScan)"
cpu_model="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"

echo "Language pipeline throughput (\`bench/pipeline.sh\`), $(date -u '+%Y-%m-%d %H:%M UTC'): one core (CPU $CORE)" \
    "of $(nproc), ${cpu_model:-unknown CPU}; load average before: $LOAD_BEFORE; medians of $REPETITIONS × ${MIN_TIME} s;" \
    "a fixed 167-word billing call with its words; redaction classes pii + numbers."
echo
echo "| benchmark | transcripts/s | µs per transcript | share of the pipeline's time | cost vs. copying the transcript |"
echo "|---|---:|---:|---:|---:|"
row() {  # NAME LABEL
    local rate
    rate="$(median "$1")"
    awk -v label="$2" -v r="$rate" -v p="$PIPELINE" -v c="$COPY" 'BEGIN {
        if (r <= 0) { printf "| %s | n/a | n/a | n/a | n/a |\n", label; exit }
        printf "| %s | %.0f | %.1f | %.0f%% | %.1f× |\n", label, r, 1e6 / r, 100 * p / r, c / r }'
}
row Pipeline "whole pipeline: detect, diarize, entities, redact (pii + numbers), analyze"
row Detect "language detection (CLD2)"
row Diarize "diarization (copy included)"
row Entities "entity extraction (libphonenumber + patterns)"
row Redact "redaction of text, words, segments and entities (copy included)"
row Analyze "context analysis (intent, sentiment, keywords, summary)"
row CopyTranscript "ceiling: copying the transcript"
row RegexScan "ceiling: one std::regex scan of the text for digit runs"
echo
awk -v p="$PIPELINE" -v c="$COPY" -v x="$REGEX" 'BEGIN {
    printf "The whole pipeline ran at %.0f transcripts/s on one core (%.1f µs each): %.0f× the cost of copying the", p, 1e6 / p, c / p
    printf " transcript and %.1f× the cost of a single regex scan of its text.\n", x / p }'
