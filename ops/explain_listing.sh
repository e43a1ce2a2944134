#!/usr/bin/env bash
# Shows how PostgreSQL answers the job listing and stats queries at scale: builds a scratch
# database (neoworker_explain) from migrations/neoworker.sql, fills it with N jobs (default
# 1,000,000: 50 users, 200 functions, every state), and prints EXPLAIN (ANALYZE, BUFFERS) of the
# queries GET /api/v1/jobs and /jobs/stats run (the SQL EF Core generates, with literals).
#   ops/explain_listing.sh [ROWS]        needs the local PostgreSQL of ops/up.sh
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB=neoworker_explain
ROWS=${1:-1000000}

main() {
    pg_ready || die "PostgreSQL is not running; start it with ops/up.sh"
    psql_admin -c "DROP DATABASE IF EXISTS $DB" >/dev/null
    psql_admin -c "CREATE DATABASE $DB OWNER $NW_DB_USER" >/dev/null
    PGOPTIONS='-c client_min_messages=warning' psql_app "$DB" -f "$NW_MIGRATIONS" >/dev/null
    log "filling $DB with $ROWS jobs"
    psql_app "$DB" >/dev/null <<SQL
INSERT INTO neoworker.jobs (id, function_id, user_id, status, code, code_sha256, input, logs_truncated,
                            requested_at, created_at, dispatched_at, completed_at, execution_time_ms, attempt_count)
SELECT gen_random_uuid(), 'fn-' || (i % 200), 'user-' || (i % 50),
       (ARRAY['Succeeded','Succeeded','Succeeded','Succeeded','Failed','TimedOut','Faulted','Canceled','Queued','Running'])[1 + i % 10],
       'function main() { return 1; }', repeat('0', 64), '{}', false,
       now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval,
       CASE WHEN i % 10 < 8 THEN now() - (i || ' seconds')::interval + interval '5 ms' END,
       CASE WHEN i % 10 < 8 THEN i % 97 END, 1
FROM generate_series(1, $ROWS) AS i;
ANALYZE neoworker.jobs;
SQL
    local cursor_at cursor_id
    IFS='|' read -r cursor_at cursor_id < <(psql_app "$DB" -tA -F '|' -c \
        "SELECT requested_at, id FROM neoworker.jobs ORDER BY requested_at DESC, id DESC OFFSET 500000 LIMIT 1")
    local select="SELECT id, function_id, user_id, status, error_code, execution_time_ms, attempt_count, requested_at, started_at, completed_at FROM neoworker.jobs"
    local order="ORDER BY requested_at DESC, id DESC LIMIT 51"
    explain "ops: newest page" "$select $order"
    explain "ops: page 10,000 (cursor half-way down)" "$select WHERE (requested_at, id) < ('$cursor_at', '$cursor_id') $order"
    explain "status=Failed" "$select WHERE status = 'Failed' $order"
    explain "status=Failed,TimedOut" "$select WHERE status = ANY (ARRAY['Failed','TimedOut']) $order"
    explain "tenant user-7, functionId=fn-7" "$select WHERE user_id = 'user-7' AND function_id = 'fn-7' $order"
    explain "tenant user-7, last hour, cursor" "$select WHERE user_id = 'user-7' AND requested_at >= now() - interval '1 hour' AND (requested_at, id) < ('$cursor_at', '$cursor_id') $order"
    explain "stats: counts per state (ops)" "SELECT status, count(*) FROM neoworker.jobs GROUP BY status"
    explain "stats: counts per state (tenant)" "SELECT status, count(*) FROM neoworker.jobs WHERE user_id = 'user-7' GROUP BY status"
    explain "stats: p50/p95 over 60 min" "SELECT count(execution_time_ms), percentile_cont(0.5) WITHIN GROUP (ORDER BY execution_time_ms), percentile_cont(0.95) WITHIN GROUP (ORDER BY execution_time_ms) FROM neoworker.jobs WHERE completed_at >= now() - interval '60 minutes' AND execution_time_ms IS NOT NULL"
    psql_admin -c "DROP DATABASE $DB" >/dev/null
}

explain() {
    header "$1"
    psql_app "$DB" -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $2" | grep -v '^$'
}

main "$@"
