#!/usr/bin/env bash
# Starts (or reuses) the local PostgreSQL and RabbitMQ under .local/ and writes .local/env.
# Used by ops/up.sh and ops/test.sh; safe to run any number of times.
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
    start_postgres
    start_rabbitmq
    write_env
}

main "$@"
