#!/usr/bin/env bash
# Answers Occlum enclaves' sealing-key requests (Tee:SealingKeySource=Release): verifies each request's quote against
# the policy you give and writes the release, the fleet's sealing private keys wrapped to a key that exists only inside
# that enclave. Run it where the sealing keys are kept (not on the worker host); copy requests to it and releases back.
#   ops/release_sealing_key.sh --request slot-0.request.json --key sealing.key --mrenclave HEX [--out slot-0.release.json]
#   ops/release_sealing_key.sh --requests /var/lib/neoworker/key-release --key new.key --key old.key --mrsigner HEX
# Simulation (no SGX): --simulation-root .local/secrets/attestation/sim-root.pem --allow-simulated
# Hardware quotes: --collateral dcap-qvl.json (Intel TCB Info and QE Identity), or --accept-tcb NotEvaluated.
# Also: --allow-debug, --min-isvsvn N. Exit 0: all released; 3: a request was refused (the reason names the check
# that failed); 2: bad arguments or files. Only key ids and measurements are printed, never a key.
# NEOWORKER_WORKER_DLL picks another build of the worker (the command is part of it).
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
    local dll=${NEOWORKER_WORKER_DLL:-$NW_WORKER_DLL}
    [[ -f $dll ]] || die "the worker is not built ($dll); run ops/up.sh, or dotnet build -c Release src/NeoWorker.Worker"
    exec dotnet "$dll" release-key "$@"
}

main "$@"
