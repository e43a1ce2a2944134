#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine: `docker-compose config -q` for the default
# profile and for `occlum`, with .env.example as the env file and nothing from the caller's
# environment; the services and profiles it defines; and that the ${VAR:?} guards stop compose
# when .env lacks a user or password. Exit status 0 only when every check passed.
#
#   ops/compose_check.sh            uses docker-compose (Debian's package), else `docker compose`
set -euo pipefail
# shellcheck source=ops/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COMPOSE_FILE="$NW_ROOT/docker-compose.yml"
ENV_EXAMPLE="$NW_ROOT/.env.example"
ALL_SERVICES="api keys migrate postgres rabbitmq worker worker-occlum"
PROFILES="occlum"

passed=0
failed=0
pass() { ok "$1"; passed=$((passed + 1)); }
fail() { printf '%s[%s] FAIL%s %s\n' "$_nw_red" "$(date +%H:%M:%S)" "$_nw_reset" "$1" >&2; failed=$((failed + 1)); }

compose_cmd=()
if command -v docker-compose >/dev/null; then
    compose_cmd=(docker-compose)
elif command -v docker >/dev/null && docker compose version >/dev/null 2>&1; then
    compose_cmd=(docker compose)
else
    die "neither docker-compose nor 'docker compose' is installed (Debian: apt-get install docker-compose; ops/deps.sh installs it)"
fi

# compose ENV_FILE ARGS...: run compose in the repository with only PATH and HOME from our
# environment, so a POSTGRES_PASSWORD exported in the caller's shell cannot hide a missing one.
compose() {
    local env_file=$1
    shift
    (cd "$NW_ROOT" && env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
        "${compose_cmd[@]}" --env-file "$env_file" -f "$COMPOSE_FILE" "$@")
}

# check_config NAME [--profile P]: the file validates for that profile.
check_config() {
    local name=$1 out
    shift
    out=$(mktemp)
    if compose "$ENV_EXAMPLE" "$@" config -q >"$out" 2>&1; then
        pass "$name: docker-compose config -q"
    else
        cat "$out" >&2
        fail "$name: docker-compose config -q failed (output above)"
    fi
    rm -f "$out"
}

# The services and profiles the file defines (docker-compose 1.x lists services of every profile;
# which service belongs to which profile is checked by tests/NeoWorker.Deployment.Tests).
check_services() {
    local services profiles
    services=$({ compose "$ENV_EXAMPLE" --profile occlum config --services 2>/dev/null || true; } | sort | tr '\n' ' ' | sed 's/ $//')
    profiles=$({ compose "$ENV_EXAMPLE" --profile occlum config --profiles 2>/dev/null || true; } | sort | tr '\n' ' ' | sed 's/ $//')
    if [[ $services == "$ALL_SERVICES" ]]; then
        pass "services: $services"
    else
        fail "services are '$services', expected '$ALL_SERVICES'"
    fi
    if [[ $profiles == "$PROFILES" ]]; then
        pass "profiles: $profiles"
    else
        fail "profiles are '$profiles', expected '$PROFILES'"
    fi
}

check_guards() {
    local empty out
    empty=$(mktemp)
    out=$(mktemp)
    if compose "$empty" config -q >"$out" 2>&1; then
        fail "an empty .env passes docker-compose config: a password has no \${VAR:?} guard"
    elif grep -q 'POSTGRES_USER\|POSTGRES_PASSWORD\|RABBITMQ_USER\|RABBITMQ_PASSWORD' "$out"; then
        pass "an empty .env is refused, naming the missing variable"
    else
        cat "$out" >&2
        fail "an empty .env is refused, but not because of a missing variable (output above)"
    fi
    rm -f "$empty" "$out"
}

main() {
    [[ -f $COMPOSE_FILE ]] || die "${COMPOSE_FILE#"$NW_ROOT"/} does not exist"
    [[ -f $ENV_EXAMPLE ]] || die "${ENV_EXAMPLE#"$NW_ROOT"/} does not exist"
    header "docker-compose.yml (${compose_cmd[*]} $("${compose_cmd[@]}" version --short 2>/dev/null || echo '?'))"
    check_config "default profile"
    check_config "profile occlum" --profile occlum
    check_services
    check_guards
    printf 'compose_check: %s passed, %s failed\n' "$passed" "$failed"
    ((failed == 0))
}

main "$@"
