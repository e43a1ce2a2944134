#!/usr/bin/env bash
# Installs what NeoWorker needs on a Debian 12 machine, doing nothing that is already done:
# Debian packages (only the missing ones; chromium and chromium-driver are for the dashboard's
# browser tests), the JS runner's node_modules (npm ci when the lock changed), and the repo's
# dotnet tools. Node.js 20+ and the .NET 10 SDK must be preinstalled.
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_node() {
    command -v node >/dev/null || die "Node.js 20+ is required but 'node' is not on PATH"
    command -v npm >/dev/null || die "npm is required but not on PATH"
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    ((major >= 20)) || die "Node.js 20+ is required, found $(node --version)"
    ok "Node.js $(node --version)"
}

check_dotnet() {
    command -v dotnet >/dev/null || die "the .NET 10 SDK is required but 'dotnet' is not on PATH"
    dotnet --list-sdks 2>/dev/null | grep -q '^10\.' ||
        die "the .NET 10 SDK is required; installed SDKs: $(dotnet --list-sdks | tr '\n' ' ')"
    ok ".NET SDK $(dotnet --version)"
}

# npm ci only when node_modules is missing or package(-lock).json changed since the last run.
runner_npm_ci() {
    local dir=$NW_RUNNER_DIR stamp="$NW_STAMPS/runner-npm-ci" want have=''
    if [[ ! -f $dir/package.json ]]; then
        warn "skipping npm ci: $dir/package.json does not exist yet"
        return 0
    fi
    if [[ ! -f $dir/package-lock.json ]]; then
        warn "skipping npm ci: $dir/package-lock.json does not exist (npm ci needs a lock file)"
        return 0
    fi
    want=$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)
    [[ -f $stamp ]] && have=$(cat "$stamp")
    if [[ $want == "$have" && ( -d $dir/node_modules || $(runner_dependency_count) == 0 ) ]]; then
        ok "runner node_modules up to date"
        return 0
    fi
    # npm's own marker: node_modules/.package-lock.json is rewritten by every install, so when it
    # is newer than both package files somebody already installed exactly this lock.
    local hidden=$dir/node_modules/.package-lock.json
    if [[ -f $hidden && $hidden -nt $dir/package-lock.json && $hidden -nt $dir/package.json ]]; then
        echo "$want" >"$stamp"
        ok "runner node_modules up to date (installed outside ops/)"
        return 0
    fi
    log "npm ci in ${dir#"$NW_ROOT"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
}

# Number of packages in the lock file besides the root (a runner may have no dependencies,
# in which case npm ci creates no node_modules and must not be rerun every time).
runner_dependency_count() {
    node -e 'const l=require(process.argv[1]); console.log(Object.keys(l.packages||l.dependencies||{}).filter(k=>k!=="").length)' \
        "$NW_RUNNER_DIR/package-lock.json"
}

# The SGX quote addon (runner/native): built here so that its tests run (they skip without it); the
# Occlum image builds its own copy. Rebuilt when its sources or the node on PATH change.
runner_native_addon() {
    local dir=$NW_RUNNER_DIR/native stamp="$NW_STAMPS/runner-native" log="$NW_LOGS/native-build.log" want have=''
    [[ -x $dir/build.sh ]] || return 0
    want=$( (cat "$dir/binding.gyp" "$dir/sgx_quote.c"; node --version) | sha256sum | cut -d' ' -f1)
    [[ -f $stamp ]] && have=$(cat "$stamp")
    if [[ $want == "$have" && -f $dir/sgx_quote.node ]]; then
        ok "SGX quote addon built"
        return 0
    fi
    log "building the SGX quote addon (${dir#"$NW_ROOT"/}/build.sh)"
    mkdir -p "$NW_LOGS"
    "$dir/build.sh" >"$log" 2>&1 || { tail -n 20 "$log" >&2; die "building the SGX quote addon failed (log: ${log#"$NW_ROOT"/})"; }
    echo "$want" >"$stamp"
    ok "SGX quote addon built"
}

dotnet_tools() {
    if [[ -f $NW_ROOT/.config/dotnet-tools.json ]]; then
        log "dotnet tool restore"
        (cd "$NW_ROOT" && dotnet tool restore >/dev/null) || die "dotnet tool restore failed"
        ok "dotnet tools restored"
    else
        log "no .config/dotnet-tools.json: no dotnet tools to restore"
    fi
}

main() {
    header "Dependencies"
    ensure_dirs
    ensure_packages "${NW_PACKAGES[@]}"
    # Debian's chromium and chromedriver: the dashboard's browser tests (Selenium, headless).
    ensure_packages chromium chromium-driver
    # A C compiler, make and python3 for node-gyp: the SGX quote addon (headers come with Debian's nodejs).
    ensure_packages g++ make python3
    check_node
    check_dotnet
    runner_npm_ci
    runner_native_addon
    dotnet_tools
}

main "$@"
