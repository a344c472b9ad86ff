#!/usr/bin/env bash
# Checks every file in deploy/ with the tools that run them:
#   nginx      nginx -t on deploy/nginx/crossvoice.conf (its certificate and log paths pointed into a temporary
#              prefix) and on the rendered test template; both carry the same proxy rules
#   prometheus promtool check config / check rules / test rules
#   grafana    the dashboard is JSON, uses the ${DS_PROMETHEUS} input and the instance variable, and every query
#              parses (promtool) and names a metric the service exports or deploy/README.md lists as still to export
#   systemd    systemd-analyze verify on the units, when systemd-analyze works here
#   settings   with the binary: every setting `crossvoice config` lists is in crossvoice.env.example, and the
#              file (with its commented examples switched on) is accepted by the service
#   logging    the agents' YAML parses
# A tool that is missing is skipped, except under CI=true, where nginx, promtool and python3 are required.
#
# usage: tests/deploy/check_deploy.sh [--binary PATH] [--deploy-dir DIR] [--source-dir DIR]
#   --binary      crossvoice binary for the settings check (default: $CROSSVOICE_BINARY; none: skipped)
#   --deploy-dir  the deploy/ folder to check (default: the repository's)
#   --source-dir  the repository's src/ (where exported metric names are looked up)
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
deploy="$root/deploy"
src="$root/src"
binary="${CROSSVOICE_BINARY:-}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --binary) binary="$2"; shift 2 ;;
        --deploy-dir) deploy="$(cd "$2" && pwd)"; shift 2 ;;
        --source-dir) src="$(cd "$2" && pwd)"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
# systemd wants an absolute ExecStart path: make a relative --binary absolute.
if [[ -n "$binary" && "$binary" != /* && -e "$binary" ]]; then binary="$(realpath "$binary")"; fi
ci=false
[[ "${CI:-}" == "true" ]] && ci=true

work="$(mktemp -d "${TMPDIR:-/tmp}/cv-deploy-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT

failures=0
pass() { printf 'PASS  %s\n' "$1"; }
fail() {
    printf 'FAIL  %s\n' "$1"
    if [[ -n "${2:-}" ]]; then sed 's/^/      /' <<< "$2"; fi
    failures=$((failures + 1))
}
skip() {
    printf 'SKIP  %s\n' "$1"
}
# A required tool that is missing: a skip locally, a failure under CI=true.
missing() {
    if $ci; then fail "$1 (CI=true requires it)"; else skip "$1"; fi
}
run() {  # run NAME CMD...: PASS when CMD succeeds, else FAIL with its output
    local name="$1" out
    shift
    if out="$("$@" 2>&1)"; then pass "$name"; else fail "$name" "$out"; fi
}

# The slowest check, promtool's rule unit tests (2 s), runs in the background while the others run.
promtool="$(command -v promtool || true)"
if [[ -n "$promtool" ]]; then
    (cd "$deploy/prometheus" && "$promtool" test rules alerts_test.yml > "$work/promtool-test.out" 2>&1) &
    promtool_test_pid=$!
fi

# --- nginx ------------------------------------------------------------------------------------------------------
nginx_bin="$(command -v nginx || true)"
[[ -z "$nginx_bin" && -x /usr/sbin/nginx ]] && nginx_bin=/usr/sbin/nginx
if [[ -z "$nginx_bin" ]]; then
    missing "nginx: not installed"
else
    # The production file is an http{}-level include: wrap it in a main config whose every path is in the prefix,
    # with a throw-away certificate where the real one would be.
    p="$work/nginx-prod"
    mkdir -p "$p/logs"
    # nginx -t binds the listen addresses: ports 80 and 443 become loopback ports below the ephemeral range
    # (unprivileged, clear of a system nginx; a port taken meanwhile is retried), the IPv6 listens go (containers
    # may have no IPv6).
    http_port=0 https_port=0
    nginx_t() {  # nginx_t NAME PREFIX WHAT: render_WHAT, then nginx -t; retried on other ports when one is taken
        local name="$1" prefix="$2" out attempt
        for attempt in 1 2 3; do
            http_port=$((20000 + RANDOM % 12000)) https_port=$((http_port + 1))
            render_"$3" || return
            if out="$("$nginx_bin" -t -q -p "$prefix" -c "$prefix/nginx.conf" 2>&1)"; then
                pass "$name"
                return
            fi
            grep -q 'Address already in use' <<< "$out" || break
        done
        fail "$name" "$out"
    }
    render_prod() {
        sed -e "s#ssl_certificate  *[^;]*;#ssl_certificate $p/cert.pem;#" \
            -e "s#ssl_certificate_key  *[^;]*;#ssl_certificate_key $p/key.pem;#" \
            -e "s#/var/log/nginx/#$p/logs/#g" \
            -e "s#^\([[:space:]]*listen\) 80;#\1 127.0.0.1:$http_port;#" \
            -e "s#^\([[:space:]]*listen\) 443 #\1 127.0.0.1:$https_port #" \
            -e '/^[[:space:]]*listen \[::\]/d' \
            "$deploy/nginx/crossvoice.conf" > "$p/crossvoice.conf"
        if grep -E '^[[:space:]]*listen ' "$p/crossvoice.conf" | grep -qv ' 127\.0\.0\.1:'; then
            fail "nginx: crossvoice.conf listens other than 'listen 80;' and 'listen 443 ssl http2;': adjust this check"
            return 1
        fi
        cat > "$p/nginx.conf" << EOF
pid $p/nginx.pid;
error_log $p/logs/error.log;
events {}
http {
    client_body_temp_path $p/client_body;
    proxy_temp_path $p/proxy;
    fastcgi_temp_path $p/fastcgi;
    uwsgi_temp_path $p/uwsgi;
    scgi_temp_path $p/scgi;
    access_log off;
    include $p/crossvoice.conf;
}
EOF
    }
    if command -v openssl > /dev/null &&
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=crossvoice.test \
            -keyout "$p/key.pem" -out "$p/cert.pem" > /dev/null 2>&1; then
        nginx_t "nginx -t deploy/nginx/crossvoice.conf" "$p" prod
    else
        fail "nginx: cannot make a test certificate with openssl"
    fi

    t="$work/nginx-test"
    render_template() {
        local out
        out="$("$deploy/nginx/render-test-config.sh" "$t" "$http_port" 127.0.0.1:18081 127.0.0.1:18082 2>&1)" ||
            { fail "render-test-config.sh" "$out"; return 1; }
    }
    nginx_t "nginx -t deploy/nginx/test-two-instances.conf.template (rendered)" "$t" template

    # The template must proxy exactly as the production file does: compare the server's settings and locations
    # (from the "settings every location below inherits" marker to the server's end), indentation aside.
    rules() {
        awk '/# --- settings every location below inherits/ {on = 1}
             on {print}
             on && /^[[:space:]]*location \/ \{/ {last = 1}
             last && /^[[:space:]]*}[[:space:]]*$/ {exit}' "$1" | sed -e 's/^[[:space:]]*//' -e '/^$/d'
    }
    if diff_out="$(diff <(rules "$deploy/nginx/crossvoice.conf") \
        <(rules "$deploy/nginx/test-two-instances.conf.template"))"; then
        if [[ -n "$(rules "$deploy/nginx/crossvoice.conf")" ]]; then
            pass "nginx: the test template has the production proxy rules"
        else
            fail "nginx: no '# --- settings every location below inherits' marker in crossvoice.conf"
        fi
    else
        fail "nginx: the test template's proxy rules differ from crossvoice.conf" "$diff_out"
    fi
fi

# --- Prometheus ---------------------------------------------------------------------------------------------------
if [[ -z "$promtool" ]]; then
    missing "promtool: not installed (Debian package prometheus)"
else
    run "promtool check config deploy/prometheus/prometheus.yml" "$promtool" check config "$deploy/prometheus/prometheus.yml"
    run "promtool check rules deploy/prometheus/alerts.yml" "$promtool" check rules "$deploy/prometheus/alerts.yml"
    if wait "$promtool_test_pid"; then
        pass "promtool test rules deploy/prometheus/alerts_test.yml"
    else
        fail "promtool test rules deploy/prometheus/alerts_test.yml" "$(cat "$work/promtool-test.out")"
    fi
fi

# --- Grafana dashboard and metric names --------------------------------------------------------------------------
# Debian's own python3 first: a version manager's shim on PATH (pyenv) costs seconds per start.
python=""
if [[ -x /usr/bin/python3 ]]; then python=/usr/bin/python3; else python="$(command -v python3 || true)"; fi
if [[ -z "$python" ]]; then
    missing "python3: not installed (dashboard and metric-name checks)"
    if command -v node > /dev/null; then
        run "grafana dashboard is JSON (node)" node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' \
            "$deploy/grafana/crossvoice-dashboard.json"
    fi
else
    # Structure, and one recording rule per query so promtool can parse every PromQL expression.
    if out="$("$python" - "$deploy/grafana/crossvoice-dashboard.json" "$work/dashboard-rules.yml" 2>&1 << 'EOF'
import json, sys
path, rules_out = sys.argv[1], sys.argv[2]
with open(path) as f:
    dash = json.load(f)
problems = []
if dash.get("schemaVersion", 0) < 36:
    problems.append("schemaVersion %r is older than 36" % dash.get("schemaVersion"))
if not any(i.get("name") == "DS_PROMETHEUS" and i.get("pluginId") == "prometheus" for i in dash.get("__inputs", [])):
    problems.append("no DS_PROMETHEUS datasource input")
names = [v.get("name") for v in dash.get("templating", {}).get("list", [])]
if "instance" not in names:
    problems.append("no 'instance' template variable")
def datasources(node, where):
    # Every Prometheus datasource reference (panels, queries, variables) is the import-time input.
    if isinstance(node, dict):
        ds = node.get("datasource")
        if isinstance(ds, dict) and ds.get("type") == "prometheus" and ds.get("uid") != "${DS_PROMETHEUS}":
            problems.append("%s: datasource uid %r, not ${DS_PROMETHEUS}" % (node.get("title", where), ds.get("uid")))
        for key, value in node.items():
            datasources(value, where)
    elif isinstance(node, list):
        for value in node:
            datasources(value, where)
datasources(dash, "dashboard")
exprs, ids = [], set()
def walk(panels):
    for p in panels:
        if p.get("id") in ids:
            problems.append("duplicate panel id %r" % p.get("id"))
        ids.add(p.get("id"))
        walk(p.get("panels", []))
        for t in p.get("targets", []):
            if t.get("datasource", {}).get("uid") != "${DS_PROMETHEUS}":
                problems.append("panel %r: a query without the ${DS_PROMETHEUS} datasource" % p.get("title"))
            e = t.get("expr", "")
            if not e:
                problems.append("panel %r: an empty query" % p.get("title"))
                continue
            if "$instance" not in e and "crossvoice" in e:
                problems.append("panel %r: query ignores $instance: %s" % (p.get("title"), e))
            exprs.append((p.get("title"), e))
walk(dash.get("panels", []))
if not exprs:
    problems.append("no queries")
with open(rules_out, "w") as out:
    out.write("groups:\n  - name: dashboard\n    rules:\n")
    for i, (title, e) in enumerate(exprs):
        e = e.replace("$__rate_interval", "5m").replace("$instance", ".*")
        out.write("      - record: dashboard_query_%d\n        expr: %s\n" % (i, json.dumps(e)))
if problems:
    print("\n".join(problems))
    sys.exit(1)
print("%d panels, %d queries" % (len(ids), len(exprs)))
EOF
    )"; then
        pass "grafana dashboard: JSON, datasource input, instance variable ($out)"
        if [[ -n "$promtool" ]]; then
            run "grafana dashboard: every query parses (promtool)" "$promtool" check rules "$work/dashboard-rules.yml"
        fi
    else
        fail "grafana dashboard" "$out"
    fi

    # Every crossvoice_* metric in the rules and the dashboard is exported by the service (its name appears in
    # src/) or listed in deploy/README.md's "Metrics still to export".
    if out="$("$python" - "$src" "$deploy" 2>&1 << 'EOF'
import os, re, sys
src, deploy = sys.argv[1], sys.argv[2]
used = {}
for rel in ("prometheus/alerts.yml", "grafana/crossvoice-dashboard.json"):
    text = open(os.path.join(deploy, rel)).read()
    if rel.endswith(".yml"):
        text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#"))
    for name in re.findall(r"\bcrossvoice_[a-z0-9_]+", text):
        used.setdefault(re.sub(r"_(bucket|count|sum)$", "", name), set()).add(rel)
source = []
for base, _, files in os.walk(src):
    for f in files:
        if f.endswith((".cpp", ".hpp")) and "test" not in f:
            source.append(open(os.path.join(base, f), errors="replace").read())
source = "\n".join(source)
readme = open(os.path.join(deploy, "README.md")).read()
pending_section = readme.split("## Metrics still to export", 1)[1] if "## Metrics still to export" in readme else ""
pending = set(re.findall(r"`(crossvoice_[a-z0-9_]+)`", pending_section))
unknown = []
exported_now = []
for name in sorted(used):
    in_source = re.search(r'\b' + name + r'\b', source) is not None
    if not in_source and name not in pending:
        unknown.append("%s (in %s)" % (name, ", ".join(sorted(used[name]))))
    if name in pending and re.search(r'"# HELP ' + name + r' |family\(out, "' + name + '"', source):
        exported_now.append(name)
if unknown:
    print("metrics neither in src/ nor in deploy/README.md's 'Metrics still to export':")
    print("\n".join("  " + u for u in unknown))
    sys.exit(1)
note = ""
if exported_now:
    note = "; now exported, drop from 'Metrics still to export': " + ", ".join(exported_now)
print("%d metric names, %d still to export%s" % (len(used), len(pending & set(used)), note))
EOF
    )"; then
        pass "metric names in alerts and dashboard ($out)"
    else
        fail "metric names in alerts and dashboard" "$out"
    fi

    if "$python" -c 'import yaml' 2> /dev/null; then
        run "logging: promtail.yml and filebeat.yml parse" "$python" -c '
import sys, yaml
for f in sys.argv[1:]:
    yaml.safe_load(open(f))' "$deploy/logging/promtail.yml" "$deploy/logging/filebeat.yml"
    else
        skip "logging: python3-yaml not installed"
    fi
fi

# --- systemd ------------------------------------------------------------------------------------------------------
if ! command -v systemd-analyze > /dev/null; then
    skip "systemd-analyze: not installed"
else
    s="$work/systemd"
    mkdir -p "$s/probe"
    # Can systemd-analyze verify work here at all (containers)? A unit that is certainly fine tells.
    printf '[Unit]\nDescription=probe\n[Service]\nType=oneshot\nExecStart=/bin/true\n' > "$s/probe/probe.service"
    if ! probe_out="$(cd "$s/probe" && systemd-analyze verify --man=no probe.service 2>&1)" || [[ -n "$probe_out" ]]; then
        skip "systemd-analyze verify does not work here: ${probe_out%%$'\n'*}"
    else
        exe="/bin/true"
        [[ -n "$binary" && -x "$binary" ]] && exe="$binary"
        for unit in "crossvoice@.service" crossvoice-migrate.service crossvoice.target; do
            sed "s#/opt/crossvoice/bin/crossvoice#$exe#g" "$deploy/systemd/$unit" > "$s/$unit"
        done
        # Warnings (unknown keys, bad values) do not change the exit status: any output is a failure.
        if out="$(cd "$s" && systemd-analyze verify --man=no crossvoice@8081.service crossvoice-migrate.service \
            crossvoice.target 2>&1)" && [[ -z "$out" ]]; then
            pass "systemd-analyze verify deploy/systemd units"
        else
            fail "systemd-analyze verify deploy/systemd units" "$out"
        fi
    fi
fi

# --- settings -----------------------------------------------------------------------------------------------------
example="$deploy/crossvoice.env.example"
if [[ -z "$binary" || ! -x "$binary" ]]; then
    skip "settings: no crossvoice binary (--binary or CROSSVOICE_BINARY)"
else
    if ! config_out="$(env -i PATH="$PATH" CROSSVOICE_ENV_FILE=/dev/null "$binary" config 2>&1)"; then
        fail "settings: '$binary config' failed" "$config_out"
    else
        known="$(sed -n 's/^\([A-Z][A-Z0-9_]*\)=.*/\1/p' <<< "$config_out")"
        documented="$(sed -n 's/^\(# \)\{0,1\}\([A-Z][A-Z0-9_]*\)=.*/\2/p' "$example" | sort -u)"
        absent="$(comm -23 <(sort -u <<< "$known") <(echo "$documented"))"
        if [[ -z "$known" ]]; then
            fail "settings: '$binary config' listed no settings" "$config_out"
        elif [[ -n "$absent" ]]; then
            fail "settings: crossvoice.env.example lacks settings the service reads" "$absent"
        else
            pass "settings: crossvoice.env.example lists all $(wc -l <<< "$known") settings the service reads"
        fi
        # The service accepts the file: as shipped, and with every commented example switched on (a CROSSVOICE_*
        # name this build does not know is left off: it would be refused). DATABASE_URL is pointed at SQLite for
        # builds without PostgreSQL.
        cp "$example" "$work/as-shipped.env"
        sed -n 's/^# \([A-Z][A-Z0-9_]*=.*\)/\1/p; /^[A-Z][A-Z0-9_]*=/p' "$example" |
            awk -F= 'NR == FNR {known[$0] = 1; next} $1 !~ /^CROSSVOICE_/ || ($1 in known)' \
                <(echo "$known") - > "$work/all-on.env"
        for variant in as-shipped all-on; do
            if out="$(env -i PATH="$PATH" CROSSVOICE_ENV_FILE="$work/$variant.env" \
                DATABASE_URL="sqlite:$work/settings-check.db" "$binary" config 2>&1 > /dev/null)"; then
                pass "settings: the service accepts crossvoice.env.example ($variant)"
            else
                fail "settings: the service refuses crossvoice.env.example ($variant)" "$out"
            fi
        done
    fi
fi

run "deploy/nginx/render-test-config.sh: bash -n" bash -n "$deploy/nginx/render-test-config.sh"

echo
if [[ $failures -gt 0 ]]; then
    echo "deploy checks: $failures failed"
    exit 1
fi
echo "deploy checks: all passed"
