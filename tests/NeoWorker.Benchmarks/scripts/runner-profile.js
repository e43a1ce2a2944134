'use strict';

// Times the runner's per-job work inside one Node.js process, without the host, the pipe or the
// protocol: (1) an isolated-vm isolate's life alone (new Isolate + createContext + dispose),
// (2) a new context in an isolate that is reused (what isolate reuse would cost instead of 1),
// (3) the runner's own runJob() for the given function, i.e. everything executionTimeMs covers,
// (4) one P-256 ECDSA signature over a statement-sized text (what signing each result adds), and
// (5) runJob() when the runner had an idle moment to prepare the job's isolate (prepareIsolate).
//
//   node --no-node-snapshot runner-profile.js <runnerDir> <iterations> <code> <inputJson>
//   stdout: {"isolateMs": [...], "contextMs": [...], "runJobMs": [...], "executionTimeMs": [...], "signMs": [...], "preparedRunJobMs": [...]}

const crypto = require('node:crypto');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

async function main() {
  const [runnerDir, iterationsText, code, input] = process.argv.slice(2);
  const iterations = Number(iterationsText);
  const ivm = require(path.join(runnerDir, 'node_modules', 'isolated-vm'));
  const { runJob, prepareIsolate } = require(path.join(runnerDir, 'src', 'sandbox.js'));
  const limits = { timeoutMs: 30000, memoryMb: 128, maxResultBytes: 1048576, maxLogBytes: 65536 };
  const warmup = Math.min(20, iterations);

  const isolateMs = [];
  for (let i = 0; i < warmup + iterations; i++) {
    const started = performance.now();
    const isolate = new ivm.Isolate({ memoryLimit: limits.memoryMb });
    const context = isolate.createContextSync();
    context.release();
    isolate.dispose();
    if (i >= warmup) isolateMs.push(performance.now() - started);
  }

  const contextMs = [];
  const shared = new ivm.Isolate({ memoryLimit: limits.memoryMb });
  for (let i = 0; i < warmup + iterations; i++) {
    const started = performance.now();
    const context = shared.createContextSync();
    context.release();
    if (i >= warmup) contextMs.push(performance.now() - started);
  }
  shared.dispose();

  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const statement = JSON.stringify({
    jobId: crypto.randomUUID(), functionId: 'bench-seed', userId: 'bench', codeSha256: 'a'.repeat(64),
    inputSha256: 'b'.repeat(64), status: 'Succeeded', resultSha256: 'c'.repeat(64),
    executedAt: new Date().toISOString(), enclaveKeyId: 'd'.repeat(64),
  });
  const signMs = [];
  for (let i = 0; i < warmup + iterations; i++) {
    const started = performance.now();
    crypto.sign('sha256', Buffer.from(statement), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    if (i >= warmup) signMs.push(performance.now() - started);
  }

  const runJobMs = [];
  const executionTimeMs = [];
  for (let i = 0; i < warmup + iterations; i++) {
    const started = performance.now();
    const outcome = await runJob({ code, input, secrets: null, limits });
    const elapsed = performance.now() - started;
    if (outcome.status !== 'Succeeded') throw new Error(`job ${outcome.status}: ${outcome.error}`);
    if (i >= warmup) {
      runJobMs.push(elapsed);
      executionTimeMs.push(outcome.executionTimeMs);
    }
  }

  const preparedRunJobMs = [];
  for (let i = 0; i < warmup + iterations; i++) {
    prepareIsolate(limits);
    const started = performance.now();
    const outcome = await runJob({ code, input, secrets: null, limits });
    const elapsed = performance.now() - started;
    if (outcome.status !== 'Succeeded') throw new Error(`job ${outcome.status}: ${outcome.error}`);
    if (i >= warmup) preparedRunJobMs.push(elapsed);
  }

  process.stdout.write(`${JSON.stringify({ isolateMs, contextMs, runJobMs, executionTimeMs, signMs, preparedRunJobMs })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack}\n`);
  process.exitCode = 1;
});
