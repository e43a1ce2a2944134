#!/usr/bin/env bash
# Regenerates migrations/neoworker.sql (idempotent SQL) from the EF Core migrations in
# src/NeoWorker.Persistence. ops/test.sh fails when the checked-in file differs from this output.
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
    [[ -f $NW_ROOT/.config/dotnet-tools.json ]] || die ".config/dotnet-tools.json (with dotnet-ef) does not exist"
    [[ -d $NW_ROOT/src/NeoWorker.Persistence ]] || die "src/NeoWorker.Persistence does not exist"
    cd "$NW_ROOT"
    dotnet tool restore >/dev/null
    # a design-time factory may want a connection string; offer the local one when there is one
    if [[ -f $NW_ENV_FILE ]]; then
        # shellcheck source=/dev/null
        source "$NW_ENV_FILE"
    fi
    mkdir -p migrations
    # same command as the freshness check in ops/test.sh, but building first
    dotnet ef migrations script --idempotent \
        --project src/NeoWorker.Persistence --startup-project src/NeoWorker.Persistence \
        --configuration Release -o migrations/neoworker.sql
    strip_bom migrations/neoworker.sql
    ok "wrote migrations/neoworker.sql"
}

main "$@"
