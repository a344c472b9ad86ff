#!/usr/bin/env bash
# Throw-away PostgreSQL, Redis and RabbitMQ servers on loopback for the test run.
#
#   scripts/test-servers.sh start DIR   starts each server on a free loopback port with its data under DIR and
#                                       writes DIR/env (export lines: CROSSVOICE_TEST_POSTGRES_URL, …_REDIS_URL,
#                                       …_AMQP_URL) for the servers that came up
#   scripts/test-servers.sh stop DIR    stops them and removes DIR
#
# A server whose program is missing or that does not come up is left out of DIR/env with a warning, so the tests
# that need it skip on a developer's machine; with CI=true the same failure fails the run instead.
set -euo pipefail

command=${1:-}
dir=${2:-}
if [[ -z "$command" || -z "$dir" ]]; then
    echo "usage: $0 start|stop DIR" >&2
    exit 2
fi

PG_BIN=/usr/lib/postgresql/15/bin
RABBIT_BIN=/usr/lib/rabbitmq/bin

warn() { echo "test-servers: $*" >&2; }

# A server that cannot start: fatal under CI, a warning elsewhere.
unavailable() {
    if [[ "${CI:-}" == "true" ]]; then
        warn "$1 (CI=true: failing the run)"
        exit 1
    fi
    warn "$1; the tests that need it will skip"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits up to $2 seconds for `$1` (a command) to succeed.
wait_for() {
    local probe=$1 seconds=$2
    for ((i = 0; i < seconds * 10; i++)); do
        if eval "$probe" > /dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    return 1
}

start_postgres() {
    if [[ ! -x "$PG_BIN/initdb" ]]; then
        unavailable "PostgreSQL is not installed ($PG_BIN/initdb missing)"
        return
    fi
    local data="$dir/postgres" port
    port=$(free_port)
    mkdir -p "$data"
    # PostgreSQL refuses to run as root; the Debian package creates the postgres user.
    local as=()
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$data"
        as=(runuser -u postgres --)
    fi
    if ! "${as[@]}" "$PG_BIN/initdb" -D "$data/db" -U crossvoice --auth=trust -E UTF8 --locale=C.UTF-8 \
        > "$dir/postgres-initdb.log" 2>&1; then
        unavailable "PostgreSQL initdb failed (see $dir/postgres-initdb.log)"
        return
    fi
    # fsync off: the data is thrown away, and durability costs the suite seconds per test database.
    if ! "${as[@]}" "$PG_BIN/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off \
            -c full_page_writes=off -c max_connections=300" start > /dev/null; then
        unavailable "PostgreSQL did not start (see $data/server.log)"
        return
    fi
    echo "export CROSSVOICE_TEST_POSTGRES_URL=postgres://crossvoice@127.0.0.1:$port/postgres" >> "$dir/env"
    echo "$port" > "$dir/postgres.port"
}

start_redis() {
    if ! command -v redis-server > /dev/null; then
        unavailable "Redis is not installed (redis-server missing)"
        return
    fi
    local data="$dir/redis" port
    port=$(free_port)
    mkdir -p "$data"
    redis-server --bind 127.0.0.1 --port "$port" --dir "$data" --save '' --appendonly no --daemonize yes \
        --pidfile "$data/redis.pid" --logfile "$data/redis.log" > /dev/null
    if ! wait_for "redis-cli -p $port ping | grep -q PONG" 20; then
        unavailable "Redis did not start (see $data/redis.log)"
        return
    fi
    echo "export CROSSVOICE_TEST_REDIS_URL=redis://127.0.0.1:$port/0" >> "$dir/env"
}

start_rabbitmq() {
    if [[ ! -x "$RABBIT_BIN/rabbitmq-server" ]]; then
        unavailable "RabbitMQ is not installed ($RABBIT_BIN/rabbitmq-server missing)"
        return
    fi
    local data="$dir/rabbitmq" port dist_port epmd_port node
    port=$(free_port)
    dist_port=$(free_port)
    epmd_port=$(free_port)
    node="crossvoice-test-$port@localhost"
    mkdir -p "$data"
    # Its own node name, ports, epmd and directories: nothing shared with a system RabbitMQ or another run.
    cat > "$data/env.sh" << EOF
export RABBITMQ_NODENAME=$node
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$port
export RABBITMQ_DIST_PORT=$dist_port
export ERL_EPMD_PORT=$epmd_port
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_MNESIA_BASE=$data/mnesia
export RABBITMQ_LOG_BASE=$data/log
export RABBITMQ_PID_FILE=$data/rabbitmq.pid
export RABBITMQ_ENABLED_PLUGINS_FILE=$data/enabled_plugins
export RABBITMQ_CONFIG_FILE=$data/rabbitmq
export HOME=$data
EOF
    echo "[]." > "$data/enabled_plugins"
    printf 'loopback_users = none\nlisteners.tcp.default = %s\n' "$port" > "$data/rabbitmq.conf"
    # shellcheck disable=SC1091
    (source "$data/env.sh" && setsid "$RABBIT_BIN/rabbitmq-server" > "$data/stdout.log" 2>&1 < /dev/null &)
    if ! wait_for "source $data/env.sh && $RABBIT_BIN/rabbitmq-diagnostics -q check_port_connectivity" 60; then
        unavailable "RabbitMQ did not start (see $data/stdout.log)"
        return
    fi
    echo "export CROSSVOICE_TEST_AMQP_URL=amqp://guest:guest@127.0.0.1:$port/%2f" >> "$dir/env"
}

stop_all() {
    if [[ -d "$dir/postgres/db" ]]; then
        local as=()
        [[ $(id -u) -eq 0 ]] && as=(runuser -u postgres --)
        "${as[@]}" "$PG_BIN/pg_ctl" -D "$dir/postgres/db" -m immediate -w stop > /dev/null 2>&1 || true
    fi
    if [[ -f "$dir/redis/redis.pid" ]]; then
        kill "$(cat "$dir/redis/redis.pid")" 2> /dev/null || true
    fi
    if [[ -f "$dir/rabbitmq/env.sh" ]]; then
        # shellcheck disable=SC1091
        (source "$dir/rabbitmq/env.sh" && "$RABBIT_BIN/rabbitmqctl" -q stop > /dev/null 2>&1) || true
        if [[ -f "$dir/rabbitmq/rabbitmq.pid" ]]; then kill "$(cat "$dir/rabbitmq/rabbitmq.pid")" 2> /dev/null || true; fi
        # The node's own epmd (its port came from the environment), once no node is registered with it.
        (source "$dir/rabbitmq/env.sh" && epmd -kill > /dev/null 2>&1) || true
    fi
    rm -rf "$dir"
}

case "$command" in
    start)
        rm -rf "$dir"
        mkdir -p "$dir"
        : > "$dir/env"
        start_postgres
        start_redis
        start_rabbitmq
        ;;
    stop)
        stop_all
        ;;
    *)
        echo "usage: $0 start|stop DIR" >&2
        exit 2
        ;;
esac
