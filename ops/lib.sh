# shellcheck shell=bash
# NeoWorker ops library: sourced by the scripts in ops/ (never executed on its own).
#
# Everything local lives under <repo>/.local (git-ignored):
#   postgres/{data,run,log}   PostgreSQL cluster, its unix socket dir and log (owned by `postgres`)
#   rabbitmq/{mnesia,log,home,…} RabbitMQ node state, logs, config, enabled_plugins, erlang cookie
#   logs/{api,worker}.log     API and worker output (appended)
#   run/*.pid                 pid files of the processes ops/up.sh started
#   secrets/                  generated passwords and the dev API key (700/600)
#   stamps/                   "already done" markers (npm ci)
#   env                       sourceable exports for tools and tests (600)
#
# Ports (127.0.0.1 only; every one can be overridden from the environment):
#   NEOWORKER_PG_PORT                  55432  PostgreSQL
#   NEOWORKER_AMQP_PORT                55672  RabbitMQ AMQP
#   NEOWORKER_RABBITMQ_MANAGEMENT_PORT 55673  RabbitMQ management UI/API
#   NEOWORKER_RABBITMQ_DIST_PORT       55674  Erlang distribution (rabbitmqctl -> node). Must be set:
#                                             RabbitMQ's default (AMQP port + 20000) is > 65535 here.
#   NEOWORKER_EPMD_PORT                55675  our own epmd, so a system RabbitMQ (epmd on 4369) is untouched
#   NEOWORKER_API_PORT                 5080   the API started by ops/up.sh
#   NEOWORKER_WORKER_PORT              5090   the worker's management port (health, metrics); default API port + 10
# Other knobs: NEOWORKER_RABBITMQ_NODENAME (neoworker@localhost), NEOWORKER_TEE_WORKERS (2),
# NEOWORKER_RABBITMQ_START_TIMEOUT (90 s), NEOWORKER_HEALTH_TIMEOUT (120 s, up.sh),
# NEOWORKER_SKIP_BUILD=1 (up.sh), NEOWORKER_SMOKE_TIMEOUT (30 s, test.sh), NEOWORKER_RATE_LIMIT /
# NEOWORKER_RATE_LIMIT_BURST (2000 / 4000 requests per key for the local API: room for ops/bench.sh).
#
# How the services run when we are root:
#   PostgreSQL refuses root, so initdb/pg_ctl/psql-admin run as the `postgres` OS user (runuser),
#   which owns .local/postgres. RabbitMQ runs as root from /usr/lib/rabbitmq/bin (the real
#   scripts), bypassing the Debian wrappers in /usr/sbin that `su` to the rabbitmq user and
#   reset HOME; every path comes from RABBITMQ_* variables (rmq_env) so nothing in /etc/rabbitmq
#   or /var/lib/rabbitmq is read or written, and a system instance on 5672/4369 is left alone.

# ---------------------------------------------------------------- paths and config
# (many of these are only used by the scripts that source this file)
# shellcheck disable=SC2034

NW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NW_LOCAL="$NW_ROOT/.local"
NW_RUN="$NW_LOCAL/run"
NW_LOGS="$NW_LOCAL/logs"
NW_SECRETS="$NW_LOCAL/secrets"
NW_STAMPS="$NW_LOCAL/stamps"
NW_ENV_FILE="$NW_LOCAL/env"

NW_PG_PORT="${NEOWORKER_PG_PORT:-55432}"
NW_AMQP_PORT="${NEOWORKER_AMQP_PORT:-55672}"
NW_MGMT_PORT="${NEOWORKER_RABBITMQ_MANAGEMENT_PORT:-55673}"
NW_DIST_PORT="${NEOWORKER_RABBITMQ_DIST_PORT:-55674}"
NW_EPMD_PORT="${NEOWORKER_EPMD_PORT:-55675}"
NW_API_PORT="${NEOWORKER_API_PORT:-5080}"
NW_WORKER_PORT="${NEOWORKER_WORKER_PORT:-$((NW_API_PORT + 10))}"
NW_TEE_WORKERS="${NEOWORKER_TEE_WORKERS:-2}"
NW_RMQ_NODE="${NEOWORKER_RABBITMQ_NODENAME:-neoworker@localhost}"

NW_DB_USER=neoworker
NW_DB_NAME=neoworker
NW_DB_TEST_NAME=neoworker_test
NW_RMQ_USER=neoworker
NW_RMQ_TEST_VHOST=neoworker-test
NW_DEV_USER=dev
NW_OPS_USER=ops

NW_API_URL="http://127.0.0.1:$NW_API_PORT"
NW_WORKER_URL="http://127.0.0.1:$NW_WORKER_PORT"
NW_MGMT_URL="http://127.0.0.1:$NW_MGMT_PORT"
NW_RUNNER_DIR="$NW_ROOT/src/NeoWorker.Enclave/runner"
NW_SLN="$NW_ROOT/NeoWorker.sln"
NW_MIGRATIONS="$NW_ROOT/migrations/neoworker.sql"
NW_API_DLL="$NW_ROOT/src/NeoWorker.Api/bin/Release/net10.0/NeoWorker.Api.dll"
NW_WORKER_DLL="$NW_ROOT/src/NeoWorker.Worker/bin/Release/net10.0/NeoWorker.Worker.dll"

NW_PG_DIR="$NW_LOCAL/postgres"
NW_PG_DATA="$NW_PG_DIR/data"
NW_PG_LOG="$NW_PG_DIR/log/postgres.log"
NW_RMQ_DIR="$NW_LOCAL/rabbitmq"

NW_PACKAGES=(postgresql rabbitmq-server docker-compose curl jq openssl)

# The Debian wrappers in /usr/sbin `su` to the rabbitmq user (and reset HOME, hence the cookie);
# the real scripts underneath run fine as root with our environment.
NW_RMQ_BIN=/usr/lib/rabbitmq/bin

# ---------------------------------------------------------------- logging

if [[ -t 1 ]]; then
    _nw_bold=$'\e[1m' _nw_red=$'\e[31m' _nw_yellow=$'\e[33m' _nw_green=$'\e[32m' _nw_reset=$'\e[0m'
else
    _nw_bold='' _nw_red='' _nw_yellow='' _nw_green='' _nw_reset=''
fi

log()     { printf '%s[%s]%s %s\n' "$_nw_bold" "$(date +%H:%M:%S)" "$_nw_reset" "$*"; }
ok()      { printf '%s[%s] ok%s %s\n' "$_nw_green" "$(date +%H:%M:%S)" "$_nw_reset" "$*"; }
warn()    { printf '%s[%s] warning:%s %s\n' "$_nw_yellow" "$(date +%H:%M:%S)" "$_nw_reset" "$*" >&2; }
die()     { printf '%s[%s] error:%s %s\n' "$_nw_red" "$(date +%H:%M:%S)" "$_nw_reset" "$*" >&2; exit 1; }
header()  { printf '\n%s==== %s ====%s\n' "$_nw_bold" "$*" "$_nw_reset"; }

# Print the last lines of a log file, labelled, to stderr (used when something fails to start).
tail_log() {
    local file=$1 lines=${2:-60}
    if [[ -f $file ]]; then
        printf -- '---- last %s lines of %s ----\n' "$lines" "$file" >&2
        tail -n "$lines" "$file" >&2
        printf -- '---- end of %s ----\n' "$file" >&2
    else
        printf -- '---- %s does not exist ----\n' "$file" >&2
    fi
}

is_root() { [[ $EUID -eq 0 ]]; }

# Run a command as root: directly when we are root, else through sudo (CI images differ).
as_root() {
    if is_root; then "$@"; else sudo "$@"; fi
}

# ---------------------------------------------------------------- small helpers

ensure_dirs() {
    mkdir -p "$NW_RUN" "$NW_LOGS" "$NW_STAMPS"
    # other users (postgres) must be able to traverse .local to reach their own directory
    chmod 755 "$NW_LOCAL"
    mkdir -p "$NW_SECRETS"
    chmod 700 "$NW_SECRETS"
}

random_hex() {
    local bytes=$1
    if command -v openssl >/dev/null; then
        openssl rand -hex "$bytes"
    else
        od -An -tx1 -N "$bytes" /dev/urandom | tr -d ' \n'
    fi
}

# secret NAME [BYTES] [PREFIX] -> prints the secret, generating it (once) when missing.
secret() {
    local bytes=${2:-24} prefix=${3:-} file="$NW_SECRETS/$1"
    if [[ ! -s $file ]]; then
        (umask 077 && printf '%s%s\n' "$prefix" "$(random_hex "$bytes")" >"$file.tmp")
        mv "$file.tmp" "$file"
    fi
    chmod 600 "$file"
    head -n1 "$file"
}

pg_password()   { secret postgres-password; }
rmq_password()  { secret rabbitmq-password; }
# nwk_ + 48 hex chars
dev_api_key()   { secret dev-api-key 24 nwk_; }
ops_api_key()   { secret ops-api-key 24 nwk_; }

# dotnet ef writes its SQL scripts with a UTF-8 byte order mark, which psql does not skip.
strip_bom() { sed -i '1s/^\xEF\xBB\xBF//' "$1"; }

sha256_hex() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

# The simulation fleet's sealing key pair (ECDH P-256). The private key is for the worker's
# enclaves only; the API gets the public half. Rotation: add a new pair, keep the old private
# key in the worker's Tee:Simulation:SealingKeyFiles until its envelopes are retired.
NW_SEALING_KEY="$NW_SECRETS/sealing-key.pem"
NW_SEALING_PUBLIC_KEY="$NW_SECRETS/sealing-public.pem"
ensure_sealing_keys() {
    if [[ ! -s $NW_SEALING_KEY ]]; then
        (umask 077 && openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$NW_SEALING_KEY") ||
            die "could not generate the sealing key"
        rm -f "$NW_SEALING_PUBLIC_KEY"
    fi
    if [[ ! -s $NW_SEALING_PUBLIC_KEY ]]; then
        openssl pkey -in "$NW_SEALING_KEY" -pubout -out "$NW_SEALING_PUBLIC_KEY" || die "could not derive the sealing public key"
    fi
    chmod 600 "$NW_SEALING_KEY"
}

# Simulated attestation (DESIGN.md "Attestation"): a per-deployment simulation root CA and a
# simulated PCK certificate it issued. The runner signs each simulated quote's QE report with the
# PCK key and embeds the chain (leaf, root); verifiers trust sim-root.pem for simulated quotes only
# (the API serves it from tee-info). Made once; delete the directory to start a new deployment
# identity (proofs made under the old root then no longer verify against the new one).
#   sim-root.pem       root certificate (public; P-256, self-signed, CA:true pathlen 0, 10 years)
#   sim-root-key.pem   root key (600; only needed to issue another PCK)
#   sim-pck-key.pem    simulated PCK key, PKCS#8 (600; the worker's enclaves only)
#   sim-pck-chain.pem  PCK certificate (CA:false, digitalSignature), then the root
NW_SIM_ATTESTATION_DIR="$NW_SECRETS/attestation"
NW_SIM_ROOT="$NW_SIM_ATTESTATION_DIR/sim-root.pem"
NW_SIM_PCK_KEY="$NW_SIM_ATTESTATION_DIR/sim-pck-key.pem"
NW_SIM_PCK_CHAIN="$NW_SIM_ATTESTATION_DIR/sim-pck-chain.pem"
# ensure_simulation_attestation [DIR]: creates what is missing under DIR (default above). A new
# root always gets a new PCK.
ensure_simulation_attestation() {
    local dir=${1:-$NW_SIM_ATTESTATION_DIR} host
    local root="$dir/sim-root.pem" root_key="$dir/sim-root-key.pem"
    local pck_key="$dir/sim-pck-key.pem" chain="$dir/sim-pck-chain.pem"
    host=${HOSTNAME:-$(uname -n)}
    { mkdir -p "$dir" && chmod 700 "$dir"; } || die "could not create $dir"
    if [[ ! -s $root || ! -s $root_key ]]; then
        (umask 077 && openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$root_key") ||
            die "could not generate the simulation root key"
        openssl req -new -key "$root_key" -subj "/CN=NeoWorker Simulation Root ($host)/OU=not SGX hardware" |
            openssl x509 -req -signkey "$root_key" -sha256 -days 3650 -set_serial "0x$(random_hex 16)" -out "$root" \
                -extensions ext -extfile <(printf '%s\n' '[ext]' 'basicConstraints=critical,CA:true,pathlen:0' \
                    'keyUsage=critical,keyCertSign,cRLSign' 'subjectKeyIdentifier=hash') 2>/dev/null ||
            die "could not create the simulation root certificate"
        rm -f "$pck_key" "$chain"
    fi
    if [[ ! -s $pck_key || ! -s $chain ]]; then
        (umask 077 && openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$pck_key") ||
            die "could not generate the simulated PCK key"
        # 3649 days: the PCK certificate ends before the root does.
        openssl req -new -key "$pck_key" -subj "/CN=NeoWorker Simulated PCK/OU=not SGX hardware" |
            openssl x509 -req -CA "$root" -CAkey "$root_key" -sha256 -days 3649 -set_serial "0x$(random_hex 16)" -out "$chain.tmp" \
                -extensions ext -extfile <(printf '%s\n' '[ext]' 'basicConstraints=critical,CA:false' \
                    'keyUsage=critical,digitalSignature' 'subjectKeyIdentifier=hash' 'authorityKeyIdentifier=keyid') 2>/dev/null ||
            die "could not issue the simulated PCK certificate"
        { cat "$root" >>"$chain.tmp" && mv "$chain.tmp" "$chain"; } || die "could not write $chain"
    fi
    chmod 600 "$root_key" "$pck_key"
}

# pid_alive PIDFILE [PATTERN]: the pid in the file runs (and its command line contains PATTERN),
# so a recycled pid is never mistaken for ours.
pid_alive() {
    local file=$1 pattern=${2:-} pid
    [[ -s $file ]] || return 1
    pid=$(head -n1 "$file")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    [[ -z $pattern ]] && return 0
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}

# stop_pidfile PIDFILE [PATTERN] [TIMEOUT]: TERM, wait, then KILL; removes the pid file.
stop_pidfile() {
    local file=$1 pattern=${2:-} timeout=${3:-20} pid i
    if ! pid_alive "$file" "$pattern"; then
        rm -f "$file"
        return 0
    fi
    pid=$(head -n1 "$file")
    log "stopping $(basename "$file" .pid) (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 5; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        warn "pid $pid did not stop within ${timeout}s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

# port_in_use PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ensure_ports_free SERVICE PORT...: fail early and clearly instead of a crash in a log.
ensure_ports_free() {
    local service=$1 port
    shift
    for port in "$@"; do
        if port_in_use "$port"; then
            die "port $port, needed by $service, is taken by another process (see the NEOWORKER_*_PORT overrides in ops/lib.sh)"
        fi
    done
}

# http_status URL [curl args...] -> prints the HTTP status code (000 when nothing answers).
http_status() {
    local url=$1
    shift
    curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$url" || true
}

# wait_http URL TIMEOUT_SECONDS [EXPECTED_STATUS] [PIDFILE...]: poll until URL answers the
# expected status; gives up early when one of the given processes has died.
wait_http() {
    local url=$1 timeout=$2 expected=${3:-200} deadline code pidfile
    shift 3 || shift $#
    deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        code=$(http_status "$url")
        [[ $code == "$expected" ]] && return 0
        for pidfile in "$@"; do
            if ! pid_alive "$pidfile"; then
                warn "$(basename "$pidfile" .pid) exited while waiting for $url"
                return 1
            fi
        done
        sleep 1
    done
    warn "$url did not answer $expected within ${timeout}s (last status: ${code:-none})"
    return 1
}

# ---------------------------------------------------------------- packages

package_installed() {
    [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == "install ok installed" ]]
}

# ensure_packages PKG...: apt-get installs only what is missing (update only then, once).
ensure_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        package_installed "$pkg" || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        ok "Debian packages present: $*"
        return 0
    fi
    log "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # The postinst scripts may start (or fail to start, without systemd) system instances on the
    # default ports; we never use those, so neither outcome matters to us.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" || die "apt-get install ${missing[*]} failed"
}

# ---------------------------------------------------------------- PostgreSQL

# Prefer 15 (what Debian 12 ships), else the newest installed major version.
pg_bindir() {
    local dir
    for dir in /usr/lib/postgresql/15/bin $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV); do
        [[ -x $dir/pg_ctl ]] && { echo "$dir"; return 0; }
    done
    return 1
}

# The unix socket path is limited to ~107 bytes; fall back to /tmp for deep checkouts.
pg_socket_dir() {
    local dir="$NW_PG_DIR/run"
    if ((${#dir} + 20 > 100)); then
        dir="/tmp/neoworker-pg-$(printf '%s' "$NW_ROOT" | sha256sum | cut -c1-12)"
    fi
    echo "$dir"
}

# PostgreSQL refuses to run as root, so the cluster belongs to the `postgres` OS user.
as_pg() {
    if is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The postgres user must be able to reach .local/postgres: add only the search (x) bit on
# parent directories that lack it (an ACL when setfacl exists, so only postgres gains it).
ensure_pg_traversable() {
    is_root || return 0
    local dir=$NW_PG_DIR
    as_pg test -x "$dir" 2>/dev/null && return 0
    while [[ $dir != / ]]; do
        dir=$(dirname "$dir")
        if ! as_pg test -x "$dir" 2>/dev/null; then
            warn "granting the postgres user search permission on $dir"
            if command -v setfacl >/dev/null; then
                setfacl -m u:postgres:x "$dir"
            else
                chmod o+x "$dir"
            fi
        fi
    done
    as_pg test -x "$NW_PG_DIR" || die "the postgres user cannot reach $NW_PG_DIR"
}

pg_ctl_() { as_pg "$(pg_bindir)/pg_ctl" -D "$NW_PG_DATA" "$@"; }

pg_ready() { "$(pg_bindir)/pg_isready" -q -h 127.0.0.1 -p "$NW_PG_PORT" -t 3; }

# psql as the cluster superuser over the unix socket (peer auth): for provisioning only.
# shellcheck disable=SC2120
psql_admin() {
    as_pg "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$(pg_socket_dir)" -p "$NW_PG_PORT" \
        -U postgres -d postgres "$@"
}

# psql_app DB [args...]: psql as the neoworker role over TCP with its password (password in
# the environment, not on the command line).
psql_app() {
    local db=$1
    shift
    PGPASSWORD="$(pg_password)" "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$NW_PG_PORT" -U "$NW_DB_USER" -d "$db" "$@"
}

pg_init_cluster() {
    [[ -f $NW_PG_DATA/PG_VERSION ]] && return 0
    log "initialising PostgreSQL cluster in $NW_PG_DATA"
    as_pg "$(pg_bindir)/initdb" -D "$NW_PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=peer --auth-host=scram-sha-256 >"$NW_PG_DIR/log/initdb.log" 2>&1 ||
        { tail_log "$NW_PG_DIR/log/initdb.log"; die "initdb failed"; }
    # our settings live in a file we rewrite on every start (ports may be overridden)
    printf "\ninclude_if_exists = 'neoworker.conf'\n" | as_pg tee -a "$NW_PG_DATA/postgresql.conf" >/dev/null
}

pg_write_conf() {
    local sock
    sock=$(pg_socket_dir)
    as_pg mkdir -p "$sock"
    as_pg tee "$NW_PG_DATA/neoworker.conf" >/dev/null <<EOF
# written by ops/lib.sh on every start; edit there
listen_addresses = '127.0.0.1'
port = $NW_PG_PORT
unix_socket_directories = '$sock'
password_encryption = scram-sha-256
max_connections = 200
shared_buffers = 128MB
fsync = on
log_line_prefix = '%m [%p] %q%u@%d '
EOF
}

pg_running() { pg_ctl_ status >/dev/null 2>&1; }

# Role and databases; the role's password is (re)set from .local/secrets every time so the
# secret file is always the truth. The password goes through stdin, not argv.
pg_provision() {
    local pw
    pw=$(pg_password)
    # shellcheck disable=SC2119
    psql_admin <<SQL
SELECT 'CREATE ROLE $NW_DB_USER LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$NW_DB_USER')\gexec
ALTER ROLE $NW_DB_USER WITH LOGIN NOSUPERUSER PASSWORD '$pw';
SELECT 'CREATE DATABASE $NW_DB_NAME OWNER $NW_DB_USER' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$NW_DB_NAME')\gexec
SELECT 'CREATE DATABASE $NW_DB_TEST_NAME OWNER $NW_DB_USER' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$NW_DB_TEST_NAME')\gexec
SQL
    # prove the path the applications use: TCP + scram password
    psql_app "$NW_DB_NAME" -c 'SELECT 1' >/dev/null || die "role $NW_DB_USER cannot log in over TCP"
}

start_postgres() {
    header "PostgreSQL (127.0.0.1:$NW_PG_PORT)"
    pg_bindir >/dev/null || die "PostgreSQL server binaries not found under /usr/lib/postgresql (run ops/deps.sh)"
    ensure_dirs
    mkdir -p "$NW_PG_DIR/log" "$NW_PG_DATA"
    is_root && chown -R postgres:postgres "$NW_PG_DIR"
    chmod 700 "$NW_PG_DATA"
    ensure_pg_traversable
    pg_init_cluster
    pg_write_conf
    if pg_running && ! pg_ready; then
        # running, but not where we expect it (port or socket changed): restart with new conf
        log "PostgreSQL runs but does not answer on port $NW_PG_PORT; restarting it"
        pg_ctl_ stop -m fast -w >/dev/null
    fi
    if pg_running; then
        ok "PostgreSQL already running (reused)"
    else
        ensure_ports_free PostgreSQL "$NW_PG_PORT"
        log "starting PostgreSQL"
        pg_ctl_ start -w -t 60 -l "$NW_PG_LOG" >/dev/null ||
            { tail_log "$NW_PG_LOG"; die "PostgreSQL did not start"; }
    fi
    pg_ready || { tail_log "$NW_PG_LOG"; die "PostgreSQL does not accept connections on 127.0.0.1:$NW_PG_PORT"; }
    pg_provision
    ok "PostgreSQL ready: role $NW_DB_USER, databases $NW_DB_NAME and $NW_DB_TEST_NAME"
}

stop_postgres() {
    [[ -f $NW_PG_DATA/PG_VERSION ]] || return 0
    if pg_running; then
        log "stopping PostgreSQL"
        pg_ctl_ stop -m fast -w -t 60 >/dev/null || warn "pg_ctl stop failed"
    fi
}

# ---------------------------------------------------------------- RabbitMQ

# Every RabbitMQ path and port comes from here, for the server and for the CLI tools alike,
# so the node never reads /etc/rabbitmq or /var/lib/rabbitmq and never meets a system instance.
rmq_env() {
    export RABBITMQ_NODENAME="$NW_RMQ_NODE"
    export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    export RABBITMQ_NODE_PORT="$NW_AMQP_PORT"
    export RABBITMQ_DIST_PORT="$NW_DIST_PORT"
    export RABBITMQ_CONF_ENV_FILE="$NW_RMQ_DIR/rabbitmq-env.conf"
    export RABBITMQ_CONFIG_FILE="$NW_RMQ_DIR/rabbitmq.conf"
    export RABBITMQ_ADVANCED_CONFIG_FILE="$NW_RMQ_DIR/advanced.config"
    export RABBITMQ_ENABLED_PLUGINS_FILE="$NW_RMQ_DIR/enabled_plugins"
    export RABBITMQ_MNESIA_BASE="$NW_RMQ_DIR/mnesia"
    export RABBITMQ_LOG_BASE="$NW_RMQ_DIR/log"
    export RABBITMQ_PID_FILE="$NW_RUN/rabbitmq.pid"
    export RABBITMQ_PLUGINS_EXPAND_DIR="$NW_RMQ_DIR/plugins-expand"
    # distribution only on loopback
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    # a private epmd on its own port, loopback only
    export ERL_EPMD_PORT="$NW_EPMD_PORT"
    export ERL_EPMD_ADDRESS=127.0.0.1
    # the erlang cookie is $HOME/.erlang.cookie for both the node and the CLI
    export HOME="$NW_RMQ_DIR/home"
    # the CLI (Elixir) warns loudly under a latin1 locale
    export LC_ALL=C.UTF-8 LANG=C.UTF-8
}

# rmqctl ARGS...: rabbitmqctl against our node, in a subshell so our HOME etc. don't leak.
rmqctl() {
    (rmq_env && "$NW_RMQ_BIN/rabbitmqctl" -n "$NW_RMQ_NODE" "$@")
}

rmq_log_file() { echo "$NW_RMQ_DIR/log/$NW_RMQ_NODE.log"; }

rmq_write_config() {
    mkdir -p "$NW_RMQ_DIR"/{mnesia,log,home,plugins-expand}
    : >"$NW_RMQ_DIR/rabbitmq-env.conf"
    printf '[].\n' >"$NW_RMQ_DIR/advanced.config"
    printf '[rabbitmq_management].\n' >"$NW_RMQ_DIR/enabled_plugins"
    cat >"$NW_RMQ_DIR/rabbitmq.conf" <<EOF
# written by ops/lib.sh on every start; edit there
listeners.tcp.1 = 127.0.0.1:$NW_AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $NW_MGMT_PORT
loopback_users.guest = true
log.console = false
log.file.level = info
disk_free_limit.absolute = 50MB
EOF
    local cookie="$NW_RMQ_DIR/home/.erlang.cookie"
    if [[ ! -s $cookie ]]; then
        (umask 077 && random_hex 20 | tr 'a-f' 'A-F' >"$cookie")
    fi
    chmod 400 "$cookie"
}

rmq_running() {
    pid_alive "$NW_RUN/rabbitmq.pid" beam && rmqctl status >/dev/null 2>&1
}

# Start the node in the background, detached from our terminal and output, then wait for it.
rmq_launch() {
    local startup_log="$NW_RMQ_DIR/log/startup.log" timeout=${NEOWORKER_RABBITMQ_START_TIMEOUT:-90}
    log "starting RabbitMQ node $NW_RMQ_NODE"
    rm -f "$NW_RUN/rabbitmq.pid"
    (
        rmq_env
        cd "$NW_RMQ_DIR" || exit 1
        exec setsid nohup "$NW_RMQ_BIN/rabbitmq-server" >>"$startup_log" 2>&1 </dev/null
    ) &
    local launcher=$! deadline=$((SECONDS + timeout))
    disown "$launcher"
    # await_startup needs the node to be registered first; retry in short slices so a node that
    # died is noticed at once instead of after the whole timeout.
    local why="did not start within ${timeout}s"
    while ((SECONDS < deadline)); do
        if rmqctl await_startup --timeout 10 >/dev/null 2>&1; then
            ok "RabbitMQ started"
            return 0
        fi
        if ! kill -0 "$launcher" 2>/dev/null; then
            why="exited during boot"
            break
        fi
        sleep 1
    done
    tail_log "$startup_log" 40
    tail_log "$(rmq_log_file)" 60
    die "RabbitMQ node $NW_RMQ_NODE $why (logs above, all in ${NW_RMQ_DIR#"$NW_ROOT"/}/log)"
}

rmq_user_exists() { rmqctl list_users --quiet --no-table-headers 2>/dev/null | awk '{print $1}' | grep -qx "$1"; }
rmq_vhost_exists() { rmqctl list_vhosts --quiet --no-table-headers 2>/dev/null | grep -qx -- "$1"; }

# User, tags, vhosts, permissions; the password comes from .local/secrets every time and goes
# through stdin, not argv.
rmq_provision() {
    local pw vhost
    pw=$(rmq_password)
    if rmq_user_exists "$NW_RMQ_USER"; then
        printf '%s\n' "$pw" | rmqctl change_password "$NW_RMQ_USER" >/dev/null
    else
        printf '%s\n' "$pw" | rmqctl add_user "$NW_RMQ_USER" >/dev/null
    fi
    rmqctl set_user_tags "$NW_RMQ_USER" administrator >/dev/null
    rmq_vhost_exists "$NW_RMQ_TEST_VHOST" || rmqctl add_vhost "$NW_RMQ_TEST_VHOST" >/dev/null
    for vhost in / "$NW_RMQ_TEST_VHOST"; do
        rmqctl set_permissions -p "$vhost" "$NW_RMQ_USER" '.*' '.*' '.*' >/dev/null
    done
    if rmq_user_exists guest; then
        rmqctl delete_user guest >/dev/null
    fi
}

# The management listener comes up a little after the broker; prove it accepts our user.
rmq_wait_management() {
    local timeout=$1 deadline code
    deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        code=$(http_status "$NW_MGMT_URL/api/whoami" -u "$NW_RMQ_USER:$(rmq_password)")
        [[ $code == 200 ]] && return 0
        sleep 1
    done
    tail_log "$(rmq_log_file)" 40
    die "management API at $NW_MGMT_URL does not accept user $NW_RMQ_USER (last HTTP status $code)"
}

start_rabbitmq() {
    header "RabbitMQ ($NW_RMQ_NODE, AMQP 127.0.0.1:$NW_AMQP_PORT, management $NW_MGMT_URL)"
    ensure_dirs
    [[ -x $NW_RMQ_BIN/rabbitmq-server ]] || die "$NW_RMQ_BIN/rabbitmq-server missing (run ops/deps.sh)"
    rmq_write_config
    if rmq_running; then
        ok "RabbitMQ already running (reused)"
    else
        ensure_ports_free RabbitMQ "$NW_AMQP_PORT" "$NW_MGMT_PORT" "$NW_DIST_PORT"
        rmq_launch
    fi
    rmq_provision
    rmq_wait_management 30
    ok "RabbitMQ ready: user $NW_RMQ_USER on vhosts / and $NW_RMQ_TEST_VHOST; guest removed"
}

stop_rabbitmq() {
    if pid_alive "$NW_RUN/rabbitmq.pid" beam; then
        log "stopping RabbitMQ node $NW_RMQ_NODE"
        # `stop <pidfile>` returns only once the node's OS process has exited
        rmqctl stop "$NW_RUN/rabbitmq.pid" >/dev/null 2>&1 ||
            stop_pidfile "$NW_RUN/rabbitmq.pid" beam 30
    fi
    rm -f "$NW_RUN/rabbitmq.pid"
    # our private epmd (own port) serves no one else
    if (rmq_env && epmd -names >/dev/null 2>&1); then
        (rmq_env && epmd -kill >/dev/null 2>&1) || true
    fi
}

# ---------------------------------------------------------------- environment

pg_conn_string() {
    local db=${1:-$NW_DB_NAME}
    printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s' \
        "$NW_PG_PORT" "$db" "$NW_DB_USER" "$(pg_password)"
}

# write_env: .local/env, sourceable, 600. The API key is the dev key created once here.
write_env() {
    ensure_dirs
    local tmp="$NW_ENV_FILE.tmp"
    (
        umask 077
        {
            echo "# generated by ops/services.sh; do not edit (rewritten on every run)"
            printf 'export NEOWORKER_URL=%q\n' "$NW_API_URL"
            printf 'export NEOWORKER_API_KEY=%q\n' "$(dev_api_key)"
            printf 'export NEOWORKER_USER=%q\n' "$NW_DEV_USER"
            printf 'export NEOWORKER_OPS_API_KEY=%q\n' "$(ops_api_key)"
            printf 'export NEOWORKER_WORKER_URL=%q\n' "$NW_WORKER_URL"
            printf 'export ConnectionStrings__Postgres=%q\n' "$(pg_conn_string)"
            printf 'export RabbitMq__Host=%q\n' 127.0.0.1
            printf 'export RabbitMq__Port=%q\n' "$NW_AMQP_PORT"
            printf 'export RabbitMq__Username=%q\n' "$NW_RMQ_USER"
            printf 'export RabbitMq__Password=%q\n' "$(rmq_password)"
            printf 'export RabbitMq__VirtualHost=%q\n' /
            printf 'export NEOWORKER_RABBITMQ_MANAGEMENT_URL=%q\n' "$NW_MGMT_URL"
        } >"$tmp"
    )
    mv "$tmp" "$NW_ENV_FILE"
    chmod 600 "$NW_ENV_FILE"
    ok "wrote $NW_ENV_FILE"
}

# test_env: the environment the .NET tests run with (after sourcing .local/env): their own
# database and vhost, so they never compete with the API/worker started by ops/up.sh.
test_env() {
    export ConnectionStrings__Postgres
    ConnectionStrings__Postgres=$(pg_conn_string "$NW_DB_TEST_NAME")
    export RabbitMq__VirtualHost="$NW_RMQ_TEST_VHOST"
    export NEOWORKER_ENCLAVE_PATH="$NW_RUNNER_DIR"
}
