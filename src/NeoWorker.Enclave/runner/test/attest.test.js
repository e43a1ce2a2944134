'use strict';

// Attestation: the enclave key, its evidence (simulated quote, byte layout of the C#
// SimulatedQuoteBuilder; or the SGX addon, mocked at its boundary) and the proof on every result.

const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const attest = require('../src/attest');
const { makeThrowawaySimulationKeys, unavailableReason } = require('../scripts/simulationKeys');

const RUNNER_DIR = path.join(__dirname, '..');
const RUNNER = path.join(RUNNER_DIR, 'src', 'index.js');
const noKeys = unavailableReason();

const sha256 = (data) => crypto.createHash('sha256').update(data).digest();
const sha256Hex = (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** A runner child with the given extra environment (attestation variables are cleared first). */
class Runner {
  constructor(extraEnv = {}) {
    const env = { ...process.env };
    for (const name of ['NEOWORKER_EVIDENCE', 'NEOWORKER_SIM_ATTESTATION_KEY_FILE', 'NEOWORKER_SIM_ATTESTATION_CHAIN_FILE', 'NEOWORKER_SGX_QUOTE_ADDON', 'NEOWORKER_SEALING_KEY_FILES']) {
      delete env[name];
    }
    this.child = spawn(process.execPath, ['--no-node-snapshot', RUNNER], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...env, ...extraEnv } });
    this.stderr = '';
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text) => { this.stderr += text; });
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  async next() {
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`runner ended; stderr: ${this.stderr}`);
    return JSON.parse(value);
  }

  async execute(request) {
    this.child.stdin.write(`${JSON.stringify({ type: 'execute', ...request })}\n`);
    return this.next();
  }

  async close() {
    this.child.stdin.end();
    return this.exited;
  }
}

/** Reads a quote with the README's absolute offsets (independently of attest.js's constants). */
function parseQuote(quote) {
  const u16 = (at) => quote.readUInt16LE(at);
  const at = 1014 + u16(1012);
  return {
    version: u16(0),
    attKeyType: u16(2),
    headerZeros: quote.subarray(4, 12),
    vendorId: quote.subarray(12, 28).toString('latin1'),
    userData: quote.subarray(28, 48),
    flags: quote.readBigUInt64LE(96),
    xfrm: quote.readBigUInt64LE(104),
    mrenclave: quote.subarray(112, 144),
    mrsigner: quote.subarray(176, 208),
    isvProdId: u16(304),
    isvSvn: u16(306),
    reportData: quote.subarray(368, 432),
    signatureDataLength: quote.readUInt32LE(432),
    isvSignature: quote.subarray(436, 500),
    attestationKey: quote.subarray(500, 564),
    qeReport: quote.subarray(564, 948),
    qeReportData: quote.subarray(884, 948),
    qeReportSignature: quote.subarray(948, 1012),
    qeAuthData: quote.subarray(1014, at),
    certificationDataType: u16(at),
    certificationDataLength: quote.readUInt32LE(at + 2),
    certificationData: quote.subarray(at + 6),
  };
}

/** A P-256 public key from an uncompressed point or from x ‖ y. */
function publicKeyOf(point) {
  const xy = point.length === 65 ? point.subarray(1) : point;
  return crypto.createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: xy.subarray(0, 32).toString('base64url'), y: xy.subarray(32).toString('base64url') },
    format: 'jwk',
  });
}

const verifyP1363 = (key, data, signature) => crypto.verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);

/** Every proof: exact keys and order, canonical text, hashes, signature by the enclave key. */
function assertProof(result, { id, code, input, functionId, userId }, attestation, { notBefore, notAfter }) {
  assert.deepEqual(Object.keys(result).at(-1), 'proof');
  assert.ok(result.proof, `result ${id} has a proof`);
  assert.deepEqual(Object.keys(result.proof), ['statement', 'signature']);
  const { statement, signature } = result.proof;
  const parsed = JSON.parse(statement);
  assert.deepEqual(Object.keys(parsed),
    ['jobId', 'functionId', 'userId', 'codeSha256', 'inputSha256', 'status', 'resultSha256', 'executedAt', 'enclaveKeyId']);
  assert.equal(statement, JSON.stringify(parsed), 'canonical: JSON.stringify text, no whitespace');
  assert.equal(parsed.jobId, id);
  assert.equal(parsed.functionId, functionId ?? '');
  assert.equal(parsed.userId, userId ?? '');
  assert.equal(parsed.codeSha256, sha256Hex(code));
  assert.equal(parsed.inputSha256, sha256Hex(input ?? ''));
  assert.equal(parsed.status, result.status);
  assert.equal(parsed.resultSha256, sha256Hex(result.result ?? ''));
  assert.match(parsed.executedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const executedAt = Date.parse(parsed.executedAt);
  assert.ok(executedAt >= notBefore && executedAt <= notAfter, 'executedAt is the completion time');
  assert.equal(parsed.enclaveKeyId, attestation.enclaveKeyId);
  const signatureBytes = Buffer.from(signature, 'base64');
  assert.equal(signatureBytes.length, 64);
  const enclaveKey = publicKeyOf(Buffer.from(attestation.enclavePublicKey, 'base64'));
  assert.ok(verifyP1363(enclaveKey, Buffer.from(statement, 'utf8'), signatureBytes), 'the enclave key signed the statement');
  const tampered = Buffer.from(statement.replace(result.status, result.status === 'Succeeded' ? 'Failed' : 'Succeeded'), 'utf8');
  assert.ok(!verifyP1363(enclaveKey, tampered, signatureBytes));
}

describe('bundle measurement and certification data', () => {
  test('MRENCLAVE is SHA-256 over src/*.js (ordinal order) then package-lock.json, each as path 0 bytes 0', () => {
    const names = fs.readdirSync(path.join(RUNNER_DIR, 'src')).filter((n) => n.endsWith('.js')).sort();
    const parts = [];
    for (const file of [...names.map((n) => `src/${n}`), 'package-lock.json']) {
      parts.push(Buffer.from(file), Buffer.from([0]), fs.readFileSync(path.join(RUNNER_DIR, file)), Buffer.from([0]));
    }
    assert.ok(names.includes('attest.js') && names.includes('index.js'));
    assert.deepEqual(attest.measureBundle(), sha256(Buffer.concat(parts)));
  });

  test('changing any runner file changes the measurement', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neoworker-bundle-'));
    try {
      fs.mkdirSync(path.join(dir, 'src'));
      for (const name of fs.readdirSync(path.join(RUNNER_DIR, 'src'))) {
        fs.copyFileSync(path.join(RUNNER_DIR, 'src', name), path.join(dir, 'src', name));
      }
      fs.copyFileSync(path.join(RUNNER_DIR, 'package-lock.json'), path.join(dir, 'package-lock.json'));
      const original = attest.measureBundle(dir);
      assert.deepEqual(original, attest.measureBundle());
      fs.appendFileSync(path.join(dir, 'src', 'sandbox.js'), '\n');
      const changedSource = attest.measureBundle(dir);
      assert.notDeepEqual(changedSource, original);
      fs.writeFileSync(path.join(dir, 'src', 'extra.js'), '');
      assert.notDeepEqual(attest.measureBundle(dir), changedSource);
      fs.appendFileSync(path.join(dir, 'package-lock.json'), ' ');
      assert.notDeepEqual(attest.measureBundle(dir), original);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('certification data: 64-column PEM blocks, leaf first, then one NUL', () => {
    const der = [crypto.randomBytes(100), crypto.randomBytes(7)];
    const data = attest.certificationDataOf(der).toString('latin1');
    const b64 = der[0].toString('base64');
    assert.equal(data,
      `-----BEGIN CERTIFICATE-----\n${b64.slice(0, 64)}\n${b64.slice(64, 128)}\n${b64.slice(128)}\n-----END CERTIFICATE-----\n` +
      `-----BEGIN CERTIFICATE-----\n${der[1].toString('base64')}\n-----END CERTIFICATE-----\n\0`);
    const messy = `\r\n-----BEGIN CERTIFICATE-----\r\n${b64}\r\n-----END CERTIFICATE-----\n\n\0`;
    assert.deepEqual(attest.readPemChain(messy), [der[0]]);
    assert.throws(() => attest.readPemChain('junk\n' + messy), /unexpected text/);
    assert.throws(() => attest.readPemChain('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'), /labelled/);
    assert.throws(() => attest.readPemChain(''), /no certificate/);
  });

  test('the statement hashes the empty string for null and keeps the key order', () => {
    const statement = attest.proofStatement({
      jobId: 'j', job: { code: 'c', input: null, functionId: null }, status: 'Failed', result: null,
      executedAt: '2026-01-01T00:00:00.000Z', enclaveKeyId: 'k',
    });
    const empty = sha256Hex('');
    assert.equal(statement,
      `{"jobId":"j","functionId":"","userId":"","codeSha256":"${sha256Hex('c')}","inputSha256":"${empty}","status":"Failed",` +
      `"resultSha256":"${empty}","executedAt":"2026-01-01T00:00:00.000Z","enclaveKeyId":"k"}`);
  });
});

describe('simulated evidence through the protocol', { skip: noKeys || false }, () => {
  let keys;
  let runner;
  let ready;
  before(async () => {
    keys = makeThrowawaySimulationKeys();
    runner = new Runner({ NEOWORKER_SIM_ATTESTATION_KEY_FILE: keys.keyFile, NEOWORKER_SIM_ATTESTATION_CHAIN_FILE: keys.chainFile });
    ready = await runner.next();
  });
  after(async () => {
    if (runner) assert.equal(await runner.close(), 0);
    if (keys) keys.remove();
  });

  test('the ready message carries the enclave key and a simulated quote', () => {
    assert.deepEqual(Object.keys(ready), ['type', 'protocol', 'pid', 'node', 'isolatedVm', 'attestation', 'keyRelease']);
    assert.equal(ready.keyRelease, null, 'keys from files (none here), not by release');
    const a = ready.attestation;
    assert.deepEqual(Object.keys(a), ['enclavePublicKey', 'enclaveKeyId', 'evidenceType', 'evidence', 'simulated', 'mrenclave']);
    const point = Buffer.from(a.enclavePublicKey, 'base64');
    assert.equal(point.length, 65);
    assert.equal(point[0], 0x04);
    assert.equal(a.enclaveKeyId, sha256(point).subarray(0, 16).toString('hex'));
    assert.match(a.enclaveKeyId, /^[0-9a-f]{32}$/);
    assert.equal(a.evidenceType, 'sgx-dcap-quote-v3');
    assert.equal(a.simulated, true);
    assert.equal(a.mrenclave, attest.measureBundle().toString('hex'));
  });

  test('the quote has the simulated v3 layout, byte for byte', () => {
    const quote = Buffer.from(ready.attestation.evidence, 'base64');
    const point = Buffer.from(ready.attestation.enclavePublicKey, 'base64');
    const q = parseQuote(quote);
    assert.equal(q.version, 3);
    assert.equal(q.attKeyType, 2);
    assert.ok(q.headerZeros.equals(Buffer.alloc(8)));
    assert.equal(q.vendorId, 'NEOWORKER-SIMQE1');
    assert.ok(q.userData.equals(Buffer.alloc(20)));
    assert.equal(q.flags, 0x05n, 'INIT | MODE64BIT, DEBUG clear');
    assert.equal(q.xfrm, 0x03n);
    assert.equal(q.mrenclave.toString('hex'), attest.measureBundle().toString('hex'));
    assert.ok(q.mrsigner.equals(sha256(Buffer.from('neoworker-simulation-signer'))));
    assert.equal(q.isvProdId, 1);
    assert.equal(q.isvSvn, 1);
    assert.ok(q.reportData.equals(Buffer.concat([sha256(point), Buffer.alloc(32)])), 'REPORTDATA = SHA-256(point) ‖ 0');
    assert.equal(q.signatureDataLength, quote.length - 436);
    assert.equal(q.signatureDataLength, 616 + q.certificationDataLength);
    assert.ok(q.qeAuthData.equals(Buffer.from(Array.from({ length: 32 }, (_, i) => i))));
    assert.equal(q.certificationDataType, 5);
    assert.equal(q.certificationData.length, q.certificationDataLength, 'certification data ends the quote');
    assert.ok(q.certificationData.equals(attest.certificationDataOf(attest.readPemChain(keys.chainPem))));
    assert.equal(q.certificationData.at(-1), 0);

    // Every byte the README does not list is zero: compare with the listed fields zeroed out.
    const zeroed = Buffer.from(quote);
    for (const [from, to] of [[0, 4], [12, 28], [96, 144], [176, 208], [304, 308], [368, 564], [884, 916], [948, quote.length]]) {
      zeroed.fill(0, from, to);
    }
    assert.ok(zeroed.equals(Buffer.alloc(quote.length)), 'no other byte is set');
  });

  test('the QE report is signed by the PCK leaf and binds the attestation key, which signed the quote', () => {
    const q = parseQuote(Buffer.from(ready.attestation.evidence, 'base64'));
    const quote = Buffer.from(ready.attestation.evidence, 'base64');
    const leaf = new crypto.X509Certificate(attest.readPemChain(keys.chainPem)[0]);
    const root = new crypto.X509Certificate(keys.rootPem);
    assert.ok(leaf.verify(root.publicKey), 'the leaf is issued by the root');
    assert.ok(verifyP1363(leaf.publicKey, q.qeReport, q.qeReportSignature), 'QE report signed by the PCK key');
    assert.ok(q.qeReportData.equals(Buffer.concat([sha256(Buffer.concat([q.attestationKey, q.qeAuthData])), Buffer.alloc(32)])));
    const attestationKey = publicKeyOf(q.attestationKey);
    assert.ok(verifyP1363(attestationKey, quote.subarray(0, 432), q.isvSignature), 'ISV report signed by the attestation key');
    const flipped = Buffer.from(quote.subarray(0, 432));
    flipped[120] ^= 1;
    assert.ok(!verifyP1363(attestationKey, flipped, q.isvSignature));
  });

  test('every result carries a proof signed by the enclave key: Succeeded, Failed, TimedOut, InvalidSecrets', async () => {
    const jobs = [
      { id: 'ok-1', code: 'function main(input) { return { result: input.value * 2, s: "é☃" }; }', input: '{"value":42}', functionId: 'fn-é', userId: 'user-1', status: 'Succeeded' },
      { id: 'throws-1', code: 'function main() { throw new Error("no"); }', input: null, functionId: 'fn', userId: 'u', status: 'Failed' },
      { id: 'syntax-1', code: 'function main( {', input: '{}', status: 'Failed' },
      { id: 'slow-1', code: 'function main() { for (;;) {} }', input: '1', functionId: 'fn', userId: 'u', limits: { timeoutMs: 50 }, status: 'TimedOut' },
      { id: 'secrets-1', code: 'function main() { return 1; }', input: null, functionId: 'fn', userId: 'u', sealedSecrets: '{"v":1}', status: 'Failed' },
      { id: 'undefined-1', code: 'function main() {}', input: '"x"', functionId: 'fn', userId: 'u', status: 'Succeeded' },
    ];
    for (const job of jobs) {
      const { status, ...request } = job;
      const notBefore = Date.now();
      const result = await runner.execute(request);
      const notAfter = Date.now();
      assert.equal(result.id, job.id);
      assert.equal(result.status, status, `${job.id}: ${result.error}`);
      if (job.id === 'secrets-1') assert.equal(result.errorCode, 'InvalidSecrets');
      assertProof(result, job, ready.attestation, { notBefore, notAfter });
    }
  });

  test('another runner has another enclave key and another quote', async () => {
    const other = new Runner({ NEOWORKER_SIM_ATTESTATION_KEY_FILE: keys.keyFile, NEOWORKER_SIM_ATTESTATION_CHAIN_FILE: keys.chainFile });
    try {
      const otherReady = await other.next();
      assert.notEqual(otherReady.attestation.enclavePublicKey, ready.attestation.enclavePublicKey);
      assert.notEqual(otherReady.attestation.enclaveKeyId, ready.attestation.enclaveKeyId);
      assert.notEqual(otherReady.attestation.evidence, ready.attestation.evidence);
      assert.equal(otherReady.attestation.mrenclave, ready.attestation.mrenclave, 'same runner, same measurement');
      const result = await other.execute({ id: 'x', code: 'function main() { return 1; }' });
      const enclaveKey = publicKeyOf(Buffer.from(ready.attestation.enclavePublicKey, 'base64'));
      assert.ok(!verifyP1363(enclaveKey, Buffer.from(result.proof.statement), Buffer.from(result.proof.signature, 'base64')),
        "the first runner's key does not verify the second runner's proof");
    } finally {
      assert.equal(await other.close(), 0);
    }
  });
});

describe('start-up without or with broken evidence configuration', () => {
  test('no attestation variables: attestation null and proof null', async () => {
    const runner = new Runner();
    const ready = await runner.next();
    assert.equal(ready.attestation, null);
    const result = await runner.execute({ id: 'a', code: 'function main() { return 1; }' });
    assert.equal(result.status, 'Succeeded');
    assert.equal(result.proof, null);
    assert.equal(await runner.close(), 0);
  });

  test('only one variable set: no evidence, and a warning on stderr', async () => {
    const runner = new Runner({ NEOWORKER_SIM_ATTESTATION_KEY_FILE: '/nonexistent/key.pem' });
    const ready = await runner.next();
    assert.equal(ready.attestation, null);
    assert.equal(await runner.close(), 0);
    assert.match(runner.stderr, /only one of NEOWORKER_SIM_ATTESTATION_KEY_FILE/);
  });

  for (const [name, env, pattern] of [
    ['unreadable key file', { NEOWORKER_SIM_ATTESTATION_KEY_FILE: '/nonexistent/key.pem', NEOWORKER_SIM_ATTESTATION_CHAIN_FILE: '/nonexistent/chain.pem' },
      /start-up failed: NEOWORKER_SIM_ATTESTATION_KEY_FILE=\/nonexistent\/key.pem: cannot read the simulated attestation \(PCK\) key \(ENOENT\)/],
    ['unknown evidence kind', { NEOWORKER_EVIDENCE: 'tpm' }, /NEOWORKER_EVIDENCE must be "sgx" or "simulated"/],
    ['sgx without the addon', { NEOWORKER_EVIDENCE: 'sgx', NEOWORKER_SGX_QUOTE_ADDON: '/nonexistent/sgx_quote.node' },
      /the quote addon is not installed at \/nonexistent\/sgx_quote.node/],
  ]) {
    test(`${name}: exits 1 with a clear message and writes nothing to stdout`, async () => {
      const runner = new Runner(env);
      const lines = [];
      for await (const line of runner.lines) lines.push(line);
      assert.equal(await runner.exited, 1);
      assert.deepEqual(lines, []);
      assert.match(runner.stderr, pattern);
    });
  }

  test('a chain whose leaf is not the key\'s certificate is refused', { skip: noKeys || false }, async () => {
    const a = makeThrowawaySimulationKeys();
    const b = makeThrowawaySimulationKeys();
    try {
      assert.throws(() => attest.createSimulatedEvidenceSource({ keyFile: a.keyFile, chainFile: b.chainFile }),
        (error) => error.name === 'AttestationConfigError' && /first certificate is not the certificate of the key/.test(error.message));
      const notEc = path.join(a.dir, 'rsa.pem');
      fs.writeFileSync(notEc, crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
      assert.throws(() => attest.createSimulatedEvidenceSource({ keyFile: notEc, chainFile: a.chainFile }), /must be a P-256 EC key/);
      assert.throws(() => attest.createSimulatedEvidenceSource({ keyFile: a.keyFile, chainFile: a.keyFile }), /not a PEM certificate chain/);
    } finally {
      a.remove();
      b.remove();
    }
  });
});

describe('sgx evidence (the addon mocked at its boundary)', () => {
  /** What a real quote looks like to the runner: v3, REPORTDATA as asked, some MRENCLAVE. */
  function fakeHardwareQuote(reportData) {
    const quote = Buffer.alloc(1100);
    quote.writeUInt16LE(3, 0);
    quote.writeUInt16LE(2, 2);
    Buffer.from('939a7233f79c4ca9940a0db3957f0607', 'hex').copy(quote, 12);
    quote.fill(0xab, 112, 144);
    reportData.copy(quote, 368);
    return quote;
  }

  test('getQuote receives SHA-256(point) ‖ zeros and its quote becomes the evidence', () => {
    const calls = [];
    const source = attest.createSgxEvidenceSource({
      getQuote: (reportData) => {
        calls.push(Buffer.from(reportData));
        return fakeHardwareQuote(reportData);
      },
    });
    const attestation = attest.createAttestation(source);
    assert.deepEqual(Object.keys(attestation), ['info', 'prove', 'signKeyRequest'], 'no key is exposed');
    const point = Buffer.from(attestation.info.enclavePublicKey, 'base64');
    assert.equal(calls.length, 1);
    assert.ok(calls[0].equals(Buffer.concat([sha256(point), Buffer.alloc(32)])));
    assert.equal(attestation.info.evidence, fakeHardwareQuote(calls[0]).toString('base64'));
    assert.equal(attestation.info.simulated, false);
    assert.equal(attestation.info.evidenceType, 'sgx-dcap-quote-v3');
    assert.equal(attestation.info.mrenclave, 'ab'.repeat(32));

    const proof = attestation.prove('j1', { code: 'c', input: '1', functionId: 'f', userId: 'u' }, { status: 'Succeeded', result: '2' });
    assert.ok(verifyP1363(publicKeyOf(point), Buffer.from(proof.statement), Buffer.from(proof.signature, 'base64')));
  });

  test('a quote that does not carry the requested REPORTDATA is refused', () => {
    const source = attest.createSgxEvidenceSource({ getQuote: () => fakeHardwareQuote(Buffer.alloc(64, 1)) });
    assert.throws(() => attest.createAttestation(source), /REPORTDATA is not the one requested/);
  });

  test('NEOWORKER_EVIDENCE=sgx selects the sgx source', () => {
    const source = attest.evidenceSourceFromEnvironment({ NEOWORKER_EVIDENCE: 'sgx', NEOWORKER_SIM_ATTESTATION_KEY_FILE: 'k', NEOWORKER_SIM_ATTESTATION_CHAIN_FILE: 'c' });
    assert.equal(source.kind, 'sgx');
    assert.equal(source.simulated, false);
    assert.equal(source.getQuote, require('../src/sgxQuote').getQuote);
    assert.equal(attest.evidenceSourceFromEnvironment({}), null);
    assert.throws(() => attest.evidenceSourceFromEnvironment({ NEOWORKER_EVIDENCE: 'simulated' }), /needs NEOWORKER_SIM_ATTESTATION_KEY_FILE/);
  });

  test('through the protocol: a runner with a fake addon module announces its quote', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neoworker-fake-sgx-'));
    const addon = path.join(dir, 'fake_sgx_quote.js');
    const log = path.join(dir, 'calls.log');
    fs.writeFileSync(addon, `'use strict';
      const fs = require('node:fs');
      exports.getQuote = (reportData) => {
        fs.appendFileSync(${JSON.stringify(log)}, reportData.toString('hex') + '\\n');
        const quote = Buffer.alloc(1100);
        quote.writeUInt16LE(3, 0);
        quote.fill(0xcd, 112, 144);
        reportData.copy(quote, 368);
        return quote;
      };`);
    const runner = new Runner({ NEOWORKER_EVIDENCE: 'sgx', NEOWORKER_SGX_QUOTE_ADDON: addon });
    try {
      const ready = await runner.next();
      const point = Buffer.from(ready.attestation.enclavePublicKey, 'base64');
      const expected = Buffer.concat([sha256(point), Buffer.alloc(32)]);
      assert.deepEqual(fs.readFileSync(log, 'utf8').trim().split('\n'), [expected.toString('hex')]);
      const quote = Buffer.from(ready.attestation.evidence, 'base64');
      assert.equal(quote.length, 1100);
      assert.ok(quote.subarray(368, 432).equals(expected));
      assert.equal(ready.attestation.simulated, false);
      assert.equal(ready.attestation.mrenclave, 'cd'.repeat(32));
      const job = { id: 'j', code: 'function main(i) { return i; }', input: '[1]', functionId: 'f', userId: 'u' };
      const notBefore = Date.now();
      const result = await runner.execute(job);
      assertProof(result, job, ready.attestation, { notBefore, notAfter: Date.now() });
    } finally {
      assert.equal(await runner.close(), 0);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('getQuote without the addon throws a clear error', () => {
    const saved = process.env.NEOWORKER_SGX_QUOTE_ADDON;
    process.env.NEOWORKER_SGX_QUOTE_ADDON = path.join(os.tmpdir(), 'no-such-dir', 'sgx_quote.node');
    try {
      const { getQuote } = require('../src/sgxQuote');
      assert.throws(() => getQuote(Buffer.alloc(64)), (error) => error.code === 'SgxQuoteAddonMissing' && /built in the Occlum image/.test(error.message));
      assert.throws(() => getQuote(Buffer.alloc(32)), /64 bytes/);
    } finally {
      if (saved === undefined) delete process.env.NEOWORKER_SGX_QUOTE_ADDON;
      else process.env.NEOWORKER_SGX_QUOTE_ADDON = saved;
    }
  });
});
