'use strict';

// The sandbox's own cost, for the README: (1) per job, an empty main() in a fresh isolate through
// runJob() against the same function called bare in this process; (2) per job through a runner
// process and the protocol (pipelined, one runner, as the host drives it); (3) the resident memory
// of an idle runner after it reported ready, and again after the jobs of (2); (4) runJob() when the
// runner had an idle moment before the job to prepare its isolate (prepareIsolate), as at part load.
//
//   node --no-node-snapshot scripts/bench-sandbox.js [JOBS=1000]
//   stdout: one JSON object; a readable summary on stderr.

const path = require('node:path');
const fs = require('node:fs');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const { runJob, prepareIsolate } = require('../src/sandbox');

const RUNNER = path.join(__dirname, '..', 'src', 'index.js');
const JOBS = Number(process.argv[2] || 1000);
const EMPTY = 'function main() {}';
const LIMITS = { timeoutMs: 30000, memoryMb: 128, maxResultBytes: 1048576, maxLogBytes: 65536 };

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** ns per call of the same empty function, called bare (the baseline the sandbox is compared with). */
function bareCallNs() {
  // eslint-disable-next-line no-new-func
  const main = new Function(`${EMPTY}; return main;`)();
  let sink = 0;
  for (let i = 0; i < 1e6; i++) sink += main() === undefined ? 1 : 0; // warm-up
  const calls = 1e7;
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) sink += main() === undefined ? 1 : 0;
  const ns = Number(process.hrtime.bigint() - started) / calls;
  if (sink === 0) throw new Error('unreachable');
  return ns;
}

/**
 * µs per job of runJob() for the empty function: a fresh isolate and context, bootstrap, compile, run, dispose;
 * with prepared = true, the isolate and context were made before the clock starts (the runner's idle moment).
 */
async function runJobMicros(jobs, prepared = false) {
  const warmup = Math.min(50, jobs);
  const micros = [];
  for (let i = 0; i < warmup + jobs; i++) {
    if (prepared) prepareIsolate(LIMITS);
    const started = performance.now();
    const outcome = await runJob({ code: EMPTY, input: null, secrets: null, limits: LIMITS });
    const elapsed = (performance.now() - started) * 1000;
    if (outcome.status !== 'Succeeded') throw new Error(`${outcome.errorCode}: ${outcome.error}`);
    if (i >= warmup) micros.push(elapsed);
  }
  return micros;
}

function rssKb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]);
}

/** A runner process: idle RSS after ready, µs per job through the protocol, idle RSS after the jobs. */
async function throughRunner(jobs) {
  const env = { ...process.env };
  for (const name of ['NEOWORKER_EVIDENCE', 'NEOWORKER_SIM_ATTESTATION_KEY_FILE', 'NEOWORKER_SIM_ATTESTATION_CHAIN_FILE', 'NEOWORKER_SEALING_KEY_FILES']) delete env[name];
  const child = spawn(process.execPath, ['--no-node-snapshot', RUNNER], { stdio: ['pipe', 'pipe', 'inherit'], env });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ready = JSON.parse((await lines.next()).value);
  if (ready.type !== 'ready') throw new Error('no ready line');
  await sleep(1000);
  const idleAfterReadyKb = rssKb(child.pid);

  const request = (id) => `${JSON.stringify({ type: 'execute', id, code: EMPTY, input: null, limits: LIMITS, userId: 'u', functionId: 'f' })}\n`;
  for (let i = 0; i < 20; i++) {
    child.stdin.write(request(`w${i}`));
    await lines.next();
  }
  const started = process.hrtime.bigint();
  let payload = '';
  for (let i = 0; i < jobs; i++) payload += request(`j${i}`);
  child.stdin.write(payload);
  for (let i = 0; i < jobs; i++) {
    const result = JSON.parse((await lines.next()).value);
    if (result.status !== 'Succeeded') throw new Error(result.error);
  }
  const perJobMicros = Number(process.hrtime.bigint() - started) / 1000 / jobs;
  await sleep(2000);
  const idleAfterJobsKb = rssKb(child.pid);
  child.stdin.end();
  await new Promise((resolve) => child.on('exit', resolve));
  return { idleAfterReadyKb, idleAfterJobsKb, perJobMicros };
}

async function main() {
  const bareNs = bareCallNs();
  const micros = await runJobMicros(JOBS);
  const preparedMicros = await runJobMicros(JOBS, true);
  const runner = await throughRunner(JOBS);
  const report = {
    jobs: JOBS,
    node: process.version,
    bareCallNs: Number(bareNs.toFixed(2)),
    runJob: {
      medianMicros: Math.round(median(micros)),
      p95Micros: Math.round(percentile(micros, 0.95)),
      overheadMicros: Math.round(median(micros) - bareNs / 1000),
    },
    preparedRunJob: {
      medianMicros: Math.round(median(preparedMicros)),
      p95Micros: Math.round(percentile(preparedMicros, 0.95)),
    },
    throughRunnerMicrosPerJob: Math.round(runner.perJobMicros),
    idleRunnerRssMiB: {
      afterReady: Number((runner.idleAfterReadyKb / 1024).toFixed(1)),
      afterJobs: Number((runner.idleAfterJobsKb / 1024).toFixed(1)),
    },
  };
  process.stderr.write([
    `bare call of an empty main(): ${report.bareCallNs} ns`,
    `runJob() of an empty main() in a fresh isolate: median ${report.runJob.medianMicros} µs, p95 ${report.runJob.p95Micros} µs `
      + `(overhead ${report.runJob.overheadMicros} µs per job)`,
    `runJob() with its isolate prepared while idle: median ${report.preparedRunJob.medianMicros} µs, p95 ${report.preparedRunJob.p95Micros} µs`,
    `through a runner process (protocol, ${JOBS} pipelined jobs): ${report.throughRunnerMicrosPerJob} µs per job`,
    `idle runner RSS: ${report.idleRunnerRssMiB.afterReady} MiB after ready, ${report.idleRunnerRssMiB.afterJobs} MiB after ${JOBS} jobs`,
    '',
  ].join('\n'));
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack}\n`);
  process.exitCode = 1;
});
