'use strict';

// The sealing-key release, enclave side (src/keyRelease.js): the cross-language vectors the C# tests write
// (fixtures/key-release-vectors.json), requests signed by the enclave key, the key store, the configuration, and the
// protocol through a runner process. node --test test/keyRelease.test.js

const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const {
  createKeyRequest, openRelease, createKeyRelease, createKeyStore, keyReleaseFromEnvironment, KeyReleaseError, REASONS, INFO,
} = require('../src/keyRelease');
const { loadSealingKeys, keyIdOf } = require('../src/secrets');
const attest = require('../src/attest');
const { makeThrowawaySimulationKeys, unavailableReason } = require('../scripts/simulationKeys');

const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'key-release-vectors.json'), 'utf8'));
const RUNNER = path.join(__dirname, '..', 'src', 'index.js');

function pointOf(publicKey) {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

/** What the vectors' request was made with: its transport key and nonce. */
function vectorPending() {
  const request = JSON.parse(vectors.request);
  const privateKey = crypto.createPrivateKey(vectors.throwawayTransportPrivateKeyPem);
  const point = Buffer.from(request.transportPublicKey, 'base64');
  assert.deepEqual(pointOf(crypto.createPublicKey(privateKey)), point);
  return { privateKey, point, kid: keyIdOf(point), nonce: Buffer.from(request.nonce, 'base64') };
}

/** The operator's wrapping (C# SealingKeyReleaser.Wrap), written out here to make releases for fresh requests. */
function wrap(request, pems) {
  const transport = Buffer.from(request.transportPublicKey, 'base64');
  const kid = keyIdOf(transport);
  const ids = [...loadSealingKeys(pems).keys()];
  const eph = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const epk = pointOf(eph.publicKey);
  const recipient = crypto.createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: transport.subarray(1, 33).toString('base64url'), y: transport.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const z = crypto.diffieHellman({ privateKey: eph.privateKey, publicKey: recipient });
  const key = Buffer.from(crypto.hkdfSync('sha256', z, Buffer.concat([epk, transport]), INFO, 32));
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(`${INFO}\n${kid}\n${ids.join(',')}\n${request.nonce}`));
  const ct = Buffer.concat([cipher.update(JSON.stringify({ keys: pems }), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return JSON.stringify({
    v: 1, alg: 'ECDH-ES+HKDF-SHA256+A256GCM', kid, sealingKeyIds: ids, requestNonce: request.nonce,
    epk: epk.toString('base64'), nonce: nonce.toString('base64'), ct: ct.toString('base64'),
  });
}

/** An attestation with a stand-in quote (the enclave side never reads the evidence back). */
function standInAttestation() {
  return attest.createAttestation({
    kind: 'test',
    simulated: true,
    getQuote: (reportData) => {
      const quote = Buffer.alloc(1100);
      quote.writeUInt16LE(3, 0);
      reportData.copy(quote, attest.OFFSET.reportData);
      return quote;
    },
  });
}

function assertRefused(action, reason) {
  assert.throws(action, (error) => {
    assert.ok(error instanceof KeyReleaseError, `expected KeyReleaseError, got ${error}`);
    assert.equal(error.code, 'KeyReleaseRejected');
    assert.equal(error.reason, reason);
    return true;
  });
}

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'neoworker-key-store-'));
}

const sealingPems = vectors.throwawaySealingPrivateKeysPem;

describe('the cross-language vectors', () => {
  test('every valid release opens to exactly the keys it names, in order', () => {
    assert.ok(vectors.validReleases.length >= 2);
    for (const v of vectors.validReleases) {
      const opened = openRelease(vectorPending(), v.release);
      assert.deepEqual([...opened.keys.keys()], v.sealingKeyIds, v.name);
      assert.equal(opened.pems.length, v.sealingKeyIds.length);
    }
  });

  test('every invalid release is refused with the reason C# gives', () => {
    assert.ok(vectors.invalidReleases.length >= 15);
    for (const v of vectors.invalidReleases) {
      assert.throws(() => openRelease(vectorPending(), v.release), (error) => {
        assert.equal(error.code, 'KeyReleaseRejected', `${v.name}: ${error}`);
        assert.equal(error.reason, v.reason, `${v.name}: ${error.message}`);
        return true;
      });
    }
  });

  test('refusals never quote the release or a key', () => {
    const keyLine = sealingPems[0].split('\n')[1];
    for (const v of vectors.invalidReleases) {
      try {
        openRelease(vectorPending(), v.release);
      } catch (error) {
        assert.equal(error.message.includes(keyLine), false, v.name);
        if (v.release.length > 40) assert.equal(error.message.includes(v.release.slice(-30)), false, v.name);
      }
    }
  });

  test('without a request outstanding nothing opens', () => {
    assertRefused(() => openRelease(null, vectors.validReleases[0].release), REASONS.NoPendingRequest);
  });
});

describe('requests', () => {
  test('the enclave key signs the transport key and nonce, and the quote binds the enclave key', () => {
    const attestation = standInAttestation();
    const { request, pending } = createKeyRequest(attestation);

    assert.deepEqual(Object.keys(request), ['v', 'enclavePublicKey', 'evidence', 'transportPublicKey', 'nonce', 'signature']);
    assert.equal(request.v, 1);
    assert.equal(request.enclavePublicKey, attestation.info.enclavePublicKey);
    assert.equal(request.evidence, attestation.info.evidence);
    assert.equal(Buffer.from(request.nonce, 'base64').length, 16);
    assert.deepEqual(Buffer.from(request.transportPublicKey, 'base64'), pending.point);
    const enclavePoint = Buffer.from(request.enclavePublicKey, 'base64');
    const enclaveKey = crypto.createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: enclavePoint.subarray(1, 33).toString('base64url'), y: enclavePoint.subarray(33).toString('base64url') },
      format: 'jwk',
    });
    const text = `neoworker/key-release/v1\nrequest\n${request.transportPublicKey}\n${request.nonce}`;
    assert.ok(crypto.verify('sha256', Buffer.from(text), { key: enclaveKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(request.signature, 'base64')));
    assert.ok(!crypto.verify('sha256', Buffer.from(`${text}x`), { key: enclaveKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(request.signature, 'base64')));
    const quote = Buffer.from(request.evidence, 'base64');
    assert.deepEqual(quote.subarray(attest.OFFSET.reportData, attest.OFFSET.reportData + 64), attest.reportDataFor(enclavePoint));
  });

  test('each request has its own transport key and nonce', () => {
    const attestation = standInAttestation();
    const a = createKeyRequest(attestation).request;
    const b = createKeyRequest(attestation).request;
    assert.notEqual(a.transportPublicKey, b.transportPublicKey);
    assert.notEqual(a.nonce, b.nonce);
    assert.equal(a.enclavePublicKey, b.enclavePublicKey);
  });

  test('a runner without evidence cannot sign one', () => {
    assert.throws(() => createKeyRequest(attest.createAttestation(null)));
  });
});

describe('the runner\'s key release and its store', () => {
  test('a release answers only the latest request, then is stored and restored', () => {
    const dir = tempDir();
    try {
      const attestation = standInAttestation();
      const release = createKeyRelease({ attestation, storeDirectory: path.join(dir, 'keys') });
      assert.deepEqual(release.status(), { state: 'pending', keyIds: [] });
      const first = release.newRequest();
      const second = release.newRequest();
      assertRefused(() => release.accept(wrap(first, sealingPems)), REASONS.WrongTransportKey);

      const accepted = release.accept(wrap(second, sealingPems));

      const ids = [...loadSealingKeys(sealingPems).keys()];
      assert.deepEqual(accepted, { keyIds: ids, persisted: true });
      assert.deepEqual([...release.keys().keys()], ids);
      assertRefused(() => release.accept(wrap(second, sealingPems)), REASONS.NoPendingRequest);
      const file = path.join(dir, 'keys', 'sealing-keys.json');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.equal(fs.statSync(path.join(dir, 'keys')).mode & 0o777, 0o700);

      const again = createKeyRelease({ attestation: standInAttestation(), storeDirectory: path.join(dir, 'keys') });
      assert.deepEqual(again.status(), { state: 'restored', keyIds: ids });
      assert.deepEqual([...again.keys().keys()], ids);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a refused release leaves the request open for the right one', () => {
    const dir = tempDir();
    try {
      const release = createKeyRelease({ attestation: standInAttestation(), storeDirectory: dir });
      const request = release.newRequest();
      const good = wrap(request, [sealingPems[0]]);
      const fields = JSON.parse(good);
      const ct = Buffer.from(fields.ct, 'base64');
      ct[0] ^= 1;
      assertRefused(() => release.accept(JSON.stringify({ ...fields, ct: ct.toString('base64') })), REASONS.DecryptionFailed);
      assert.deepEqual(release.keys(), new Map());
      assert.equal(fs.existsSync(path.join(dir, 'sealing-keys.json')), false);

      assert.equal(release.accept(good).keyIds.length, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unusable store is reported without its content, and a new release is asked for', () => {
    const dir = tempDir();
    try {
      fs.writeFileSync(path.join(dir, 'sealing-keys.json'), '{"v":1,"keys":["-----BEGIN PRIVATE KEY-----\\nc2VjcmV0\\n-----END PRIVATE KEY-----\\n"]}');
      const warnings = [];
      const release = createKeyRelease({ attestation: standInAttestation(), storeDirectory: dir, warn: (w) => warnings.push(w) });
      assert.deepEqual(release.status(), { state: 'pending', keyIds: [] });
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /unusable/);
      assert.equal(warnings[0].includes('c2VjcmV0'), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the store writes whole files only', () => {
    const dir = tempDir();
    try {
      const store = createKeyStore(dir);
      assert.equal(store.load(), null);
      store.save([sealingPems[0]]);
      store.save(sealingPems);
      assert.deepEqual(store.load().pems, sealingPems);
      assert.deepEqual(fs.readdirSync(dir), ['sealing-keys.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('configuration', () => {
  const attestation = standInAttestation();

  test('unset means keys from files', () => {
    assert.equal(keyReleaseFromEnvironment({}, attestation), null);
  });

  for (const [name, env, pattern] of [
    ['an unknown mode', { NEOWORKER_KEY_RELEASE: 'yes', NEOWORKER_KEY_STORE: '/keys' }, /NEOWORKER_KEY_RELEASE must be "request"/],
    ['no store', { NEOWORKER_KEY_RELEASE: 'request' }, /NEOWORKER_KEY_STORE/],
    ['a relative store', { NEOWORKER_KEY_RELEASE: 'request', NEOWORKER_KEY_STORE: 'keys' }, /NEOWORKER_KEY_STORE/],
    ['key files as well', { NEOWORKER_KEY_RELEASE: 'request', NEOWORKER_KEY_STORE: '/keys', NEOWORKER_SEALING_KEY_FILES: '/k.pem' }, /exclude each other/],
  ]) {
    test(`${name} is refused naming the variable`, () => {
      assert.throws(() => keyReleaseFromEnvironment(env, attestation), (error) => error.name === 'KeyReleaseConfigError' && pattern.test(error.message));
    });
  }

  test('no evidence is refused: the request carries it', () => {
    assert.throws(() => keyReleaseFromEnvironment({ NEOWORKER_KEY_RELEASE: 'request', NEOWORKER_KEY_STORE: '/keys' }, attest.createAttestation(null)),
      /needs evidence/);
  });
});

/** A runner process speaking the protocol. */
class Runner {
  constructor(env) {
    const base = { ...process.env };
    for (const name of Object.keys(base).filter((n) => n.startsWith('NEOWORKER_'))) delete base[name];
    this.child = spawn(process.execPath, ['--no-node-snapshot', RUNNER], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...base, ...env } });
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

  async send(message) {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
    return this.next();
  }

  async close() {
    this.child.stdin.end();
    return this.exited;
  }
}

describe('through the protocol', { skip: unavailableReason() || false }, () => {
  let keys;
  let dir;
  before(() => {
    keys = makeThrowawaySimulationKeys();
    dir = tempDir();
  });
  after(() => {
    keys.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({
    NEOWORKER_SIM_ATTESTATION_KEY_FILE: keys.keyFile,
    NEOWORKER_SIM_ATTESTATION_CHAIN_FILE: keys.chainFile,
    NEOWORKER_KEY_RELEASE: 'request',
    NEOWORKER_KEY_STORE: path.join(dir, 'slot-0'),
  });

  test('a pending runner asks, takes the release, and after a restart has the keys without asking', async () => {
    const ids = [...loadSealingKeys(sealingPems).keys()];
    const runner = new Runner(env());
    try {
      const ready = await runner.next();
      assert.deepEqual(ready.keyRelease, { state: 'pending', keyIds: [] });

      const asked = await runner.send({ type: 'requestKey', id: 'k1' });
      assert.equal(asked.type, 'keyRequest');
      assert.equal(asked.id, 'k1');
      assert.equal(asked.request.enclavePublicKey, ready.attestation.enclavePublicKey);
      assert.equal(asked.request.evidence, ready.attestation.evidence);

      const refused = await runner.send({ type: 'releaseKey', id: 'k2', release: vectors.validReleases[0].release });
      assert.deepEqual([refused.type, refused.errorCode], ['error', 'KeyReleaseRejected']);
      assert.match(refused.error, /WrongTransportKey/);

      const released = await runner.send({ type: 'releaseKey', id: 'k3', release: wrap(asked.request, sealingPems) });
      assert.deepEqual(released, { type: 'keyReleased', id: 'k3', keyIds: ids, persisted: true });
      assert.equal(runner.stderr.includes(sealingPems[0].split('\n')[1]), false);
    } finally {
      assert.equal(await runner.close(), 0);
    }

    const restarted = new Runner(env());
    try {
      const ready = await restarted.next();
      assert.deepEqual(ready.keyRelease, { state: 'restored', keyIds: ids });
    } finally {
      assert.equal(await restarted.close(), 0);
    }
  });

  test('a runner that takes its keys from files answers key messages with a protocol error', async () => {
    const runner = new Runner({});
    try {
      const ready = await runner.next();
      assert.equal(ready.keyRelease, null);
      const answer = await runner.send({ type: 'requestKey', id: 'k1' });
      assert.deepEqual([answer.type, answer.id, answer.errorCode], ['error', 'k1', 'ProtocolError']);
    } finally {
      assert.equal(await runner.close(), 0);
    }
  });

  test('release without evidence: the runner refuses to start and says why', async () => {
    const runner = new Runner({ NEOWORKER_KEY_RELEASE: 'request', NEOWORKER_KEY_STORE: path.join(dir, 'none') });
    assert.equal(await runner.exited, 1);
    assert.match(runner.stderr, /start-up failed: NEOWORKER_KEY_RELEASE=request needs evidence/);
  });
});
