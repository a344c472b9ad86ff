# Sourced by the bench/*.sh scripts: a scratch directory, the background processes they start, and a cleanup
# that stops them and removes both on any exit. The caller sets BENCH_NAME (for messages) and SCRATCH_PREFIX.
# shellcheck shell=bash

WORK="$(mktemp -d "${TMPDIR:-/tmp}/${SCRATCH_PREFIX}.XXXXXX")"
PIDS=()
NEW_FILE=""  # the half-written output file, removed if the script stops before renaming it

forget_pid() {
    local kept=() p
    for p in "${PIDS[@]}"; do [[ "$p" == "$1" ]] || kept+=("$p"); done
    PIDS=("${kept[@]}")
}

stop_pid() {  # SIGTERM, then up to 10 s for a graceful exit, then SIGKILL; forgets the pid
    local pid="$1" i
    forget_pid "$pid"
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "$BENCH_NAME: pid $pid ignored SIGTERM for 10 s; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    rm -rf "$WORK"
    if [[ -n "$NEW_FILE" ]]; then rm -f "$NEW_FILE"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs a command to completion in the background and waits for it, so that Ctrl-C interrupts the script at once
# (bash defers a trap until a foreground child exits, and wrk exits normally on SIGINT, printing partial results).
run_waited() {
    local pid rc=0
    "$@" &
    pid=$!
    PIDS+=("$pid")
    wait "$pid" || rc=$?
    forget_pid "$pid"
    return "$rc"
}

# wait_listening PID LOG: the port from the server's "listening on http://127.0.0.1:PORT" line (bounded).
wait_listening() {
    local pid="$1" log="$2" tries port=""
    for ((tries = 0; tries < 100; tries++)); do
        port="$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$log")"
        [[ -n "$port" ]] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "$port"
}
