'use strict';

// The enclave runner: reads requests from stdin, runs execute requests one at a time, each in a
// fresh isolate, and writes one response line per request to stdout. Start with
//   node --no-node-snapshot src/index.js
// (isolated-vm needs --no-node-snapshot on Node 20).
//
// stdout carries protocol messages only; diagnostics go to stderr and never contain job code,
// input, secrets, results or logs.

const { version: isolatedVmVersion } = require('isolated-vm/package.json');
const protocol = require('./protocol');
const { runJob, prepareIsolate, selfTest } = require('./sandbox');
const { loadKeysFromEnvironment, openJobSecrets } = require('./jobSecrets');
const { createAttestation, evidenceSourceFromEnvironment } = require('./attest');
const { keyReleaseFromEnvironment } = require('./keyRelease');

// Anything that calls console.log by mistake must not corrupt the protocol stream.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

function diagnostic(text) {
  process.stderr.write(`[runner ${process.pid}] ${text}\n`);
}

process.on('uncaughtException', (error) => {
  diagnostic(`uncaught exception: ${error && error.stack}`);
});
process.on('unhandledRejection', (reason) => {
  diagnostic(`unhandled rejection: ${reason && reason.stack ? reason.stack : reason}`);
});

const writer = new protocol.MessageWriter(process.stdout);
const queue = [];
let busy = false;
// The job being run: { id, controller } (its AbortController stops it), or null.
let current = null;
let inputEnded = false;
// The limits of the last job run: the spare isolate is made for them (see sandbox.js).
let lastLimits = {};
let sealingKeys = new Map();
// The enclave key and its evidence; its private key stays inside attest.js.
let attestation = createAttestation(null);
// The sealing keys by release (NEOWORKER_KEY_RELEASE=request), or null when they come from files.
let keyRelease = null;

// The host is gone if stdout fails (EPIPE): nobody would read another line. Stop taking requests
// and drop the queued ones; the process ends once the running job (if any) is over.
process.stdout.on('error', (error) => {
  diagnostic(`stdout failed (${error.code || error.message}), stopping`);
  process.exitCode = 1;
  queue.length = 0;
  process.stdin.destroy();
  exitSoon();
});

function onLine(line) {
  const request = protocol.parseRequest(line);
  switch (request.kind) {
    case 'blank':
      return;
    case 'ping':
      // Answered at once, even while a job runs: the runner's event loop is never blocked by a job.
      writer.send(protocol.pongMessage(request.id));
      return;
    case 'execute':
      queue.push(request);
      drainQueue();
      return;
    case 'cancel':
      cancel(request.id);
      return;
    case 'requestKey':
      requestKey(request.id);
      return;
    case 'releaseKey':
      releaseKey(request.id, request.release);
      return;
    default:
      diagnostic(`protocol error: ${request.error}`);
      writer.send(protocol.protocolErrorMessage(request.id, request.error));
  }
}

function onOversizedLine() {
  const error = `Request line exceeds ${protocol.DEFAULT_MAX_LINE_BYTES} bytes`;
  diagnostic(`protocol error: ${error}`);
  writer.send(protocol.protocolErrorMessage(null, error));
}

async function drainQueue() {
  if (busy) return;
  busy = true;
  while (queue.length > 0) {
    const { id, job } = queue.shift();
    const controller = new AbortController();
    current = { id, controller };
    const opened = openSecrets(job);
    // runJob never rejects; a fault anywhere is reported as a Failed/InternalError job.
    const outcome = opened.failure || await runJob({ ...job, secrets: opened.secrets }, { signal: controller.signal });
    current = null;
    await writer.send(protocol.resultMessage(id, outcome, proveResult(id, job, outcome)));
    if (outcome.fatal) {
      endAfterCatastrophe();
      return; // busy stays set: no further job runs in this process
    }
    lastLimits = job.limits;
  }
  busy = false;
  if (inputEnded) {
    shutDown();
    return;
  }
  // Idle: make the next job's isolate now (after pending I/O, so a request already here goes first).
  setImmediate(() => {
    if (!busy && !inputEnded) prepareIsolate(lastLimits);
  });
}

// A cancel request stops the running job with that id (its isolate is disposed and it is answered
// Canceled), or answers a queued one Canceled without running it. A job already answered, or an
// unknown id, is left alone: its result is on its way or was sent.
function cancel(id) {
  if (current !== null && current.id === id) {
    current.controller.abort();
    return;
  }
  const index = queue.findIndex((request) => request.id === id);
  if (index === -1) return;
  const [{ job }] = queue.splice(index, 1);
  const outcome = {
    status: 'Canceled',
    result: null,
    errorCode: 'Canceled',
    error: 'The job was canceled',
    logs: '',
    logsTruncated: false,
    executionTimeMs: 0,
    gasUsed: 0,
    fatal: false,
  };
  writer.send(protocol.resultMessage(id, outcome, proveResult(id, job, outcome)));
}

// A new key request for the host to relay (keyRelease.js). Answered at once; a job may be running meanwhile.
function requestKey(id) {
  if (keyRelease === null) {
    writer.send(protocol.protocolErrorMessage(id, 'This runner takes no released keys (NEOWORKER_KEY_RELEASE is not "request")'));
    return;
  }
  try {
    writer.send(protocol.keyRequestMessage(id, keyRelease.newRequest()));
  } catch (error) {
    diagnostic(`making a key request failed: ${error && error.message}`);
    writer.send(protocol.keyReleaseErrorMessage(id, 'The key request could not be made'));
  }
}

// The release answering the latest request: opened here, the keys kept for the next jobs and stored. The answer
// names the key ids only; a refusal names the reason, never the content.
function releaseKey(id, release) {
  if (keyRelease === null) {
    writer.send(protocol.protocolErrorMessage(id, 'This runner takes no released keys (NEOWORKER_KEY_RELEASE is not "request")'));
    return;
  }
  try {
    const accepted = keyRelease.accept(release);
    sealingKeys = keyRelease.keys();
    diagnostic(`sealing keys released: ${accepted.keyIds.join(', ')}${accepted.persisted ? '' : ' (not stored)'}`);
    writer.send(protocol.keyReleasedMessage(id, accepted));
  } catch (error) {
    const known = error && error.code === 'KeyReleaseRejected';
    if (!known) diagnostic(`opening a key release failed: ${error && error.name}`);
    writer.send(protocol.keyReleaseErrorMessage(id, known ? error.message : 'The key release could not be opened'));
  }
}

// Every result is signed (Succeeded, Failed, TimedOut alike) when the runner has evidence.
function proveResult(id, job, outcome) {
  try {
    return attestation.prove(id, job, outcome);
  } catch (error) {
    diagnostic(`signing the result failed: ${error && error.message}`);
    return null;
  }
}

// A job whose secrets cannot be opened fails before any of its code runs; the message names the
// reason, never the content.
function openSecrets(job) {
  try {
    const secrets = openJobSecrets(sealingKeys, job);
    return { secrets: secrets === null ? job.secrets : secrets };
  } catch (error) {
    const known = error && error.code === 'InvalidSecrets';
    if (!known) diagnostic(`opening secrets failed: ${error && error.name}`);
    return {
      failure: {
        status: 'Failed',
        result: null,
        errorCode: 'InvalidSecrets',
        error: known ? error.message : 'The sealed secrets could not be opened',
        logs: '',
        logsTruncated: false,
        executionTimeMs: 0,
        gasUsed: 0,
        fatal: false,
      },
    };
  }
}

// stdin closed: finish the jobs already received, flush stdout, then end with code 0.
async function shutDown() {
  await writer.idle();
  exitSoon();
}

// The process ends by itself once nothing is left to do. Not process.exit() right away:
// isolated-vm may still be tearing a disposed isolate down on its own thread (it keeps the event
// loop alive until that is done), and exiting under it crashes. The timer is only a backstop in
// case something else keeps the loop alive; unref() keeps it from doing so itself.
function exitSoon() {
  setTimeout(() => process.exit(), 5000).unref();
}

// An isolate failed irrecoverably and its thread is parked or spinning for good (see sandbox.js);
// the job's response has been written (with "ending": true). process.exit() would hang waiting for that thread, so the runner
// kills itself; the host sees the process end and starts a new one. Queued jobs get no response.
function endAfterCatastrophe() {
  diagnostic('an isolate failed irrecoverably; ending the runner so the host starts a new one');
  process.kill(process.pid, 'SIGKILL');
}

async function start() {
  try {
    attestation = createAttestation(evidenceSourceFromEnvironment(process.env, { warn: diagnostic }));
    keyRelease = keyReleaseFromEnvironment(process.env, attestation, { warn: diagnostic });
    sealingKeys = keyRelease === null ? loadKeysFromEnvironment() : keyRelease.keys();
    await selfTest();
  } catch (error) {
    const configuration = error && (error.name === 'AttestationConfigError' || error.name === 'KeyReleaseConfigError');
    diagnostic(`start-up failed: ${configuration ? error.message : error && error.stack}`);
    process.exitCode = 1;
    return;
  }

  await writer.send(protocol.readyMessage({
    pid: process.pid,
    node: process.version,
    isolatedVm: isolatedVmVersion,
    attestation: attestation.info,
    keyRelease: keyRelease === null ? null : keyRelease.status(),
  }));

  const reader = new protocol.LineReader(onLine, { onOversize: onOversizedLine });
  const endInput = () => {
    if (inputEnded) return;
    reader.end();
    inputEnded = true;
    if (!busy) shutDown();
  };
  process.stdin.on('data', (chunk) => reader.push(chunk));
  process.stdin.on('end', endInput);
  process.stdin.on('error', (error) => {
    diagnostic(`stdin failed (${error.code || error.message}), finishing`);
    endInput();
  });
}

start();
