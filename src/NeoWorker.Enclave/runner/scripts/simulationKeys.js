'use strict';

// Throwaway simulation attestation keys for tests and the interop fixture, made exactly as a
// deployment's are: by ops/lib.sh's ensure_simulation_attestation (openssl), in a temp directory.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const LIB_SH = path.join(__dirname, '..', '..', '..', '..', 'ops', 'lib.sh');

/** Why throwaway keys cannot be made here (ops/lib.sh or openssl missing), or null. */
function unavailableReason() {
  if (!fs.existsSync(LIB_SH)) return `${LIB_SH} not found (the runner is not inside the NeoWorker repo)`;
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    return 'openssl is not installed';
  }
  return null;
}

/**
 * Makes a simulation root and PCK in a new temp directory. Returns the file paths, their contents,
 * and remove() to delete the directory.
 */
function makeThrowawaySimulationKeys() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neoworker-sim-attestation-'));
  execFileSync('bash', ['-c', 'source "$1" && ensure_simulation_attestation "$2"', '_', LIB_SH, dir],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  const file = (name) => path.join(dir, name);
  return {
    dir,
    rootFile: file('sim-root.pem'),
    keyFile: file('sim-pck-key.pem'),
    chainFile: file('sim-pck-chain.pem'),
    rootPem: fs.readFileSync(file('sim-root.pem'), 'utf8'),
    keyPem: fs.readFileSync(file('sim-pck-key.pem'), 'utf8'),
    chainPem: fs.readFileSync(file('sim-pck-chain.pem'), 'utf8'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

module.exports = { makeThrowawaySimulationKeys, unavailableReason, LIB_SH };
