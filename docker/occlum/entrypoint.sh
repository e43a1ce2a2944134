#!/bin/bash
# Entry point of the Occlum worker image: prepares what `occlum run` needs, then runs the worker.
#  - SGX mode from the built instance (.sgx_mode): SIM sets OCCLUM_SIMULATION=1, which the worker
#    reads as Tee:SimulationMode (evidence marked simulated); HW needs /dev/sgx_enclave.
#  - HW on a CPU without flexible launch control (no sgx_lc flag) needs the AESM service: started here.
#  - PCCS_URL / USE_SECURE_CERT (DCAP quote collateral) are written into /etc/sgx_default_qcnl.conf.
#  - Tee:Occlum:TempDir (per-enclave instance copies) is created.
set -euo pipefail

instance=${Tee__Occlum__InstanceDir:-/opt/neoworker/occlum_instance}
die() { echo "neoworker-occlum: error: $*" >&2; exit 1; }

[[ -f $instance/Occlum.json && -d $instance/build ]] ||
    die "no built Occlum instance at $instance (Tee__Occlum__InstanceDir); the image build should have made it"
mode=$(cat "$instance/.sgx_mode" 2>/dev/null || echo HW)

if [[ $mode == SIM ]]; then
    export OCCLUM_SIMULATION=1
    echo "neoworker-occlum: instance built for SGX simulation: nothing this worker attests is hardware-backed" \
        "(outside Development the worker starts only with Tee__AllowSimulation=true)"
else
    for device in /dev/sgx_enclave /dev/sgx_provision; do
        [[ -e $device ]] || die "$device is missing: pass the SGX devices to the container (docker-compose.yml does) or build with SGX_MODE=SIM"
    done
    if ! grep -qw sgx_lc /proc/cpuinfo && [[ ! -S /var/run/aesmd/aesm.socket ]]; then
        echo "neoworker-occlum: no flexible launch control: starting the AESM service"
        mkdir -p /var/run/aesmd
        LD_LIBRARY_PATH="/opt/intel/sgx-aesm-service/aesm${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
            /opt/intel/sgx-aesm-service/aesm/aesm_service --no-daemon >/dev/null 2>&1 &
    fi
fi

qcnl=/etc/sgx_default_qcnl.conf
if [[ -n ${PCCS_URL:-} && -w $qcnl ]]; then
    sed -i -E "s#(\"pccs_url\"[[:space:]]*:[[:space:]]*)\"[^\"]*\"#\\1\"${PCCS_URL}\"#" "$qcnl"
    if [[ -n ${USE_SECURE_CERT:-} ]]; then
        sed -i -E "s#(\"use_secure_cert\"[[:space:]]*:[[:space:]]*)(true|false)#\\1${USE_SECURE_CERT}#" "$qcnl"
    fi
fi

mkdir -p "${Tee__Occlum__TempDir:-/var/lib/neoworker/occlum}"
exec "$@"
