#!/usr/bin/env bash
# Runs the NeoWorker Occlum instance built by ops/build_occlum.sh (replaces the seed's
# run_occlum.ps1). Needs Occlum 0.31 and, for an instance built in HW mode, SGX (/dev/sgx_enclave);
# an instance built with --sgx-mode SIM runs anywhere Occlum is installed.
#
#   ops/run_occlum.sh [--instance DIR] [--self-test]   start one enclave, run one job, check the answer
#   ops/run_occlum.sh [--instance DIR] --worker         start the worker on it (Tee__Type=Occlum), in the
#                                                       foreground, with .local/env's RabbitMQ/PostgreSQL
#
# The self-test works on a copy of the instance (Occlum runs one enclave per instance directory):
# `occlum run /bin/node --no-node-snapshot /app/src/index.js`, one execute request over stdin, the
# result checked ({"result":84}). The enclave's stderr goes to <copy>/log/occlum.log, which is kept
# when the test fails (the seed's troubleshooting points there). DIR defaults to
# $NEOWORKER_OCCLUM_INSTANCE or .local/occlum_instance. NEOWORKER_OCCLUM_TIMEOUT (120 s) bounds each step.
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TIMEOUT=${NEOWORKER_OCCLUM_TIMEOUT:-120}
SELF_TEST_REQUEST='{"type":"execute","id":"occlum-self-test","code":"function main(input) { return { result: input.value * 2 }; }","input":"{\"value\":42}","limits":{"timeoutMs":10000}}'
SELF_TEST_RESULT='{"result":84}'

usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

check_instance() {
    local instance=$1 mode
    command -v occlum >/dev/null || die "'occlum' is not installed or not on PATH (Occlum 0.31 puts it in /opt/occlum/build/bin).
  Build and run in a container instead: ops/build_occlum.sh --docker --sgx-mode SIM, then docker-compose --profile occlum up."
    [[ -f $instance/Occlum.json ]] || die "no Occlum instance at $instance (Tee:Occlum:InstanceDir): build it with ops/build_occlum.sh"
    [[ -d $instance/build ]] || die "the instance at $instance was never built: run ops/build_occlum.sh"
    [[ -x $instance/image/bin/node ]] || die "Node.js is not in the instance image at /bin/node (Tee:Occlum:NodeJsPath): rebuild with ops/build_occlum.sh --force"
    [[ -f $instance/image/app/src/index.js ]] || die "the runner is not in the instance image at /app/src/index.js: rebuild with ops/build_occlum.sh --force"
    mode=$(cat "$instance/.sgx_mode" 2>/dev/null || echo HW)
    if [[ $mode == HW && ! -e /dev/sgx_enclave ]]; then
        die "the instance was built for SGX hardware but /dev/sgx_enclave is missing: run on an SGX machine, or rebuild with ops/build_occlum.sh --sgx-mode SIM"
    fi
    echo "$mode"
}

self_test() {
    local instance=$1 mode copy heap line result status
    mode=$(check_instance "$instance")
    copy=$(mktemp -d "${TMPDIR:-/tmp}/neoworker-occlum.XXXXXX")
    cp -a "$instance/." "$copy/"
    mkdir -p "$copy/log"
    heap=$((${Tee__Occlum__MaxMemoryMB:-1024} / 2))
    header "Occlum self-test ($mode) in $copy"

    coproc ENCLAVE {
        cd "$copy" && exec occlum run /bin/node --no-node-snapshot "--max-old-space-size=$heap" /app/src/index.js 2>>"$copy/log/occlum.log"
    }
    # shellcheck disable=SC2154 # ENCLAVE_PID is set by coproc
    local pid=$ENCLAVE_PID
    local fail_reason=''
    if ! IFS= read -r -t "$TIMEOUT" line <&"${ENCLAVE[0]}"; then
        fail_reason="the enclave did not say ready within ${TIMEOUT}s"
    elif [[ $(jq -r '.type // empty' <<<"$line" 2>/dev/null) != ready ]]; then
        fail_reason="the enclave's first line is not a ready message: $line"
    else
        log "enclave ready: $line"
        printf '%s\n' "$SELF_TEST_REQUEST" >&"${ENCLAVE[1]}"
        if ! IFS= read -r -t "$TIMEOUT" line <&"${ENCLAVE[0]}"; then
            fail_reason="no result within ${TIMEOUT}s"
        else
            status=$(jq -r '.status // empty' <<<"$line" 2>/dev/null || true)
            result=$(jq -r '.result // empty' <<<"$line" 2>/dev/null || true)
            if [[ $status != Succeeded || $result != "$SELF_TEST_RESULT" ]]; then
                fail_reason="unexpected answer: $line"
            fi
        fi
    fi
    # closing stdin ends the runner; then make sure it is gone
    local stdin_fd=${ENCLAVE[1]}
    exec {stdin_fd}>&-
    local i
    for ((i = 0; i < 20; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true

    if [[ -n $fail_reason ]]; then
        tail_log "$copy/log/occlum.log" 40
        die "Occlum self-test failed: $fail_reason (instance copy and log kept in $copy)"
    fi
    rm -rf "$copy"
    ok "Occlum self-test passed: $result in $mode mode ($(jq -r '"\(.executionTimeMs) ms, \(.gasUsed) gas"' <<<"$line"))"
}

run_worker() {
    local instance=$1 mode
    mode=$(check_instance "$instance")
    [[ -f $NW_WORKER_DLL ]] || die "the worker is not built at ${NW_WORKER_DLL#"$NW_ROOT"/}: run ops/up.sh (or dotnet build -c Release)"
    [[ -f $NW_ENV_FILE ]] || die "${NW_ENV_FILE#"$NW_ROOT"/} is missing: run ops/up.sh first (it starts RabbitMQ and PostgreSQL)"
    # shellcheck source=/dev/null
    source "$NW_ENV_FILE"
    export ConnectionStrings__Postgres RabbitMq__Host RabbitMq__Port RabbitMq__Username RabbitMq__Password RabbitMq__VirtualHost
    export Tee__Type=Occlum Tee__EnclavePath="$instance" Tee__Occlum__InstanceDir="$instance"
    export Tee__Occlum__TempDir="${Tee__Occlum__TempDir:-$NW_LOCAL/occlum-run}"
    [[ $mode == SIM ]] && export OCCLUM_SIMULATION=1
    header "Worker on Occlum ($mode), instance $instance; Ctrl+C stops it"
    exec dotnet "$NW_WORKER_DLL"
}

main() {
    local instance=${NEOWORKER_OCCLUM_INSTANCE:-$NW_LOCAL/occlum_instance} action=self_test
    while (($#)); do
        case $1 in
            --instance) instance=${2:?--instance needs a directory}; shift 2 ;;
            --self-test) action=self_test; shift ;;
            --worker) action=run_worker; shift ;;
            -h | --help) usage; return 0 ;;
            *) usage >&2; die "unknown argument '$1'" ;;
        esac
    done
    command -v jq >/dev/null || die "jq is required (ops/deps.sh installs it)"
    local absolute
    absolute=$(cd "$(dirname "$instance")" 2>/dev/null && echo "$(pwd)/$(basename "$instance")") ||
        die "no Occlum instance at $instance: build it with ops/build_occlum.sh"
    "$action" "$absolute"
}

main "$@"
