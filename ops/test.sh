#!/usr/bin/env bash
# Runs everything: ops/up.sh (reusing what runs), the migration freshness check, the runner's JS
# tests, the .NET tests (against their own database and vhost), the fault tests (alone: they stop
# and start PostgreSQL and RabbitMQ and kill processes; figures in .local/faults/), a smoke test against the API
# started by up.sh, and a benchmark smoke run (ops/bench.sh --quick: it must complete, its figures
# are not judged). Every step runs even when an earlier one failed (except up.sh itself); the
# exit status is non-zero when anything failed, and the last line is always "N passed, N failed"
# (test counts parsed from npm's and dotnet's output, plus one per smoke/freshness/benchmark check).
#
#   ops/test.sh            full run
#   ops/test.sh --no-up    skip ops/up.sh (services, build and API must already be there)
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PASSED=0
FAILED=0
FAILURES=()
TMP_DIR=''

SAMPLE_BODY='{"code":"function main(input) { return { result: input.value * 2 }; }","input":"{ \"value\": 42 }","secrets":"{}","functionId":"test_function","userId":"dev"}'
EXPECTED_RESULT='{"result":84}'
POLL_TIMEOUT=${NEOWORKER_SMOKE_TIMEOUT:-30}

# ---------------------------------------------------------------- bookkeeping

# record NAME PASSED FAILED
record() {
    PASSED=$((PASSED + $2))
    FAILED=$((FAILED + $3))
    if (($3 > 0)); then
        FAILURES+=("$1 ($3 failed)")
    fi
}

check_pass() { ok "$1"; record "$1" 1 0; }
say_fail() { printf '%s[%s] FAIL%s %s\n' "$_nw_red" "$(date +%H:%M:%S)" "$_nw_reset" "$1" >&2; }
check_fail() { say_fail "$1"; record "$1" 0 1; }
skip() { warn "SKIP: $*"; }

summary() {
    header "Summary"
    local f
    for f in "${FAILURES[@]}"; do
        printf '  failed: %s\n' "$f"
    done
    printf '%s passed, %s failed\n' "$PASSED" "$FAILED"
}

cleanup() { if [[ -n $TMP_DIR ]]; then rm -rf "$TMP_DIR"; fi; }

# run_captured OUTFILE CMD...: run showing output live and keeping a copy; returns CMD's status.
run_captured() {
    local out=$1
    shift
    local rc=0
    "$@" 2>&1 | tee "$out" || rc=$?
    return "$rc"
}

strip_ansi() { sed -E 's/\x1b\[[0-9;?]*[A-Za-z]//g' "$1"; }

# ---------------------------------------------------------------- steps

step_up() {
    header "1. ops/up.sh"
    if "$NW_ROOT/ops/up.sh"; then
        check_pass "ops/up.sh"
    else
        check_fail "ops/up.sh"
        summary
        exit 1
    fi
}

step_env() {
    [[ -f $NW_ENV_FILE ]] || { check_fail ".local/env missing (run ops/up.sh)"; summary; exit 1; }
    # shellcheck source=/dev/null
    source "$NW_ENV_FILE"
}

step_migrations_fresh() {
    header "2. Migration freshness"
    if [[ ! -f $NW_ROOT/.config/dotnet-tools.json || ! -d $NW_ROOT/src/NeoWorker.Persistence ]]; then
        skip "no .config/dotnet-tools.json or src/NeoWorker.Persistence"
        return 0
    fi
    local generated="$TMP_DIR/neoworker.sql"
    if ! (cd "$NW_ROOT" && dotnet ef migrations script --idempotent \
        --project src/NeoWorker.Persistence --startup-project src/NeoWorker.Persistence \
        --configuration Release --no-build -o "$generated" >"$TMP_DIR/ef.log" 2>&1); then
        cat "$TMP_DIR/ef.log" >&2
        check_fail "dotnet ef migrations script"
        return 0
    fi
    strip_bom "$generated"   # as ops/migrations.sh does
    if [[ ! -f $NW_MIGRATIONS ]]; then
        check_fail "migrations/neoworker.sql is missing: generate it with ops/migrations.sh"
    elif diff -u "$NW_MIGRATIONS" "$generated"; then
        check_pass "migrations/neoworker.sql is up to date"
    else
        check_fail "migrations/neoworker.sql is stale: regenerate with ops/migrations.sh"
    fi
}

# node --test prints "# pass N"/"# fail N" (TAP, when piped) or "ℹ pass N" (spec reporter);
# mocha/jest summaries ("12 passing", "12 passed") are understood too.
# Prints "PASSED FAILED FOUND" (FOUND=0: no summary recognised).
count_node() {
    strip_ansi "$1" | awk '
        /^(#|ℹ) pass [0-9]+/ { p += $3; node = 1; next }
        /^(#|ℹ) fail [0-9]+/ { f += $3; node = 1; next }
        match($0, /[0-9]+ (passing|passed)/) { p2 += substr($0, RSTART) + 0 }
        match($0, /[0-9]+ (failing|failed)/) { f2 += substr($0, RSTART) + 0 }
        END { if (node) print p + 0, f + 0, 1; else print p2 + 0, f2 + 0, (p2 + f2 > 0) }'
}

step_runner_tests() {
    header "3. Runner JS tests (npm test)"
    if [[ ! -f $NW_RUNNER_DIR/package.json ]]; then
        skip "src/NeoWorker.Enclave/runner/package.json does not exist"
        return 0
    fi
    local out="$TMP_DIR/npm.log" rc=0 p f found
    # the spec reporter reads better than TAP (node's default when piped) and still ends with
    # "ℹ pass N" / "ℹ fail N"
    # shellcheck disable=SC2016 # expanded by the inner shell
    run_captured "$out" env NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--test-reporter=spec" \
        bash -c 'cd "$1" && npm test --silent' _ "$NW_RUNNER_DIR" || rc=$?
    read -r p f found < <(count_node "$out")
    tally "runner JS tests" "$rc" "$p" "$f" "$found"
}

# VSTest prints one "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12" line per test
# assembly; the newer (terminal logger / Microsoft.Testing.Platform) summaries read
# "failed: N" and "succeeded: N". Prints "PASSED FAILED FOUND".
count_dotnet() {
    strip_ansi "$1" | awk '
        match($0, /Failed: +[0-9]+, Passed: +[0-9]+/) {
            s = substr($0, RSTART, RLENGTH); gsub(/[^0-9,]/, "", s); split(s, a, ",")
            f += a[1]; p += a[2]; vstest = 1; next
        }
        { l = tolower($0) }
        match(l, /succeeded: *[0-9]+/) { s = substr(l, RSTART, RLENGTH); gsub(/[^0-9]/, "", s); p2 += s }
        match(l, /(^|[ ,])failed: *[0-9]+/) { s = substr(l, RSTART, RLENGTH); gsub(/[^0-9]/, "", s); f2 += s }
        END { if (vstest) print p + 0, f + 0, 1; else print p2 + 0, f2 + 0, (p2 + f2 > 0) }'
}

# tally NAME EXIT_STATUS PASSED FAILED FOUND: a failing command with no failed test counted
# (build error, crash) still counts as one failure; a passing one whose output could not be
# parsed counts as one passed test.
tally() {
    local name=$1 rc=$2 p=$3 f=$4 found=$5
    if ((rc != 0 && f == 0)); then
        f=1
    elif ((rc == 0 && found == 0)); then
        warn "$name: no test summary recognised in the output; counting the run as one test"
        p=1
    elif ((p + f == 0)); then
        warn "$name: no tests ran"
    fi
    record "$name" "$p" "$f"
    if ((f == 0)); then ok "$name: $p passed"; else say_fail "$name: $p passed, $f failed (exit $rc)"; fi
}

step_dotnet_tests() {
    header "4. .NET tests (database $NW_DB_TEST_NAME, vhost $NW_RMQ_TEST_VHOST)"
    if [[ ! -f $NW_SLN ]]; then
        skip "NeoWorker.sln does not exist"
        return 0
    fi
    local out="$TMP_DIR/dotnet-test.log" rc=0 p f found
    # shellcheck disable=SC2016 # expanded by the inner shell
    # The fault tests (Category=Faults) run in a step of their own, after these.
    run_captured "$out" bash -c 'source "$1/ops/lib.sh" && test_env && cd "$1" &&
        dotnet test NeoWorker.sln -c Release --no-build -nologo --filter "Category!=Faults"' _ "$NW_ROOT" || rc=$?
    read -r p f found < <(count_dotnet "$out")
    tally ".NET tests" "$rc" "$p" "$f" "$found"
}

# Fault tests (tests/NeoWorker.IntegrationTests/Faults): streams of 1,000 jobs meeting a killed worker, a
# stopped RabbitMQ or PostgreSQL (ops/services.sh stop|start), a killed enclave, SIGTERM; poison messages.
# Nothing else runs meanwhile. They leave the services running; the smoke test after them also shows that
# the API and worker of ops/up.sh came through the outages. Each run's table: .local/faults/<time>.md.
step_fault_tests() {
    header "4b. Fault tests (they stop and start PostgreSQL and RabbitMQ)"
    local out="$TMP_DIR/dotnet-faults.log" rc=0 p f found started=$SECONDS report
    touch "$TMP_DIR/faults.start"
    # shellcheck disable=SC2016 # expanded by the inner shell
    run_captured "$out" bash -c 'source "$1/ops/lib.sh" && test_env && cd "$1" &&
        dotnet test tests/NeoWorker.IntegrationTests -c Release --no-build -nologo --filter "Category=Faults"' _ "$NW_ROOT" || rc=$?
    read -r p f found < <(count_dotnet "$out")
    tally "fault tests ($((SECONDS - started)) s)" "$rc" "$p" "$f" "$found"
    report=$(find "$NW_LOCAL/faults" -maxdepth 1 -name '*.md' -newer "$TMP_DIR/faults.start" 2>/dev/null | sort | tail -n1)
    [[ -n $report ]] && cat "$report"
    # A failed scenario must not leave a service stopped for the steps after it.
    "$NW_ROOT/ops/services.sh" start postgres >/dev/null && "$NW_ROOT/ops/services.sh" start rabbitmq >/dev/null ||
        check_fail "PostgreSQL/RabbitMQ not running after the fault tests"
}

# api METHOD PATH [curl args...] -> body in $TMP_DIR/body, prints the status code
api() {
    local method=$1 path=$2
    shift 2
    curl -sS -o "$TMP_DIR/body" -w '%{http_code}' --max-time 30 -X "$method" "$NEOWORKER_URL$path" "$@" ||
        echo 000
}

api_auth() { api "$@" -H "X-Api-Key: $NEOWORKER_API_KEY"; }

# The function's output, whether the API returns it as JSON or as a JSON string.
result_of() {
    jq -c '.result | if type == "string" then (try fromjson catch .) else . end' "$TMP_DIR/body" 2>/dev/null
}

smoke_wait() {
    local code result
    code=$(api_auth POST '/api/v1/functions/execute-javascript?wait=10' \
        -H 'Content-Type: application/json' -d "$SAMPLE_BODY")
    result=$(result_of || true)
    if [[ $code == 200 && $result == "$EXPECTED_RESULT" ]]; then
        check_pass "POST execute-javascript?wait=10 -> 200 $result"
    else
        check_fail "POST execute-javascript?wait=10 -> HTTP $code, result ${result:-none}; body: $(head -c 500 "$TMP_DIR/body")"
    fi
}

smoke_poll() {
    local code job status='' result deadline
    code=$(api_auth POST /api/v1/functions/execute-javascript -H 'Content-Type: application/json' -d "$SAMPLE_BODY")
    job=$(jq -r '.jobId // empty' "$TMP_DIR/body" 2>/dev/null || true)
    if [[ $code != 202 || -z $job ]]; then
        check_fail "POST execute-javascript -> HTTP $code (want 202 with jobId); body: $(head -c 500 "$TMP_DIR/body")"
        return 0
    fi
    check_pass "POST execute-javascript -> 202 job $job"
    deadline=$((SECONDS + POLL_TIMEOUT))
    while ((SECONDS < deadline)); do
        code=$(api_auth GET "/api/v1/jobs/$job")
        status=$(jq -r '.status // empty' "$TMP_DIR/body" 2>/dev/null || true)
        case $status in
            Succeeded | Failed | Cancelled | Canceled | TimedOut | DeadLettered) break ;;
        esac
        sleep 0.5
    done
    result=$(result_of || true)
    if [[ $status == Succeeded && $result == "$EXPECTED_RESULT" ]]; then
        check_pass "GET /api/v1/jobs/$job -> Succeeded $result"
    else
        check_fail "GET /api/v1/jobs/$job -> HTTP $code, status ${status:-none}, result ${result:-none} (after ≤${POLL_TIMEOUT}s); body: $(head -c 500 "$TMP_DIR/body")"
    fi
}

smoke_unauthorized() {
    local code
    code=$(api POST /api/v1/functions/execute-javascript -H 'Content-Type: application/json' -d "$SAMPLE_BODY")
    if [[ $code == 401 ]]; then check_pass "POST without API key -> 401"; else check_fail "POST without API key -> HTTP $code (want 401)"; fi
    code=$(api GET "/api/v1/jobs/00000000-0000-0000-0000-000000000000" -H 'X-Api-Key: nwk_not-a-real-key')
    if [[ $code == 401 ]]; then check_pass "GET job with a wrong API key -> 401"; else check_fail "GET job with a wrong API key -> HTTP $code (want 401)"; fi
}

step_smoke() {
    header "5. Smoke test against $NEOWORKER_URL"
    if [[ $(http_status "$NEOWORKER_URL/health/ready") != 200 ]]; then
        if [[ -f $NW_API_DLL ]]; then
            check_fail "API at $NEOWORKER_URL is not ready (see .local/logs/api.log)"
        else
            skip "the API is not built, so ops/up.sh did not start it"
        fi
        return 0
    fi
    smoke_wait
    smoke_poll
    smoke_unauthorized
}

# README blocks marked "<!-- checked" run as written (after sourcing .local/env), so the README
# cannot drift from what NeoWorker does.
step_readme() {
    header "8. README examples marked checked"
    local blocks=0 failures=0 block
    while IFS= read -r -d '' block; do
        blocks=$((blocks + 1))
        if (cd "$NW_ROOT" && bash -euo pipefail -c "$block") >"$TMP_DIR/readme-$blocks.log" 2>&1; then
            ok "README checked block $blocks"
        else
            failures=$((failures + 1))
            cat "$TMP_DIR/readme-$blocks.log" >&2
            say_fail "README checked block $blocks (output above)"
        fi
    done < <(awk '
        /<!-- checked/ { armed = 1; next }
        armed && /^```bash/ { inside = 1; next }
        inside && /^```/ { printf "%s%c", block, 0; block = ""; inside = 0; armed = 0; next }
        inside { block = block $0 "\n" }
    ' "$NW_ROOT/README.md")
    if ((blocks == 0)); then
        check_fail "README has no checked blocks"
    else
        record "README checked blocks" $((blocks - failures)) "$failures"
    fi
}

# docker-compose.yml for every profile (no engine needed: `docker-compose config` only parses).
step_compose() {
    header "7. docker-compose configuration (ops/compose_check.sh)"
    if "$NW_ROOT/ops/compose_check.sh"; then
        check_pass "docker-compose.yml valid for every profile"
    else
        check_fail "docker-compose.yml (ops/compose_check.sh output above)"
    fi
}

# The benchmark's smoke run: every scenario must complete with correct results (one check);
# the figures are reported, never compared with thresholds (CI machines are noisy).
step_bench() {
    header "6. Benchmark smoke run (ops/bench.sh --quick)"
    if [[ $(http_status "$NEOWORKER_URL/health/ready") != 200 ]]; then
        skip "the API is not ready, so there is nothing to benchmark"
        return 0
    fi
    if run_captured "$TMP_DIR/bench.log" "$NW_ROOT/ops/bench.sh" --quick; then
        check_pass "ops/bench.sh --quick (report in .local/bench/)"
    else
        check_fail "ops/bench.sh --quick (output above; report in .local/bench/)"
    fi
}

main() {
    local no_up=0
    case ${1:-} in
        '') ;;
        --no-up) no_up=1 ;;
        -h | --help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; return 0 ;;
        *) echo "usage: ops/test.sh [--no-up]" >&2; return 2 ;;
    esac
    ensure_dirs
    TMP_DIR=$(mktemp -d "$NW_LOCAL/test.XXXXXX")
    trap cleanup EXIT
    if ((no_up)); then skip "ops/up.sh (--no-up)"; else step_up; fi
    step_env
    step_migrations_fresh
    step_runner_tests
    step_dotnet_tests
    step_fault_tests
    step_smoke
    step_bench
    step_compose
    step_readme
    summary
    ((FAILED == 0))
}

main "$@"
