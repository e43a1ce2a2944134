#!/bin/bash
# Container health of a NeoWorker worker, which has no HTTP port: healthy while the worker process
# runs and at least one enclave (the runner: `node … src/index.js`, or `occlum run /bin/node …
# /app/src/index.js`) is alive. The enclave pool replaces a dead enclave within seconds, so one
# failed probe is normal during a restart; the HEALTHCHECK's retries absorb it.
# Reads only /proc: no tools beyond bash are needed in the image.
set -u
shopt -s nullglob

worker=0
enclaves=0
for dir in /proc/[0-9]*; do
    cmdline=$(tr '\0' ' ' 2>/dev/null <"$dir/cmdline") || continue
    case $cmdline in
        *NeoWorker.Worker*) worker=$((worker + 1)) ;;
        *src/index.js*) enclaves=$((enclaves + 1)) ;;
    esac
done

if ((worker == 0)); then
    echo "unhealthy: no NeoWorker.Worker process"
    exit 1
fi
if ((enclaves == 0)); then
    echo "unhealthy: the worker runs but no enclave (runner src/index.js) is alive"
    exit 1
fi
echo "healthy: worker up, $enclaves enclave process(es)"
exit 0
