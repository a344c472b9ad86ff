#!/usr/bin/env bash
# SHANGO's knowledge-base answer latency and retrieval accuracy (issue 6, point 8): the shipped knowledge bases
# indexed in memory, every held-out question of both platforms through retrieval and the knowledge-base responder,
# beside the peer measured in the same run: stock SQLite FTS5 bm25() over the same passages. Builds
# bench/kb_answer.cpp in build/bench, runs it pinned to one core and prints its report. Run by hand.
set -Eeuo pipefail
export LC_ALL=C
trap 'echo "kb_answer: error: unexpected failure (status $?) at line $LINENO: $BASH_COMMAND" >&2' ERR

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
BUILD_DIR="${BENCH_BUILD_DIR:-$ROOT/build/bench}"
CORE="${BENCH_CORE:-0}"
ROUNDS="${BENCH_ROUNDS:-50}"

usage() {
    cat <<USAGE
Usage: bench/kb_answer.sh

Indexes config/knowledge/ in memory and runs every question of tests/fixtures/knowledge/<platform>-heldout.tsv
through SHANGO's retrieval (Fts5KnowledgeIndex::search, 4 passages) and answer (KnowledgeResponder, voice) ROUNDS
times on one core; prints p50, p99 and mean latency, top-1 and top-3 accuracy, and the same for stock FTS5 bm25().

Environment:
  BENCH_CORE         the CPU the program is pinned to with taskset (default 0)
  BENCH_ROUNDS       passes over the question set (default 50)
  BENCH_BUILD_DIR    CMake build directory (default build/bench)
USAGE
}

BENCH_NAME=kb_answer
# shellcheck source=bench/lib/args.sh
source "$ROOT/bench/lib/args.sh"
parse_help_only "$@"
check_core BENCH_CORE "$CORE"
[[ "$ROUNDS" =~ ^[1-9][0-9]{0,3}$ ]] || die "BENCH_ROUNDS must be an integer from 1 to 9999, got '$ROUNDS'"
need_tools cmake taskset

SCRATCH_PREFIX=crossvoice-kb
# shellcheck source=bench/lib/scratch.sh
source "$ROOT/bench/lib/scratch.sh"
# shellcheck source=bench/lib/build.sh
source "$ROOT/bench/lib/build.sh"
build_bench_target kb_answer
note "running kb_answer on CPU $CORE ($ROUNDS rounds; load before: $(cut -d' ' -f1-3 /proc/loadavg))"
taskset -c "$CORE" "$BUILD_DIR/bench/kb_answer" "$ROUNDS" "$ROOT"
