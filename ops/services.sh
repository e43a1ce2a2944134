#!/usr/bin/env bash
# The local PostgreSQL and RabbitMQ under .local/.
#
#   ops/services.sh                               start (or reuse) both and write .local/env; used by
#                                                 ops/up.sh and ops/test.sh, safe to run any number of times
#   ops/services.sh stop  postgres|rabbitmq       stop one service (data kept), e.g. to cause an outage
#   ops/services.sh start postgres|rabbitmq       start it again on the same ports and data
#   ops/services.sh status postgres|rabbitmq      exit 0 when it runs
#
# The single-service commands are what the fault tests (tests/NeoWorker.IntegrationTests/Faults) call:
# they act only on this checkout's .local/ (its data directory, pid file, Erlang cookie), never on a
# system instance or another checkout's. `start` does not provision again (the role, user, vhosts and
# databases persist) so a restart takes as long as the server's own boot. Ports come from the same
# NEOWORKER_*_PORT variables as everything else (ops/lib.sh).
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

start_postgres_only() {
    pg_bindir >/dev/null || die "PostgreSQL server binaries not found (run ops/deps.sh)"
    [[ -f $NW_PG_DATA/PG_VERSION ]] || die "no PostgreSQL cluster in $NW_PG_DATA: run ops/services.sh (or ops/up.sh) first"
    if pg_running; then
        ok "PostgreSQL already running"
    else
        pg_ctl_ start -w -t 60 -l "$NW_PG_LOG" >/dev/null || { tail_log "$NW_PG_LOG"; die "PostgreSQL did not start"; }
    fi
    pg_ready || { tail_log "$NW_PG_LOG"; die "PostgreSQL does not accept connections on 127.0.0.1:$NW_PG_PORT"; }
    ok "PostgreSQL running on 127.0.0.1:$NW_PG_PORT"
}

start_rabbitmq_only() {
    [[ -d $NW_RMQ_DIR/mnesia ]] || die "no RabbitMQ node in $NW_RMQ_DIR: run ops/services.sh (or ops/up.sh) first"
    rmq_write_config
    if pid_alive "$NW_RUN/rabbitmq.pid" beam; then
        ok "RabbitMQ already running"
    else
        ensure_ports_free RabbitMQ "$NW_AMQP_PORT" "$NW_MGMT_PORT" "$NW_DIST_PORT"
        rmq_launch
    fi
    ok "RabbitMQ running on 127.0.0.1:$NW_AMQP_PORT"
}

one_service() {
    local action=$1 service=$2
    case $action/$service in
        start/postgres) start_postgres_only ;;
        start/rabbitmq) start_rabbitmq_only ;;
        stop/postgres) stop_postgres; ok "PostgreSQL stopped" ;;
        stop/rabbitmq) stop_rabbitmq; ok "RabbitMQ stopped" ;;
        status/postgres) pg_running && pg_ready ;;
        status/rabbitmq) pid_alive "$NW_RUN/rabbitmq.pid" beam && port_in_use "$NW_AMQP_PORT" ;;
        *) usage >&2; return 2 ;;
    esac
}

main() {
    case $# in
        0)
            start_postgres
            start_rabbitmq
            write_env
            ;;
        2) one_service "$1" "$2" ;;
        *)
            case ${1:-} in -h | --help) usage; return 0 ;; esac
            usage >&2
            return 2
            ;;
    esac
}

main "$@"
