'use strict';

// The escape corpus (tests/NeoWorker.Enclave.Tests/EscapeCorpus, see its README.md) through a real
// runner process: every attempt fails to obtain host data, and the next job sees pristine globals.
// The .NET EnclaveTests run the same corpus through both backends.

const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

const RUNNER = path.join(__dirname, '..', 'src', 'index.js');
const CORPUS = path.join(__dirname, '..', '..', '..', '..', 'tests', 'NeoWorker.Enclave.Tests', 'EscapeCorpus');
const HOST_MARKER = `host-marker-${crypto.randomBytes(8).toString('hex')}`;
const SECRET = `victim-secret-${crypto.randomBytes(8).toString('hex')}`;

/** The corpus files: prelude, victim, pristine, and each attempt with its expected outcomes. */
function loadCorpus() {
  const read = (name) => fs.readFileSync(path.join(CORPUS, name), 'utf8');
  const attempts = fs.readdirSync(CORPUS)
    .filter((name) => name.endsWith('.js') && !name.startsWith('_'))
    .sort()
    .map((name) => {
      const code = read(name);
      const header = (key) => (code.match(new RegExp(`^// ${key}: (.+)$`, 'm')) || [])[1];
      const expect = (header('expect') || 'Succeeded').split('|').map((alternative) => {
        const [status, errorCode = null] = alternative.trim().split(/\s+/);
        return { status, errorCode };
      });
      return { name, code, expect, timeoutMs: Number(header('timeoutMs') || 2000) };
    });
  return { prelude: read('_prelude.js'), victim: read('_victim.js'), pristine: read('_pristine.js'), attempts };
}

class Runner {
  constructor() {
    const env = { ...process.env, NEOWORKER_ESCAPE_MARKER: HOST_MARKER };
    for (const name of ['NEOWORKER_EVIDENCE', 'NEOWORKER_SIM_ATTESTATION_KEY_FILE', 'NEOWORKER_SIM_ATTESTATION_CHAIN_FILE']) delete env[name];
    this.child = spawn(process.execPath, ['--no-node-snapshot', RUNNER], { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.stderr = '';
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text) => { this.stderr += text; });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
    this.nextId = 0;
  }

  async ready() {
    const ready = JSON.parse((await this.lines.next()).value);
    assert.equal(ready.type, 'ready', this.stderr);
    return this;
  }

  async execute(code, { secrets = null, timeoutMs = 2000 } = {}) {
    const id = `job-${++this.nextId}`;
    this.child.stdin.write(`${JSON.stringify({ type: 'execute', id, code, input: null, secrets, limits: { timeoutMs, memoryMb: 32 } })}\n`);
    const { value, done } = await this.lines.next();
    assert.ok(!done, `the runner ended; stderr: ${this.stderr}`);
    const message = JSON.parse(value);
    assert.equal(message.id, id);
    return message;
  }

  /** CPU time the process used over windowMs, in ms (from /proc; null where there is none). */
  async cpuOver(windowMs) {
    const ticks = () => {
      const fields = fs.readFileSync(`/proc/${this.child.pid}/stat`, 'latin1').split(') ')[1].split(' ');
      return Number(fields[11]) + Number(fields[12]);
    };
    try {
      const before = ticks();
      await new Promise((resolve) => setTimeout(resolve, windowMs));
      return (ticks() - before) * 10;
    } catch {
      return null;
    }
  }

  async close() {
    this.child.stdin.end();
    return this.exited;
  }
}

describe('escape corpus through the runner', { skip: fs.existsSync(CORPUS) ? false : `${CORPUS} not found` }, () => {
  const corpus = fs.existsSync(CORPUS) ? loadCorpus() : { attempts: [] };
  let runner;
  let baseline;

  before(async () => {
    runner = await new Runner().ready();
    baseline = (await runner.execute(corpus.pristine)).result;
  });
  after(async () => {
    await runner.close();
  });

  test('the corpus has an attempt for every family the issue names', () => {
    const families = corpus.attempts.map((attempt) => attempt.name).join(' ');
    for (const family of ['constructor', 'global-object', 'stack-frames', 'proxy-result', 'proxy-error', 'symbol-hooks', 'tojson',
      'dynamic-import', 'webassembly', 'shared-memory-atomics', 'prototype-pollution', 'cross-job-secrets']) {
      assert.match(families, new RegExp(family), family);
    }
  });

  for (const attempt of corpus.attempts) {
    test(attempt.name, async () => {
      const victim = await runner.execute(corpus.victim, { secrets: JSON.stringify({ token: SECRET }) });
      assert.equal(victim.result, '"stashed"', victim.error);

      const outcome = await runner.execute(`${corpus.prelude}\n${attempt.code}`, { timeoutMs: attempt.timeoutMs });
      const expected = attempt.expect.some(({ status, errorCode }) => outcome.status === status && (errorCode === null || outcome.errorCode === errorCode));
      assert.ok(expected, `${attempt.name}: ${outcome.status} ${outcome.errorCode} ${outcome.error}; logs ${outcome.logs}`);
      const text = [outcome.result, outcome.error, outcome.logs].join('\n');
      assert.match(text, /probes(\\?")?:\s*[1-9]|probes ran: [1-9]/, 'no probe ran');
      for (const [what, marker] of [['ESCAPED', 'ESCAPED'], ['the host marker', HOST_MARKER], ["the victim's secret", SECRET]]) {
        assert.ok(!text.includes(marker), `${what} in the outcome: ${text.slice(Math.max(0, text.indexOf(marker) - 300), text.indexOf(marker) + 300)}`);
        assert.ok(!runner.stderr.includes(marker), `${what} in the runner's stderr`);
      }

      if (outcome.ending) {
        // The runner said it cannot go on (a thread it could not stop): it must end, and a new one takes over.
        const { signal } = await runner.exited;
        assert.equal(signal, 'SIGKILL');
        runner = await new Runner().ready();
      } else {
        // Tearing down a large isolate takes a moment; a thread spinning for ever never goes quiet.
        let cpu = await runner.cpuOver(200);
        for (let tries = 0; cpu !== null && cpu >= 100 && tries < 25; tries++) cpu = await runner.cpuOver(200);
        assert.ok(cpu === null || cpu < 100, `the runner kept using CPU after the attempt (${cpu} ms in 200 ms)`);
      }
      const pristine = await runner.execute(corpus.pristine);
      assert.equal(pristine.status, 'Succeeded', pristine.error);
      assert.equal(pristine.result, baseline, 'the next job does not see pristine globals');
    });
  }
});
