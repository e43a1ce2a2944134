#!/usr/bin/env bash
# Builds the NeoWorker Occlum instance (replaces the seed's build_occlum.ps1): Node.js at /bin/node
# and the enclave runner with isolated-vm at /app inside the enclave image, Occlum.json from the Tee
# limits, `occlum build`. Needs Occlum 0.31 (occlum, copy_bom) on an SGX machine, or its SGX
# simulation (OCCLUM_SIMULATION=1 / SGX_MODE=SIM / --sgx-mode SIM); without Occlum installed, build
# the container image instead (--docker).
#
#   ops/build_occlum.sh [--instance DIR] [--sgx-mode HW|SIM] [--sign-key PEM] [--force]
#   ops/build_occlum.sh --docker [--sgx-mode HW|SIM] [--sign-key PEM]
#
# DIR defaults to $NEOWORKER_OCCLUM_INSTANCE or .local/occlum_instance; point Tee__Occlum__InstanceDir
# at it (ops/run_occlum.sh does). Limits come from the worker's environment names:
# Tee__Occlum__MaxMemoryMB (1024), Tee__Occlum__MaxThreads (32), Tee__Occlum__EnableDebugMode (false).
# The runner must have been installed with `npm ci` (ops/deps.sh) using the `node` on PATH.
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Occlum's own glibc; isolated-vm compiled against a newer one may not load inside the enclave.
OCCLUM_GLIBC=2.31

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

sgx_mode_default() {
    if [[ ${OCCLUM_SIMULATION:-} == 1 || ${SGX_MODE:-} == SIM ]]; then echo SIM; else echo HW; fi
}

build_docker() {
    local sgx_mode=$1 sign_key=$2 args=()
    command -v docker >/dev/null || die "docker is not installed"
    args=(build -f "$NW_ROOT/docker/occlum/Dockerfile" --build-arg "SGX_MODE=$sgx_mode"
        --build-arg "Tee__Occlum__MaxMemoryMB=${Tee__Occlum__MaxMemoryMB:-1024}"
        --build-arg "Tee__Occlum__MaxThreads=${Tee__Occlum__MaxThreads:-32}"
        --build-arg "Tee__Occlum__EnableDebugMode=${Tee__Occlum__EnableDebugMode:-false}"
        -t "neoworker-worker-occlum:${NEOWORKER_IMAGE_TAG:-local}")
    [[ -n $sign_key ]] && args+=(--secret "id=enclave_sign_key,src=$sign_key")
    log "docker ${args[*]} ."
    (cd "$NW_ROOT" && DOCKER_BUILDKIT=1 docker "${args[@]}" .) || die "docker build failed"
    ok "built image neoworker-worker-occlum:${NEOWORKER_IMAGE_TAG:-local} (SGX mode $sgx_mode)"
}

check_glibc() {
    local have
    have=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
    [[ -z $have ]] && return 0
    if [[ $(printf '%s\n%s\n' "$OCCLUM_GLIBC" "$have" | sort -V | tail -n1) != "$OCCLUM_GLIBC" ]]; then
        warn "this machine's glibc is $have, Occlum's is $OCCLUM_GLIBC: node or isolated-vm built here may not load in the enclave; if 'occlum run' fails with missing symbols, use --docker (builds on glibc $OCCLUM_GLIBC)"
    fi
}

main() {
    local instance=${NEOWORKER_OCCLUM_INSTANCE:-$NW_LOCAL/occlum_instance} sgx_mode sign_key='' force=() docker=0
    sgx_mode=$(sgx_mode_default)
    while (($#)); do
        case $1 in
            --instance) instance=${2:?--instance needs a directory}; shift 2 ;;
            --sgx-mode) sgx_mode=${2:?--sgx-mode needs HW or SIM}; shift 2 ;;
            --sign-key) sign_key=${2:?--sign-key needs a PEM file}; shift 2 ;;
            --force) force=(--force); shift ;;
            --docker) docker=1; shift ;;
            -h | --help) usage; return 0 ;;
            *) usage >&2; die "unknown argument '$1'" ;;
        esac
    done
    [[ $sgx_mode == HW || $sgx_mode == SIM ]] || die "--sgx-mode must be HW or SIM, not '$sgx_mode'"
    [[ -z $sign_key || -f $sign_key ]] || die "signing key '$sign_key' not found"

    if ((docker)); then
        build_docker "$sgx_mode" "$sign_key"
        return 0
    fi

    header "Occlum instance ($sgx_mode) at $instance"
    command -v occlum >/dev/null || die "'occlum' is not installed or not on PATH (Occlum 0.31 puts it in /opt/occlum/build/bin).
  On an SGX machine: install Occlum, then run this again (OCCLUM_SIMULATION=1 for SGX simulation).
  Anywhere with Docker: ops/build_occlum.sh --docker [--sgx-mode SIM] builds the worker image with the instance inside."
    if [[ $sgx_mode == HW && ! -e /dev/sgx_enclave ]]; then
        warn "/dev/sgx_enclave is missing: this instance will build, but runs only on an SGX machine (or use --sgx-mode SIM)"
    fi
    local node
    node=$(command -v node) || die "node (20+) is not on PATH"
    [[ -f $NW_RUNNER_DIR/node_modules/isolated-vm/out/isolated_vm.node ]] ||
        die "the runner has no compiled isolated-vm: run ops/deps.sh (npm ci in ${NW_RUNNER_DIR#"$NW_ROOT"/}) first"
    check_glibc

    local args=(--instance "$instance" --node "$node" --runner "$NW_RUNNER_DIR" --sgx-mode "$sgx_mode" "${force[@]}")
    [[ -n $sign_key ]] && args+=(--sign-key "$sign_key")
    "$NW_ROOT/docker/occlum/build_instance.sh" "${args[@]}" || die "building the Occlum instance failed (output above)"
    ok "Occlum instance ready: $instance"
    log "run it: ops/run_occlum.sh --instance $instance   (one test job; --worker starts the worker on it)"
}

main "$@"
