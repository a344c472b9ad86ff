# Sourced by the bench/*.sh scripts right after they define usage(): messages, the command line (--out FILE,
# --help), the pinned CPU and required programs, and the wrk settings every script shares. The caller sets BENCH_NAME, OUT, THREADS, CONNECTIONS,
# DURATION and WARMUP first.
# shellcheck shell=bash

die() {
    echo "$BENCH_NAME: error: $*" >&2
    exit 1
}

note() { echo "==> $*" >&2; }

parse_out_argument() {
    while (($# > 0)); do
        case "$1" in
            --out)
                (($# >= 2)) || die "--out needs a file path"
                OUT="$2"
                shift 2
                ;;
            --out=*)
                OUT="${1#--out=}"
                shift
                ;;
            -h | --help)
                usage
                exit 0
                ;;
            *) die "unknown argument '$1' (see --help)" ;;
        esac
    done
    [[ -n "$OUT" ]] || die "--out needs a file path"
}

check_wrk_settings() {
    [[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_THREADS must be a positive integer, got '$THREADS'"
    [[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CONNECTIONS must be a positive integer, got '$CONNECTIONS'"
    ((CONNECTIONS >= THREADS)) || die "BENCH_CONNECTIONS ($CONNECTIONS) must be at least BENCH_THREADS ($THREADS)"
    [[ "$DURATION" =~ ^[1-9][0-9]*[smh]?$ ]] || die "BENCH_DURATION must look like 10s, 1m or 30, got '$DURATION'"
    [[ "$WARMUP" =~ ^[1-9][0-9]*[smh]?$ ]] || die "BENCH_WARMUP must look like 2s, got '$WARMUP'"
}

# For scripts whose only argument is --help.
parse_help_only() {
    while (($# > 0)); do
        case "$1" in
            -h | --help)
                usage
                exit 0
                ;;
            *) die "unknown argument '$1' (see --help)" ;;
        esac
    done
}

# `check_core NAME VALUE`: VALUE must be a CPU of this machine (NAME is the variable it came from).
check_core() {
    if ! [[ "$2" =~ ^[0-9]+$ ]] || (($2 >= $(nproc))); then
        die "$1 must be a CPU from 0 to $(($(nproc) - 1)), got '$2'"
    fi
}

# Every named program must be on PATH.
need_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || die "$tool not found: run 'make deps' (scripts/deps.txt)"
    done
}

