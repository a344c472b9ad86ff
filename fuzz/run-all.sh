#!/usr/bin/env bash
# Runs every fuzz_* target in BUILD_DIR/fuzz for SECONDS each, starting from a throw-away copy of its seed
# corpus in fuzz/corpus/<target>/ (which is never written to). Exits non-zero if any target fails or if
# no target was found; inputs that made a target fail are kept in BUILD_DIR/fuzz/artifacts/<target>/.
# Usage: fuzz/run-all.sh BUILD_DIR SECONDS
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 BUILD_DIR SECONDS" >&2
    exit 2
fi
build_dir=$1
seconds=$2
corpus_root=$(cd "$(dirname "$0")" && pwd)/corpus

work=$(mktemp -d "${TMPDIR:-/tmp}/crossvoice-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

targets=()
for binary in "$build_dir"/fuzz/fuzz_*; do
    [[ -f $binary && -x $binary ]] && targets+=("$binary")
done
if [[ ${#targets[@]} -eq 0 ]]; then
    echo "run-all: no fuzz_* executables in $build_dir/fuzz (run 'make fuzz' first)" >&2
    exit 1
fi

failed=()
for binary in "${targets[@]}"; do
    name=$(basename "$binary")
    corpus=$work/corpus/$name
    artifacts=$work/artifacts/$name
    mkdir -p "$corpus" "$artifacts"
    if [[ -d $corpus_root/$name ]]; then
        cp -R "$corpus_root/$name/." "$corpus/"
    else
        echo "run-all: warning: no seed corpus in $corpus_root/$name" >&2
    fi
    log=$work/$name.log
    echo "== $name (${seconds}s)"
    if "$binary" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "   passed: ${runs:-?} executions"
    else
        echo "   FAILED: $name" >&2
        tail -n 60 "$log" >&2
        # Keep the inputs that failed: the work directory goes away on exit.
        kept=$build_dir/fuzz/artifacts/$name
        for artifact in "$artifacts"/*; do
            [[ -f $artifact ]] || continue
            mkdir -p "$kept" && cp "$artifact" "$kept/"
            echo "   input kept as $kept/$(basename "$artifact") (base64: $(base64 -w0 "$artifact" | head -c 2048))" >&2
        done
        failed+=("$name")
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "run-all: ${#failed[@]} of ${#targets[@]} fuzz targets failed: ${failed[*]}" >&2
    exit 1
fi
echo "run-all: all ${#targets[@]} fuzz targets passed"
