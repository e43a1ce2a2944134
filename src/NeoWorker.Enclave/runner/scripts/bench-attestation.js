'use strict';

// What signing every result costs: N trivial jobs through the protocol (pipelined, one runner)
// with simulated evidence vs. without, alternating rounds; and prove() alone, in-process.
//
//   node --no-node-snapshot scripts/bench-attestation.js [JOBS=200] [ROUNDS=5]

const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { makeThrowawaySimulationKeys } = require('./simulationKeys');
const attest = require('../src/attest');

const RUNNER = path.join(__dirname, '..', 'src', 'index.js');
const JOBS = Number(process.argv[2] || 200);
const ROUNDS = Number(process.argv[3] || 5);

async function round(env) {
  const clean = { ...process.env };
  for (const name of ['NEOWORKER_EVIDENCE', 'NEOWORKER_SIM_ATTESTATION_KEY_FILE', 'NEOWORKER_SIM_ATTESTATION_CHAIN_FILE']) delete clean[name];
  const spawned = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--no-node-snapshot', RUNNER], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...clean, ...env } });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ready = JSON.parse((await lines.next()).value);
  const readyMs = Number(process.hrtime.bigint() - spawned) / 1e6;
  // warm-up
  child.stdin.write(`${JSON.stringify({ type: 'execute', id: 'w', code: 'function main(i) { return i; }', input: '1' })}\n`);
  await lines.next();
  const started = process.hrtime.bigint();
  let payload = '';
  for (let i = 0; i < JOBS; i++) {
    payload += `${JSON.stringify({ type: 'execute', id: `j${i}`, code: 'function main(input) { return { result: input.value * 2 }; }', input: `{"value":${i}}`, functionId: 'f', userId: 'u' })}\n`;
  }
  child.stdin.write(payload);
  let proofs = 0;
  for (let i = 0; i < JOBS; i++) {
    const result = JSON.parse((await lines.next()).value);
    if (result.status !== 'Succeeded') throw new Error(result.error);
    if (result.proof) proofs++;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  child.stdin.end();
  await new Promise((resolve) => child.on('exit', resolve));
  return { ms, readyMs, proofs, attested: ready.attestation !== null };
}

async function main() {
  const keys = makeThrowawaySimulationKeys();
  const withEnv = { NEOWORKER_SIM_ATTESTATION_KEY_FILE: keys.keyFile, NEOWORKER_SIM_ATTESTATION_CHAIN_FILE: keys.chainFile };
  const results = { without: [], with: [] };
  try {
    for (let r = 0; r < ROUNDS; r++) {
      results.without.push(await round({}));
      results.with.push(await round(withEnv));
    }
  } finally {
    keys.remove();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const off = median(results.without.map((x) => x.ms));
  const on = median(results.with.map((x) => x.ms));
  console.log(`${JOBS} jobs x ${ROUNDS} rounds, median wall time: without attestation ${off.toFixed(1)} ms (${(off / JOBS).toFixed(3)} ms/job), `
    + `with ${on.toFixed(1)} ms (${(on / JOBS).toFixed(3)} ms/job, ${results.with[0].proofs} proofs) -> +${((on - off) / JOBS).toFixed(3)} ms/job`);
  console.log(`  start-up (spawn to ready), median: without ${median(results.without.map((x) => x.readyMs)).toFixed(1)} ms, `
    + `with ${median(results.with.map((x) => x.readyMs)).toFixed(1)} ms`);
  console.log(`  rounds without: ${results.without.map((x) => x.ms.toFixed(0)).join(' ')}; with: ${results.with.map((x) => x.ms.toFixed(0)).join(' ')}`);

  // prove() alone (statement + ECDSA P-256 signature), in-process.
  const a = attest.createAttestation(attest.createSgxEvidenceSource({
    getQuote: (reportData) => { const q = Buffer.alloc(600); q.writeUInt16LE(3, 0); reportData.copy(q, 368); return q; },
  }));
  const job = { code: 'function main(input) { return { result: input.value * 2 }; }', input: '{"value":1}', functionId: 'f', userId: 'u' };
  for (let i = 0; i < 200; i++) a.prove('w', job, { status: 'Succeeded', result: '{"result":2}' });
  const n = 5000;
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) a.prove(`j${i}`, job, { status: 'Succeeded', result: '{"result":2}' });
  console.log(`prove() alone: ${(Number(process.hrtime.bigint() - t) / 1e6 / n * 1000).toFixed(1)} µs per result (${n} runs)`);
}

main().catch((error) => { console.error(error); process.exitCode = 1; });
