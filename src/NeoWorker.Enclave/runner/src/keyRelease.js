'use strict';

// The enclave's side of the sealing-key release (src/NeoWorker.Attestation/Sealing/README.md, "Key release"). On Occlum
// the fleet's sealing private key never sits in a host file: the runner asks for it, proving what it is, and keeps it.
//
//   1. request: a fresh P-256 TRANSPORT key and 16 random bytes (nonce); the enclave key (attest.js), which the quote
//      binds, signs both. {"v":1,"enclavePublicKey","evidence","transportPublicKey","nonce","signature"} goes to the
//      host, which hands it to an operator (ops/release_sealing_key.sh: C# SealingKeyReleaser).
//   2. release: the sealing keys wrapped to the transport key (ECDH + HKDF-SHA256 under "neoworker/key-release/v1" +
//      AES-256-GCM, bound to the transport key id, the sealing key ids and the nonce). Only this process holds the
//      transport private key, so only it can open the release; the C# KeyReleaseRecipient does the same, and
//      test/fixtures/key-release-vectors.json (written by the C# tests) holds cases both must agree on.
//   3. store: the opened keys are written to NEOWORKER_KEY_STORE/sealing-keys.json. On Occlum that directory is in the
//      enclave's own encrypted file system (its key derived from the enclave's MRSIGNER and product id on this CPU),
//      so the same signed enclave reads it back after a restart without a new release. In simulation it is a plain
//      host directory: not sealed, only the same code path.
//
// Nothing here logs or returns key material; errors name the reason only.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { loadSealingKeys, keyIdOf, decodeCanonicalBase64, hasDuplicateProperty, ALGORITHM } = require('./secrets');

const VERSION = 1;
const INFO = 'neoworker/key-release/v1';
const REQUEST_NONCE_LENGTH = 16;
const MAX_TEXT_LENGTH = 64 * 1024;
const MAX_SEALING_KEYS = 16;
const POINT_LENGTH = 65;
const COORDINATE_LENGTH = 32;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const KEY_LENGTH = 32;
const STORE_FILE = 'sealing-keys.json';
const FIELDS = Object.freeze(['v', 'alg', 'kid', 'sealingKeyIds', 'requestNonce', 'epk', 'nonce', 'ct']);
const KEY_ID = /^[A-Za-z0-9_-]{16}$/;

const REASONS = Object.freeze({
  MalformedRelease: 'MalformedRelease',
  UnsupportedVersion: 'UnsupportedVersion',
  NoPendingRequest: 'NoPendingRequest',
  WrongTransportKey: 'WrongTransportKey',
  WrongRequest: 'WrongRequest',
  DecryptionFailed: 'DecryptionFailed',
  InvalidKeys: 'InvalidKeys',
});

/** A release was refused; `code` is 'KeyReleaseRejected', `reason` one of REASONS. Never carries key material. */
class KeyReleaseError extends Error {
  constructor(reason, detail) {
    super(`Key release rejected (${reason}): ${detail}`);
    this.name = 'KeyReleaseError';
    this.code = 'KeyReleaseRejected';
    this.reason = reason;
  }
}

/** The key-release configuration is unusable: the runner reports it and refuses to start. */
class KeyReleaseConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'KeyReleaseConfigError';
  }
}

function fail(reason, detail) {
  return new KeyReleaseError(reason, detail);
}

function malformed(detail) {
  return fail(REASONS.MalformedRelease, detail);
}

function pointOf(publicKey) {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

/**
 * A fresh transport key and the request that goes with it, signed through the attestation's enclave key.
 * @returns {{request: object, pending: object}} request: the JSON document for the host; pending: what opens the
 *   answer (holds the transport private key: keep it in this process, never send it anywhere).
 */
function createKeyRequest(attestation) {
  if (!attestation || !attestation.info) throw new Error('a key request needs the enclave key and its evidence');
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const point = pointOf(publicKey);
  const nonce = crypto.randomBytes(REQUEST_NONCE_LENGTH);
  const request = {
    v: VERSION,
    enclavePublicKey: attestation.info.enclavePublicKey,
    evidence: attestation.info.evidence,
    transportPublicKey: point.toString('base64'),
    nonce: nonce.toString('base64'),
    signature: attestation.signKeyRequest(point, nonce),
  };
  return { request, pending: Object.freeze({ privateKey, point, kid: keyIdOf(point), nonce }) };
}

/**
 * Opens the release that answers `pending` (from createKeyRequest).
 * @returns {{keys: Map, pems: string[]}} the sealing keys by kid (loadSealingKeys) and their PEM texts, newest first
 * @throws {KeyReleaseError} code 'KeyReleaseRejected', reason one of REASONS
 */
function openRelease(pending, text) {
  if (!pending) throw fail(REASONS.NoPendingRequest, 'no key request is outstanding');
  if (typeof text !== 'string') throw malformed('the release is not text');
  if (text.length > MAX_TEXT_LENGTH) throw malformed(`longer than ${MAX_TEXT_LENGTH} characters`);
  const envelope = parseRelease(text);
  if (envelope.kid !== pending.kid) {
    throw fail(REASONS.WrongTransportKey, 'the release is wrapped to another transport key (another enclave\'s request)');
  }
  if (!envelope.requestNonce.equals(pending.nonce)) {
    throw fail(REASONS.WrongRequest, 'the release answers another request of this transport key');
  }

  let sharedSecret;
  try {
    const ephemeral = crypto.createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: envelope.epk.subarray(1, 1 + COORDINATE_LENGTH).toString('base64url'),
        y: envelope.epk.subarray(1 + COORDINATE_LENGTH).toString('base64url'),
      },
      format: 'jwk',
    });
    sharedSecret = crypto.diffieHellman({ privateKey: pending.privateKey, publicKey: ephemeral });
  } catch {
    throw malformed('"epk" is not a point on P-256');
  }

  const aesKey = Buffer.from(crypto.hkdfSync('sha256', sharedSecret, Buffer.concat([envelope.epk, pending.point]), INFO, KEY_LENGTH));
  sharedSecret.fill(0);
  const aad = Buffer.from(`${INFO}\n${envelope.kid}\n${envelope.sealingKeyIds.join(',')}\n${envelope.requestNonce.toString('base64')}`, 'utf8');
  const bodyLength = envelope.ct.length - TAG_LENGTH;
  let plaintext;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', aesKey, envelope.nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(aad);
    decipher.setAuthTag(envelope.ct.subarray(bodyLength));
    plaintext = Buffer.concat([decipher.update(envelope.ct.subarray(0, bodyLength)), decipher.final()]);
  } catch {
    throw fail(REASONS.DecryptionFailed, 'the release does not open (altered, or its key ids or nonce changed)');
  } finally {
    aesKey.fill(0);
  }

  try {
    return readKeys(plaintext, envelope.sealingKeyIds);
  } finally {
    plaintext.fill(0);
  }
}

/** Strict parse, same checks in the same order as the C# KeyReleaseEnvelope.Parse. */
function parseRelease(text) {
  let root;
  try {
    root = JSON.parse(text);
  } catch {
    throw malformed('not valid JSON (or a duplicated property)');
  }
  if (hasDuplicateProperty(text)) throw malformed('not valid JSON (or a duplicated property)');
  if (root === null || typeof root !== 'object' || Array.isArray(root)) throw malformed('not a JSON object');
  if (!Object.hasOwn(root, 'v')) throw malformed('missing "v"');
  if (typeof root.v !== 'number') throw malformed('"v" is not a number');
  if (root.v !== VERSION) throw fail(REASONS.UnsupportedVersion, 'only version 1 is supported');
  for (const name of Object.keys(root)) {
    if (!FIELDS.includes(name)) throw malformed('unexpected property');
  }

  if (requiredString(root, 'alg') !== ALGORITHM) throw fail(REASONS.UnsupportedVersion, `only "${ALGORITHM}" is supported`);
  const kid = requiredString(root, 'kid');
  if (!KEY_ID.test(kid)) throw malformed('"kid" is not 16 base64url characters');
  const sealingKeyIds = keyIds(root);
  const requestNonce = requiredBase64(root, 'requestNonce', REQUEST_NONCE_LENGTH, REQUEST_NONCE_LENGTH);
  const epk = requiredBase64(root, 'epk', POINT_LENGTH, POINT_LENGTH);
  if (epk[0] !== 0x04) throw malformed('"epk" is not an uncompressed point');
  const nonce = requiredBase64(root, 'nonce', NONCE_LENGTH, NONCE_LENGTH);
  const ct = requiredBase64(root, 'ct', TAG_LENGTH, Infinity);
  return { kid, sealingKeyIds, requestNonce, epk, nonce, ct };
}

function keyIds(root) {
  if (!Object.hasOwn(root, 'sealingKeyIds')) throw malformed('missing "sealingKeyIds"');
  const value = root.sealingKeyIds;
  if (!Array.isArray(value)) throw malformed('"sealingKeyIds" is not an array');
  const ids = [];
  for (const id of value) {
    if (typeof id !== 'string') throw malformed('"sealingKeyIds" holds something other than strings');
    if (!KEY_ID.test(id)) throw malformed('"sealingKeyIds" holds a string that is not 16 base64url characters');
    if (ids.includes(id)) throw malformed('"sealingKeyIds" names a key twice');
    ids.push(id);
  }
  if (ids.length === 0 || ids.length > MAX_SEALING_KEYS) throw malformed(`"sealingKeyIds" must name 1 to ${MAX_SEALING_KEYS} keys`);
  return ids;
}

function requiredString(root, name) {
  if (!Object.hasOwn(root, name)) throw malformed(`missing "${name}"`);
  if (typeof root[name] !== 'string') throw malformed(`"${name}" is not a string`);
  return root[name];
}

function requiredBase64(root, name, minLength, maxLength) {
  const bytes = decodeCanonicalBase64(requiredString(root, name), minLength, maxLength);
  if (bytes === null) {
    const size = minLength === maxLength ? `${minLength} bytes` : `at least ${minLength} bytes`;
    throw malformed(`"${name}" is not canonical base64 of ${size}`);
  }
  return bytes;
}

/** {"keys":[PEM, …]}: exactly the keys the envelope names, in its order. */
function readKeys(plaintext, expectedIds) {
  let text;
  let root;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(plaintext);
    root = JSON.parse(text); // its SyntaxError would quote the text: never pass it on
  } catch {
    throw fail(REASONS.InvalidKeys, 'the plaintext is not JSON');
  }
  if (hasDuplicateProperty(text)) throw fail(REASONS.InvalidKeys, 'the plaintext is not JSON');
  if (root === null || typeof root !== 'object' || Array.isArray(root) || Object.keys(root).length !== 1
    || !Array.isArray(root.keys)) {
    throw fail(REASONS.InvalidKeys, 'the plaintext is not {"keys":[…]}');
  }
  const pems = root.keys;
  if (pems.some((pem) => typeof pem !== 'string')) throw fail(REASONS.InvalidKeys, 'a key is not a PEM text');
  if (pems.length !== expectedIds.length) throw fail(REASONS.InvalidKeys, `${pems.length} keys inside, ${expectedIds.length} named`);
  const keys = new Map();
  pems.forEach((pem, i) => {
    let key;
    try {
      [key] = loadSealingKeys([pem]).values();
    } catch {
      throw fail(REASONS.InvalidKeys, `key ${i + 1} is not a P-256 PKCS#8 private key`);
    }
    if (key.kid !== expectedIds[i]) throw fail(REASONS.InvalidKeys, `key ${i + 1} is not the key ${expectedIds[i]} the release names`);
    keys.set(key.kid, key);
  });
  return { keys, pems: [...pems] };
}

/**
 * The released keys at rest: DIRECTORY/sealing-keys.json, {"v":1,"keys":[PEM, …]}, written whole (temporary file,
 * then rename) with mode 0600 in a 0700 directory.
 */
function createKeyStore(directory) {
  const file = path.join(directory, STORE_FILE);
  return Object.freeze({
    file,
    /** The stored keys ({keys, pems}), or null when none are stored. Throws when the file is there but unusable. */
    load() {
      let text;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        if (error && error.code === 'ENOENT') return null;
        throw new Error(`cannot read it (${error && error.code})`);
      }
      let stored;
      try {
        stored = JSON.parse(text);
      } catch {
        throw new Error('it is not JSON');
      }
      if (!stored || stored.v !== 1 || !Array.isArray(stored.keys) || stored.keys.length === 0) {
        throw new Error('it is not {"v":1,"keys":[…]}');
      }
      try {
        return { keys: loadSealingKeys(stored.keys), pems: stored.keys };
      } catch (error) {
        throw new Error(`its keys do not load (${error && error.name})`);
      }
    },
    save(pems) {
      fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
      const temporary = `${file}.${process.pid}.tmp`;
      const fd = fs.openSync(temporary, 'w', 0o600);
      try {
        fs.writeSync(fd, JSON.stringify({ v: 1, keys: pems }));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temporary, file);
    },
  });
}

/**
 * The runner's key release: the keys restored from the store (if any), requests, and the release that answers the
 * latest one. status() is the ready message's "keyRelease": {"state":"restored"|"pending","keyIds":[…]}.
 */
function createKeyRelease({ attestation, storeDirectory, warn = () => {} }) {
  const store = createKeyStore(storeDirectory);
  let held = null;
  try {
    held = store.load();
  } catch (error) {
    warn(`the released sealing keys in ${store.file} are unusable (${error.message}); requesting a new release`);
  }
  const restored = held !== null;
  let pending = null;

  return Object.freeze({
    storeFile: store.file,
    /** The sealing keys by kid (empty until released or restored). */
    keys: () => (held ? held.keys : new Map()),
    status: () => ({ state: restored ? 'restored' : 'pending', keyIds: held ? [...held.keys.keys()] : [] }),
    /** A new request; it replaces any earlier one still unanswered. */
    newRequest() {
      const made = createKeyRequest(attestation);
      pending = made.pending;
      return made.request;
    },
    /**
     * Opens the release for the latest request, keeps the keys and stores them. Returns {keyIds, persisted}; a store
     * that cannot be written leaves the keys in memory (persisted false, and a warning).
     */
    accept(text) {
      const opened = openRelease(pending, text);
      pending = null;
      held = opened;
      let persisted = true;
      try {
        store.save(opened.pems);
      } catch (error) {
        persisted = false;
        warn(`the released sealing keys could not be stored in ${store.file} (${error && error.code}); a restart will need a new release`);
      }
      return { keyIds: [...opened.keys.keys()], persisted };
    },
  });
}

/**
 * The key release the environment asks for, or null:
 *   NEOWORKER_KEY_RELEASE=request   take the sealing keys by release (not from NEOWORKER_SEALING_KEY_FILES);
 *   NEOWORKER_KEY_STORE=/abs/dir    where released keys are kept (Occlum: /keys, inside the enclave's encrypted FS).
 * Needs evidence (the request carries it). Throws KeyReleaseConfigError when the configuration is unusable.
 */
function keyReleaseFromEnvironment(env, attestation, { warn = () => {} } = {}) {
  const mode = env.NEOWORKER_KEY_RELEASE || '';
  if (mode === '') return null;
  if (mode !== 'request') throw new KeyReleaseConfigError(`NEOWORKER_KEY_RELEASE must be "request" (or unset); got "${mode}"`);
  if (env.NEOWORKER_SEALING_KEY_FILES) {
    throw new KeyReleaseConfigError('NEOWORKER_KEY_RELEASE=request and NEOWORKER_SEALING_KEY_FILES exclude each other: the keys come by release or from files');
  }
  const storeDirectory = env.NEOWORKER_KEY_STORE || '';
  if (!path.isAbsolute(storeDirectory)) {
    throw new KeyReleaseConfigError('NEOWORKER_KEY_RELEASE=request needs NEOWORKER_KEY_STORE, an absolute directory for the released keys');
  }
  if (!attestation || !attestation.info) {
    throw new KeyReleaseConfigError('NEOWORKER_KEY_RELEASE=request needs evidence (NEOWORKER_EVIDENCE=sgx, or the simulated attestation files): the request carries it');
  }
  return createKeyRelease({ attestation, storeDirectory, warn });
}

module.exports = {
  VERSION,
  INFO,
  REASONS,
  STORE_FILE,
  KeyReleaseError,
  KeyReleaseConfigError,
  createKeyRequest,
  openRelease,
  createKeyStore,
  createKeyRelease,
  keyReleaseFromEnvironment,
};
