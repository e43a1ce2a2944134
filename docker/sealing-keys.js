#!/usr/bin/env node
// Creates the simulation fleet's sealing key pair (ECDH P-256) once, for the `keys` service of
// docker-compose.yml: the private key (PKCS#8 PEM, 0600) into PRIVATE_DIR for the workers, the
// public key (SPKI PEM, 0644) into PUBLIC_DIR for the API. The same files ops/lib.sh makes with
// openssl. Idempotent: an existing private key is kept (its public half is rewritten from it), so
// restarting the stack never changes the key and envelopes sealed earlier stay readable.
//
//   node sealing-keys.js PRIVATE_DIR PUBLIC_DIR
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const PRIVATE_FILE = 'sealing-key.pem';
const PUBLIC_FILE = 'sealing-public.pem';

function writeAtomically(file, content, mode) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, content, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

function main(argv) {
  if (argv.length !== 2) {
    console.error('usage: sealing-keys.js PRIVATE_DIR PUBLIC_DIR');
    return 2;
  }
  const [privateDir, publicDir] = argv;
  for (const dir of [privateDir, publicDir]) {
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch {
      console.error(`sealing-keys: ${dir} is missing or not writable by uid ${process.getuid()}`);
      return 1;
    }
  }
  const privateFile = path.join(privateDir, PRIVATE_FILE);
  const publicFile = path.join(publicDir, PUBLIC_FILE);

  let privateKey;
  if (fs.existsSync(privateFile)) {
    privateKey = crypto.createPrivateKey(fs.readFileSync(privateFile));
    if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails.namedCurve !== 'prime256v1') {
      console.error(`sealing-keys: ${privateFile} is not a P-256 key; move it away to create a new pair`);
      return 1;
    }
    console.log(`sealing-keys: kept the existing private key ${privateFile}`);
  } else {
    ({ privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));
    writeAtomically(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), 0o600);
    console.log(`sealing-keys: created a new private key ${privateFile}`);
  }

  const publicPem = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'pem' });
  writeAtomically(publicFile, publicPem, 0o644);
  const keyId = crypto.createHash('sha256').update(crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'der' })).digest('hex');
  console.log(`sealing-keys: public key ${publicFile} (SHA-256 of SPKI ${keyId})`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
