#!/usr/bin/env bash
# Benchmarks NeoWorker (issue 9) against the local services ops/up.sh started: the broker's
# ceiling (a MassTransit no-op round trip), NeoWorker by direct publish and through the API, a
# fixed 50% load, a process per request, a CPU-heavy and a 1 MB-input function, worker memory,
# and probes of the runner and PostgreSQL. Prints a Markdown table and writes
# .local/bench/<date>.json (and .md). Starts nothing itself; thresholds are reported, never asserted.
#
#   ops/bench.sh               full run (about 3–4 minutes on 2 cores)
#   ops/bench.sh --quick       smoke-sized run, under 2 minutes including the build
#   ops/bench.sh --soak 600    full run, then 600 s at 50% load for worker memory growth
#   (other options: tests/NeoWorker.Benchmarks/README.md; NEOWORKER_SKIP_BUILD=1 skips the build)
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_PROJECT="$NW_ROOT/tests/NeoWorker.Benchmarks"
BENCH_DLL="$BENCH_PROJECT/bin/Release/net10.0/NeoWorker.Benchmarks.dll"

main() {
    case ${1:-} in
        -h | --help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; return 0 ;;
    esac

    [[ -f $NW_ENV_FILE ]] || die "$NW_ENV_FILE missing: run ops/up.sh first"
    # shellcheck source=/dev/null
    source "$NW_ENV_FILE"
    if [[ $(http_status "$NEOWORKER_URL/health/ready") != 200 ]]; then
        die "the API at $NEOWORKER_URL is not ready: run ops/up.sh first (logs in .local/logs/)"
    fi
    pid_alive "$NW_RUN/worker.pid" NeoWorker.Worker.dll || die "the worker is not running: run ops/up.sh first"

    if [[ ${NEOWORKER_SKIP_BUILD:-0} == 1 && -f $BENCH_DLL ]]; then
        warn "skipping the benchmark build (NEOWORKER_SKIP_BUILD=1)"
    else
        log "building tests/NeoWorker.Benchmarks (Release)"
        dotnet build "$BENCH_PROJECT" -c Release -nologo -v q >/dev/null ||
            { dotnet build "$BENCH_PROJECT" -c Release -nologo -v q | tail -n 30 >&2; die "building the benchmark failed"; }
    fi

    log "running the benchmark ($*); progress on stderr, the report on stdout"
    NEOWORKER_BENCH_COMMAND="ops/bench.sh${*:+ $*}" \
        dotnet "$BENCH_DLL" --local-dir "$NW_LOCAL" --runner-dir "$NW_RUNNER_DIR" --out "$NW_LOCAL/bench" "$@"
}

main "$@"
