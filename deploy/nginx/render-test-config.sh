#!/usr/bin/env bash
# Renders test-two-instances.conf.template for an unprivileged nginx in front of two crossvoice instances.
#   deploy/nginx/render-test-config.sh PREFIX NGINX_PORT UPSTREAM_1 UPSTREAM_2
# PREFIX (absolute; created) receives nginx.conf, and later the pid, logs and temp files. Prints the config's
# path. Then: nginx -p PREFIX -c PREFIX/nginx.conf   (foreground; SIGQUIT to stop gracefully)
set -euo pipefail
if [[ $# -ne 4 ]]; then
    echo "usage: $0 PREFIX NGINX_PORT UPSTREAM_1 UPSTREAM_2   (UPSTREAM = HOST:PORT)" >&2
    exit 2
fi
prefix="$1" port="$2" up1="$3" up2="$4"
[[ "$prefix" == /* ]] || { echo "$0: PREFIX must be absolute: $prefix" >&2; exit 2; }
[[ "$port" =~ ^[0-9]{1,5}$ ]] || { echo "$0: NGINX_PORT must be a port number: $port" >&2; exit 2; }
hostport='^[][A-Za-z0-9.:-]+:[0-9]{1,5}$'
for up in "$up1" "$up2"; do
    [[ "$up" =~ $hostport ]] || { echo "$0: not HOST:PORT: $up" >&2; exit 2; }
done
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$prefix"
user_directive=""
if [[ "$(id -u)" == 0 ]]; then user_directive="user root;"; fi  # workers must reach a 0700 prefix
sed -e "s|@USER_DIRECTIVE@|$user_directive|" -e "s|@PREFIX@|$prefix|g" -e "s|@NGINX_PORT@|$port|g" \
    -e "s|@UPSTREAM_1@|$up1|g" -e "s|@UPSTREAM_2@|$up2|g" \
    "$here/test-two-instances.conf.template" > "$prefix/nginx.conf"
if grep -q '@[A-Z_0-9]*@' "$prefix/nginx.conf"; then
    echo "$0: placeholders left in $prefix/nginx.conf:" >&2
    grep -n '@[A-Z_0-9]*@' "$prefix/nginx.conf" >&2
    exit 1
fi
echo "$prefix/nginx.conf"
