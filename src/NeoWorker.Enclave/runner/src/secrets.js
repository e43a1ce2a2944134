'use strict';

// Unsealing of job secrets inside the enclave. The format (version 1) is fixed and documented in
// src/NeoWorker.Attestation/Sealing/README.md; the C# side (NeoWorker.Attestation.Sealing) seals and
// unseals the same envelopes, and test/fixtures/sealed-vectors.json holds cases both must agree on.
//
//   const keys = loadSealingKeys([fs.readFileSync(keyFile, 'utf8')]);   // Map kid -> key
//   const secretsJson = unsealSecrets(keys, request.sealedSecrets, request.userId, request.functionId);
//
// Failures are SealedSecretsError: code 'InvalidSecrets', reason one of REASONS. Their messages never
// contain plaintext, key material or text from the envelope (only a well-formed kid, for an unknown
// key), and carry no `cause`.

const crypto = require('node:crypto');

const VERSION = 1;
const ALGORITHM = 'ECDH-ES+HKDF-SHA256+A256GCM';
const INFO = 'neoworker/secrets/v1';
const DEFAULT_MAX_PLAINTEXT_BYTES = 64 * 1024;

const POINT_LENGTH = 65;
const COORDINATE_LENGTH = 32;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const KEY_LENGTH = 32;
const ENVELOPE_OVERHEAD_CHARS = 1024;
const FIELDS = Object.freeze(['v', 'alg', 'kid', 'epk', 'nonce', 'ct']);
const KEY_ID = /^[A-Za-z0-9_-]{16}$/;

const REASONS = Object.freeze({
  MalformedEnvelope: 'MalformedEnvelope',
  UnsupportedVersion: 'UnsupportedVersion',
  UnknownKeyId: 'UnknownKeyId',
  DecryptionFailed: 'DecryptionFailed',
  TooLarge: 'TooLarge',
  InvalidPlaintext: 'InvalidPlaintext',
});

/** An envelope could not be unsealed; `code` is 'InvalidSecrets', `reason` says why. */
class SealedSecretsError extends Error {
  constructor(reason, detail) {
    super(`Sealed secrets rejected (${reason}): ${detail}`);
    this.name = 'SealedSecretsError';
    this.code = 'InvalidSecrets';
    this.reason = reason;
  }
}

/** A sealing key could not be loaded; `code` is 'InvalidSealingKey'. Never contains key material. */
class SealingKeyError extends Error {
  constructor(detail) {
    super(`Sealing key rejected: ${detail}`);
    this.name = 'SealingKeyError';
    this.code = 'InvalidSealingKey';
  }
}

/**
 * Loads the fleet's sealing private keys (unencrypted PKCS#8 PEM, P-256), one PEM text each.
 * @param {string[]} pemTexts
 * @returns {Map<string, {kid: string, privateKey: crypto.KeyObject, publicPoint: Buffer}>} keys by kid
 */
function loadSealingKeys(pemTexts) {
  if (!Array.isArray(pemTexts) || pemTexts.length === 0) {
    throw new TypeError('loadSealingKeys needs a non-empty array of PEM texts');
  }
  const keys = new Map();
  for (const pem of pemTexts) {
    const key = loadSealingKey(pem);
    if (keys.has(key.kid)) throw new SealingKeyError(`two sealing keys have the same key id ${key.kid}`);
    keys.set(key.kid, key);
  }
  return keys;
}

function loadSealingKey(pem) {
  if (typeof pem !== 'string') throw new TypeError('a sealing key must be PEM text');
  const labels = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]{1,40})-----/g)].map((m) => m[1]);
  if (labels.length !== 1) {
    throw new SealingKeyError(`expected exactly one 'PRIVATE KEY' PEM block, found ${labels.length}`);
  }
  if (labels[0] !== 'PRIVATE KEY') {
    const hint = labels[0] === 'EC PRIVATE KEY' ? ' Convert a SEC1 key with `openssl pkcs8 -topk8 -nocrypt`.'
      : labels[0] === 'ENCRYPTED PRIVATE KEY' ? ' Encrypted keys are not supported.' : '';
    throw new SealingKeyError(`expected a 'PRIVATE KEY' PEM block, found '${labels[0]}'.${hint}`);
  }

  let privateKey;
  try {
    privateKey = crypto.createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new SealingKeyError('the PRIVATE KEY PEM is not a PKCS#8 private key');
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new SealingKeyError('the private key is not on the P-256 (prime256v1) curve');
  }
  const jwk = crypto.createPublicKey(privateKey).export({ format: 'jwk' });
  const publicPoint = Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  if (publicPoint.length !== POINT_LENGTH) throw new SealingKeyError('unexpected public key size');
  return Object.freeze({ kid: keyIdOf(publicPoint), privateKey, publicPoint });
}

/** base64url (no padding) of the first 12 bytes of SHA-256 of the uncompressed point. */
function keyIdOf(publicPoint) {
  return crypto.createHash('sha256').update(publicPoint).digest().subarray(0, 12).toString('base64url');
}

/**
 * Unseals an envelope sealed for this user and function.
 * @param {Map<string, object>} keys from loadSealingKeys
 * @param {string} envelopeText the envelope JSON text
 * @param {string} userId
 * @param {string} functionId
 * @param {{maxPlaintextBytes?: number}} [options] default 64 KiB
 * @returns {string} the secrets JSON text (a JSON object)
 * @throws {SealedSecretsError} code 'InvalidSecrets', reason one of REASONS
 * @throws {TypeError} bad arguments (keys, or a userId/functionId that is empty, has a line feed or a lone surrogate)
 */
function unsealSecrets(keys, envelopeText, userId, functionId, { maxPlaintextBytes = DEFAULT_MAX_PLAINTEXT_BYTES } = {}) {
  if (!(keys instanceof Map) || keys.size === 0) throw new TypeError('keys must be the non-empty Map from loadSealingKeys');
  checkBindingPart(userId, 'userId');
  checkBindingPart(functionId, 'functionId');
  if (!Number.isSafeInteger(maxPlaintextBytes) || maxPlaintextBytes <= 0) {
    throw new TypeError('maxPlaintextBytes must be a positive integer');
  }

  if (typeof envelopeText !== 'string') throw fail(REASONS.MalformedEnvelope, 'the envelope is not text');
  if (envelopeText.length > maxEnvelopeLength(maxPlaintextBytes)) {
    throw fail(REASONS.TooLarge, `the envelope is larger than ${maxPlaintextBytes} bytes of secrets allow`);
  }
  const envelope = parseEnvelope(envelopeText);
  if (envelope.ct.length - TAG_LENGTH > maxPlaintextBytes) {
    throw fail(REASONS.TooLarge, `the secrets are larger than ${maxPlaintextBytes} bytes`);
  }
  const key = keys.get(envelope.kid);
  if (key === undefined) throw fail(REASONS.UnknownKeyId, `no sealing key with id ${envelope.kid}`);

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
    sharedSecret = crypto.diffieHellman({ privateKey: key.privateKey, publicKey: ephemeral });
  } catch {
    throw fail(REASONS.MalformedEnvelope, '"epk" is not a point on P-256');
  }

  const aesKey = Buffer.from(crypto.hkdfSync('sha256', sharedSecret, Buffer.concat([envelope.epk, key.publicPoint]), INFO, KEY_LENGTH));
  sharedSecret.fill(0);
  const aad = Buffer.from(`${INFO}\n${envelope.kid}\n${userId}\n${functionId}`, 'utf8');
  const bodyLength = envelope.ct.length - TAG_LENGTH;
  let plaintext;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', aesKey, envelope.nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(aad);
    decipher.setAuthTag(envelope.ct.subarray(bodyLength));
    plaintext = Buffer.concat([decipher.update(envelope.ct.subarray(0, bodyLength)), decipher.final()]);
  } catch {
    throw fail(REASONS.DecryptionFailed, 'the envelope does not open for this user and function (sealed for another, or altered)');
  } finally {
    aesKey.fill(0);
  }

  try {
    return decodeJsonObject(plaintext);
  } finally {
    plaintext.fill(0);
  }
}

function checkBindingPart(value, name) {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${name} must be a non-empty string`);
  if (value.includes('\n')) throw new TypeError(`${name} must not contain a line feed`);
  if (!value.isWellFormed()) throw new TypeError(`${name} must be well-formed Unicode (no lone surrogates)`);
}

function maxEnvelopeLength(maxPlaintextBytes) {
  return 4 * Math.floor((maxPlaintextBytes + TAG_LENGTH + 2) / 3) + ENVELOPE_OVERHEAD_CHARS;
}

/** Strict parse: exactly the six fields, each of the exact type and size (same checks, same order as C#). */
function parseEnvelope(text) {
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

  const alg = requiredString(root, 'alg');
  if (alg !== ALGORITHM) throw fail(REASONS.UnsupportedVersion, `only "${ALGORITHM}" is supported`);

  const kid = requiredString(root, 'kid');
  if (!KEY_ID.test(kid)) throw malformed('"kid" is not 16 base64url characters');

  const epk = requiredBase64(root, 'epk', POINT_LENGTH, POINT_LENGTH);
  if (epk[0] !== 0x04) throw malformed('"epk" is not an uncompressed point');

  const nonce = requiredBase64(root, 'nonce', NONCE_LENGTH, NONCE_LENGTH);
  const ct = requiredBase64(root, 'ct', TAG_LENGTH, Infinity);
  return { kid, epk, nonce, ct };
}

function requiredString(root, name) {
  if (!Object.hasOwn(root, name)) throw malformed(`missing "${name}"`);
  if (typeof root[name] !== 'string') throw malformed(`"${name}" is not a string`);
  return root[name];
}

/** Standard base64 with padding, canonical only (no whitespace, no other alphabet, no stray bits). */
function requiredBase64(root, name, minLength, maxLength) {
  const text = requiredString(root, name);
  const bytes = decodeCanonicalBase64(text, minLength, maxLength);
  if (bytes === null) {
    const size = minLength === maxLength ? `${minLength} bytes` : `at least ${minLength} bytes`;
    throw malformed(`"${name}" is not canonical base64 of ${size}`);
  }
  return bytes;
}

/** The bytes of canonical standard base64 (padding, no whitespace, no stray bits) of minLength..maxLength bytes, else null. */
function decodeCanonicalBase64(text, minLength, maxLength) {
  if (typeof text !== 'string' || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length < minLength || bytes.length > maxLength || bytes.toString('base64') !== text) return null;
  return bytes;
}

/**
 * JSON.parse keeps the last of repeated names; the C# reader refuses them. To agree, look for a name
 * repeated within any one object of (already validated) JSON text, comparing names after unescaping.
 */
function hasDuplicateProperty(text) {
  const open = []; // per open container: a Set of names for an object, null for an array
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const token = text.slice(i, end + 1);
      i = end + 1;
      const names = open[open.length - 1];
      if (names) {
        let next = i;
        while (text[next] === ' ' || text[next] === '\t' || text[next] === '\n' || text[next] === '\r') next++;
        if (text[next] === ':') {
          const name = JSON.parse(token);
          if (names.has(name)) return true;
          names.add(name);
        }
      }
    } else {
      if (c === '{') open.push(new Set());
      else if (c === '[') open.push(null);
      else if (c === '}' || c === ']') open.pop();
      i++;
    }
  }
  return false;
}

/** Same acceptance as the C# unsealer: strict UTF-8 (a byte-order mark is not stripped), then any JSON object. */
function decodeJsonObject(plaintext) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(plaintext);
  } catch {
    throw fail(REASONS.InvalidPlaintext, 'the decrypted secrets are not UTF-8 text');
  }
  let value;
  try {
    value = JSON.parse(text); // its SyntaxError quotes the text: never pass it on
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw fail(REASONS.InvalidPlaintext, 'the decrypted secrets are not a JSON object');
  }
  return text;
}

function fail(reason, detail) {
  return new SealedSecretsError(reason, detail);
}

function malformed(detail) {
  return fail(REASONS.MalformedEnvelope, detail);
}

module.exports = {
  loadSealingKeys,
  unsealSecrets,
  keyIdOf,
  decodeCanonicalBase64,
  hasDuplicateProperty,
  SealedSecretsError,
  SealingKeyError,
  REASONS,
  VERSION,
  ALGORITHM,
  DEFAULT_MAX_PLAINTEXT_BYTES,
};
