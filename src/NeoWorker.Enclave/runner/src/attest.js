'use strict';

// The enclave's identity and the proof of every job (DESIGN.md, "Attestation").
//
// At start the runner makes a P-256 key pair, the ENCLAVE KEY, and obtains evidence binding its
// public key: a quote (SGX DCAP ECDSA v3 layout) whose REPORTDATA is SHA-256(public point) followed
// by 32 zero bytes. The evidence comes from a pluggable source:
//   - 'simulated' (default when NEOWORKER_SIM_ATTESTATION_KEY_FILE and _CHAIN_FILE are set): a quote
//     written here, byte for byte the layout of the C# SimulatedQuoteBuilder
//     (src/NeoWorker.Attestation/Quotes/README.md), MRENCLAVE = SHA-256 of the runner bundle;
//   - 'sgx' (NEOWORKER_EVIDENCE=sgx): the hardware quote through Occlum's /dev/sgx (sgxQuote.js).
// Every result is then signed by the enclave key over a canonical statement (proofStatement).
//
// The private key lives only in the closure of createAttestation: nothing exports it, and job
// isolates have no host objects at all.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const EVIDENCE_TYPE = 'sgx-dcap-quote-v3';
const RUNNER_DIR = path.join(__dirname, '..');

// Simulated quote constants (the README's "Exact bytes SimulatedQuoteBuilder writes").
const SIMULATED_VENDOR_ID = Buffer.from('NEOWORKER-SIMQE1', 'ascii');
const SIMULATED_MRSIGNER = sha256(Buffer.from('neoworker-simulation-signer', 'utf8'));
const SIMULATED_ISV_PROD_ID = 1;
const SIMULATED_ISV_SVN = 1;
const QE_AUTH_DATA = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const FLAG_INIT = 0x01n;
const FLAG_DEBUG = 0x02n;
const FLAG_MODE64BIT = 0x04n;
const XFRM = 0x03n;

// Offsets (absolute, in the quote).
const HEADER_SIZE = 48;
const REPORT_BODY_SIZE = 384;
const SIGNED_LENGTH = HEADER_SIZE + REPORT_BODY_SIZE; // 432
const OFFSET = Object.freeze({
  version: 0,
  attKeyType: 2,
  qeVendorId: 12,
  attributesFlags: 96,
  xfrm: 104,
  mrenclave: 112,
  mrsigner: 176,
  isvProdId: 304,
  isvSvn: 306,
  reportData: 368,
  signatureDataLength: 432,
  isvSignature: 436,
  attestationKey: 500,
  qeReport: 564,
  qeReportData: 884,
  qeReportSignature: 948,
  qeAuthDataLength: 1012,
  qeAuthData: 1014,
});

/** An error in the attestation configuration: the runner reports it and refuses to start. */
class AttestationConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AttestationConfigError';
  }
}

function sha256(data) {
  return crypto.createHash('sha256').update(data).digest();
}

function sha256HexOfText(text) {
  return crypto.createHash('sha256').update(text === null || text === undefined ? '' : text, 'utf8').digest('hex');
}

/** The uncompressed point (04 ‖ X ‖ Y, 65 bytes) of a P-256 public key. */
function publicPointOf(publicKey) {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const point = spki.subarray(spki.length - 65);
  if (spki.length !== 91 || point[0] !== 0x04) throw new Error('Not an uncompressed P-256 public key');
  return Buffer.from(point);
}

/** Lowercase hex of the first 16 bytes of SHA-256(point). */
function enclaveKeyIdOf(point) {
  return sha256(point).subarray(0, 16).toString('hex');
}

/** REPORTDATA binding the enclave key: SHA-256(point) ‖ 32 zero bytes. */
function reportDataFor(point) {
  return Buffer.concat([sha256(point), Buffer.alloc(32)]);
}

/**
 * MRENCLAVE of the simulated runner: SHA-256 over, for each src/*.js in ordinal order of the name,
 * then package-lock.json: UTF-8 of the relative path ('/'-separated), 0x00, the file bytes, 0x00.
 */
function measureBundle(runnerDir = RUNNER_DIR) {
  const sources = fs.readdirSync(path.join(runnerDir, 'src'), { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => entry.name)
    .sort((a, b) => (Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))));
  const files = [...sources.map((name) => `src/${name}`), 'package-lock.json'];
  const hash = crypto.createHash('sha256');
  const zero = Buffer.alloc(1);
  for (const file of files) {
    hash.update(Buffer.from(file, 'utf8'));
    hash.update(zero);
    hash.update(fs.readFileSync(path.join(runnerDir, ...file.split('/'))));
    hash.update(zero);
  }
  return hash.digest();
}

/**
 * The DER of each CERTIFICATE block of a PEM chain, in order. Only whitespace may surround the
 * blocks (trailing NULs are tolerated, as in the C# reader).
 */
function readPemChain(text) {
  const pattern = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  const body = text.replace(/\0+$/, '');
  const certificates = [];
  let last = 0;
  let match;
  while ((match = pattern.exec(body)) !== null) {
    if (body.slice(last, match.index).trim() !== '') {
      throw new Error(`unexpected text before certificate ${certificates.length + 1}`);
    }
    if (match[1] !== 'CERTIFICATE') throw new Error(`PEM block ${certificates.length + 1} is labelled '${match[1]}', expected 'CERTIFICATE'`);
    const base64 = match[2].replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
      throw new Error(`certificate ${certificates.length + 1} is not valid base64`);
    }
    certificates.push(Buffer.from(base64, 'base64'));
    last = pattern.lastIndex;
  }
  if (body.slice(last).trim() !== '') throw new Error('unexpected text after the last certificate');
  if (certificates.length === 0) throw new Error('it holds no certificate');
  return certificates;
}

/**
 * Type-5 certification data as the C# builder writes it (CertificatePemChain.Write + NUL): per
 * certificate "-----BEGIN CERTIFICATE-----\n", base64 in 64-column lines each ending "\n",
 * "-----END CERTIFICATE-----\n"; leaf first; then one 0x00 byte.
 */
function certificationDataOf(certificates) {
  let pem = '';
  for (const der of certificates) {
    const base64 = der.toString('base64');
    pem += '-----BEGIN CERTIFICATE-----\n';
    for (let i = 0; i < base64.length; i += 64) pem += `${base64.slice(i, i + 64)}\n`;
    pem += '-----END CERTIFICATE-----\n';
  }
  return Buffer.concat([Buffer.from(pem, 'ascii'), Buffer.alloc(1)]);
}

function signP1363(key, data) {
  return crypto.sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
}

/**
 * A simulated quote: exactly the layout of SimulatedQuoteBuilder (see the Quotes README). Every byte
 * not written below is zero. A fresh attestation key signs header ‖ report body; the QE report binds
 * that key and is signed by the simulated PCK key.
 */
function buildSimulatedQuote({ reportData, mrenclave, mrsigner, isvProdId, isvSvn, debug, pckKey, certificationData }) {
  if (reportData.length !== 64) throw new Error('reportData must be 64 bytes');
  if (mrenclave.length !== 32 || mrsigner.length !== 32) throw new Error('mrenclave and mrsigner must be 32 bytes');

  const attestation = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const attestationPublicKey = publicPointOf(attestation.publicKey).subarray(1); // x ‖ y

  const signatureDataLength = 64 + 64 + REPORT_BODY_SIZE + 64 + 2 + QE_AUTH_DATA.length + 2 + 4 + certificationData.length;
  const quote = Buffer.alloc(SIGNED_LENGTH + 4 + signatureDataLength);

  // Header.
  quote.writeUInt16LE(3, OFFSET.version);
  quote.writeUInt16LE(2, OFFSET.attKeyType);
  SIMULATED_VENDOR_ID.copy(quote, OFFSET.qeVendorId);

  // ISV enclave report body.
  quote.writeBigUInt64LE(FLAG_INIT | FLAG_MODE64BIT | (debug ? FLAG_DEBUG : 0n), OFFSET.attributesFlags);
  quote.writeBigUInt64LE(XFRM, OFFSET.xfrm);
  mrenclave.copy(quote, OFFSET.mrenclave);
  mrsigner.copy(quote, OFFSET.mrsigner);
  quote.writeUInt16LE(isvProdId, OFFSET.isvProdId);
  quote.writeUInt16LE(isvSvn, OFFSET.isvSvn);
  reportData.copy(quote, OFFSET.reportData);

  // Signature data.
  quote.writeUInt32LE(signatureDataLength, OFFSET.signatureDataLength);
  signP1363(attestation.privateKey, quote.subarray(0, SIGNED_LENGTH)).copy(quote, OFFSET.isvSignature);
  attestationPublicKey.copy(quote, OFFSET.attestationKey);
  sha256(Buffer.concat([attestationPublicKey, QE_AUTH_DATA])).copy(quote, OFFSET.qeReportData);
  signP1363(pckKey, quote.subarray(OFFSET.qeReport, OFFSET.qeReport + REPORT_BODY_SIZE)).copy(quote, OFFSET.qeReportSignature);
  quote.writeUInt16LE(QE_AUTH_DATA.length, OFFSET.qeAuthDataLength);
  QE_AUTH_DATA.copy(quote, OFFSET.qeAuthData);
  let at = OFFSET.qeAuthData + QE_AUTH_DATA.length;
  quote.writeUInt16LE(5, at);
  quote.writeUInt32LE(certificationData.length, at + 2);
  at += 6;
  certificationData.copy(quote, at);
  return quote;
}

function readConfigFile(file, variable, what) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new AttestationConfigError(`${variable}=${file}: cannot read the ${what} (${error.code || error.message})`);
  }
}

/**
 * The simulated evidence source: the PCK key (PKCS#8 PEM, P-256) and its chain (leaf … root) from
 * files. Throws AttestationConfigError naming the variable and the reason when they are unusable.
 */
function createSimulatedEvidenceSource({ keyFile, chainFile, runnerDir = RUNNER_DIR }) {
  const keyVar = 'NEOWORKER_SIM_ATTESTATION_KEY_FILE';
  const chainVar = 'NEOWORKER_SIM_ATTESTATION_CHAIN_FILE';
  let pckKey;
  try {
    pckKey = crypto.createPrivateKey(readConfigFile(keyFile, keyVar, 'simulated attestation (PCK) key'));
  } catch (error) {
    if (error instanceof AttestationConfigError) throw error;
    throw new AttestationConfigError(`${keyVar}=${keyFile}: not a PEM private key (${error.message})`);
  }
  if (pckKey.asymmetricKeyType !== 'ec' || pckKey.asymmetricKeyDetails.namedCurve !== 'prime256v1') {
    throw new AttestationConfigError(`${keyVar}=${keyFile}: the simulated attestation key must be a P-256 EC key`);
  }

  let certificates;
  try {
    certificates = readPemChain(readConfigFile(chainFile, chainVar, 'simulated attestation certificate chain'));
  } catch (error) {
    if (error instanceof AttestationConfigError) throw error;
    throw new AttestationConfigError(`${chainVar}=${chainFile}: not a PEM certificate chain: ${error.message}`);
  }
  let leaf;
  try {
    leaf = new crypto.X509Certificate(certificates[0]);
  } catch (error) {
    throw new AttestationConfigError(`${chainVar}=${chainFile}: the first certificate cannot be read (${error.message})`);
  }
  const spki = (key) => key.export({ type: 'spki', format: 'der' });
  if (!spki(leaf.publicKey).equals(spki(crypto.createPublicKey(pckKey)))) {
    throw new AttestationConfigError(`${chainVar}=${chainFile}: its first certificate is not the certificate of the key in ${keyVar}`);
  }

  const certificationData = certificationDataOf(certificates);
  let mrenclave;
  try {
    mrenclave = measureBundle(runnerDir);
  } catch (error) {
    throw new AttestationConfigError(`cannot measure the runner bundle (src/*.js and package-lock.json in ${runnerDir}): ${error.message}`);
  }
  return Object.freeze({
    kind: 'simulated',
    simulated: true,
    getQuote: (reportData) => buildSimulatedQuote({
      reportData,
      mrenclave,
      mrsigner: SIMULATED_MRSIGNER,
      isvProdId: SIMULATED_ISV_PROD_ID,
      isvSvn: SIMULATED_ISV_SVN,
      debug: false,
      pckKey,
      certificationData,
    }),
  });
}

/** The hardware evidence source; getQuote is injectable so tests can mock the addon boundary. */
function createSgxEvidenceSource({ getQuote = require('./sgxQuote').getQuote } = {}) {
  return Object.freeze({ kind: 'sgx', simulated: false, getQuote });
}

/**
 * The evidence source the environment asks for, or null (no evidence: the runner signs nothing):
 *   NEOWORKER_EVIDENCE=sgx        hardware quotes (sgxQuote.js);
 *   NEOWORKER_EVIDENCE=simulated  simulated quotes; both files below are then required;
 *   unset or empty                simulated quotes when NEOWORKER_SIM_ATTESTATION_KEY_FILE and
 *                                 NEOWORKER_SIM_ATTESTATION_CHAIN_FILE are both set, else null.
 */
function evidenceSourceFromEnvironment(env = process.env, { warn = () => {} } = {}) {
  const mode = env.NEOWORKER_EVIDENCE || '';
  if (mode === 'sgx') return createSgxEvidenceSource();
  if (mode !== '' && mode !== 'simulated') {
    throw new AttestationConfigError(`NEOWORKER_EVIDENCE must be "sgx" or "simulated" (or unset); got "${mode}"`);
  }
  const keyFile = env.NEOWORKER_SIM_ATTESTATION_KEY_FILE || '';
  const chainFile = env.NEOWORKER_SIM_ATTESTATION_CHAIN_FILE || '';
  if (keyFile === '' || chainFile === '') {
    if (mode === 'simulated') {
      throw new AttestationConfigError('NEOWORKER_EVIDENCE=simulated needs NEOWORKER_SIM_ATTESTATION_KEY_FILE and NEOWORKER_SIM_ATTESTATION_CHAIN_FILE');
    }
    if (keyFile !== '' || chainFile !== '') {
      warn('only one of NEOWORKER_SIM_ATTESTATION_KEY_FILE and NEOWORKER_SIM_ATTESTATION_CHAIN_FILE is set; running without evidence');
    }
    return null;
  }
  return createSimulatedEvidenceSource({ keyFile, chainFile });
}

/**
 * The canonical statement a proof signs: exactly these keys in this order, JSON.stringify's text
 * (no whitespace). Hashes are lowercase hex SHA-256 of the UTF-8 text ('' when null).
 */
function proofStatement({ jobId, job, status, result, executedAt, enclaveKeyId }) {
  return JSON.stringify({
    jobId,
    functionId: typeof job.functionId === 'string' ? job.functionId : '',
    userId: typeof job.userId === 'string' ? job.userId : '',
    codeSha256: sha256HexOfText(textOf(job.code)),
    inputSha256: sha256HexOfText(textOf(job.input)),
    status,
    resultSha256: sha256HexOfText(textOf(result)),
    executedAt,
    enclaveKeyId,
  });
}

// The protocol carries code and input as strings (or null). A host that breaks that gets a job that
// fails InvalidInput; its statement then hashes the value's JSON text.
function textOf(value) {
  if (value === null || value === undefined || typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * What the enclave key signs in a key request (src/NeoWorker.Attestation/Sealing/README.md, "Key release"): the
 * transport key and nonce, both base64, after a fixed prefix. It is never a JSON object, so it cannot pass for a
 * proof statement, and no statement can pass for it.
 */
function keyRequestText(transportPoint, nonce) {
  return `neoworker/key-release/v1\nrequest\n${transportPoint.toString('base64')}\n${nonce.toString('base64')}`;
}

/** Minimal sanity check of evidence before the runner announces it. */
function checkQuote(quote, reportData) {
  if (!Buffer.isBuffer(quote) || quote.length < OFFSET.isvSignature + 64) throw new Error('the evidence source returned no quote');
  if (quote.readUInt16LE(OFFSET.version) !== 3) throw new Error(`the quote is version ${quote.readUInt16LE(0)}, expected 3`);
  if (!quote.subarray(OFFSET.reportData, OFFSET.reportData + 64).equals(reportData)) {
    throw new Error("the quote's REPORTDATA is not the one requested");
  }
}

/**
 * Makes the enclave key and its evidence. Returns { info, prove, signKeyRequest }: info is the ready
 * message's "attestation" value (null without a source); prove(jobId, job, outcome) returns the result's
 * "proof" ({statement, signature}, or null without a source); signKeyRequest(transportPoint, nonce)
 * signs a key request (keyRelease.js; throws without a source).
 */
function createAttestation(source, { now = () => new Date() } = {}) {
  if (!source) {
    return Object.freeze({
      info: null,
      prove: () => null,
      signKeyRequest: () => { throw new Error('this runner has no evidence, so it cannot request the sealing key'); },
    });
  }

  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const point = publicPointOf(publicKey);
  const enclaveKeyId = enclaveKeyIdOf(point);
  const reportData = reportDataFor(point);
  const quote = source.getQuote(Buffer.from(reportData));
  checkQuote(quote, reportData);

  const info = Object.freeze({
    enclavePublicKey: point.toString('base64'),
    enclaveKeyId,
    evidenceType: EVIDENCE_TYPE,
    evidence: quote.toString('base64'),
    simulated: source.simulated,
    mrenclave: quote.subarray(OFFSET.mrenclave, OFFSET.mrenclave + 32).toString('hex'),
  });

  function prove(jobId, job, outcome) {
    const statement = proofStatement({
      jobId,
      job,
      status: outcome.status,
      result: outcome.result,
      executedAt: now().toISOString(),
      enclaveKeyId,
    });
    const signature = signP1363(privateKey, Buffer.from(statement, 'utf8')).toString('base64');
    return { statement, signature };
  }

  // A key request (keyRelease.js): the enclave key vouches for a fresh transport key, so a release wrapped to it can
  // only be opened where this key lives.
  function signKeyRequest(transportPoint, nonce) {
    return signP1363(privateKey, Buffer.from(keyRequestText(transportPoint, nonce), 'utf8')).toString('base64');
  }

  return Object.freeze({ info, prove, signKeyRequest });
}

module.exports = {
  EVIDENCE_TYPE,
  OFFSET,
  SIMULATED_VENDOR_ID,
  SIMULATED_MRSIGNER,
  QE_AUTH_DATA,
  AttestationConfigError,
  publicPointOf,
  enclaveKeyIdOf,
  reportDataFor,
  measureBundle,
  readPemChain,
  certificationDataOf,
  buildSimulatedQuote,
  createSimulatedEvidenceSource,
  createSgxEvidenceSource,
  evidenceSourceFromEnvironment,
  proofStatement,
  keyRequestText,
  createAttestation,
};
