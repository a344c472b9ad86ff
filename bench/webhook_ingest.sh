#!/usr/bin/env bash
# Signed-webhook ingest benchmark: wrk replays pre-signed Telnyx webhook deliveries (a distinct event id per
# request) to crossvoice's POST /api/voice/webhook and to an Express peer doing the same work (the seed's stack:
# Node's Ed25519 verify and a SQLite insert), in the same session as libsodium's verify-only rate on one core (the
# ceiling). Checks that every 200 left a row in each server's SQLite file, then writes the results section of
# docs/BENCHMARKS.md (between its webhook_ingest markers) and prints the table. Run by hand through
# `make bench-webhook`, which builds bin/crossvoice first. See bench/README.md.
set -Eeuo pipefail
trap 'echo "webhook_ingest: error: unexpected failure (status $?) at line $LINENO: $BASH_COMMAND" >&2' ERR

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly BEGIN_MARKER='<!-- webhook_ingest:begin -->'
readonly END_MARKER='<!-- webhook_ingest:end -->'
readonly AIM_RATIO=4  # crossvoice's events/s at least this many times Express's
readonly WEBHOOK_PATH=/api/voice/webhook
readonly NODE_DIR="$ROOT/bench/webhook"

THREADS="${BENCH_THREADS:-1}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-5s}"
IO_THREADS="${BENCH_IO_THREADS:-2}"
read -r -a WORKER_THREADS <<<"${BENCH_WORKER_THREADS:-1 8}"  # one crossvoice row per value; the first is judged
EVENT_MARGIN="${BENCH_EVENT_MARGIN:-2}"
VERIFY_CORE="${BENCH_VERIFY_CORE:-0}"
CROSSVOICE_BIN="${CROSSVOICE_BIN:-$ROOT/bin/crossvoice}"
BUILD_DIR="${BENCH_BUILD_DIR:-$ROOT/build/bench}"
NODE_BIN="${NODE_BIN:-node}"
OUT="$ROOT/docs/BENCHMARKS.md"

usage() {
    cat <<EOF
Usage: bench/webhook_ingest.sh [--out FILE]

Measures signed-webhook ingest (Ed25519 verify, JSON parse, SQLite write, 200 JSON) over loopback:
crossvoice and an Express peer (bench/webhook/express_server.js, one Node process), both driven by
wrk with the same parameters, beside libsodium's verify-only rate on one core. Writes the results
section between '$BEGIN_MARKER' and '$END_MARKER' in FILE (default:
docs/BENCHMARKS.md) and prints the table.

It builds only what it must: the verify_rate program in BENCH_BUILD_DIR (CMake, -DCROSSVOICE_BENCH=ON,
-j1) and, when bench/webhook/node_modules is missing or broken, 'npm install' there (better-sqlite3 is
compiled from source against the Node headers in /usr/include/node; nothing is fetched from GitHub).

Environment:
  BENCH_THREADS         wrk threads (default 1)
  BENCH_CONNECTIONS     wrk connections (default 32)
  BENCH_DURATION        measured run per server, wrk syntax (default 10s)
  BENCH_WARMUP          unmeasured warm-up per server (default 5s)
  BENCH_IO_THREADS      crossvoice CROSSVOICE_IO_THREADS (default 2)
  BENCH_WORKER_THREADS  crossvoice CROSSVOICE_WORKER_THREADS, a space-separated list: one crossvoice
                        run per value, the first one judged against the aim (default "1 8"; 8 is
                        crossvoice's own default)
  BENCH_EVENT_MARGIN    events generated for a measured run = warm-up events/s x duration x this (default 2)
  BENCH_VERIFY_CORE     the CPU the verify-only benchmark is pinned to with taskset (default 0)
  BENCH_BUILD_DIR       CMake build directory for verify_rate (default build/bench)
  CROSSVOICE_BIN        server binary (default bin/crossvoice; build it with 'make build')
  NODE_BIN              node binary (default node on PATH)

Exit status: 0 when every run was clean; 3 when results were written but a run had errors (non-2xx
responses, socket errors, no requests, repeated event ids, or rows missing from a database); 1 on any
other failure.
EOF
}

BENCH_NAME=webhook_ingest
# shellcheck source=bench/lib/args.sh
source "$ROOT/bench/lib/args.sh"
parse_out_argument "$@"

# --- Preconditions ----------------------------------------------------------------------------------------------

check_wrk_settings
if ! [[ "$IO_THREADS" =~ ^[1-9][0-9]*$ ]] || ((IO_THREADS > 64)); then
    die "BENCH_IO_THREADS must be an integer from 1 to 64, got '$IO_THREADS'"
fi
((${#WORKER_THREADS[@]} > 0)) || die "BENCH_WORKER_THREADS must list at least one thread count"
for workers in "${WORKER_THREADS[@]}"; do
    if ! [[ "$workers" =~ ^[1-9][0-9]*$ ]] || ((workers > 256)); then
        die "BENCH_WORKER_THREADS must list integers from 1 to 256, got '$workers'"
    fi
done
if ! [[ "$EVENT_MARGIN" =~ ^[0-9]+(\.[0-9]+)?$ ]] || ! awk -v m="$EVENT_MARGIN" 'BEGIN { exit !(m >= 1) }'; then
    die "BENCH_EVENT_MARGIN must be a number of at least 1, got '$EVENT_MARGIN'"
fi
[[ "$VERIFY_CORE" =~ ^[0-9]+$ ]] || die "BENCH_VERIFY_CORE must be a CPU number, got '$VERIFY_CORE'"

[[ -x "$CROSSVOICE_BIN" ]] ||
    die "$CROSSVOICE_BIN not found or not executable: run 'make build' first (or 'make bench-webhook')"
for tool in wrk curl sqlite3 taskset cmake npm; do
    command -v "$tool" >/dev/null || die "$tool not found: run 'make deps' (scripts/deps.txt)"
done
command -v "$NODE_BIN" >/dev/null || die "node not found (NODE_BIN=$NODE_BIN): install nodejs (make deps)"
node_major="$("$NODE_BIN" -p 'process.versions.node.split(".")[0]')"
((node_major >= 20)) || die "node $("$NODE_BIN" --version) is too old: the Express peer needs node 20 or later"
for file in package.json express_server.js make_events.js replay.lua; do
    [[ -f "$NODE_DIR/$file" ]] || die "missing $NODE_DIR/$file"
done

# duration_seconds 10s|2m|1h|30: whole seconds.
duration_seconds() {
    local v="$1" n="${1%[smh]}"
    case "$v" in
        *m) echo $((n * 60)) ;;
        *h) echo $((n * 3600)) ;;
        *) echo "$n" ;;
    esac
}
DURATION_S="$(duration_seconds "$DURATION")"
WARMUP_S="$(duration_seconds "$WARMUP")"
# Every delivery is signed with the time it was generated at; the servers reject it 300 s later.
((WARMUP_S + DURATION_S <= 240)) || die "BENCH_WARMUP + BENCH_DURATION must stay under 240 s (the signatures' \
±300 s window, minus the time to generate the events)"

# --- Scratch directory and cleanup ------------------------------------------------------------------------------

SCRATCH_PREFIX=crossvoice-webhook-ingest
# shellcheck source=bench/lib/scratch.sh
source "$ROOT/bench/lib/scratch.sh"
# shellcheck source=bench/lib/section.sh
source "$ROOT/bench/lib/section.sh"

# --- Build what is missing: the Node peer's packages and verify_rate --------------------------------------------

node_modules_ok() {
    (cd "$NODE_DIR" && "$NODE_BIN" -e "require('express'); new (require('better-sqlite3'))(':memory:').close()") \
        >/dev/null 2>&1
}

if ! node_modules_ok; then
    note "installing the Express peer's packages in bench/webhook (npm install; better-sqlite3 builds from source)"
    npm_env=(npm_config_build_from_source=true)  # prebuild-install would try GitHub for a prebuilt binary
    # node-gyp compiles against the installed headers instead of downloading them from nodejs.org.
    if [[ -f /usr/include/node/node.h && -z "${npm_config_nodedir:-}" ]]; then npm_env+=(npm_config_nodedir=/usr); fi
    (cd "$NODE_DIR" && env "${npm_env[@]}" JOBS=1 npm install --no-audit --no-fund) >"$WORK/npm-install.log" 2>&1 || {
        tail -n 30 "$WORK/npm-install.log" >&2
        die "npm install in bench/webhook failed (output above)"
    }
    node_modules_ok || die "bench/webhook/node_modules still cannot load express and better-sqlite3 after npm install"
fi

# shellcheck source=bench/lib/build.sh
source "$ROOT/bench/lib/build.sh"
build_bench_target verify_rate
VERIFY_BIN="$BUILD_DIR/bench/verify_rate"

# --- Helpers ----------------------------------------------------------------------------------------------------

# json_field FILE EXPR: evaluates the JavaScript expression EXPR over the JSON document j read from FILE.
json_field() {
    "$NODE_BIN" -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
                    const v = eval(process.argv[2]); if (v === undefined) process.exit(1); console.log(v)' "$1" "$2"
}

# make_events KEY COUNT OUT: signs COUNT fresh deliveries (a new key pair when KEY does not exist yet).
make_events() {
    local key="$1" count="$2" out="$3"
    "$NODE_BIN" "$NODE_DIR/make_events.js" --key "$key" --count "$count" --out "$out" >"$out.json" ||
        die "make_events.js failed for $out"
}

# to_ms VALUE: wrk latency ("850.00us", "1.23ms", "1.02s", "1.50m") in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (match(v, /^[0-9.]+/) == 0) { print "nan"; exit }
        n = substr(v, 1, RLENGTH); u = substr(v, RLENGTH + 1)
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
        if (f < 0) { print "nan"; exit }
        printf "%.2f", n * f
    }'
}

# cpu_ticks PID: user + system CPU time of the process (all its threads) in clock ticks.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
CLK_TCK="$(getconf CLK_TCK)"
readonly CLK_TCK

# signed_post URL TIMESTAMP SIGNATURE BODY_FILE OUT: one delivery with curl; prints the HTTP status.
signed_post() {
    curl -sS --max-time 10 -o "$5" -w '%{http_code}' -X POST "$1" -H 'Content-Type: application/json' \
        -H "Telnyx-Signature-Ed25519: $3" -H "Telnyx-Timestamp: $2" --data-binary "@$4"
}

# smoke_test NAME URL KEY DIR: one fresh delivery must answer 200 and its tampered copy 401. Counts one row.
smoke_test() {
    local name="$1" url="$2" key="$3" dir="$4" line ts sig status
    make_events "$key" 1 "$dir/smoke.txt"
    IFS=$'\t' read -r ts sig line <"$dir/smoke.txt"
    printf '%s' "$line" >"$dir/smoke-body.json"
    status="$(signed_post "$url" "$ts" "$sig" "$dir/smoke-body.json" "$dir/smoke-reply.json")" || status="curl failed"
    [[ "$status" == 200 ]] || die "$name answered $status to a correctly signed delivery: $(cat "$dir/smoke-reply.json" 2>/dev/null)"
    status="$(signed_post "$url" "$((ts + 1))" "$sig" "$dir/smoke-body.json" "$dir/smoke-bad.json")" || status="curl failed"
    [[ "$status" == 401 ]] || die "$name answered $status instead of 401 to a delivery with a wrong signature"
}

# --- wrk runs ---------------------------------------------------------------------------------------------------

ROW_LABELS=()
ROW_RPS=()
ROW_P50_MS=()
ROW_P99_MS=()
ROW_NON2XX=()
ROW_CPU=()       # server CPU cores used during the measured run
ROW_ROWS=()      # "rows stored / 200 responses" over the server's lifetime
ROW_PROBLEMS=()
RUN_INDEX=0
LAST_RPS=""
LAST_OK=0        # 2xx responses of the last wrk run
LAST_REPEATED=0  # requests of the last wrk run that repeated an event id (duplicates: no new row)
LAST_PROBLEMS=""

# wrk_once LABEL URL EVENTS DURATION OUTFILE: one wrk run replaying EVENTS; sets LAST_RPS, LAST_OK, LAST_PROBLEMS.
wrk_once() {
    local label="$1" url="$2" events="$3" duration="$4" out="$5"
    run_waited wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency -s "$NODE_DIR/replay.lua" \
        "$url" -- "$events" "$THREADS" >"$out" 2>&1 || die "wrk against $url failed: $(tail -n 3 "$out")"
    local rps requests non2xx socket repeated problems=()
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    requests="$(awk '/ requests in / { print $1; exit }' "$out")"
    non2xx="$(awk -F: '/Non-2xx or 3xx responses/ { gsub(/ /, "", $2); print $2 }' "$out")"
    socket="$(sed -n 's/^ *Socket errors: *//p' "$out")"
    repeated="$(sed -n 's/^replay: .*requests that repeated an event \([0-9][0-9]*\)$/\1/p' "$out")"
    [[ -n "$rps" && -n "$requests" && -n "$repeated" ]] || {
        cat "$out" >&2
        die "could not parse wrk output for $label (printed above)"
    }
    non2xx="${non2xx:-0}"
    ((requests > 0)) || problems+=("no request completed")
    ((non2xx == 0)) || problems+=("$non2xx non-2xx/3xx responses")
    [[ -z "$socket" ]] || problems+=("socket errors: $socket")
    ((repeated == 0)) || problems+=("$repeated requests repeated an event id (raise BENCH_EVENT_MARGIN)")
    LAST_RPS="$rps"
    LAST_OK=$((requests - non2xx))
    LAST_REPEATED="$repeated"
    LAST_PROBLEMS=""
    if ((${#problems[@]} > 0)); then LAST_PROBLEMS="$(IFS=';'; echo "${problems[*]}")"; fi
}

# measure NAME LABEL URL KEY DIR PID: warm-up, fresh events sized from the warm-up's rate, the measured run;
# records one table row (its stored-row check is filled in by check_rows once the server has stopped).
OK_TOTAL=0        # the server's 200 responses: smoke test, warm-up and measured run
WARMUP_REPEATS=0  # warm-up requests that repeated an event id, so left no new row
measure() {
    local name="$1" label="$2" url="$3" key="$4" dir="$5" pid="$6" count out before after row_problems=""
    RUN_INDEX=$((RUN_INDEX + 1))
    # Events for the warm-up at one core's verify-only rate (several times what either server reaches here). A
    # faster server replays some twice: harmless in the warm-up (a duplicate is acknowledged without a write,
    # which the row check allows for), and its rate, overstated, only makes the measured run's file larger.
    count="$(awk -v r="$VERIFY_RPS" -v s="$WARMUP_S" 'BEGIN { printf "%d", r * s * 1.2 + 1000 }')"
    note "$name: signing $count warm-up events"
    make_events "$key" "$count" "$dir/warmup.txt"
    note "$name: warm-up $WARMUP"
    wrk_once "$name warm-up" "$url" "$dir/warmup.txt" "$WARMUP" "$WORK/warmup-$RUN_INDEX.txt"
    OK_TOTAL=$((OK_TOTAL + LAST_OK))
    WARMUP_REPEATS=$((WARMUP_REPEATS + LAST_REPEATED))
    [[ -z "$LAST_PROBLEMS" || "$LAST_PROBLEMS" == *"repeated an event id"* ]] ||
        row_problems="warm-up: ${LAST_PROBLEMS//;/; }"
    rm -f "$dir/warmup.txt"

    count="$(awk -v r="$LAST_RPS" -v s="$DURATION_S" -v m="$EVENT_MARGIN" \
        'BEGIN { n = r * s * m; if (n < 1000) n = 1000; printf "%d", n + 0.999 }')"
    note "$name: signing $count events for the measured run (warm-up: $LAST_RPS events/s)"
    make_events "$key" "$count" "$dir/events.txt"
    out="$WORK/wrk-$RUN_INDEX.txt"
    note "$name: measuring $DURATION"
    before="$(cpu_ticks "$pid")"
    wrk_once "$name" "$url" "$dir/events.txt" "$DURATION" "$out"
    after="$(cpu_ticks "$pid")"
    OK_TOTAL=$((OK_TOTAL + LAST_OK))
    rm -f "$dir/events.txt"
    if [[ -n "$LAST_PROBLEMS" ]]; then row_problems="${row_problems:+$row_problems;}$LAST_PROBLEMS"; fi

    local p50 p99
    p50="$(awk '$1 == "50%" { print $2; exit }' "$out")"
    p99="$(awk '$1 == "99%" { print $2; exit }' "$out")"
    [[ -n "$p50" && -n "$p99" ]] || { cat "$out" >&2; die "no latency distribution in the wrk output for $name"; }
    ROW_LABELS+=("$label")
    ROW_RPS+=("$LAST_RPS")
    ROW_P50_MS+=("$(to_ms "$p50")")
    ROW_P99_MS+=("$(to_ms "$p99")")
    ROW_NON2XX+=("$(awk -F: '/Non-2xx or 3xx responses/ { gsub(/ /, "", $2); print $2 }' "$out")")
    ROW_CPU+=("$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v s="$DURATION_S" 'BEGIN { printf "%.2f", t / hz / s }')")
    ROW_PROBLEMS+=("$row_problems")
    note "$name: $LAST_RPS events/s, p50 $p50, p99 $p99${row_problems:+ -- ERRORS: $row_problems}"
}

# check_rows TABLE DB: after the server has stopped, the rows it stored must match its 200 responses (OK_TOTAL),
# less the warm-up's repeated events. wrk does not count requests still in flight when a run ends, which the
# server may still have stored: up to one per connection per run (warm-up and measured run).
check_rows() {
    local table="$1" db="$2" rows last=$((${#ROW_LABELS[@]} - 1)) low=$((OK_TOTAL - WARMUP_REPEATS))
    rows="$(sqlite3 "$db" "SELECT count(*) FROM $table")" || die "cannot count the rows of $table in $db"
    ROW_ROWS+=("$rows / $OK_TOTAL")
    if ((rows < low || rows > OK_TOTAL + 2 * CONNECTIONS)); then
        ROW_PROBLEMS[last]="${ROW_PROBLEMS[last]:+${ROW_PROBLEMS[last]};}$rows rows in $table for $OK_TOTAL 200 responses"
    fi
    note "$table: $rows rows for $OK_TOTAL 200 responses ($WARMUP_REPEATS warm-up duplicates)"
}

# --- The runs ---------------------------------------------------------------------------------------------------

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
VERSION="$("$CROSSVOICE_BIN" --version 2>&1)" || die "'$CROSSVOICE_BIN --version' failed: $VERSION"
note "scratch directory $WORK"

# The size of the signed message "<timestamp>|<body>", for the verify-only benchmark.
mkdir -p "$WORK/probe"
make_events "$WORK/probe/key.pem" 1 "$WORK/probe/events.txt"
MESSAGE_BYTES="$(json_field "$WORK/probe/events.txt.json" 'j.messageBytes')"
BODY_BYTES="$(json_field "$WORK/probe/events.txt.json" 'j.bodyBytes.mean')"

note "verify-only: libsodium crypto_sign_verify_detached on CPU $VERIFY_CORE, $MESSAGE_BYTES-byte messages"
run_waited taskset -c "$VERIFY_CORE" "$VERIFY_BIN" --message-bytes="$MESSAGE_BYTES" --benchmark_format=json \
    >"$WORK/verify.json" 2>"$WORK/verify.err" || die "verify_rate failed: $(tail -n 5 "$WORK/verify.err")"
VERIFY_RPS="$(json_field "$WORK/verify.json" \
    'j.benchmarks.find(b => b.aggregate_name === "median" && !b.error_occurred).items_per_second.toFixed(0)')" ||
    die "no median rate in the verify_rate output ($WORK/verify.json)"
VERIFY_US="$(awk -v r="$VERIFY_RPS" 'BEGIN { printf "%.1f", 1e6 / r }')"
SODIUM_VERSION="$(pkg-config --modversion libsodium 2>/dev/null || echo unknown)"
note "verify-only: $VERIFY_RPS verifies/s ($VERIFY_US µs each)"

# crossvoice: one fresh instance (data dir, database, key pair) per worker-thread count.
CV_JOURNAL=""
for workers in "${WORKER_THREADS[@]}"; do
    CV_DIR="$WORK/crossvoice-$workers-workers"
    mkdir -p "$CV_DIR/data"
    : >"$CV_DIR/empty.env"  # so no .env of the caller's is read
    : >"$CV_DIR/stdout.log"  # exists before wait_listening reads it
    make_events "$CV_DIR/key.pem" 1 "$CV_DIR/keygen.txt"  # a fresh key pair
    (
        cd "$CV_DIR"
        exec env CROSSVOICE_LISTEN=127.0.0.1:0 \
            CROSSVOICE_DATA_DIR="$CV_DIR/data" \
            DATABASE_URL="sqlite:$CV_DIR/data/cv.db" \
            CROSSVOICE_ENV_FILE="$CV_DIR/empty.env" \
            CROSSVOICE_ACCESS_LOG=off \
            CROSSVOICE_LOG_LEVEL=warn \
            CROSSVOICE_IO_THREADS="$IO_THREADS" \
            CROSSVOICE_WORKER_THREADS="$workers" \
            TELNYX_API_KEY=bench \
            TELNYX_CONNECTION_ID=bench \
            TELNYX_PUBLIC_KEY="$(cat "$CV_DIR/key.pem.pub")" \
            "$CROSSVOICE_BIN" serve
    ) >"$CV_DIR/stdout.log" 2>"$CV_DIR/stderr.log" &
    CV_PID=$!
    PIDS+=("$CV_PID")
    CV_PORT="$(wait_listening "$CV_PID" "$CV_DIR/stdout.log")"
    if [[ -z "$CV_PORT" ]]; then
        echo "--- crossvoice output:" >&2
        cat "$CV_DIR/stdout.log" "$CV_DIR/stderr.log" >&2 || true
        die "crossvoice did not print 'listening on http://127.0.0.1:PORT' within 10 s (output above)"
    fi
    CV_URL="http://127.0.0.1:$CV_PORT$WEBHOOK_PATH"
    note "crossvoice listening on 127.0.0.1:$CV_PORT ($IO_THREADS I/O threads, $workers worker threads)"
    OK_TOTAL=0
    WARMUP_REPEATS=0
    smoke_test crossvoice "$CV_URL" "$CV_DIR/key.pem" "$CV_DIR"
    OK_TOTAL=1
    plural="s"
    ((workers > 1)) || plural=""
    measure "crossvoice ($workers worker$plural)" \
        "crossvoice \`POST $WEBHOOK_PATH\` ($IO_THREADS I/O threads, $workers worker thread$plural)" \
        "$CV_URL" "$CV_DIR/key.pem" "$CV_DIR" "$CV_PID"
    stop_pid "$CV_PID"
    check_rows call_events "$CV_DIR/data/cv.db"
    CV_JOURNAL="$(sqlite3 "$CV_DIR/data/cv.db" 'PRAGMA journal_mode')"
done

# Express
EX_DIR="$WORK/express"
mkdir -p "$EX_DIR"
: >"$EX_DIR/stdout.log"  # exists before wait_listening reads it
make_events "$EX_DIR/key.pem" 1 "$EX_DIR/keygen.txt"  # a fresh key pair
LISTEN=127.0.0.1:0 DB_PATH="$EX_DIR/express.db" TELNYX_PUBLIC_KEY="$(cat "$EX_DIR/key.pem.pub")" \
    NODE_ENV=production "$NODE_BIN" "$NODE_DIR/express_server.js" >"$EX_DIR/stdout.log" 2>"$EX_DIR/stderr.log" &
EX_PID=$!
PIDS+=("$EX_PID")
EX_PORT="$(wait_listening "$EX_PID" "$EX_DIR/stdout.log")"
if [[ -z "$EX_PORT" ]]; then
    echo "--- express_server.js output:" >&2
    cat "$EX_DIR/stdout.log" "$EX_DIR/stderr.log" >&2 || true
    die "the Express server did not print 'listening on http://127.0.0.1:PORT' within 10 s (output above)"
fi
EX_URL="http://127.0.0.1:$EX_PORT$WEBHOOK_PATH"
note "Express listening on 127.0.0.1:$EX_PORT (one Node process)"
OK_TOTAL=0
WARMUP_REPEATS=0
smoke_test Express "$EX_URL" "$EX_DIR/key.pem" "$EX_DIR"
OK_TOTAL=1
measure Express "Express \`POST $WEBHOOK_PATH\` (one Node process)" "$EX_URL" "$EX_DIR/key.pem" "$EX_DIR" "$EX_PID"
stop_pid "$EX_PID"
check_rows events "$EX_DIR/express.db"
EX_JOURNAL="$(sqlite3 "$EX_DIR/express.db" 'PRAGMA journal_mode')"

# --- Report -----------------------------------------------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
EX_ROW=$((${#ROW_LABELS[@]} - 1))  # the Express row comes last, after one crossvoice row per worker count
CV_RPS="${ROW_RPS[0]}"            # the first worker count is the one judged
EX_RPS="${ROW_RPS[EX_ROW]}"
VS_EXPRESS="$(ratio "$CV_RPS" "$EX_RPS")"
VS_VERIFY="$(ratio "$CV_RPS" "$VERIFY_RPS")"
EX_VS_VERIFY="$(ratio "$EX_RPS" "$VERIFY_RPS")"

table="$WORK/table.md"
flagged=0
{
    echo "| target | events/s | p50 | p99 | ratio to Express | ratio to verify-only (1 core) | server CPU (cores) | rows stored / 200s | non-2xx |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    # shellcheck disable=SC2016 # the backquotes are markdown
    printf '| libsodium verify only, 1 core (`crypto_sign_verify_detached`, %s-byte messages) | %s | – | – | %s | 1.00 | 1 | – | – |\n' \
        "$MESSAGE_BYTES" "$VERIFY_RPS" "$(ratio "$VERIFY_RPS" "$EX_RPS")"
    for i in "${!ROW_LABELS[@]}"; do
        mark_row "$i"
        printf '| %s%s | %s | %s ms | %s ms | %s | %s | %s | %s | %s |\n' "${ROW_LABELS[i]}" "$mark" \
            "$(awk -v r="${ROW_RPS[i]}" 'BEGIN { printf "%.0f", r }')" "${ROW_P50_MS[i]}" "${ROW_P99_MS[i]}" \
            "$(ratio "${ROW_RPS[i]}" "$EX_RPS")" "$(ratio "${ROW_RPS[i]}" "$VERIFY_RPS")" "${ROW_CPU[i]}" \
            "${ROW_ROWS[i]}" "${ROW_NON2XX[i]:-0}"
    done
} >"$table"

if awk -v r="$VS_EXPRESS" -v aim="$AIM_RATIO" 'BEGIN { exit !(r + 0 >= aim) }'; then
    reached="met"
else
    reached="was NOT met"
fi
verdict="$WORK/verdict.md"
{
    others=""
    for ((i = 1; i < EX_ROW; i++)); do
        others+="; with ${WORKER_THREADS[i]} worker threads, $(ratio "${ROW_RPS[i]}" "$EX_RPS")×"
    done
    echo "The aim of at least ${AIM_RATIO}× Express's events/s $reached: crossvoice with ${WORKER_THREADS[0]}" \
        "worker thread(s) ran at ${VS_EXPRESS}× Express and at ${VS_VERIFY}× the one-core verify-only rate" \
        "(Express: ${EX_VS_VERIFY}×)${others}."
    [[ -z "${ROW_PROBLEMS[0]}" && -z "${ROW_PROBLEMS[EX_ROW]}" ]] || echo "(Not conclusive: a run had errors.)"
    list_flagged_rows
} >"$verdict"

express_version="$(cd "$NODE_DIR" && "$NODE_BIN" -p 'require("express/package.json").version')"
bsqlite_version="$(cd "$NODE_DIR" && "$NODE_BIN" -p 'require("better-sqlite3/package.json").version')"
bsqlite_sqlite="$(cd "$NODE_DIR" && "$NODE_BIN" -p 'new (require("better-sqlite3"))(":memory:").prepare("select sqlite_version() v").get().v')"
cv_sqlite="$(pkg-config --modversion sqlite3 2>/dev/null || echo unknown)"
cpu_model="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
section="$WORK/section.md"
{
    echo "$BEGIN_MARKER"
    echo "## Signed-webhook ingest (bench/webhook_ingest.sh)"
    echo
    echo "Generated by \`bench/webhook_ingest.sh\` (\`make bench-webhook\`); everything between the webhook_ingest"
    echo "markers is rewritten on each run."
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- Machine: $(nproc) CPUs, ${cpu_model:-unknown CPU model}, Linux $(uname -r) ($(uname -m));" \
        "load average before the run: $LOAD_BEFORE (other work on the machine skews the numbers)"
    echo "- Binary: \`$VERSION\`, $IO_THREADS I/O threads, worker threads as in each row" \
        "(CROSSVOICE_WORKER_THREADS; crossvoice's default is 8, with 4 SQLite connections), SQLite $cv_sqlite" \
        "(journal mode $CV_JOURNAL, synchronous=NORMAL), access log off, log level warn"
    echo "- Express peer: \`bench/webhook/express_server.js\`, one Node process (the seed's stack), Node" \
        "$("$NODE_BIN" --version), Express $express_version, better-sqlite3 $bsqlite_version (SQLite $bsqlite_sqlite," \
        "journal mode $EX_JOURNAL, synchronous=NORMAL), Ed25519 through \`crypto.verify\` (OpenSSL)"
    echo "- Verify-only: \`bench/verify_rate.cpp\` (Google Benchmark, median of 3 × ≥1 s), pinned to CPU" \
        "$VERIFY_CORE with taskset; libsodium $SODIUM_VERSION; $VERIFY_US µs per verify"
    echo "- wrk: \`-t$THREADS -c$CONNECTIONS -d$DURATION --latency -s bench/webhook/replay.lua\`, after a $WARMUP" \
        "warm-up per server; wrk runs on the same machine as the servers. Each request is a distinct delivery" \
        "(its own data.id, call.initiated / call.answered for calls the server does not know) of $BODY_BYTES bytes," \
        "signed with a fresh key pair per server just before its run"
    echo "- Server CPU: the server process's user + system CPU time during the measured run, divided by its" \
        "duration. Rows: the rows in the server's table (\`call_events\` / \`events\`) after it stopped, against its" \
        "200 responses (smoke test, warm-up and run; requests in flight when wrk stops are stored but not counted)"
} >"$section"

write_section "$section" "$table" "$verdict"
if ((flagged)); then
    echo "webhook_ingest: WARNING: some runs had errors; see the flagged rows" >&2
    exit 3
fi
