#!/usr/bin/env bash
# Builds the SGX quote addon with node-gyp (npm's bundled copy; no npm install) for the `node` on
# PATH, leaves it at build/Release/sgx_quote.node and copies it to native/sgx_quote.node (the default
# path of src/sgxQuote.js), then loads it once to prove it links. Used by docker/occlum/Dockerfile.
#
#   native/build.sh [--nodedir DIR]
#
# Headers: DIR/include/node/node_api.h. Default: $npm_config_nodedir, else the prefix of the `node`
# on PATH when it ships its headers (/usr for Debian's node, /usr/local for the node images), else
# node-gyp's own download cache.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
die() { echo "native/build.sh: error: $*" >&2; exit 1; }

nodedir=${npm_config_nodedir:-}
while (($#)); do
    case $1 in
        --nodedir) nodedir=${2:?--nodedir needs a directory}; shift 2 ;;
        -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done

node=$(command -v node) || die "node is not on PATH"
if [[ -z $nodedir ]]; then
    prefix=$(cd "$(dirname "$(readlink -f "$node")")/.." && pwd)
    [[ -f $prefix/include/node/node_api.h ]] && nodedir=$prefix
fi
[[ -z $nodedir || -f $nodedir/include/node/node_api.h ]] || die "no include/node/node_api.h under --nodedir '$nodedir'"

if command -v node-gyp >/dev/null; then
    gyp=(node-gyp)
else
    npm_root=$(npm root -g 2>/dev/null || true)
    candidates=("$npm_root/npm/node_modules/node-gyp/bin/node-gyp.js"
        "$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js")
    gyp=()
    for candidate in "${candidates[@]}"; do
        if [[ -f $candidate ]]; then gyp=("$node" "$candidate"); break; fi
    done
    ((${#gyp[@]})) || die "node-gyp not found (neither on PATH nor bundled with npm)"
fi

args=(rebuild)
[[ -n $nodedir ]] && args+=("--nodedir=$nodedir")
(cd "$here" && "${gyp[@]}" "${args[@]}") || die "node-gyp ${args[*]} failed (output above)"
[[ -f $here/build/Release/sgx_quote.node ]] || die "node-gyp did not produce build/Release/sgx_quote.node"
# binding.gyp's copy target links it there already; copy when it did not (older gyp).
[[ $here/build/Release/sgx_quote.node -ef $here/sgx_quote.node ]] || cp -f "$here/build/Release/sgx_quote.node" "$here/sgx_quote.node"

# Load it and call it once: outside Occlum it must throw SgxDeviceMissing, not crash.
"$node" -e '
const addon = require(process.argv[1]);
if (typeof addon.getQuote !== "function") throw new Error("sgx_quote.node does not export getQuote");
try { addon.getQuote(Buffer.alloc(64)); console.log("native/build.sh: getQuote returned a quote (inside Occlum)"); }
catch (error) { console.log(`native/build.sh: loads; getQuote here: [${error.code}] ${error.message}`); }
' "$here/sgx_quote.node"
echo "native/build.sh: built $here/sgx_quote.node"
