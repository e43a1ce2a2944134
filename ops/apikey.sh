#!/usr/bin/env bash
# API key administration against the local database (as ops/up.sh runs it), or the one in
# ConnectionStrings__Postgres when that is set (NEOWORKER_API_DLL picks another build of the API):
#   ops/apikey.sh create --user alice --role tenant [--name alice-laptop]   # prints the key once, on stdout
#   ops/apikey.sh revoke --name alice-laptop
#   ops/apikey.sh list
# Keys are stored as SHA-256 only; a lost key cannot be shown again: revoke it and create another.
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
    local dll=${NEOWORKER_API_DLL:-$NW_API_DLL}
    [[ -f $dll ]] || die "the API is not built ($dll); run ops/up.sh first"
    if [[ -z ${ConnectionStrings__Postgres:-} ]]; then
        [[ -f $NW_SECRETS/postgres-password ]] || die "no local database password in $NW_SECRETS; run ops/up.sh first"
        export ConnectionStrings__Postgres
        ConnectionStrings__Postgres=$(pg_conn_string "$NW_DB_NAME")
    fi
    exec dotnet "$dll" apikey "$@"
}

main "$@"
