'use strict';

// The cheapest form of "a new process per request": one job in a fresh Node.js process, then exit.
// No isolated-vm, no enclave, no sealing: node starts, runs main() in a new vm context, prints the
// result. It is the lower bound of what `occlum run /bin/node …` per request costs without SGX.
//
//   stdin:  {"code": "<script defining main>", "input": "<JSON text>" | null}
//   stdout: {"result": "<JSON text>", "executionTimeMs": <ms in this process>}

const vm = require('node:vm');
const { performance } = require('node:perf_hooks');

const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', async () => {
  const started = performance.now();
  const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const context = vm.createContext({});
  vm.runInContext(job.code, context, { filename: 'job.js', timeout: 30000 });
  const main = vm.runInContext('main', context);
  const value = await main(job.input === null ? null : JSON.parse(job.input), {});
  const executionTimeMs = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ result: JSON.stringify(value), executionTimeMs })}\n`);
});
