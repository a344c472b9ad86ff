#!/usr/bin/env bash
# Local speech-to-text benchmark (issue 5, point 7): word error rate and real-time factor of crossvoice's local
# engine (src/speech/pocketsphinx_recognizer.cpp: decode, resample, voice activity, PocketSphinx per speech region)
# on pocketsphinx-testdata's LibriVox set, one thread pinned to one core, beside the peer measured in the same run:
# bare PocketSphinx with its default settings and the same en-US model, each whole file as one utterance. Builds
# bench/stt_local.cpp in BENCH_BUILD_DIR and prints a markdown table. See bench/README.md.
set -Eeuo pipefail
export LC_ALL=C  # decimal points in printf and awk
trap 'echo "stt_local: error: unexpected failure (status $?) at line $LINENO: $BASH_COMMAND" >&2' ERR

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
BUILD_DIR="${BENCH_BUILD_DIR:-$ROOT/build/bench}"
CPU="${BENCH_CPU:-0}"
DATA_DIR="${BENCH_DATA_DIR:-/usr/share/pocketsphinx/test/data/librivox}"
MODEL_DIR="${BENCH_MODEL_DIR:-/usr/share/pocketsphinx/model/en-us}"

usage() {
    cat <<EOF
Usage: bench/stt_local.sh

Runs crossvoice's local speech-to-text engine over every file in DATA_DIR/fileids (pocketsphinx-testdata's
LibriVox recordings) on one thread pinned to one core (taskset), scores it against DATA_DIR/transcription, and
prints a markdown table: per file and in total the reference words, errors (substitutions + deletions +
insertions), word error rate, audio seconds, thread CPU seconds, wall seconds and the real-time factor (CPU time /
audio time), beside bare PocketSphinx (default settings, same model, whole file as one utterance) measured in the
same run. Writes no file.

It builds only bench/stt_local.cpp, in BENCH_BUILD_DIR (CMake, Release, -DCROSSVOICE_BENCH=ON, -j1).

Environment:
  BENCH_CPU        the core to pin to (default 0)
  BENCH_DATA_DIR   the LibriVox directory (default /usr/share/pocketsphinx/test/data/librivox)
  BENCH_MODEL_DIR  the en-US model directory (default /usr/share/pocketsphinx/model/en-us)
  BENCH_BUILD_DIR  CMake build directory (default build/bench)

Exit status: 0 on success; 3 when the table was printed but a file failed to transcribe; 1 on any other failure.
EOF
}

BENCH_NAME=stt_local
# shellcheck source=bench/lib/args.sh
source "$ROOT/bench/lib/args.sh"
parse_help_only "$@"

check_core BENCH_CPU "$CPU"
need_tools cmake taskset awk
[[ -s "$DATA_DIR/fileids" && -s "$DATA_DIR/transcription" ]] ||
    die "no fileids/transcription in $DATA_DIR (apt-get install pocketsphinx-testdata)"
[[ -d "$MODEL_DIR/en-us" ]] || die "no en-US model in $MODEL_DIR (apt-get install pocketsphinx-en-us)"

SCRATCH_PREFIX=crossvoice-stt-local
# shellcheck source=bench/lib/scratch.sh
source "$ROOT/bench/lib/scratch.sh"
# shellcheck source=bench/lib/build.sh
source "$ROOT/bench/lib/build.sh"
build_bench_target stt_local
PROGRAM="$BUILD_DIR/bench/stt_local"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
note "transcribing $(wc -w <"$DATA_DIR/fileids") files on core $CPU"
status=0
run_waited taskset -c "$CPU" "$PROGRAM" --data "$DATA_DIR" --model "$MODEL_DIR" >"$WORK/out.txt" 2>"$WORK/err.txt" ||
    status=$?
if ((status != 0 && status != 3)); then
    cat "$WORK/out.txt" "$WORK/err.txt" >&2
    die "stt_local exited with status $status (output above)"
fi
RESULT="$(grep '^RESULT ' "$WORK/out.txt" | tail -n 1)"
[[ -n "$RESULT" ]] || { cat "$WORK/out.txt" "$WORK/err.txt" >&2; die "stt_local printed no RESULT line"; }

# field NAME: a value of the RESULT line (NAME=value).
field() { tr ' ' '\n' <<<"$RESULT" | sed -n "s/^$1=//p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

cpu_model="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
ps_version="$(dpkg-query -W -f='${Version}' libpocketsphinx3 2>/dev/null || echo unknown)"
echo "Local speech-to-text (\`bench/stt_local.sh\`), $(date -u '+%Y-%m-%d %H:%M UTC'): $(nproc) CPUs," \
    "${cpu_model:-unknown CPU model}, pinned to core $CPU, load average before the run $LOAD_BEFORE;" \
    "PocketSphinx $ps_version, model $MODEL_DIR; $(field files) files, $(field audio_s) s of audio," \
    "$(field words) reference words. Model load (first decoder): $(field load_s) s."
echo
echo "| file | words | errors | WER | audio | CPU | wall | RTF (CPU) | bare PocketSphinx: errors | WER | CPU | RTF (CPU) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
# Rows: id words errors wer audio cpu wall rtf | raw_errors raw_wer raw_cpu raw_rtf
awk '$1 != "file" && $1 !~ /^#/ && $1 != "RESULT" && NF == 13 {
    label = ($1 == "TOTAL") ? "**total**" : $1
    printf "| %s | %d | %d | %.1f %% | %.2f s | %.2f s | %.2f s | %.3f | %d | %.1f %% | %.2f s | %.3f |\n",
        label, $2, $3, $4, $5, $6, $7, $8, $10, $11, $12, $13
}' "$WORK/out.txt"
echo
echo "crossvoice's pipeline: WER $(awk -v w="$(field wer)" 'BEGIN { printf "%.1f", 100 * w }') %," \
    "RTF $(field rtf) (CPU) / $(field wall_rtf) (wall); bare PocketSphinx on whole files:" \
    "WER $(awk -v w="$(field raw_wer)" 'BEGIN { printf "%.1f", 100 * w }') %, RTF $(field raw_rtf) (CPU) /" \
    "$(field raw_wall_rtf) (wall). CPU per audio second, ours ÷ bare: $(ratio "$(field rtf)" "$(field raw_rtf)")."
if ((status == 3)); then
    echo
    echo "⚠ some files failed to transcribe:"
    sed 's/^/    /' "$WORK/err.txt"
    exit 3
fi
