'use strict';

// Sealed secrets reach main(input, secrets) through the runner: the job's own envelope, the user's
// named secrets, their merge, and refusals for envelopes bound to someone else.

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { keyIdOf, loadSealingKeys } = require('../src/secrets');
const { openJobSecrets, NAMED_SECRET_BINDING } = require('../src/jobSecrets');

const RUNNER = path.join(__dirname, '..', 'src', 'index.js');
const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'sealed-vectors.json'), 'utf8'));
const privatePem = vectors.throwawayTestPrivateKeysPem[0];

/** Seals like the C# SecretSealer (format: src/NeoWorker.Attestation/Sealing/README.md). */
function seal(pem, plaintext, userId, functionId) {
  const fleet = crypto.createPublicKey(crypto.createPrivateKey(pem));
  const jwk = fleet.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  const ephemeral = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ejwk = ephemeral.publicKey.export({ format: 'jwk' });
  const epk = Buffer.concat([Buffer.from([4]), Buffer.from(ejwk.x, 'base64url'), Buffer.from(ejwk.y, 'base64url')]);
  const z = crypto.diffieHellman({ privateKey: ephemeral.privateKey, publicKey: fleet });
  const key = Buffer.from(crypto.hkdfSync('sha256', z, Buffer.concat([epk, point]), 'neoworker/secrets/v1', 32));
  const kid = keyIdOf(point);
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(`neoworker/secrets/v1\n${kid}\n${userId}\n${functionId}`, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return JSON.stringify({ v: 1, alg: 'ECDH-ES+HKDF-SHA256+A256GCM', kid, epk: epk.toString('base64'), nonce: nonce.toString('base64'), ct: ct.toString('base64') });
}

function withKeyFile(fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neoworker-runner-key-'));
  const file = path.join(dir, 'sealing-key.pem');
  fs.writeFileSync(file, privatePem, { mode: 0o600 });
  return Promise.resolve(fn(file)).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}

async function runOne(keyFile, request) {
  const child = spawn(process.execPath, ['--no-node-snapshot', RUNNER], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, NEOWORKER_SEALING_KEY_FILES: keyFile },
  });
  const lines = readline.createInterface({ input: child.stdout });
  const replies = lines[Symbol.asyncIterator]();
  const ready = JSON.parse((await replies.next()).value);
  assert.equal(ready.type, 'ready');
  child.stdin.write(JSON.stringify({ type: 'execute', id: 'job-1', ...request }) + '\n');
  const reply = JSON.parse((await replies.next()).value);
  child.stdin.end();
  await new Promise((resolve) => child.on('exit', resolve));
  return reply;
}

const echoSecrets = 'function main(input, secrets) { return secrets; }';

test('the job\'s sealed secrets reach main', async () => {
  await withKeyFile(async (keyFile) => {
    const envelope = seal(privatePem, '{"apiKey":"abc","n":1}', 'user-1', 'function-1');
    const reply = await runOne(keyFile, { code: echoSecrets, input: null, sealedSecrets: envelope, userId: 'user-1', functionId: 'function-1' });
    assert.equal(reply.status, 'Succeeded');
    assert.deepEqual(JSON.parse(reply.result), { apiKey: 'abc', n: 1 });
  });
});

test('named secrets are merged under the job\'s own secrets', async () => {
  await withKeyFile(async (keyFile) => {
    const namedSecrets = {
      token: seal(privatePem, '{"token":"named-token"}', 'user-1', NAMED_SECRET_BINDING + 'token'),
      apiKey: seal(privatePem, '{"apiKey":"named-key"}', 'user-1', NAMED_SECRET_BINDING + 'apiKey'),
    };
    const sealedSecrets = seal(privatePem, '{"apiKey":"own-key"}', 'user-1', 'function-1');
    const reply = await runOne(keyFile, { code: echoSecrets, input: null, sealedSecrets, namedSecrets, userId: 'user-1', functionId: 'function-1' });
    assert.equal(reply.status, 'Succeeded');
    assert.deepEqual(JSON.parse(reply.result), { token: 'named-token', apiKey: 'own-key' });
  });
});

test('an envelope bound to another user fails the job with InvalidSecrets and runs no code', async () => {
  await withKeyFile(async (keyFile) => {
    const envelope = seal(privatePem, '{"apiKey":"marker-for-user-2"}', 'user-2', 'function-1');
    const reply = await runOne(keyFile, { code: 'function main() { console.log("ran"); return 1; }', input: null, sealedSecrets: envelope, userId: 'user-1', functionId: 'function-1' });
    assert.equal(reply.status, 'Failed');
    assert.equal(reply.errorCode, 'InvalidSecrets');
    assert.equal(reply.logs, '');
    assert.ok(!JSON.stringify(reply).includes('marker-for-user-2'));
  });
});

test('a named secret cannot be passed off as a job\'s secrets, nor as another name', () => {
  const keys = loadSealingKeys([privatePem]);
  const named = seal(privatePem, '{"token":"t"}', 'user-1', NAMED_SECRET_BINDING + 'token');
  assert.throws(() => openJobSecrets(keys, { sealedSecrets: named, userId: 'user-1', functionId: 'function-1' }), { code: 'InvalidSecrets' });
  assert.throws(() => openJobSecrets(keys, { namedSecrets: { other: named }, userId: 'user-1', functionId: 'function-1' }), { code: 'InvalidSecrets' });
});

test('a secret named __proto__ stays a plain entry', () => {
  const keys = loadSealingKeys([privatePem]);
  const named = seal(privatePem, '{"__proto__":"p"}', 'user-1', NAMED_SECRET_BINDING + '__proto__');
  const text = openJobSecrets(keys, { namedSecrets: { __proto__: null, ['__proto__']: named }, userId: 'user-1', functionId: 'f' });
  assert.equal(text, '{"__proto__":"p"}');
});

test('without sealing keys a sealed job fails with InvalidSecrets', () => {
  const envelope = seal(privatePem, '{"a":1}', 'user-1', 'function-1');
  assert.throws(() => openJobSecrets(new Map(), { sealedSecrets: envelope, userId: 'user-1', functionId: 'function-1' }), { code: 'InvalidSecrets' });
});

test('the JavaScript sealing example in the README produces envelopes the runner opens', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
  const block = /```js\n([\s\S]*?function seal\([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README.md has a ```js block defining seal()');
  const readmeSeal = new Function('require', `${block[1]}\nreturn seal;`)(require);
  const publicPem = crypto.createPublicKey(crypto.createPrivateKey(privatePem)).export({ type: 'spki', format: 'pem' });

  const envelope = readmeSeal(publicPem, '{"apiKey":"from-readme"}', 'user-1', 'function-1');

  const keys = loadSealingKeys([privatePem]);
  assert.equal(openJobSecrets(keys, { sealedSecrets: envelope, userId: 'user-1', functionId: 'function-1' }), '{"apiKey":"from-readme"}');
});
