'use strict';

// Wire protocol between the .NET host and the runner: newline-delimited JSON, one message per
// line, over stdin (requests) and stdout (responses). This module has no dependencies so it can be
// unit-tested without isolated-vm.

const PROTOCOL_VERSION = 1;

const DEFAULT_LIMITS = Object.freeze({
  timeoutMs: 30000,
  memoryMb: 128,
  maxResultBytes: 1048576,
  maxLogBytes: 65536,
  maxCodeBytes: 262144,
  maxInputBytes: 1048576,
  maxSecretsBytes: 65536,
});

// Largest delay setTimeout accepts; larger values would silently fire after 1 ms.
const MAX_TIMEOUT_MS = 2147483647;

// A request line longer than this is discarded (and answered with a ProtocolError) instead of
// being buffered without bound. The host enforces much smaller code and input limits.
const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines. Works on bytes rather than decoded text: 0x0A never occurs
 * inside a multi-byte UTF-8 sequence, so splitting first and decoding each whole line is safe.
 * A trailing "\r" is removed. onOversize() is called (instead of onLine) for each line that
 * exceeded maxLineBytes.
 */
class LineReader {
  constructor(onLine, { maxLineBytes = DEFAULT_MAX_LINE_BYTES, onOversize = () => {} } = {}) {
    this.onLine = onLine;
    this.onOversize = onOversize;
    this.maxLineBytes = maxLineBytes;
    this.pieces = [];
    this.size = 0;
    this.discarding = false;
  }

  push(chunk) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (;;) {
      const newline = bytes.indexOf(NEWLINE, start);
      if (newline === -1) {
        this.append(bytes.subarray(start));
        return;
      }
      this.append(bytes.subarray(start, newline));
      this.flush();
      start = newline + 1;
    }
  }

  /** End of input: a last line without a trailing newline still counts. */
  end() {
    if (this.size > 0 || this.discarding) this.flush();
  }

  append(piece) {
    if (this.discarding || piece.length === 0) return;
    if (this.size + piece.length > this.maxLineBytes) {
      this.discarding = true;
      this.pieces = [];
      this.size = 0;
      return;
    }
    this.pieces.push(piece);
    this.size += piece.length;
  }

  flush() {
    if (this.discarding) {
      this.discarding = false;
      this.onOversize();
      return;
    }
    let line = Buffer.concat(this.pieces, this.size).toString('utf8');
    this.pieces = [];
    this.size = 0;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.onLine(line);
  }
}

/**
 * Parses one request line. Returns one of
 *   { kind: 'execute', id, job: { code, input, secrets, limits } }
 *   { kind: 'ping', id }
 *   { kind: 'cancel', id }             (stop the job with this id, running or queued)
 *   { kind: 'blank' }                  (empty line, ignored)
 *   { kind: 'invalid', id, error }     (answer with a ProtocolError)
 * Error texts never quote the request, which may contain code or secrets.
 */
function parseRequest(line) {
  if (line.trim() === '') return { kind: 'blank' };

  let message;
  try {
    message = JSON.parse(line);
  } catch {
    return invalid(null, 'Request is not valid JSON');
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    return invalid(null, 'Request is not a JSON object');
  }

  const id = typeof message.id === 'string' ? message.id : null;
  switch (message.type) {
    case 'ping':
      return { kind: 'ping', id };
    case 'execute':
      return parseExecute(message, id);
    case 'cancel':
      if (id === null || id === '') return invalid(null, 'Cancel request has no string "id"');
      return { kind: 'cancel', id };
    default:
      return invalid(id, 'Unknown request type (expected "execute", "cancel" or "ping")');
  }
}

function parseExecute(message, id) {
  if (id === null || id === '') return invalid(null, 'Execute request has no string "id"');
  if (typeof message.code !== 'string') return invalid(id, 'Execute request has no string "code"');

  const limits = parseLimits(message.limits);
  if (typeof limits === 'string') return invalid(id, limits);

  // input and secrets are passed on as given (normally JSON text or null); the sandbox validates
  // them and answers Failed/InvalidInput, as for any other bad job input.
  return {
    kind: 'execute',
    id,
    job: {
      code: message.code,
      input: message.input === undefined ? null : message.input,
      secrets: message.secrets === undefined ? null : message.secrets,
      // Sealed secrets are opened by the runner (jobSecrets.js) for this user and function only.
      sealedSecrets: typeof message.sealedSecrets === 'string' ? message.sealedSecrets : null,
      namedSecrets: isPlainObject(message.namedSecrets) ? message.namedSecrets : null,
      userId: typeof message.userId === 'string' ? message.userId : null,
      functionId: typeof message.functionId === 'string' ? message.functionId : null,
      limits,
    },
  };
}

/** Returns the complete limits object, or an error text. Missing or null fields get defaults. */
function parseLimits(raw) {
  if (raw === undefined || raw === null) return { ...DEFAULT_LIMITS };
  if (typeof raw !== 'object' || Array.isArray(raw)) return '"limits" is not an object';

  const limits = { ...DEFAULT_LIMITS };
  const ranges = {
    timeoutMs: [1, MAX_TIMEOUT_MS],
    memoryMb: [1, Number.MAX_SAFE_INTEGER],
    maxResultBytes: [0, Number.MAX_SAFE_INTEGER],
    maxLogBytes: [0, Number.MAX_SAFE_INTEGER],
    maxCodeBytes: [1, Number.MAX_SAFE_INTEGER],
    maxInputBytes: [1, Number.MAX_SAFE_INTEGER],
    maxSecretsBytes: [1, Number.MAX_SAFE_INTEGER],
  };
  for (const [name, [min, max]] of Object.entries(ranges)) {
    const value = raw[name];
    if (value === undefined || value === null) continue;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      return `"limits.${name}" must be an integer between ${min} and ${max}`;
    }
    limits[name] = value;
  }
  return limits;
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function invalid(id, error) {
  return { kind: 'invalid', id, error };
}

// Message builders. Every message always carries all of its fields, in a fixed order.

// attestation: the enclave key and its evidence (attest.js), or null when the runner has none.
function readyMessage({ pid, node, isolatedVm, attestation = null }) {
  return { type: 'ready', protocol: PROTOCOL_VERSION, pid, node, isolatedVm, attestation };
}

// proof: {statement, signature} signed by the enclave key (attest.js), or null without evidence.
// ending: the runner ends itself right after this message (an isolate it cannot reclaim, see
// sandbox.js); the host should replace it rather than send it another job.
function resultMessage(id, outcome, proof = null) {
  return {
    type: 'result',
    id,
    status: outcome.status,
    result: outcome.result,
    errorCode: outcome.errorCode,
    error: outcome.error,
    logs: outcome.logs,
    logsTruncated: outcome.logsTruncated,
    executionTimeMs: outcome.executionTimeMs,
    gasUsed: outcome.gasUsed,
    ending: outcome.fatal === true,
    proof,
  };
}

function protocolErrorMessage(id, error) {
  return { type: 'error', id, errorCode: 'ProtocolError', error };
}

function pongMessage(id) {
  return { type: 'pong', id };
}

/**
 * Writes messages to a stream one line at a time. The next line is written only after the
 * previous one was handed to the OS (its write callback ran), so a host that stops reading makes
 * the runner wait instead of buffering without bound. send() never rejects: a write error is
 * passed to onError (the stream's own 'error' event fires as well).
 */
class MessageWriter {
  constructor(stream, { onError = () => {} } = {}) {
    this.stream = stream;
    this.onError = onError;
    this.tail = Promise.resolve();
  }

  send(message) {
    const line = `${JSON.stringify(message)}\n`;
    this.tail = this.tail.then(() => new Promise((resolve) => {
      this.stream.write(line, (error) => {
        if (error) this.onError(error);
        resolve();
      });
    }));
    return this.tail;
  }

  /** Resolves once everything sent so far has been written. */
  idle() {
    return this.tail;
  }
}

module.exports = {
  PROTOCOL_VERSION,
  DEFAULT_LIMITS,
  DEFAULT_MAX_LINE_BYTES,
  LineReader,
  parseRequest,
  parseLimits,
  readyMessage,
  resultMessage,
  protocolErrorMessage,
  pongMessage,
  MessageWriter,
};
