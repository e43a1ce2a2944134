'use strict';

// The real SGX quote addon (native/, built by native/build.sh; building is not part of ops/test.sh).
// Outside an Occlum enclave it must load and fail clearly, never crash; inside one it returns the
// quote, which only the Occlum image can show. Skipped when the addon has not been built here.

const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const RUNNER_DIR = path.join(__dirname, '..');
const ADDON = path.join(RUNNER_DIR, 'native', 'sgx_quote.node');
const built = fs.existsSync(ADDON);
const insideOcclum = fs.existsSync('/dev/sgx') && !fs.statSync('/dev/sgx').isDirectory();
const skip = !built
  ? `the SGX quote addon is not built (run src/NeoWorker.Enclave/runner/native/build.sh to test it): ${ADDON}`
  : insideOcclum ? 'this process runs where /dev/sgx is a device (inside Occlum?): the outside-Occlum checks do not apply' : false;

/** Runs a script in a fresh node with the given environment; returns { status, stdout, stderr }. */
function node(args, env = {}) {
  const clean = { ...process.env };
  for (const name of ['NEOWORKER_EVIDENCE', 'NEOWORKER_SIM_ATTESTATION_KEY_FILE', 'NEOWORKER_SIM_ATTESTATION_CHAIN_FILE', 'NEOWORKER_SGX_QUOTE_ADDON', 'NEOWORKER_SEALING_KEY_FILES']) {
    delete clean[name];
  }
  return spawnSync(process.execPath, ['--no-node-snapshot', ...args], { encoding: 'utf8', env: { ...clean, ...env }, input: '', timeout: 30_000 });
}

// Each test carries the skip reason, so a run without the addon reports them as skipped.
describe('the built SGX quote addon, outside Occlum', () => {
  test('it exports getQuote and throws SgxDeviceMissing naming /dev/sgx', { skip }, () => {
    // eslint-disable-next-line global-require, import/no-dynamic-require
    const addon = require(ADDON);
    assert.equal(typeof addon.getQuote, 'function');
    assert.equal(addon.device, '/dev/sgx');
    assert.throws(() => addon.getQuote(Buffer.alloc(64)), (error) => {
      assert.ok(error instanceof Error);
      assert.equal(error.code, 'SgxDeviceMissing');
      assert.match(error.message, /\/dev\/sgx not found: not inside an Occlum enclave/);
      return true;
    });
  });

  test('it refuses report data that is not 64 bytes, before touching the device', { skip }, () => {
    // eslint-disable-next-line global-require, import/no-dynamic-require
    const { getQuote } = require(ADDON);
    assert.throws(() => getQuote(), TypeError);
    assert.throws(() => getQuote('x'.repeat(64)), TypeError);
    assert.throws(() => getQuote(new Uint16Array(32)), TypeError);
    assert.throws(() => getQuote(Buffer.alloc(63)), (error) => error instanceof RangeError && /exactly 64 bytes, got 63/.test(error.message));
    assert.throws(() => getQuote(new Uint8Array(64)), /not inside an Occlum enclave/);
  });

  test('sgxQuote.js finds it at its default path and passes the error through', { skip }, () => {
    const script = `
      const { getQuote, addonPath } = require(${JSON.stringify(path.join(RUNNER_DIR, 'src', 'sgxQuote.js'))});
      if (addonPath() !== ${JSON.stringify(ADDON)}) throw new Error('default path ' + addonPath());
      try { getQuote(Buffer.alloc(64)); console.log('no error'); }
      catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }`;
    const run = node(['-e', script]);
    assert.equal(run.status, 0, run.stderr);
    const error = JSON.parse(run.stdout.trim());
    assert.equal(error.code, 'SgxDeviceMissing');
    assert.match(error.message, /\/dev\/sgx not found: not inside an Occlum enclave/);
  });

  test('a runner told NEOWORKER_EVIDENCE=sgx refuses to start, saying it is not inside Occlum', { skip }, () => {
    const run = node([path.join(RUNNER_DIR, 'src', 'index.js')], { NEOWORKER_EVIDENCE: 'sgx' });
    assert.notEqual(run.status, 0);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /\/dev\/sgx not found: not inside an Occlum enclave/);
  });
});
