#!/bin/bash
# Builds the NeoWorker Occlum instance: Node.js at /bin/node and the runner at /app inside the
# enclave image, Occlum.json generated from the Tee section, then `occlum build`.
# Used by docker/occlum/Dockerfile and ops/build_occlum.sh; needs the Occlum toolchain (occlum,
# copy_bom, jq), i.e. the official Occlum image or an SGX machine with Occlum installed.
#
#   build_instance.sh --instance DIR --node NODE_BINARY --runner RUNNER_DIR
#                     [--sgx-mode HW|SIM] [--sign-key PEM] [--force]
#
# RUNNER_DIR holds src/index.js and node_modules (isolated-vm built for NODE_BINARY's version and
# for glibc <= Occlum's, e.g. on Debian 11 or Ubuntu 20.04), and for --sgx-mode HW the SGX quote
# addon native/sgx_quote.node (built by RUNNER_DIR/native/build.sh, which is run here when it is
# missing). HW instances get NEOWORKER_EVIDENCE=sgx in Occlum.json's measured default environment,
# so the runner's evidence is the DCAP quote from Occlum's /dev/sgx, and NEOWORKER_KEY_RELEASE=request
# with NEOWORKER_KEY_STORE=/keys, so the runner asks for the fleet's sealing key with that quote and
# keeps it in /keys, inside the instance's encrypted file system; SIM instances do not (Occlum
# has no DCAP quote generator in SGX simulation; the addon is copied when present).
# The limits use the worker's own environment names (defaults as in appsettings.json):
#   Tee__Occlum__MaxMemoryMB (1024)  Tee__Occlum__MaxThreads (32)  Tee__Occlum__EnableDebugMode (false)
# SGX mode: --sgx-mode, else SIM when OCCLUM_SIMULATION=1 or SGX_MODE=SIM, else HW.
# Without --sign-key the enclave is signed with Occlum's well-known template key: fine for
# simulation and tests, never for production (anyone can sign an enclave with that MRSIGNER).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() { echo "build_instance.sh: error: $*" >&2; exit 1; }
log() { echo "build_instance.sh: $*"; }

instance='' node='' runner='' sign_key='' force=0
sgx_mode=''
if [[ ${OCCLUM_SIMULATION:-} == 1 || ${SGX_MODE:-} == SIM ]]; then sgx_mode=SIM; fi
while (($#)); do
    case $1 in
        --instance) instance=${2:?--instance needs a directory}; shift 2 ;;
        --node) node=${2:?--node needs the node binary}; shift 2 ;;
        --runner) runner=${2:?--runner needs the runner directory}; shift 2 ;;
        --sgx-mode) sgx_mode=${2:?--sgx-mode needs HW or SIM}; shift 2 ;;
        --sign-key) sign_key=${2:?--sign-key needs a PEM file}; shift 2 ;;
        --force) force=1; shift ;;
        -h | --help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
sgx_mode=${sgx_mode:-HW}

[[ -n $instance && -n $node && -n $runner ]] || die "--instance, --node and --runner are required (see --help)"
[[ $sgx_mode == HW || $sgx_mode == SIM ]] || die "--sgx-mode must be HW or SIM, not '$sgx_mode'"
command -v occlum >/dev/null || die "'occlum' is not on PATH: run this in the Occlum image (docker/occlum/Dockerfile) or install Occlum 0.31"
command -v copy_bom >/dev/null || die "'copy_bom' is not on PATH (it ships with Occlum, in /opt/occlum/build/bin)"
command -v jq >/dev/null || die "'jq' is required"
[[ -x $node ]] || die "Node.js binary '$node' not found or not executable"
[[ -f $runner/src/index.js ]] || die "runner '$runner' has no src/index.js"
[[ -f $runner/node_modules/isolated-vm/out/isolated_vm.node ]] ||
    die "runner '$runner' has no compiled isolated-vm (run 'npm ci' there with the same Node as '$node')"
[[ -z $sign_key || -f $sign_key ]] || die "signing key '$sign_key' not found"

# The SGX quote addon (runner/native/README.md): required on hardware, where the runner's evidence is
# the DCAP quote; built here for NODE_BINARY when the runner has its sources but not the binary.
addon=$runner/native/sgx_quote.node
if [[ $sgx_mode == HW && ! -f $addon && -f $runner/native/build.sh ]]; then
    log "no $addon: building it (native/build.sh) for $node"
    PATH="$(dirname "$node"):$PATH" bash "$runner/native/build.sh" || die "building the SGX quote addon failed (see above)"
fi
if [[ $sgx_mode == HW && ! -f $addon ]]; then
    die "runner '$runner' has no SGX quote addon native/sgx_quote.node: run native/build.sh there (HW enclaves attest with it)"
fi

max_memory_mb=${Tee__Occlum__MaxMemoryMB:-1024}
max_threads=${Tee__Occlum__MaxThreads:-32}
debuggable=${Tee__Occlum__EnableDebugMode:-false}
if ! [[ $max_memory_mb =~ ^[0-9]+$ ]] || ((max_memory_mb < 256)); then
    die "Tee__Occlum__MaxMemoryMB must be a whole number of MB, at least 256 (Node.js alone needs about 100 MB), not '$max_memory_mb'"
fi
if ! [[ $max_threads =~ ^[0-9]+$ ]] || ((max_threads < 8)); then
    die "Tee__Occlum__MaxThreads must be a whole number, at least 8 (Node.js starts several threads), not '$max_threads'"
fi
case ${debuggable,,} in
    true | 1) debuggable=true ;;
    false | 0) debuggable=false ;;
    *) die "Tee__Occlum__EnableDebugMode must be true or false, not '$debuggable'" ;;
esac

node_version=$("$node" --version)
[[ $node_version == v2[0-9].* ]] || log "warning: Node.js $node_version; the runner is tested on 20"

# copy_bom copies from a staging tree: bin/node and app/ (the runner without its tests).
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/bin" "$staging/app"
cp "$node" "$staging/bin/node"
cp -a "$runner/src" "$runner/node_modules" "$runner/package.json" "$runner/package-lock.json" "$staging/app/"
# Only the addon's binary enters the enclave, at the path src/sgxQuote.js loads by default.
if [[ -f $addon ]]; then
    mkdir -p "$staging/app/native"
    cp "$addon" "$staging/app/native/sgx_quote.node"
fi

if ((force)) || [[ ! -f $instance/Occlum.json ]]; then
    rm -rf "$instance"
    mkdir -p "$(dirname "$instance")"
    occlum new "$instance" >/dev/null
    log "created instance $instance"
fi
instance=$(cd "$instance" && pwd)

# A fresh image tree each time, so files removed from the runner leave the enclave too.
rm -rf "$instance/image"
sed "s#@STAGING@#$staging#g" "$here/neoworker.yaml" >"$staging/neoworker.yaml"
(cd "$instance" && copy_bom -f "$staging/neoworker.yaml" --root image --include-dir /opt/occlum/etc/template) ||
    die "copy_bom failed (see above)"
[[ -x $instance/image/bin/node && -f $instance/image/app/src/index.js ]] ||
    die "copy_bom did not put /bin/node and /app/src/index.js into the image"

jq --arg user_space "${max_memory_mb}MB" --argjson threads "$max_threads" --argjson debuggable "$debuggable" '
    del(."//")
    | walk(if . == "@USER_SPACE_SIZE@" then $user_space
           elif . == "@MAX_THREADS@" then $threads
           elif . == "@DEBUGGABLE@" then $debuggable
           else . end)' "$here/Occlum.json.template" >"$staging/overlay.json"
# The evidence kind and the key release are part of the measured configuration, not something the host
# chooses at run time: a HW enclave requests the sealing key with its quote and keeps it in /keys (its
# encrypted file system, whose key Occlum derives from the enclave's MRSIGNER on this CPU).
measured=()
if [[ $sgx_mode == HW ]]; then measured=(NEOWORKER_EVIDENCE=sgx NEOWORKER_KEY_RELEASE=request NEOWORKER_KEY_STORE=/keys); fi
evidence=${measured[0]:-}
jq -s '.[0] * .[1]
    | .env.default = ([.env.default[]? | select((startswith("NEOWORKER_EVIDENCE=") or startswith("NEOWORKER_KEY_RELEASE=")
                                                 or startswith("NEOWORKER_KEY_STORE=")) | not)]
                      + $ARGS.positional)' \
    "$instance/Occlum.json" "$staging/overlay.json" --args "${measured[@]}" >"$staging/Occlum.json"
mv "$staging/Occlum.json" "$instance/Occlum.json"
log "Occlum.json: user_space_size ${max_memory_mb}MB, max_num_of_threads $max_threads, debuggable $debuggable, evidence ${evidence:-none (SGX simulation)}, sealing key ${evidence:+released into /keys}${evidence:-none (no quote to release it against)}"

build_args=(--sgx-mode "$sgx_mode")
if [[ -n $sign_key ]]; then
    build_args+=(--sign-key "$sign_key")
elif [[ $sgx_mode == HW ]]; then
    log "warning: no --sign-key: signed with Occlum's template key, not for production"
fi
(cd "$instance" && occlum build "${build_args[@]}") || die "occlum build failed (see above)"

log "built $instance (SGX mode $sgx_mode, Node.js $node_version)"
(cd "$instance" && occlum print mrenclave 2>/dev/null | sed 's/^/build_instance.sh: MRENCLAVE /') || true
