#!/usr/bin/env bash
# How the dashboard behaves over a big table: adds ROWS finished jobs (default 100,000; function
# ids bulk_fn_*, removed again at exit) to the database of the API that ops/up.sh started, times the
# API calls a refresh makes, then drives Debian's chromium headless through chromedriver's W3C API
# (curl, no client library) as an ops user: sign in with 100 rows a page, Next three times, filter by
# status, and reports the milliseconds until each shows, the page's JS heap and DOM size after a few
# refreshes, and a screenshot in .local/screenshots/dashboard-load.png.
#   ops/dashboard_load.sh [ROWS]        needs ops/up.sh running, chromium and chromium-driver (ops/deps.sh)
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROWS=${1:-100000}
DRIVER_PORT=${NEOWORKER_CHROMEDRIVER_PORT:-9517}
DRIVER="http://127.0.0.1:$DRIVER_PORT"
DRIVER_PID=''
SESSION=''

fill() {
    log "adding $ROWS finished jobs (bulk_fn_*) to $NW_DB_NAME"
    psql_app "$NW_DB_NAME" >/dev/null <<SQL
INSERT INTO neoworker.jobs (id, function_id, user_id, status, code, code_sha256, input, logs_truncated, execution_time_ms,
                            gas_used, requested_at, created_at, dispatched_at, started_at, completed_at, attempt_count, error_code, result)
SELECT gen_random_uuid(), 'bulk_fn_' || (i % 50), 'bulk-user-' || (i % 500),
       (ARRAY['Succeeded','Succeeded','Succeeded','Succeeded','Failed','TimedOut','Faulted','Canceled'])[1 + i % 8],
       'function main() { return 1; }', repeat('0', 64), '{}', false, 5 + (i % 200), 100 + i,
       now() - i * interval '1.7 second', now() - i * interval '1.7 second', now() - i * interval '1.7 second',
       now() - i * interval '1.7 second' + interval '20 ms', now() - i * interval '1.7 second' + interval '60 ms', 1,
       CASE WHEN i % 8 = 4 THEN 'ScriptError' END, CASE WHEN i % 8 < 4 THEN '{"ok":true}' END
FROM generate_series(1, $ROWS) AS i;
ANALYZE neoworker.jobs;
SQL
}

cleanup() {
    if [[ -n $SESSION ]]; then curl -sS -X DELETE "$DRIVER/session/$SESSION" >/dev/null 2>&1 || true; fi
    if [[ -n $DRIVER_PID ]]; then kill "$DRIVER_PID" 2>/dev/null || true; fi
    psql_app "$NW_DB_NAME" -c "DELETE FROM neoworker.jobs WHERE function_id LIKE 'bulk\_fn\_%'" >/dev/null || true
}

# wd PATH JSON: a W3C WebDriver command in the session; prints its value as compact JSON.
wd() { curl -sS -X POST "$DRIVER/session/$SESSION/$1" -H 'Content-Type: application/json' -d "$2" | jq -c .value; }

# measure NAME SCRIPT: runs an async script that calls done({...}) once what it waits for is on the page.
measure() { printf '%-40s %s\n' "$1" "$(wd execute/async "$(jq -nc --arg s "$2" --arg k "${3:-}" '{script: $s, args: [$k]}')")"; }

api_timings() {
    header "API calls of one refresh, 3 times each (seconds)"
    local path
    for path in '/api/v1/jobs/stats?windowMinutes=60' '/api/v1/jobs?limit=100' '/api/v1/jobs?limit=100&status=Failed' \
        '/api/v1/jobs?limit=100&functionId=bulk_fn_7' '/api/v1/jobs?limit=100&userId=bulk-user-42'; do
        for _ in 1 2 3; do
            # shellcheck disable=SC2153 # NEOWORKER_* come from .local/env
            curl -sS -o /dev/null -H "X-Api-Key: $NEOWORKER_OPS_API_KEY" -w "%{http_code} %{time_total} $path\n" "$NEOWORKER_URL$path"
        done
    done
}

# The scripts below are JavaScript for the page, in single quotes on purpose.
# shellcheck disable=SC2016
browser_timings() {
    header "Dashboard in headless chromium (milliseconds until shown)"
    chromedriver --port="$DRIVER_PORT" >/dev/null 2>&1 &
    DRIVER_PID=$!
    local i
    for ((i = 0; i < 50; i++)); do curl -fsS "$DRIVER/status" >/dev/null 2>&1 && break; sleep 0.1; done
    SESSION=$(curl -sS -X POST "$DRIVER/session" -H 'Content-Type: application/json' -d '{"capabilities":{"alwaysMatch":{
        "browserName":"chrome","goog:chromeOptions":{"binary":"/usr/bin/chromium",
        "args":["--headless=new","--no-sandbox","--disable-gpu","--disable-dev-shm-usage","--window-size=1600,1000"]}}}}' | jq -r .value.sessionId)
    wd url "{\"url\":\"$NEOWORKER_URL/\"}" >/dev/null
    measure "sign in -> 100 rows and the counts" '
        const done = arguments[arguments.length - 1], $ = (id) => document.getElementById(id);
        $("filter-limit").value = "100"; const t0 = performance.now();
        $("api-key").value = arguments[0]; $("key-form").requestSubmit();
        const iv = setInterval(() => { const rows = document.querySelectorAll("#jobs-body tr").length, total = document.querySelector("[data-count=total]");
          if (rows === 100 && total && total.textContent !== "—") { clearInterval(iv); done({ ms: Math.round(performance.now() - t0), total: total.textContent }); } }, 2);' \
        "$NEOWORKER_OPS_API_KEY"
    for i in 1 2 3; do
        measure "next page" '
            const done = arguments[arguments.length - 1], first = document.querySelector("#jobs-body tr").dataset.jobId, t0 = performance.now();
            document.getElementById("next-page").click();
            const iv = setInterval(() => { const r = document.querySelector("#jobs-body tr");
              if (r && r.dataset.jobId !== first) { clearInterval(iv); done({ ms: Math.round(performance.now() - t0), page: document.getElementById("page-label").textContent }); } }, 2);'
    done
    measure "status Failed (back to page 1)" '
        const done = arguments[arguments.length - 1], t0 = performance.now();
        document.getElementById("status-Failed").click();
        const iv = setInterval(() => { const rows = [...document.querySelectorAll("#jobs-body tr")];
          if (rows.length === 100 && rows.every((r) => r.dataset.status === "Failed")) { clearInterval(iv); done({ ms: Math.round(performance.now() - t0), page: document.getElementById("page-label").textContent }); } }, 2);'
    sleep 16 # three refreshes
    printf '%-40s %s\n' "after 3 refreshes" "$(wd execute/sync '{"script":"return { heapMB: Math.round(performance.memory.usedJSHeapSize / 1e5) / 10, domNodes: document.getElementsByTagName(\"*\").length }","args":[]}')"
    wd execute/sync '{"script":"document.querySelector(\"#jobs-body tr .job-link\").click(); return 1","args":[]}' >/dev/null
    sleep 1.5
    mkdir -p "$NW_LOCAL/screenshots"
    curl -sS "$DRIVER/session/$SESSION/screenshot" | jq -r .value | base64 -d >"$NW_LOCAL/screenshots/dashboard-load.png"
    ok "screenshot: .local/screenshots/dashboard-load.png"
}

main() {
    [[ -f $NW_ENV_FILE ]] || die ".local/env is missing: start NeoWorker with ops/up.sh"
    # shellcheck source=/dev/null
    source "$NW_ENV_FILE"
    [[ -n ${NEOWORKER_OPS_API_KEY:-} ]] || die "no NEOWORKER_OPS_API_KEY in .local/env (ops/up.sh writes it)"
    [[ $(http_status "$NEOWORKER_URL/health/ready") == 200 ]] || die "the API at $NEOWORKER_URL is not ready: start it with ops/up.sh"
    if ! command -v chromedriver >/dev/null || [[ ! -x /usr/bin/chromium ]]; then
        die "chromium and chromedriver are needed: run ops/deps.sh"
    fi
    trap cleanup EXIT
    fill
    log "jobs in the table: $(psql_app "$NW_DB_NAME" -tAc 'SELECT count(*) FROM neoworker.jobs')"
    api_timings
    browser_timings
}

main "$@"
