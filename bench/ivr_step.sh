#!/usr/bin/env bash
# IVR step benchmark (issue 4, point 8): one signed TeXML callback in, TeXML out, the call's IVR state persisted,
# over loopback. bench/ivr_step.cpp drives crossvoice's POST /api/voice/texml through a flow of our own (a menu
# whose option 1 says something and returns to the menu, so every keypress is one full step: signature check,
# call lookup, engine, render, compare-and-swap update), and in the same session two ceilings over the same
# client: GET /healthz (the HTTP floor) and a replayed stale callback (verify, lookups, the stored reply; no
# engine, no write). Checks in the SQLite file that every call the generator opened is there at the step it was
# last answered with, then writes the results section of docs/BENCHMARKS.md (between its ivr_step markers) and
# prints the table. Run by hand through `make bench-ivr`, which builds bin/crossvoice first. See bench/README.md.
set -Eeuo pipefail
export LC_ALL=C  # decimal points in printf and awk
trap 'echo "ivr_step: error: unexpected failure (status $?) at line $LINENO: $BASH_COMMAND" >&2' ERR

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly BEGIN_MARKER='<!-- ivr_step:begin -->'
readonly END_MARKER='<!-- ivr_step:end -->'
# shellcheck disable=SC2016 # the backquotes are markdown
readonly HEADING='## IVR step (`bench/ivr_step.sh`)'
readonly TEXML_PATH=/api/voice/texml
readonly CALLED_NUMBER='+12025550190'
readonly FLOW_NAME=bench-ivr-step

CONNECTIONS="${BENCH_CONNECTIONS:-16}"
DURATION="${BENCH_DURATION:-10}"
WARMUP="${BENCH_WARMUP:-3}"
STEPS_PER_CALL="${BENCH_STEPS_PER_CALL:-20}"
WORKER_THREADS="${BENCH_WORKER_THREADS:-8}"
IO_THREADS="${BENCH_IO_THREADS:-2}"
CROSSVOICE_BIN="${CROSSVOICE_BIN:-$ROOT/bin/crossvoice}"
export -n CROSSVOICE_BIN  # crossvoice refuses to start with a CROSSVOICE_* variable it does not know
BUILD_DIR="${BENCH_BUILD_DIR:-$ROOT/build/bench}"
OUT="$ROOT/docs/BENCHMARKS.md"

usage() {
    cat <<EOF
Usage: bench/ivr_step.sh [--out FILE]

Measures one IVR step over loopback: a signed TeXML keypress callback to crossvoice's POST $TEXML_PATH
(Ed25519 verify, call lookup, IVR engine, TeXML render, compare-and-swap update of the call's state in SQLite),
beside two ceilings run in the same session over the same client: GET /healthz (HTTP only) and a replayed stale
callback (verify and lookups, the stored reply returned, no engine and no write). Also reports the first fetch
of each call (call setup: session, call and IVR state created). Checks in the server's SQLite file that every
call is stored at the step it was last answered with, writes the results section between '$BEGIN_MARKER' and
'$END_MARKER' in FILE (default: docs/BENCHMARKS.md) and prints the table.

It builds only its load generator, bench/ivr_step.cpp, in BENCH_BUILD_DIR (CMake, -DCROSSVOICE_BENCH=ON, -j1).

Environment:
  BENCH_CONNECTIONS     connections, one generator thread each (default 16)
  BENCH_DURATION        seconds per measured run (default 10)
  BENCH_WARMUP          seconds of unmeasured keypress steps first (default 3)
  BENCH_STEPS_PER_CALL  keypresses per call before the connection opens its next call (default 20)
  BENCH_WORKER_THREADS  crossvoice CROSSVOICE_WORKER_THREADS (default 8, crossvoice's default)
  BENCH_IO_THREADS      crossvoice CROSSVOICE_IO_THREADS (default 2)
  BENCH_BUILD_DIR       CMake build directory for the generator (default build/bench)
  CROSSVOICE_BIN        server binary (default bin/crossvoice; build it with 'make build')

Exit status: 0 when every run was clean; 3 when results were written but a run had errors (non-200 responses,
a reply without the next step, socket errors, no requests, or a stored state that does not match what was
answered); 1 on any other failure.
EOF
}

BENCH_NAME=ivr_step
# shellcheck source=bench/lib/args.sh
source "$ROOT/bench/lib/args.sh"
parse_out_argument "$@"

# --- Preconditions ----------------------------------------------------------------------------------------------

whole_seconds() {  # NAME VALUE: "10" or "10s" -> 10
    local value="${2%s}"
    if ! [[ "$value" =~ ^[1-9][0-9]*$ ]] || ((value > 600)); then
        die "$1 must be whole seconds from 1 to 600, got '$2'"
    fi
    echo "$value"
}
DURATION_S="$(whole_seconds BENCH_DURATION "$DURATION")"
WARMUP_S="$(whole_seconds BENCH_WARMUP "$WARMUP")"
positive() {  # NAME VALUE MAX
    if ! [[ "$2" =~ ^[1-9][0-9]*$ ]] || (($2 > $3)); then die "$1 must be an integer from 1 to $3, got '$2'"; fi
}
positive BENCH_CONNECTIONS "$CONNECTIONS" 1024
positive BENCH_STEPS_PER_CALL "$STEPS_PER_CALL" 100000
positive BENCH_WORKER_THREADS "$WORKER_THREADS" 256
positive BENCH_IO_THREADS "$IO_THREADS" 64

[[ -x "$CROSSVOICE_BIN" ]] ||
    die "$CROSSVOICE_BIN not found or not executable: run 'make build' first (or 'make bench-ivr')"
[[ "$CROSSVOICE_BIN" == /* ]] || CROSSVOICE_BIN="$PWD/$CROSSVOICE_BIN"  # the server runs from the scratch dir
for tool in curl sqlite3 cmake; do
    command -v "$tool" >/dev/null || die "$tool not found: run 'make deps' (scripts/deps.txt)"
done

# --- Scratch directory and cleanup ------------------------------------------------------------------------------

SCRATCH_PREFIX=crossvoice-ivr-step
# shellcheck source=bench/lib/scratch.sh
source "$ROOT/bench/lib/scratch.sh"
# shellcheck source=bench/lib/section.sh
source "$ROOT/bench/lib/section.sh"

# --- Build the generator ----------------------------------------------------------------------------------------

# shellcheck source=bench/lib/build.sh
source "$ROOT/bench/lib/build.sh"
build_bench_target ivr_step
GEN="$BUILD_DIR/bench/ivr_step"

# --- Helpers ----------------------------------------------------------------------------------------------------

# json_field FILE PATH: a value of the generator's JSON line (SQLite's json_extract, e.g. '$.latency_ms.p99').
json_field() {
    sqlite3 -noheader :memory: "SELECT json_extract(CAST(readfile('$1') AS TEXT), '$2')"
}

# cpu_ticks PID: user + system CPU time of the process (all its threads) in clock ticks.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
CLK_TCK="$(getconf CLK_TCK)"
readonly CLK_TCK

# --- The flow and the server ------------------------------------------------------------------------------------

mkdir -p "$WORK/flows" "$WORK/data"
cat >"$WORK/flows/$FLOW_NAME.yaml" <<EOF
# Written by bench/ivr_step.sh: every keypress "1" is one full step (engine, render, persisted update).
name: $FLOW_NAME
platform: tetrix
description: IVR step benchmark - option 1 says something and returns to the menu
numbers: ["$CALLED_NUMBER"]
start: menu
nodes:
  menu:
    type: menu
    prompt: For the benchmark, press 1.
    fallback: goodbye
    options:
      - {digit: "1", next: pressed}
  pressed:
    type: say
    text: You pressed one.
    next: menu
  goodbye:
    type: hangup
    text: Goodbye.
EOF
cv_help="$("$CROSSVOICE_BIN" --help 2>/dev/null || true)"
grep -q '^ *flows ' <<<"$cv_help" ||
    die "$CROSSVOICE_BIN has no 'flows' command: it predates the TeXML IVR; run 'make build' (or 'make bench-ivr')"
"$CROSSVOICE_BIN" flows check "$WORK/flows/$FLOW_NAME.yaml" >"$WORK/flows-check.log" 2>&1 || {
    cat "$WORK/flows-check.log" >&2
    die "the benchmark's flow file does not pass 'crossvoice flows check' (output above)"
}

VERSION="$("$CROSSVOICE_BIN" --version 2>&1)" || die "'$CROSSVOICE_BIN --version' failed: $VERSION"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
note "scratch directory $WORK"
"$GEN" keygen "$WORK/key.secret" >"$WORK/key.pub" || die "ivr_step keygen failed"
: >"$WORK/empty.env"   # so no .env of the caller's is read
: >"$WORK/stdout.log"  # exists before wait_listening reads it
(
    cd "$WORK"
    # WEBHOOK_BASE_URL unset: the callback URLs in the replies are fixed once the server has bound its port.
    # TELNYX_API_BASE_URL points at a closed port: TeXML never calls the carrier's API.
    exec env CROSSVOICE_LISTEN=127.0.0.1:0 \
        CROSSVOICE_DATA_DIR="$WORK/data" \
        DATABASE_URL="sqlite:$WORK/data/cv.db" \
        CROSSVOICE_ENV_FILE="$WORK/empty.env" \
        CROSSVOICE_FLOWS_DIR="$WORK/flows" \
        CROSSVOICE_ACCESS_LOG=off \
        CROSSVOICE_LOG_LEVEL=warn \
        CROSSVOICE_IO_THREADS="$IO_THREADS" \
        CROSSVOICE_WORKER_THREADS="$WORKER_THREADS" \
        TELNYX_API_KEY=bench \
        TELNYX_CONNECTION_ID=bench \
        TELNYX_PUBLIC_KEY="$(cat "$WORK/key.pub")" \
        TELNYX_API_BASE_URL=http://127.0.0.1:9/v2 \
        "$CROSSVOICE_BIN" serve
) >"$WORK/stdout.log" 2>"$WORK/stderr.log" &
CV_PID=$!
PIDS+=("$CV_PID")
PORT="$(wait_listening "$CV_PID" "$WORK/stdout.log")"
if [[ -z "$PORT" ]]; then
    echo "--- crossvoice output:" >&2
    cat "$WORK/stdout.log" "$WORK/stderr.log" >&2 || true
    die "crossvoice did not print 'listening on http://127.0.0.1:PORT' within 10 s (output above)"
fi
note "crossvoice listening on 127.0.0.1:$PORT ($IO_THREADS I/O threads, $WORKER_THREADS worker threads)"

# An unsigned callback must be refused: the endpoint exists and checks signatures.
status="$(curl -sS --max-time 10 -o "$WORK/smoke-reply.txt" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/x-www-form-urlencoded' --data 'CallSid=v3:smoke&To=%2B12025550190' \
    "http://127.0.0.1:$PORT$TEXML_PATH")" || status="curl failed"
[[ "$status" == 401 ]] || die "an unsigned POST $TEXML_PATH answered $status, not 401 ($CROSSVOICE_BIN too old? \
run 'make build'): $(head -c 300 "$WORK/smoke-reply.txt" 2>/dev/null)"

# --- The runs ---------------------------------------------------------------------------------------------------

ROW_LABELS=()
ROW_RPS=()
ROW_P50=()
ROW_P90=()
ROW_P99=()
ROW_MAX=()
ROW_REQUESTS=()
ROW_ERRORS=()
ROW_SERVER_US=()  # server CPU per request, µs
ROW_SERVER_CORES=()
ROW_CLIENT_US=()  # generator CPU per request, µs
ROW_PROBLEMS=()

# generate MODE RUN SECONDS OUT: one generator run; its JSON line in OUT, its calls in OUT.calls.
generate() {
    local mode="$1" run="$2" seconds="$3" out="$4"
    run_waited "$GEN" --port="$PORT" --mode="$mode" --key="$WORK/key.secret" --connections="$CONNECTIONS" \
        --duration="$seconds" --steps-per-call="$STEPS_PER_CALL" --to="$CALLED_NUMBER" --run="$run" \
        --calls-out="$out.calls" >"$out" 2>"$out.err" || die "ivr_step --mode=$mode failed: $(tail -n 3 "$out.err")"
    [[ -n "$(json_field "$out" '$.rps')" ]] || { cat "$out" "$out.err" >&2; die "no result from ivr_step --mode=$mode"; }
}

# problems_of OUT [PREFIX]: the errors a run reported, as one line ("" when clean).
problems_of() {
    local out="$1" prefix="${2:-}" requests errors setup_errors samples prepare problems=()
    requests="$(json_field "$out" '$.requests')"
    errors="$(json_field "$out" '$.errors')"
    setup_errors="$(json_field "$out" '$.setup.errors')"
    samples="$(json_field "$out" '$.error_samples[0]')"
    prepare="$(json_field "$out" '$.prepare_errors[0]')"
    ((requests > 0)) || problems+=("no request completed")
    ((errors == 0)) || problems+=("$errors failed requests (first: ${samples:-?})")
    [[ -z "$setup_errors" || "$setup_errors" == 0 ]] || problems+=("$setup_errors failed call setups")
    [[ -z "$prepare" ]] || problems+=("a replay call could not be prepared: $prepare")
    if ((${#problems[@]} > 0)); then
        local IFS=';'
        echo "$prefix${problems[*]}"
    fi
}

# measure MODE RUN LABEL: a measured run with the server's CPU time sampled around it; one table row.
SETUP_OUT=""
measure() {
    local mode="$1" run="$2" label="$3" out="$WORK/$2.json" before after requests ticks
    note "$label: measuring ${DURATION_S}s on $CONNECTIONS connections"
    before="$(cpu_ticks "$CV_PID")"
    generate "$mode" "$run" "$DURATION_S" "$out"
    after="$(cpu_ticks "$CV_PID")"
    ticks=$((after - before))
    requests="$(json_field "$out" '$.requests')"
    if [[ "$mode" == steps ]]; then
        SETUP_OUT="$out"
        # The server's CPU went to the call setups as well as the steps; counted per request of either kind.
        requests=$((requests + $(json_field "$out" '$.setup.requests')))
    fi
    ROW_LABELS+=("$label")
    ROW_RPS+=("$(json_field "$out" '$.rps')")
    ROW_P50+=("$(json_field "$out" '$.latency_ms.p50')")
    ROW_P90+=("$(json_field "$out" '$.latency_ms.p90')")
    ROW_P99+=("$(json_field "$out" '$.latency_ms.p99')")
    ROW_MAX+=("$(json_field "$out" '$.latency_ms.max')")
    ROW_REQUESTS+=("$(json_field "$out" '$.requests')")
    ROW_ERRORS+=("$(json_field "$out" '$.errors')")
    ROW_SERVER_US+=("$(awk -v t="$ticks" -v hz="$CLK_TCK" -v n="$requests" \
        'BEGIN { if (n > 0) printf "%.0f", t / hz / n * 1e6; else print "n/a" }')")
    ROW_SERVER_CORES+=("$(awk -v t="$ticks" -v hz="$CLK_TCK" -v s="$(json_field "$out" '$.elapsed_s')" \
        'BEGIN { printf "%.2f", t / hz / s }')")
    ROW_CLIENT_US+=("$(awk -v c="$(json_field "$out" '$.client_cpu_s')" -v n="$requests" \
        'BEGIN { if (n > 0) printf "%.0f", c / n * 1e6; else print "n/a" }')")
    ROW_PROBLEMS+=("$(problems_of "$out")")
    note "$label: $(json_field "$out" '$.rps') requests/s, p50 $(json_field "$out" '$.latency_ms.p50') ms," \
        "p99 $(json_field "$out" '$.latency_ms.p99') ms${ROW_PROBLEMS[-1]:+ -- ERRORS: ${ROW_PROBLEMS[-1]}}"
}

note "warm-up: ${WARMUP_S}s of keypress steps"
generate steps warmup "$WARMUP_S" "$WORK/warmup.json"
WARMUP_PROBLEMS="$(problems_of "$WORK/warmup.json" "warm-up: ")"
[[ -z "$WARMUP_PROBLEMS" ]] || note "$WARMUP_PROBLEMS"

measure steps steps "crossvoice \`POST $TEXML_PATH?step=N&input=gather\`: one IVR step"
measure replay replay "crossvoice \`POST $TEXML_PATH?step=0&input=gather\`, stale: the stored reply (ceiling)"
measure healthz healthz "crossvoice \`GET /healthz\` (ceiling: the HTTP floor)"
stop_pid "$CV_PID"

# --- Persisted state --------------------------------------------------------------------------------------------

# Every call the generator opened must be stored with its state at the step it was last answered with (and the
# version one more: one compare-and-swap per step); a call left uncertain by an error may be one step further,
# and one whose first fetch failed (steps -1) may be missing or at step 0. No other call may exist.
DB="$WORK/data/cv.db"
cat "$WORK"/*.json.calls >"$WORK/sent.tsv"
check="$(sqlite3 -separator ' ' "$WORK/check.db" <<EOF
ATTACH '$DB' AS cv;
CREATE TABLE sent (sid TEXT PRIMARY KEY, steps INTEGER, certain INTEGER);
.mode tabs
.import $WORK/sent.tsv sent
.mode list
.separator ' '
CREATE TEMP VIEW stored AS
    SELECT c.call_control_id AS sid, json_extract(i.state_json, '\$.step') AS step, i.version AS version
    FROM cv.ivr_calls i JOIN cv.calls c ON c.id = i.call_id;
SELECT
    (SELECT count(*) FROM cv.ivr_calls),
    (SELECT count(*) FROM sent WHERE steps >= 0),
    (SELECT count(*) FROM sent),
    (SELECT coalesce(sum(steps), 0) FROM sent WHERE steps > 0),
    (SELECT count(*) FROM sent s JOIN stored t ON t.sid = s.sid
        WHERE s.certain = 1 AND t.step = s.steps AND t.version = s.steps + 1),
    (SELECT count(*) FROM sent WHERE certain = 1),
    (SELECT count(*) FROM sent s JOIN stored t ON t.sid = s.sid
        WHERE s.certain = 0 AND t.step IN (s.steps, s.steps + 1) AND t.version = t.step + 1),
    (SELECT count(*) FROM sent s WHERE s.certain = 0 AND s.steps < 0
        AND NOT EXISTS (SELECT 1 FROM stored t WHERE t.sid = s.sid)),
    (SELECT count(*) FROM stored t WHERE NOT EXISTS (SELECT 1 FROM sent s WHERE s.sid = t.sid)),
    (SELECT count(*) FROM cv.sessions),
    (SELECT count(*) FROM cv.calls);
EOF
)" || die "could not check the stored IVR state in $DB"
read -r ROWS OPENED SENT_CALLS SENT_STEPS MATCHED CERTAIN UNCERTAIN_OK UNCERTAIN_MISSING EXTRA SESSIONS CALLS \
    <<<"$check"
STATE_PROBLEMS=()
((MATCHED == CERTAIN)) || STATE_PROBLEMS+=("$((CERTAIN - MATCHED)) of $CERTAIN calls not stored at the step answered")
UNCERTAIN=$((SENT_CALLS - CERTAIN))
((UNCERTAIN_OK + UNCERTAIN_MISSING == UNCERTAIN)) ||
    STATE_PROBLEMS+=("calls left uncertain by an error are stored more than one step away")
((EXTRA == 0)) || STATE_PROBLEMS+=("$EXTRA stored calls the generator never opened")
((ROWS >= OPENED && ROWS <= SENT_CALLS)) || STATE_PROBLEMS+=("$ROWS ivr_calls rows for $OPENED calls opened")
((SESSIONS == CALLS && CALLS == ROWS)) || STATE_PROBLEMS+=("$SESSIONS sessions and $CALLS calls for $ROWS IVR states")
STATE_LINE="$ROWS ivr_calls rows for $SENT_CALLS calls opened (warm-up, runs and the replayed calls); $MATCHED of \
$CERTAIN stored at exactly the step last answered (version = step + 1), $SENT_STEPS steps in all; one session and \
one call row per IVR state ($SESSIONS / $CALLS)"
note "state check: $STATE_LINE"
JOURNAL="$(sqlite3 "$DB" 'PRAGMA journal_mode')"
if ((${#STATE_PROBLEMS[@]} > 0)); then
    ROW_PROBLEMS[0]="${ROW_PROBLEMS[0]:+${ROW_PROBLEMS[0]};}stored state: $(IFS=';'; echo "${STATE_PROBLEMS[*]}")"
fi
if [[ -n "$WARMUP_PROBLEMS" ]]; then ROW_PROBLEMS[0]="${ROW_PROBLEMS[0]:+${ROW_PROBLEMS[0]};}$WARMUP_PROBLEMS"; fi

# --- Report -----------------------------------------------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
STEP_RPS="${ROW_RPS[0]}"
REPLAY_RPS="${ROW_RPS[1]}"
HEALTHZ_RPS="${ROW_RPS[2]}"
SETUP_RPS="$(json_field "$SETUP_OUT" '$.setup.rps')"
SETUP_N="$(json_field "$SETUP_OUT" '$.setup.requests')"

table="$WORK/table.md"
flagged=0
{
    echo "| target | requests/s | p50 | p90 | p99 | max | ratio to \`/healthz\` | ratio to replay | server CPU per request | server CPU (cores) | generator CPU per request | requests | errors |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for i in "${!ROW_LABELS[@]}"; do
        mark_row "$i"
        printf '| %s%s | %.0f | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %s | %s | %s µs | %s | %s µs | %s | %s |\n' \
            "${ROW_LABELS[i]}" "$mark" "${ROW_RPS[i]}" "${ROW_P50[i]}" "${ROW_P90[i]}" "${ROW_P99[i]}" \
            "${ROW_MAX[i]}" "$(ratio "${ROW_RPS[i]}" "$HEALTHZ_RPS")" "$(ratio "${ROW_RPS[i]}" "$REPLAY_RPS")" \
            "${ROW_SERVER_US[i]}" "${ROW_SERVER_CORES[i]}" "${ROW_CLIENT_US[i]}" "${ROW_REQUESTS[i]}" \
            "${ROW_ERRORS[i]}"
    done
    # Not a run of its own: one setup per BENCH_STEPS_PER_CALL steps, inside the steps run (no ratios, no CPU).
    printf '| call setup: the first fetch of each call in the steps run (session, call and IVR state created) | %.0f | %.2f ms | %.2f ms | %.2f ms | %.2f ms | – | – | – | – | – | %s | %s |\n' \
        "$SETUP_RPS" "$(json_field "$SETUP_OUT" '$.setup.latency_ms.p50')" \
        "$(json_field "$SETUP_OUT" '$.setup.latency_ms.p90')" "$(json_field "$SETUP_OUT" '$.setup.latency_ms.p99')" \
        "$(json_field "$SETUP_OUT" '$.setup.latency_ms.max')" "$SETUP_N" "$(json_field "$SETUP_OUT" '$.setup.errors')"
} >"$table"

verdict="$WORK/verdict.md"
{
    echo "One IVR step ran at $(printf '%.0f' "$STEP_RPS") steps/s (p50 $(printf '%.2f' "${ROW_P50[0]}") ms," \
        "p99 $(printf '%.2f' "${ROW_P99[0]}") ms):" \
        "$(ratio "$STEP_RPS" "$HEALTHZ_RPS")× \`/healthz\` and $(ratio "$STEP_RPS" "$REPLAY_RPS")× the replayed" \
        "callback, with ${ROW_SERVER_US[0]} µs of server CPU per request against ${ROW_SERVER_US[1]} µs for a" \
        "replay and ${ROW_SERVER_US[2]} µs for \`/healthz\`."
    echo
    echo "Stored state: $STATE_LINE."
    list_flagged_rows
} >"$verdict"

cv_sqlite="$(pkg-config --modversion sqlite3 2>/dev/null || echo unknown)"
sodium_version="$(pkg-config --modversion libsodium 2>/dev/null || echo unknown)"
cpu_model="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
section="$WORK/section.md"
{
    echo "$BEGIN_MARKER"
    echo "Generated by \`bench/ivr_step.sh\` (\`make bench-ivr\`); everything between the ivr_step markers is"
    echo "rewritten on each run."
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- Machine: $(nproc) CPUs, ${cpu_model:-unknown CPU model}, Linux $(uname -r) ($(uname -m));" \
        "load average before the run: $LOAD_BEFORE (other work on the machine skews the numbers)"
    echo "- Binary: \`$VERSION\` in Telnyx TeXML mode, $IO_THREADS I/O threads, $WORKER_THREADS worker threads" \
        "(the TeXML handler runs there), SQLite $cv_sqlite (journal mode $JOURNAL, synchronous=NORMAL), access" \
        "log off, log level warn; libsodium $sodium_version"
    echo "- Flow: \`$FLOW_NAME\` on $CALLED_NUMBER, written by the script: a menu whose option 1 goes to a say" \
        "that returns to the menu, so each keypress runs the engine through menu → say → menu, renders" \
        "\`<Say>\` + \`<Gather>\` + \`<Redirect>\` and stores the new state"
    echo "- Load: \`bench/ivr_step.cpp\`, $CONNECTIONS keep-alive connections on as many threads (blocking" \
        "sockets), on the same machine as the server; ${DURATION_S} s per run after ${WARMUP_S} s of unmeasured" \
        "steps. Each connection opens calls of its own (first fetch: \"call setup\"), then sends" \
        "$STEPS_PER_CALL keypresses per call (\`Digits=1\`), each signed afresh (Ed25519 over" \
        "\`timestamp|form body\`) and checked: 200 and a \`<Gather>\` whose action carries the next step."
    echo "  The replay run repeats an already-answered callback (\`step=0\` on a call at step 1) on one call per" \
        "connection; \`/healthz\` is answered on the I/O thread. Latencies: every request's, sorted, nearest rank."
    echo "- CPU: the server's user + system time over each run (from /proc) per request (steps row: per step or" \
        "setup), and the generator's own process CPU time per request (it signs every TeXML request)"
} >"$section"

write_section "$section" "$table" "$verdict" "$HEADING"
if ((flagged)); then
    echo "ivr_step: WARNING: some runs had errors; see the flagged rows" >&2
    exit 3
fi
