'use strict';

// The hardware evidence source's boundary: an SGX DCAP ECDSA quote (v3) for this enclave, obtained
// through Occlum's /dev/sgx device (its "generate DCAP quote" ioctls). The ioctls are made by a small
// N-API addon that is built in the Occlum image, not here; this module is the whole JavaScript side
// of that boundary, and the only thing attest.js calls:
//
//   getQuote(reportData: Buffer of 64 bytes) -> Buffer (the quote, exactly as the device returns it)
//
// The addon must export a function of the same name and shape. It is looked up at
// NEOWORKER_SGX_QUOTE_ADDON (a path), else at native/sgx_quote.node next to src/. When it is absent
// getQuote throws an Error whose code is 'SgxQuoteAddonMissing', and the runner refuses to start.

const path = require('node:path');

const DEFAULT_ADDON_PATH = path.join(__dirname, '..', 'native', 'sgx_quote.node');
const REPORT_DATA_BYTES = 64;

let addon; // undefined: not looked up yet

function addonPath(env = process.env) {
  return env.NEOWORKER_SGX_QUOTE_ADDON || DEFAULT_ADDON_PATH;
}

function loadAddon() {
  if (addon !== undefined) return addon;
  const file = addonPath();
  try {
    // eslint-disable-next-line global-require, import/no-dynamic-require
    addon = require(file);
  } catch (error) {
    if (error && error.code !== 'MODULE_NOT_FOUND') throw error;
    const missing = new Error(
      `SGX evidence was requested (NEOWORKER_EVIDENCE=sgx) but the quote addon is not installed at ${file}; ` +
      'it is built in the Occlum image (docker/occlum). Outside SGX, unset NEOWORKER_EVIDENCE to use simulated evidence.');
    missing.code = 'SgxQuoteAddonMissing';
    throw missing;
  }
  if (!addon || typeof addon.getQuote !== 'function') {
    const broken = new Error(`The SGX quote addon at ${file} does not export getQuote(reportData)`);
    addon = undefined;
    throw broken;
  }
  return addon;
}

/** The quote for this enclave with the given 64 bytes of REPORTDATA. Throws when the device or addon fails. */
function getQuote(reportData) {
  if (!Buffer.isBuffer(reportData) || reportData.length !== REPORT_DATA_BYTES) {
    throw new TypeError(`reportData must be a Buffer of ${REPORT_DATA_BYTES} bytes`);
  }
  const quote = loadAddon().getQuote(Buffer.from(reportData));
  if (!(quote instanceof Uint8Array)) throw new Error('The SGX quote addon returned no quote bytes');
  return Buffer.from(quote);
}

module.exports = { getQuote, addonPath, DEFAULT_ADDON_PATH, REPORT_DATA_BYTES };
