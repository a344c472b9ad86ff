#!/usr/bin/env bash
# Runs a command with throw-away PostgreSQL, Redis and RabbitMQ servers (scripts/test-servers.sh) and their URLs in
# the environment, and stops the servers afterwards whatever the command's outcome.
#   scripts/with-test-servers.sh ctest --output-on-failure
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/crossvoice-servers.XXXXXX)
chmod 755 "$dir"
trap '"$here/test-servers.sh" stop "$dir"' EXIT
"$here/test-servers.sh" start "$dir"
# shellcheck disable=SC1091
source "$dir/env"
"$@"
