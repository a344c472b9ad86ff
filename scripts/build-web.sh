#!/usr/bin/env bash
# Installs the front end's npm dependencies (only when web/package-lock.json changed since the last install) and
# builds the console, the widget and the demo pages into build/web (web/build.mjs). Nothing from npm is committed.
# Skips the build when nothing under web/ changed since the last one. Usage: scripts/build-web.sh [--force]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
web=$root/web
out=$root/build/web
force=${1:-}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "build-web: node and npm are needed (Debian: apt-get install nodejs npm, or NodeSource nodejs)" >&2
    exit 1
fi

lock_hash=$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)
stamp=$web/node_modules/.crossvoice-lock-sha256
if [[ ! -f $stamp || $(cat "$stamp") != "$lock_hash" ]]; then
    echo "build-web: npm ci (web/package-lock.json changed or web/node_modules missing)"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_hash" >"$stamp"
fi

built=$out/.built
if [[ $force != --force && -f $built ]] &&
    [[ -z $(find "$web/src" "$web/demo" "$web/build.mjs" "$web/package-lock.json" -newer "$built" -print -quit 2>/dev/null) ]]; then
    echo "build-web: build/web is up to date"
    exit 0
fi
(cd "$web" && node build.mjs --out "$out")
touch "$built"
