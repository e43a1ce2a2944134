'use strict';

// Writes the fixture of tests/NeoWorker.Attestation.Tests/Quotes/RunnerQuoteInteropTests.cs: a
// quote and proofs made by this runner through the real protocol, under THROWAWAY simulation keys
// made for the occasion (ops/lib.sh's ensure_simulation_attestation in a temp dir, deleted after).
//
//   node --no-node-snapshot scripts/make-quote-interop-fixture.js [OUTPUT]
//
// Re-run it after a change to the quote layout or the proof statement; the C# tests then check the
// new output. (The fixture's MRENCLAVE is that of the runner which made it, recorded in the file.)

const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { makeThrowawaySimulationKeys } = require('./simulationKeys');

const RUNNER = path.join(__dirname, '..', 'src', 'index.js');
const DEFAULT_OUTPUT = path.join(__dirname, '..', '..', '..', '..',
  'tests', 'NeoWorker.Attestation.Tests', 'Quotes', 'TestData', 'runner-quote-interop.json');

const JOBS = [
  { id: '6f1d3c2a-0000-4000-8000-000000000001', code: 'function main(input) { return { result: input.value * 2 }; }', input: '{ "value": 42 }', functionId: 'test_function', userId: 'dev' },
  { id: '6f1d3c2a-0000-4000-8000-000000000002', code: 'function main() { throw new Error("boom"); }', input: null, functionId: 'fn-é☃', userId: 'dev' },
  { id: '6f1d3c2a-0000-4000-8000-000000000003', code: 'function main() { for (;;) {} }', input: '{}', functionId: 'loop', userId: 'dev', limits: { timeoutMs: 50 } },
];

async function main() {
  const output = process.argv[2] || DEFAULT_OUTPUT;
  const keys = makeThrowawaySimulationKeys();
  try {
    const env = { ...process.env, NEOWORKER_SIM_ATTESTATION_KEY_FILE: keys.keyFile, NEOWORKER_SIM_ATTESTATION_CHAIN_FILE: keys.chainFile };
    delete env.NEOWORKER_EVIDENCE;
    const child = spawn(process.execPath, ['--no-node-snapshot', RUNNER], { stdio: ['pipe', 'pipe', 'inherit'], env });
    const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async () => JSON.parse((await lines.next()).value);
    const ready = await next();
    if (!ready.attestation) throw new Error('the runner announced no attestation');
    const jobs = [];
    for (const job of JOBS) {
      child.stdin.write(`${JSON.stringify({ type: 'execute', ...job })}\n`);
      jobs.push({ request: job, result: await next() });
    }
    child.stdin.end();
    const createdAt = new Date();
    const fixture = {
      about: 'Made by src/NeoWorker.Enclave/runner/scripts/make-quote-interop-fixture.js: a simulated quote and proofs from the JS runner. '
        + 'The keys below are THROWAWAY TEST KEYS made for this fixture only; no deployment trusts them.',
      createdAt: createdAt.toISOString(),
      verifyAt: new Date(createdAt.getTime() + 3600 * 1000).toISOString(),
      throwawayTestSimulationRootPem: keys.rootPem,
      throwawayTestSimulatedPckKeyPem: keys.keyPem,
      throwawayTestSimulatedPckChainPem: keys.chainPem,
      attestation: ready.attestation,
      jobs,
    };
    fs.writeFileSync(output, `${JSON.stringify(fixture, null, 2)}\n`);
    process.stderr.write(`wrote ${output}\n`);
  } finally {
    keys.remove();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
