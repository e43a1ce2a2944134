'use strict';

// Opens a job's secrets inside the enclave: the user's named secrets (each an envelope of
// {"<name>": value}, bound to "#named-secret/<name>") merged first, then the job's own envelope
// (bound to its functionId) on top. The merged object leaves this module only as JSON text for the
// sandbox; nothing here logs or echoes plaintext.

const fs = require('node:fs');
const path = require('node:path');
const { loadSealingKeys, unsealSecrets, SealedSecretsError } = require('./secrets');

const NAMED_SECRET_BINDING = '#named-secret/';

/** Reads the sealing keys named by NEOWORKER_SEALING_KEY_FILES (path-list); an empty Map when unset. */
function loadKeysFromEnvironment(env = process.env) {
  const files = (env.NEOWORKER_SEALING_KEY_FILES || '').split(path.delimiter).filter((f) => f.length > 0);
  if (files.length === 0) return new Map();
  return loadSealingKeys(files.map((file) => fs.readFileSync(file, 'utf8')));
}

/**
 * Returns the secrets JSON text for the sandbox, or null when the job has no sealed secrets (then
 * any plaintext `secrets` of the request is used as is). Throws SealedSecretsError (code
 * 'InvalidSecrets') when an envelope cannot be opened for this user and function.
 */
function openJobSecrets(keys, job) {
  const named = job.namedSecrets && typeof job.namedSecrets === 'object' ? Object.entries(job.namedSecrets) : [];
  if (!job.sealedSecrets && named.length === 0) return null;
  if (keys.size === 0) {
    throw new SealedSecretsError('UnknownKeyId', 'this enclave holds no sealing key, so sealed secrets cannot be opened');
  }

  // No prototype: a secret named "__proto__" stays a plain entry.
  const merged = Object.create(null);
  for (const [name, envelope] of named) {
    const value = JSON.parse(unsealSecrets(keys, envelope, job.userId, NAMED_SECRET_BINDING + name));
    if (!Object.prototype.hasOwnProperty.call(value, name)) {
      throw new SealedSecretsError('InvalidPlaintext', `the named secret '${name}' does not hold a value under its own name`);
    }
    merged[name] = value[name];
  }
  if (job.sealedSecrets) {
    Object.assign(merged, JSON.parse(unsealSecrets(keys, job.sealedSecrets, job.userId, job.functionId)));
  }
  return JSON.stringify(merged);
}

module.exports = { loadKeysFromEnvironment, openJobSecrets, NAMED_SECRET_BINDING };
