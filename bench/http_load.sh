#!/usr/bin/env bash
# HTTP load benchmark: wrk against nginx serving a static 200 (the ceiling on this machine) and against crossvoice
# (/healthz and an authenticated session read), all with the same wrk parameters in the same session. Writes the
# results section of docs/BENCHMARKS.md (between its http_load markers) and prints the table. Run by hand through
# `make bench`, which builds bin/crossvoice first; this script builds nothing. See bench/README.md.
set -Eeuo pipefail
trap 'echo "http_load: error: unexpected failure (status $?) at line $LINENO: $BASH_COMMAND" >&2' ERR

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly BEGIN_MARKER='<!-- http_load:begin -->'
readonly END_MARKER='<!-- http_load:end -->'
readonly AIM_PERCENT=60

THREADS="${BENCH_THREADS:-1}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-2s}"
SERVER_THREADS="${BENCH_SERVER_THREADS:-2}"  # nginx workers and crossvoice I/O threads alike
CROSSVOICE_BIN="${CROSSVOICE_BIN:-$ROOT/bin/crossvoice}"
NGINX_BIN="${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}"
OUT="$ROOT/docs/BENCHMARKS.md"

usage() {
    cat <<EOF
Usage: bench/http_load.sh [--out FILE]

Load-tests nginx (static 200, the ceiling) and crossvoice with wrk, then writes the results section
between '$BEGIN_MARKER' and '$END_MARKER' in FILE (default: docs/BENCHMARKS.md)
and prints the table.

Environment:
  BENCH_THREADS         wrk threads (default 1)
  BENCH_CONNECTIONS     wrk connections (default 32)
  BENCH_DURATION        measured run per target, wrk syntax (default 10s)
  BENCH_WARMUP          unmeasured warm-up before each run (default 2s)
  BENCH_SERVER_THREADS  nginx worker processes = crossvoice I/O threads (default 2)
  CROSSVOICE_BIN        server binary (default bin/crossvoice; build it with 'make build')
  NGINX_BIN             nginx binary (default: nginx on PATH, else /usr/sbin/nginx)

Exit status: 0 when every run was clean; 3 when results were written but a run had errors
(non-2xx responses, socket errors or no requests at all); 1 on any other failure.
EOF
}

BENCH_NAME=http_load
# shellcheck source=bench/lib/args.sh
source "$ROOT/bench/lib/args.sh"
parse_out_argument "$@"

# --- Preconditions ----------------------------------------------------------------------------------------------

check_wrk_settings
if ! [[ "$SERVER_THREADS" =~ ^[1-9][0-9]*$ ]] || ((SERVER_THREADS > 64)); then
    die "BENCH_SERVER_THREADS must be an integer from 1 to 64, got '$SERVER_THREADS'"
fi

[[ -x "$CROSSVOICE_BIN" ]] || die "$CROSSVOICE_BIN not found or not executable: run 'make build' first (or 'make bench')"
command -v wrk >/dev/null || die "wrk not found: run 'make deps' (scripts/deps.txt lists it)"
command -v curl >/dev/null || die "curl not found: run 'make deps'"
[[ -x "$NGINX_BIN" ]] || die "nginx not found at '$NGINX_BIN': run 'make deps' (nginx-light) or set NGINX_BIN"
[[ -f "$ROOT/bench/nginx.conf.template" ]] || die "missing $ROOT/bench/nginx.conf.template"

# --- Scratch directory and cleanup ------------------------------------------------------------------------------

SCRATCH_PREFIX=crossvoice-http-load
# shellcheck source=bench/lib/scratch.sh
source "$ROOT/bench/lib/scratch.sh"
# shellcheck source=bench/lib/section.sh
source "$ROOT/bench/lib/section.sh"

# Polls URL (bounded) until it answers 200 with curl; fails early if the server process PID has exited.
wait_for_http() {
    local name="$1" url="$2" pid="$3" log="$4" tries
    for ((tries = 0; tries < 100; tries++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "--- $log:" >&2
            tail -n 20 "$log" >&2 || true
            die "$name exited before accepting connections (log above)"
        fi
        if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    die "$name did not answer 200 on $url within 10 s (see $log)"
}

# --- nginx: the ceiling -----------------------------------------------------------------------------------------

NGINX_PORT=""
NGINX_PID=""

# nginx has no port 0, so pick a random free loopback port and retry on a bind race.
start_nginx() {
    local prefix="$WORK/nginx" user_directive="" attempt port pid
    mkdir -p "$prefix"
    if [[ "$(id -u)" == 0 ]]; then user_directive="user root;"; fi  # workers must reach the 0700 temp dir
    for ((attempt = 1; attempt <= 10; attempt++)); do
        port=$((20000 + RANDOM % 40000))
        # Something already answering there: try another port.
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
        sed -e "s|@USER_DIRECTIVE@|$user_directive|" -e "s|@WORKERS@|$SERVER_THREADS|" \
            -e "s|@PREFIX@|$prefix|g" -e "s|@PORT@|$port|" \
            "$ROOT/bench/nginx.conf.template" >"$prefix/nginx.conf"
        : >"$prefix/error.log"
        "$NGINX_BIN" -p "$prefix" -c "$prefix/nginx.conf" >"$prefix/stderr.log" 2>&1 &
        pid=$!
        PIDS+=("$pid")
        local tries ok=0
        for ((tries = 0; tries < 100; tries++)); do
            if ! kill -0 "$pid" 2>/dev/null; then break; fi
            if curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/" 2>/dev/null; then
                ok=1
                break
            fi
            sleep 0.1
        done
        if ((ok)); then
            NGINX_PORT="$port"
            NGINX_PID="$pid"
            return 0
        fi
        stop_pid "$pid"
        if grep -qs "Address already in use" "$prefix/stderr.log" "$prefix/error.log"; then continue; fi
        echo "--- nginx output:" >&2
        cat "$prefix/stderr.log" "$prefix/error.log" >&2 || true
        die "nginx did not start (output above; config: bench/nginx.conf.template)"
    done
    die "nginx: no free loopback port found in 10 attempts"
}

# --- crossvoice -------------------------------------------------------------------------------------------------

CV_PORT=""
CV_PID=""

# start_crossvoice NAME ACCESS_LOG LOG_LEVEL: a fresh data dir per instance; sets CV_PORT, CV_PID, CV_DIR.
start_crossvoice() {
    local name="$1" access_log="$2" log_level="$3" dir="$WORK/$1" tries
    mkdir -p "$dir/data"
    : >"$dir/empty.env"  # so no .env of the caller's is read
    CV_DIR="$dir"
    (
        cd "$dir"
        exec env CROSSVOICE_LISTEN=127.0.0.1:0 \
            CROSSVOICE_DATA_DIR="$dir/data" \
            DATABASE_URL="sqlite:$dir/data/crossvoice.db" \
            CROSSVOICE_ENV_FILE="$dir/empty.env" \
            CROSSVOICE_ACCESS_LOG="$access_log" \
            CROSSVOICE_IO_THREADS="$SERVER_THREADS" \
            CROSSVOICE_LOG_LEVEL="$log_level" \
            "$CROSSVOICE_BIN" serve
    ) >"$dir/stdout.log" 2>"$dir/stderr.log" &
    CV_PID=$!
    PIDS+=("$CV_PID")
    CV_PORT=""
    for ((tries = 0; tries < 100; tries++)); do
        CV_PORT="$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$dir/stdout.log")"
        [[ -n "$CV_PORT" ]] && break
        if ! kill -0 "$CV_PID" 2>/dev/null; then
            echo "--- crossvoice output:" >&2
            cat "$dir/stdout.log" "$dir/stderr.log" >&2 || true
            die "crossvoice ($name) exited during start-up (output above)"
        fi
        sleep 0.1
    done
    [[ -n "$CV_PORT" ]] || die "crossvoice ($name) printed no 'listening on' line within 10 s (see $dir/stdout.log)"
    wait_for_http "crossvoice ($name)" "http://127.0.0.1:$CV_PORT/healthz" "$CV_PID" "$dir/stderr.log"
}

# --- wrk runs and parsing ---------------------------------------------------------------------------------------

ROW_LABELS=()
ROW_RPS=()
ROW_P99_MS=()
ROW_NON2XX=()
ROW_PROBLEMS=()
RUN_INDEX=0

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

# run_wrk LABEL URL [HEADER]: a warm-up, then the measured run; records one table row.
run_wrk() {
    local label="$1" url="$2" header="${3:-}" out args=()
    RUN_INDEX=$((RUN_INDEX + 1))
    out="$WORK/wrk-$RUN_INDEX.txt"
    args=(-t"$THREADS" -c"$CONNECTIONS" --latency)
    if [[ -n "$header" ]]; then args+=(-H "$header"); fi

    note "$label: warm-up $WARMUP"
    run_waited wrk "${args[@]}" -d"$WARMUP" "$url" >"$WORK/warmup-$RUN_INDEX.txt" 2>&1 ||
        die "wrk warm-up against $url failed: $(tail -n 3 "$WORK/warmup-$RUN_INDEX.txt")"
    note "$label: measuring $DURATION"
    run_waited wrk "${args[@]}" -d"$DURATION" "$url" >"$out" 2>&1 || die "wrk against $url failed: $(tail -n 3 "$out")"

    local rps p99 requests non2xx socket problems=()
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    p99="$(awk '$1 == "99%" { print $2; exit }' "$out")"
    requests="$(awk '/ requests in / { print $1; exit }' "$out")"
    non2xx="$(awk -F: '/Non-2xx or 3xx responses/ { gsub(/ /, "", $2); print $2 }' "$out")"
    socket="$(sed -n 's/^ *Socket errors: *//p' "$out")"
    [[ -n "$rps" && -n "$p99" && -n "$requests" ]] || {
        cat "$out" >&2
        die "could not parse wrk output for $label (printed above)"
    }
    non2xx="${non2xx:-0}"
    ((requests > 0)) || problems+=("no request completed")
    ((non2xx == 0)) || problems+=("$non2xx non-2xx/3xx responses")
    [[ -z "$socket" ]] || problems+=("socket errors: $socket")

    ROW_LABELS+=("$label")
    ROW_RPS+=("$rps")
    ROW_P99_MS+=("$(to_ms "$p99")")
    ROW_NON2XX+=("$non2xx")
    local joined=""
    if ((${#problems[@]} > 0)); then joined="$(IFS=';'; echo "${problems[*]}")"; fi
    ROW_PROBLEMS+=("$joined")
    note "$label: $rps requests/s, p99 $p99, non-2xx $non2xx${joined:+ -- ERRORS: $joined}"
}

# --- The runs ---------------------------------------------------------------------------------------------------

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
VERSION="$("$CROSSVOICE_BIN" --version 2>&1)" || die "'$CROSSVOICE_BIN --version' failed: $VERSION"
note "scratch directory $WORK"

start_nginx
note "nginx listening on 127.0.0.1:$NGINX_PORT ($SERVER_THREADS workers)"
body="$(curl -fsS "http://127.0.0.1:$NGINX_PORT/")"
[[ "$body" == '{"status":"ok"}' ]] || die "nginx answered '$body' instead of {\"status\":\"ok\"}"

start_crossvoice crossvoice off warn
note "crossvoice listening on 127.0.0.1:$CV_PORT ($SERVER_THREADS I/O threads, access log off)"
keys_file="$(sed -n 's|^development API keys: ||p' "$CV_DIR/stdout.log")"
[[ -n "$keys_file" && -f "$keys_file" ]] ||
    die "crossvoice did not report its development API keys file (stdout: $(cat "$CV_DIR/stdout.log"))"
api_key="$(sed -n 's|^TETRIX_API_KEY=||p' "$keys_file")"
[[ -n "$api_key" ]] || die "no TETRIX_API_KEY in $keys_file"
auth="Authorization: Bearer $api_key"

created="$(curl -sS --max-time 10 -w '\n%{http_code}' -X POST "http://127.0.0.1:$CV_PORT/api/voice/sessions" \
    -H "$auth" -H 'Content-Type: application/json' -d '{"channel":"voice"}')" ||
    die "POST /api/voice/sessions failed"
status="${created##*$'\n'}"
session_id="$(sed -n 's|.*"sessionId"[[:space:]]*:[[:space:]]*"\([^"]*\)".*|\1|p' <<<"${created%$'\n'*}")"
[[ "$status" == 2?? && -n "$session_id" ]] ||
    die "could not create a session (HTTP $status): ${created%$'\n'*}"
session_url="http://127.0.0.1:$CV_PORT/api/voice/sessions/$session_id"
curl -fsS -o /dev/null --max-time 10 -H "$auth" "$session_url" ||
    die "GET $session_url with the TETRIX key did not answer 2xx"
note "session $session_id created"

run_wrk "nginx \`GET /\` (static 200: the ceiling)" "http://127.0.0.1:$NGINX_PORT/"
stop_pid "$NGINX_PID"  # idle, but keep the machine to the server under test
run_wrk "crossvoice \`GET /healthz\`" "http://127.0.0.1:$CV_PORT/healthz"
run_wrk "crossvoice \`GET /api/voice/sessions/{id}\` (API key)" "$session_url" "$auth"
stop_pid "$CV_PID"

# Production runs with the access log on. It is written at info level, so this instance logs at info.
start_crossvoice crossvoice-access-log on info
note "crossvoice listening on 127.0.0.1:$CV_PORT (access log on, to a file)"
run_wrk "crossvoice \`GET /healthz\` (access log on)" "http://127.0.0.1:$CV_PORT/healthz"
stop_pid "$CV_PID"
access_lines="$(grep -c '\[access\]' "$CV_DIR/stderr.log" || true)"
if ((access_lines == 0)); then
    last=$((${#ROW_PROBLEMS[@]} - 1))
    ROW_PROBLEMS[last]="${ROW_PROBLEMS[last]:+${ROW_PROBLEMS[last]};}no access log line was written"
fi

# --- Report -----------------------------------------------------------------------------------------------------

nginx_rps="${ROW_RPS[0]}"
percent_of_nginx() { awk -v a="$1" -v b="$nginx_rps" 'BEGIN { if (b > 0) printf "%.1f", 100 * a / b; else print "n/a" }'; }

table="$WORK/table.md"
flagged=0
{
    echo "| target | requests/s | p99 | ratio to nginx | non-2xx |"
    echo "|---|---:|---:|---:|---:|"
    for i in "${!ROW_LABELS[@]}"; do
        mark_row "$i"
        printf '| %s%s | %s | %s ms | %s%% | %s |\n' "${ROW_LABELS[i]}" "$mark" \
            "$(awk -v r="${ROW_RPS[i]}" 'BEGIN { printf "%.0f", r }')" "${ROW_P99_MS[i]}" \
            "$(percent_of_nginx "${ROW_RPS[i]}")" "${ROW_NON2XX[i]}"
    done
} >"$table"

healthz_percent="$(percent_of_nginx "${ROW_RPS[1]}")"
if awk -v p="$healthz_percent" -v aim="$AIM_PERCENT" 'BEGIN { exit !(p + 0 >= aim) }'; then
    reached="reached"
else
    reached="did NOT reach"
fi
aim_line="\`/healthz\` (access log off) $reached the aim of $AIM_PERCENT% of nginx's requests/s: $healthz_percent%."
[[ -z "${ROW_PROBLEMS[1]}" && -z "${ROW_PROBLEMS[0]}" ]] ||
    aim_line+=" (Not conclusive: the nginx or /healthz run had errors.)"

verdict="$WORK/verdict.md"
{
    echo "$aim_line"
    list_flagged_rows
} >"$verdict"

cpu_model="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
section="$WORK/section.md"
{
    echo "$BEGIN_MARKER"
    echo "## HTTP load (bench/http_load.sh)"
    echo
    echo "Generated by \`bench/http_load.sh\` (\`make bench\`); everything between the http_load markers is rewritten"
    echo "on each run."
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- Machine: $(nproc) CPUs, ${cpu_model:-unknown CPU model}, Linux $(uname -r) ($(uname -m));" \
        "load average before the run: $LOAD_BEFORE (other work on the machine skews the numbers)"
    echo "- Binary: \`$VERSION\`"
    echo "- wrk: \`-t$THREADS -c$CONNECTIONS -d$DURATION --latency\`, after a $WARMUP warm-up per target;" \
        "wrk runs on the same machine as the server"
    echo "- Servers: nginx $("$NGINX_BIN" -v 2>&1 | sed 's|^nginx version: nginx/||') with $SERVER_THREADS" \
        "worker processes, access log off, keep-alive; crossvoice with $SERVER_THREADS I/O threads," \
        "SQLite in a temporary directory, access log off except in the last row (info level, to a file)"
} >"$section"

write_section "$section" "$table" "$verdict"
if ((flagged)); then
    echo "http_load: WARNING: some runs had errors; see the flagged rows" >&2
    exit 3
fi
