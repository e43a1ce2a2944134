'use strict';

// Unsealing, checked against the vectors the C# tests write (fixtures/sealed-vectors.json):
// node --test test/secrets.test.js

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const {
  loadSealingKeys, unsealSecrets, keyIdOf, SealedSecretsError, REASONS, DEFAULT_MAX_PLAINTEXT_BYTES,
} = require('../src/secrets');

const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'sealed-vectors.json'), 'utf8'));
const keys = loadSealingKeys(vectors.throwawayTestPrivateKeysPem);
const [first] = vectors.validEnvelopes;

function assertRefused(action, reason) {
  assert.throws(action, (error) => {
    assert.ok(error instanceof SealedSecretsError, `expected SealedSecretsError, got ${error}`);
    assert.equal(error.code, 'InvalidSecrets');
    assert.equal(error.reason, reason);
    assert.equal(error.cause, undefined);
    return true;
  });
}

function editField(envelope, name, value) {
  const fields = JSON.parse(envelope);
  fields[name] = value;
  return JSON.stringify(fields);
}

function flip(envelope, name, index) {
  const bytes = Buffer.from(JSON.parse(envelope)[name], 'base64');
  bytes[index < 0 ? bytes.length + index : index] ^= 0x01;
  return editField(envelope, name, bytes.toString('base64'));
}

function pointOf(keyObject) {
  const publicKey = keyObject.type === 'public' ? keyObject : crypto.createPublicKey(keyObject);
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

test('every valid vector unseals to its plaintext', () => {
  assert.ok(vectors.validEnvelopes.length >= 4);
  for (const v of vectors.validEnvelopes) {
    assert.equal(unsealSecrets(keys, v.envelope, v.userId, v.functionId), v.plaintext, v.name);
  }
});

test('the non-ascii vector round-trips exactly', () => {
  const v = vectors.validEnvelopes.find((x) => /[^\x00-\x7f]/.test(x.plaintext));
  assert.ok(v, 'a vector with a non-ascii secret');
  assert.deepEqual(JSON.parse(unsealSecrets(keys, v.envelope, v.userId, v.functionId)), JSON.parse(v.plaintext));
});

test('every invalid vector fails with the reason C# gives', () => {
  assert.ok(vectors.invalidEnvelopes.length >= 20);
  for (const v of vectors.invalidEnvelopes) {
    assert.ok(Object.hasOwn(REASONS, v.reason), `${v.name}: known reason`);
    assert.throws(() => unsealSecrets(keys, v.envelope, v.userId, v.functionId),
      (error) => error.code === 'InvalidSecrets' && error.reason === v.reason,
      `${v.name}: expected ${v.reason}`);
  }
});

test('key ids are computed as C# computes them', () => {
  assert.deepEqual([...keys.keys()].sort(), [...new Set(vectors.validEnvelopes.map((v) => v.kid))].sort());
  for (const [kid, key] of keys) {
    assert.equal(keyIdOf(key.publicPoint), kid);
    assert.match(kid, /^[A-Za-z0-9_-]{16}$/);
  }
});

test('an envelope does not unseal for another user or another function', () => {
  assertRefused(() => unsealSecrets(keys, first.envelope, `${first.userId}x`, first.functionId), REASONS.DecryptionFailed);
  assertRefused(() => unsealSecrets(keys, first.envelope, first.userId, `${first.functionId}x`), REASONS.DecryptionFailed);
});

test('tampered ciphertext, tag, nonce or epk does not unseal', () => {
  for (const index of [0, 3, -1, -16]) {
    assertRefused(() => unsealSecrets(keys, flip(first.envelope, 'ct', index), first.userId, first.functionId), REASONS.DecryptionFailed);
  }
  assertRefused(() => unsealSecrets(keys, flip(first.envelope, 'nonce', 5), first.userId, first.functionId), REASONS.DecryptionFailed);
  const stranger = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const otherPoint = pointOf(stranger.publicKey).toString('base64');
  assertRefused(() => unsealSecrets(keys, editField(first.envelope, 'epk', otherPoint), first.userId, first.functionId), REASONS.DecryptionFailed);
  assertRefused(() => unsealSecrets(keys, flip(first.envelope, 'epk', 30), first.userId, first.functionId), REASONS.MalformedEnvelope);
});

test('an envelope for a key not loaded is an unknown key id', () => {
  const [, secondPem] = vectors.throwawayTestPrivateKeysPem;
  const onlySecond = loadSealingKeys([secondPem]);
  assert.equal(onlySecond.has(first.kid), false);
  assertRefused(() => unsealSecrets(onlySecond, first.envelope, first.userId, first.functionId), REASONS.UnknownKeyId);
});

test('malformed envelopes are refused as malformed, other versions as unsupported', () => {
  for (const text of ['', 'nope', '[]', 'null', '{}', '{"v":1}', first.envelope.slice(0, -1), `${first.envelope} x`]) {
    assertRefused(() => unsealSecrets(keys, text, first.userId, first.functionId), REASONS.MalformedEnvelope);
  }
  assertRefused(() => unsealSecrets(keys, 42, first.userId, first.functionId), REASONS.MalformedEnvelope);
  assertRefused(() => unsealSecrets(keys, editField(first.envelope, 'v', 2), first.userId, first.functionId), REASONS.UnsupportedVersion);
  assertRefused(() => unsealSecrets(keys, editField(first.envelope, 'alg', 'dir'), first.userId, first.functionId), REASONS.UnsupportedVersion);
});

test('a repeated property is refused at any depth, however its name is escaped', () => {
  const withRepeat = first.envelope.replace('"v":1,', '"v":1,"\\u0076":1,');
  assertRefused(() => unsealSecrets(keys, withRepeat, first.userId, first.functionId), REASONS.MalformedEnvelope);
  const nested = '{"v":2,"x":{"a":"\\"a\\":","b":[{"c":1,"c":2}]}}';
  assertRefused(() => unsealSecrets(keys, nested, first.userId, first.functionId), REASONS.MalformedEnvelope);
  const notRepeated = '{"v":2,"x":{"a":"a","b":[{"a":1},{"a":2}],"c":"c"}}';
  assertRefused(() => unsealSecrets(keys, notRepeated, first.userId, first.functionId), REASONS.UnsupportedVersion);
});

test('secrets over the limit are too large, before and after parsing', () => {
  const fields = JSON.parse(first.envelope);
  const huge = JSON.stringify({ ...fields, ct: crypto.randomBytes(DEFAULT_MAX_PLAINTEXT_BYTES + 17).toString('base64') });
  assertRefused(() => unsealSecrets(keys, huge, first.userId, first.functionId), REASONS.TooLarge);
  assertRefused(() => unsealSecrets(keys, '{'.repeat(200_000), first.userId, first.functionId), REASONS.TooLarge);
  assertRefused(() => unsealSecrets(keys, first.envelope, first.userId, first.functionId, { maxPlaintextBytes: 10 }), REASONS.TooLarge);
  const exact = Buffer.byteLength(first.plaintext, 'utf8');
  assert.equal(unsealSecrets(keys, first.envelope, first.userId, first.functionId, { maxPlaintextBytes: exact }), first.plaintext);
});

test('no error message contains the plaintext or the key', () => {
  const pemBody = vectors.throwawayTestPrivateKeysPem[0].split('\n')[1];
  const marker = JSON.parse(first.plaintext).apiKey;
  const failures = [
    ...vectors.invalidEnvelopes.map((v) => () => unsealSecrets(keys, v.envelope, v.userId, v.functionId)),
    () => unsealSecrets(keys, first.envelope, 'someone-else', first.functionId),
    () => unsealSecrets(keys, first.envelope, first.userId, first.functionId, { maxPlaintextBytes: 5 }),
  ];
  for (const action of failures) {
    assert.throws(action, (error) => {
      const text = `${error.message}\n${error.stack}\n${JSON.stringify(error)}`;
      assert.equal(text.includes(marker), false);
      assert.equal(text.includes(pemBody.slice(10, 30)), false);
      assert.equal(text.includes('"a":'), false); // the plaintext-not-json vector's text
      return true;
    });
  }
});

test('user and function ids that would make the binding ambiguous are a caller error', () => {
  assert.throws(() => unsealSecrets(keys, first.envelope, '', first.functionId), TypeError);
  assert.throws(() => unsealSecrets(keys, first.envelope, `${first.userId}\n${first.functionId}`, 'x'), TypeError);
  assert.throws(() => unsealSecrets(keys, first.envelope, first.userId, 'f\ud800'), TypeError);
  assert.throws(() => unsealSecrets(new Map(), first.envelope, first.userId, first.functionId), TypeError);
});

test('keys load from PKCS#8 PEM only, P-256 only, once each', () => {
  const pkcs8 = (curve) => crypto.generateKeyPairSync('ec', { namedCurve: curve }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  const sec1 = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' });
  const refused = (pems, pattern) => assert.throws(() => loadSealingKeys(pems), (e) => e.code === 'InvalidSealingKey' && pattern.test(e.message));

  assert.equal(loadSealingKeys([pkcs8('prime256v1')]).size, 1);
  refused([sec1], /pkcs8 -topk8/);
  refused([pkcs8('secp384r1')], /P-256/);
  refused([vectors.throwawayTestPrivateKeysPem[0], vectors.throwawayTestPrivateKeysPem[0]], /same key id/);
  refused([vectors.throwawayTestPrivateKeysPem.join('\n')], /exactly one/);
  refused(['-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'], /not a PKCS#8/);
  assert.throws(() => loadSealingKeys([]), TypeError);
});

test('a key written by openssl loads, if openssl is on PATH', (t) => {
  const { spawnSync } = require('node:child_process');
  const genkey = spawnSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout'], { encoding: 'utf8' });
  if (genkey.error) {
    t.skip('openssl is not on PATH');
    return;
  }
  const pkcs8 = spawnSync('openssl', ['pkcs8', '-topk8', '-nocrypt'], { input: genkey.stdout, encoding: 'utf8' });
  const loaded = loadSealingKeys([pkcs8.stdout]);
  const [key] = loaded.values();
  const pub = spawnSync('openssl', ['pkey', '-pubout'], { input: pkcs8.stdout, encoding: 'utf8' });
  assert.deepEqual(pointOf(crypto.createPublicKey(pub.stdout)), key.publicPoint);
});
