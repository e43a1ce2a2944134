#!/usr/bin/env bash
# Brings up a complete local NeoWorker: dependencies, PostgreSQL + RabbitMQ under .local/,
# the schema (migrations/neoworker.sql), a Release build, the development API key, and the API
# and worker (simulation) in the background. Idempotent: running services are reused; the API
# and worker it started before are stopped before the build (a build rewrites the dlls they
# run from) and started again afterwards.
#
# Steps whose inputs don't exist yet (NeoWorker.sln, migrations/neoworker.sql, the built dlls)
# are skipped with a warning.
#
# Environment: NEOWORKER_API_PORT (5080), NEOWORKER_TEE_WORKERS (2), NEOWORKER_HEALTH_TIMEOUT (120 s),
# NEOWORKER_SKIP_BUILD=1 (start what is already built), and the ports described in ops/lib.sh.
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HEALTH_TIMEOUT=${NEOWORKER_HEALTH_TIMEOUT:-120}
API_PID="$NW_RUN/api.pid"
WORKER_PID="$NW_RUN/worker.pid"
API_LOG="$NW_LOGS/api.log"
WORKER_LOG="$NW_LOGS/worker.log"

apply_migrations() {
    header "Schema"
    if [[ ! -f $NW_MIGRATIONS ]]; then
        warn "skipping migrations: ${NW_MIGRATIONS#"$NW_ROOT"/} does not exist yet"
        return 0
    fi
    local db
    for db in "$NW_DB_NAME" "$NW_DB_TEST_NAME"; do
        # the script is idempotent; its "already exists, skipping" notices are noise
        PGOPTIONS='-c client_min_messages=warning' psql_app "$db" -f "$NW_MIGRATIONS" >/dev/null ||
            die "applying ${NW_MIGRATIONS#"$NW_ROOT"/} to database $db failed"
        ok "applied ${NW_MIGRATIONS#"$NW_ROOT"/} to $db"
    done
}

# The keys themselves stay in .local/secrets; the database only ever sees their SHA-256.
# dev (tenant, user dev) for requests; ops (role ops, user ops) for the dashboard and listings of every user.
register_dev_keys() {
    header "Development API keys"
    local db table
    for db in "$NW_DB_NAME" "$NW_DB_TEST_NAME"; do
        table=$(psql_app "$db" -tAc "SELECT to_regclass('neoworker.api_keys') IS NOT NULL")
        if [[ $table != t ]]; then
            warn "skipping dev API keys in $db: table neoworker.api_keys does not exist (no migrations yet)"
            continue
        fi
        upsert_key "$db" dev "$(dev_api_key)" "$NW_DEV_USER" tenant
        upsert_key "$db" ops "$(ops_api_key)" "$NW_OPS_USER" ops
        ok "dev API keys (dev: tenant $NW_DEV_USER; ops: ops $NW_OPS_USER) registered in $db"
    done
}

# upsert_key DB NAME KEY USER ROLE
upsert_key() {
    psql_app "$1" >/dev/null <<SQL
INSERT INTO neoworker.api_keys (id, name, key_hash, user_id, role, created_at)
VALUES (gen_random_uuid(), '$2', '$(sha256_hex "$3")', '$4', '$5', now())
ON CONFLICT (name) DO UPDATE SET key_hash = EXCLUDED.key_hash, user_id = EXCLUDED.user_id,
    role = EXCLUDED.role, revoked_at = NULL;
SQL
}

stop_apps() {
    header "Stopping the API and worker started before"
    stop_pidfile "$API_PID" NeoWorker.Api.dll
    stop_pidfile "$WORKER_PID" NeoWorker.Worker.dll
}

build() {
    header "Build"
    if [[ ! -f $NW_SLN ]]; then
        warn "skipping build: NeoWorker.sln does not exist yet"
        return 0
    fi
    if [[ ${NEOWORKER_SKIP_BUILD:-0} == 1 ]]; then
        warn "skipping build: NEOWORKER_SKIP_BUILD=1 (using whatever is in bin/Release)"
        return 0
    fi
    (cd "$NW_ROOT" && dotnet build NeoWorker.sln -c Release -nologo -v q) || die "dotnet build failed"
    ok "built NeoWorker.sln (Release)"
}

# start_app NAME PIDFILE LOGFILE DLL [ARGS...] [-- VAR=VALUE...]: a background process in its
# own session, output appended to its log. The configuration is set explicitly so nothing leaks
# in from the caller's environment (such as the test database or vhost).
start_app() {
    local name=$1 pidfile=$2 logfile=$3 dll=$4
    shift 4
    local args=() extra_env=()
    while (($#)) && [[ $1 != -- ]]; do args+=("$1"); shift; done
    (($#)) && shift
    extra_env=("$@")
    printf '\n===== %s starting %s =====\n' "$(date -Is)" "$name" >>"$logfile"
    (
        cd "$NW_ROOT"
        export DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development
        export ConnectionStrings__Postgres RabbitMq__Password
        ConnectionStrings__Postgres=$(pg_conn_string "$NW_DB_NAME")
        RabbitMq__Password=$(rmq_password)
        export RabbitMq__Host=127.0.0.1 RabbitMq__Port="$NW_AMQP_PORT" RabbitMq__Username="$NW_RMQ_USER"
        export RabbitMq__VirtualHost=/
        ((${#extra_env[@]})) && export "${extra_env[@]}"
        # not a process-group leader here, so setsid does not fork: $! stays the dotnet pid
        # content root = the build output: appsettings.json is there, and the host's configuration
        # watcher then watches that directory, not the whole repository (.local's database files)
        exec setsid nohup dotnet "$dll" --contentRoot "$(dirname "$dll")" "${args[@]}" >>"$logfile" 2>&1 </dev/null
    ) &
    local pid=$!
    # no "Aborted"/"Killed" job notices from this shell; the pid file is how we track it
    disown "$pid"
    echo "$pid" >"$pidfile"
    log "started $name (pid $pid), log ${logfile#"$NW_ROOT"/}"
}

start_apps() {
    header "API and worker"
    if [[ ! -f $NW_API_DLL || ! -f $NW_WORKER_DLL ]]; then
        warn "skipping API/worker start: ${NW_API_DLL#"$NW_ROOT"/} or ${NW_WORKER_DLL#"$NW_ROOT"/} not built"
        return 1
    fi
    if [[ $(http_status "$NW_API_URL/health/live") != 000 ]]; then
        die "something else already answers on $NW_API_URL (set NEOWORKER_API_PORT to use another port)"
    fi
    ensure_sealing_keys
    ensure_simulation_attestation "$NW_SIM_ATTESTATION_DIR"
    start_app api "$API_PID" "$API_LOG" "$NW_API_DLL" --urls "$NW_API_URL" -- \
        Sealing__PublicKeyFile="$NW_SEALING_PUBLIC_KEY" \
        Attestation__SimulationRootFile="$NW_SIM_ROOT" Attestation__AllowSimulated=true \
        RateLimit__PermitsPerSecond="${NEOWORKER_RATE_LIMIT:-2000}" RateLimit__Burst="${NEOWORKER_RATE_LIMIT_BURST:-4000}"
    if [[ $(http_status "$NW_WORKER_URL/health/live") != 000 ]]; then
        die "something else already answers on $NW_WORKER_URL (set NEOWORKER_WORKER_PORT to use another port)"
    fi
    start_app worker "$WORKER_PID" "$WORKER_LOG" "$NW_WORKER_DLL" --urls "$NW_WORKER_URL" -- \
        Tee__Type=Simulation Tee__EnclavePath="$NW_RUNNER_DIR" Tee__Workers="$NW_TEE_WORKERS" \
        Tee__Simulation__SealingKeyFiles__0="$NW_SEALING_KEY" \
        Tee__Simulation__AttestationKeyFile="$NW_SIM_PCK_KEY" \
        Tee__Simulation__AttestationChainFile="$NW_SIM_PCK_CHAIN"
    log "waiting up to ${HEALTH_TIMEOUT}s for $NW_API_URL/health/ready"
    if ! wait_http "$NW_API_URL/health/ready" "$HEALTH_TIMEOUT" 200 "$API_PID" "$WORKER_PID"; then
        tail_log "$API_LOG" 80
        tail_log "$WORKER_LOG" 80
        # don't leave half a system consuming messages
        stop_pidfile "$API_PID" NeoWorker.Api.dll
        stop_pidfile "$WORKER_PID" NeoWorker.Worker.dll
        die "the API did not become ready (both stopped; logs above)"
    fi
    ok "API ready at $NW_API_URL"
    if ! wait_http "$NW_WORKER_URL/health/ready" "$HEALTH_TIMEOUT" 200 "$WORKER_PID"; then
        tail_log "$WORKER_LOG" 80
        die "the worker did not become ready at $NW_WORKER_URL/health/ready (log above)"
    fi
    ok "worker ready (health and metrics at $NW_WORKER_URL)"
}

print_usage_hint() {
    local key
    key=$(dev_api_key)
    header "NeoWorker is up"
    cat <<EOF
API:        $NW_API_URL   (dashboard: $NW_API_URL/)
API key:    $key   (user: $NW_DEV_USER; send it as X-Api-Key)
Ops key:    $(ops_api_key)   (role ops: sees every user's jobs; for the dashboard; more keys: ops/apikey.sh)
RabbitMQ:   amqp://127.0.0.1:$NW_AMQP_PORT, management $NW_MGMT_URL (user $NW_RMQ_USER, password in .local/secrets/rabbitmq-password)
PostgreSQL: 127.0.0.1:$NW_PG_PORT, databases $NW_DB_NAME and $NW_DB_TEST_NAME (role $NW_DB_USER, password in .local/secrets/postgres-password)
Worker:     $NW_WORKER_URL/health/ready, $NW_WORKER_URL/metrics   (API metrics: $NW_API_URL/metrics)
Logs:       .local/logs/api.log, .local/logs/worker.log        Stop: ops/down.sh

Try it:
  source .local/env
  curl -sS -X POST "\$NEOWORKER_URL/api/v1/functions/execute-javascript" -H "X-Api-Key: \$NEOWORKER_API_KEY" -H 'Content-Type: application/json' -d '{"code":"function main(input) { return { result: input.value * 2 }; }","input":"{ \\"value\\": 42 }","secrets":"{}","functionId":"test_function","userId":"dev"}'
  # -> 202 {"jobId":"…","status":"Queued","statusUrl":"…"}; poll the job until status is Succeeded:
  curl -sS "\$NEOWORKER_URL/api/v1/jobs/<jobId>" -H "X-Api-Key: \$NEOWORKER_API_KEY"
  # or append ?wait=10 to the POST URL to get the result in the same response
EOF
}

main() {
    local started=$SECONDS
    "$NW_ROOT/ops/deps.sh"
    "$NW_ROOT/ops/services.sh"
    log "infrastructure ready in $((SECONDS - started))s"
    apply_migrations
    stop_apps
    build
    register_dev_keys
    if start_apps; then
        print_usage_hint
    else
        warn "API/worker not started (nothing built yet); PostgreSQL and RabbitMQ are up, settings in .local/env"
    fi
}

main "$@"
