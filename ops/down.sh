#!/usr/bin/env bash
# Stops what ops/up.sh started (API, worker, our RabbitMQ node, our PostgreSQL cluster) and
# nothing else; data stays in .local/ unless --purge is given, which deletes all of .local/.
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    echo "usage: ops/down.sh [--purge]"
    echo "  --purge  also delete .local/ (databases, queues, logs, secrets, dev API key)"
}

main() {
    local purge=0
    case ${1:-} in
        '') ;;
        --purge) purge=1 ;;
        -h | --help) usage; return 0 ;;
        *) usage >&2; return 2 ;;
    esac
    if [[ ! -d $NW_LOCAL ]]; then
        log "nothing to stop: $NW_LOCAL does not exist"
        return 0
    fi
    header "Stopping NeoWorker"
    stop_pidfile "$NW_RUN/api.pid" NeoWorker.Api.dll
    stop_pidfile "$NW_RUN/worker.pid" NeoWorker.Worker.dll
    stop_rabbitmq
    stop_postgres
    ok "stopped"
    if ((purge)); then
        log "deleting $NW_LOCAL"
        rm -rf "$NW_LOCAL"
        # the socket dir lives in /tmp only for very deep checkouts
        if [[ $(pg_socket_dir) == /tmp/* ]]; then rm -rf "$(pg_socket_dir)"; fi
        ok "purged"
    fi
}

main "$@"
