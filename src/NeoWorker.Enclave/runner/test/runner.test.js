'use strict';

// End-to-end tests: spawn the runner as a child process and talk to it through the real protocol.

const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');

const RUNNER = path.join(__dirname, '..', 'src', 'index.js');

/** A spawned runner with helpers to send requests and await the responses. */
class RunnerProcess {
  static async start() {
    const runner = new RunnerProcess();
    runner.ready = await runner.next(() => true);
    return runner;
  }

  constructor() {
    const env = { ...process.env };
    for (const name of ['NEOWORKER_EVIDENCE', 'NEOWORKER_SIM_ATTESTATION_KEY_FILE', 'NEOWORKER_SIM_ATTESTATION_CHAIN_FILE']) delete env[name];
    this.child = spawn(process.execPath, ['--no-node-snapshot', RUNNER], { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.messages = [];
    this.waiters = [];
    this.stdoutLines = [];
    this.stderr = '';
    this.nextId = 0;
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));

    let buffered = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (text) => {
      buffered += text;
      let newline;
      while ((newline = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        this.stdoutLines.push(line);
        this.deliver(JSON.parse(line)); // every stdout line must be JSON
      }
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text) => { this.stderr += text; });
  }

  deliver(message) {
    const index = this.waiters.findIndex((waiter) => waiter.match(message));
    if (index === -1) {
      this.messages.push(message);
      return;
    }
    const [waiter] = this.waiters.splice(index, 1);
    waiter.resolve(message);
  }

  /** The next message matching the predicate (already received or still to come). */
  next(match, timeoutMs = 10000) {
    const index = this.messages.findIndex(match);
    if (index !== -1) return Promise.resolve(this.messages.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ match, resolve: (message) => { clearTimeout(timer); resolve(message); } });
    });
  }

  sendLine(line) {
    this.child.stdin.write(`${line}\n`);
  }

  send(message) {
    this.sendLine(JSON.stringify(message));
  }

  /** Sends an execute request and resolves with its response. */
  execute(code, { input = null, secrets = null, limits } = {}) {
    const id = `job-${++this.nextId}`;
    const request = { type: 'execute', id, code, input, secrets };
    if (limits) request.limits = limits;
    this.send(request);
    return this.next((message) => message.id === id);
  }

  /** How the process ended; rejects (and kills it) if it is still running after timeoutMs. */
  async exit(timeoutMs = 10000) {
    let timer;
    const late = new Promise((_resolve, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`runner still running after ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  close() {
    this.child.stdin.end();
    return this.exit();
  }
}

const RESULT_FIELDS = [
  'type', 'id', 'status', 'result', 'errorCode', 'error', 'logs', 'logsTruncated', 'executionTimeMs', 'gasUsed', 'ending', 'proof',
];

describe('runner over the protocol', () => {
  let runner;
  before(async () => { runner = await RunnerProcess.start(); });
  after(async () => {
    const { code } = await runner.close();
    assert.equal(code, 0);
  });

  test('announces itself with a ready line', () => {
    assert.deepEqual(runner.ready, {
      type: 'ready',
      protocol: 1,
      pid: runner.child.pid,
      node: process.version,
      isolatedVm: '5.0.4',
      attestation: null, // no NEOWORKER_SIM_ATTESTATION_* here: no evidence (attest.test.js covers it)
    });
  });

  test('runs the seed example', async () => {
    const response = await runner.execute(
      'function main(input) { return { result: input.value * 2 }; }',
      { input: '{ "value": 42 }' },
    );
    assert.deepEqual(Object.keys(response), RESULT_FIELDS);
    assert.equal(response.type, 'result');
    assert.equal(response.status, 'Succeeded');
    assert.equal(response.result, '{"result":84}');
    assert.equal(response.proof, null); // no evidence configured
    assert.equal(response.errorCode, null);
    assert.equal(response.error, null);
    assert.equal(response.logs, '');
    assert.equal(response.logsTruncated, false);
    assert.ok(Number.isInteger(response.executionTimeMs) && response.executionTimeMs >= 0);
    assert.ok(Number.isInteger(response.gasUsed) && response.gasUsed >= 0);
  });

  test('awaits an async main', async () => {
    const response = await runner.execute(
      'async function main(input) { const x = await Promise.resolve(input.a); return [x, await 2]; }',
      { input: '{"a":1}' },
    );
    assert.equal(response.status, 'Succeeded');
    assert.equal(response.result, '[1,2]');
  });

  test('passes secrets, and {} when secrets is null', async () => {
    const code = 'function main(input, secrets) { return secrets; }';
    assert.equal((await runner.execute(code, { secrets: '{"apiKey":"k"}' })).result, '{"apiKey":"k"}');
    assert.equal((await runner.execute(code)).result, '{}');
  });

  test('returns null for an undefined result and for a null input', async () => {
    assert.equal((await runner.execute('function main() {}')).result, 'null');
    assert.equal((await runner.execute('function main(input) { return input; }')).result, 'null');
  });

  test('captures console output', async () => {
    const response = await runner.execute(`function main() {
      console.log('hello', 'world');
      console.info({ a: 1 }, [2], 3, null, undefined);
      console.warn(new Error('careful'));
      console.error('e'); console.debug('d');
      return 1;
    }`);
    assert.equal(response.status, 'Succeeded');
    assert.equal(response.logs, 'hello world\n{"a":1} [2] 3 null undefined\nError: careful\ne\nd');
    assert.equal(response.logsTruncated, false);
  });

  test('truncates logs at maxLogBytes', async () => {
    const response = await runner.execute(
      'function main() { for (let i = 0; i < 1000; i++) console.log("line " + i); return "done"; }',
      { limits: { maxLogBytes: 100 } },
    );
    assert.equal(response.status, 'Succeeded');
    assert.equal(response.result, '"done"');
    assert.equal(response.logsTruncated, true);
    assert.equal(Buffer.byteLength(response.logs), 100);
    assert.ok(response.logs.startsWith('line 0\nline 1\n'));
  });

  test('reports a thrown error as ScriptError with its message, keeping the logs', async () => {
    const response = await runner.execute('function main() { console.log("before"); throw new Error("boom"); }');
    assert.equal(response.status, 'Failed');
    assert.equal(response.errorCode, 'ScriptError');
    assert.equal(response.error, 'Error: boom');
    assert.equal(response.result, null);
    assert.equal(response.logs, 'before');
  });

  test('reports a compile error as SyntaxError', async () => {
    const response = await runner.execute('function main( { return 1 }');
    assert.equal(response.status, 'Failed');
    assert.equal(response.errorCode, 'SyntaxError');
    assert.match(response.error, /^SyntaxError: /);
  });

  test('reports a missing main as ScriptError', async () => {
    const response = await runner.execute('const x = 1;');
    assert.equal(response.status, 'Failed');
    assert.equal(response.errorCode, 'ScriptError');
    assert.match(response.error, /main is not defined/);
  });

  test('rejects input or secrets that are not JSON as InvalidInput', async () => {
    const badInput = await runner.execute('function main() { return 1; }', { input: '{not json' });
    assert.equal(badInput.status, 'Failed');
    assert.equal(badInput.errorCode, 'InvalidInput');
    assert.equal(badInput.error, 'input is not valid JSON');
    const badSecrets = await runner.execute('function main() { return 1; }', { secrets: 'secret-value' });
    assert.equal(badSecrets.errorCode, 'InvalidInput');
    assert.doesNotMatch(badSecrets.error, /secret-value/);
  });

  test('times out an infinite loop and then runs the next job normally', async () => {
    const started = Date.now();
    const response = await runner.execute('function main() { while (true) {} }', { limits: { timeoutMs: 500 } });
    const elapsed = Date.now() - started;
    assert.equal(response.status, 'TimedOut');
    assert.equal(response.errorCode, 'TimedOut');
    assert.equal(response.result, null);
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
    assert.ok(response.executionTimeMs >= 450 && response.executionTimeMs < 2000);

    const next = await runner.execute('function main() { return "alive"; }');
    assert.equal(next.status, 'Succeeded');
    assert.equal(next.result, '"alive"');
  });

  test('times out an infinite loop in top-level code', async () => {
    const response = await runner.execute('for (;;) {}', { limits: { timeoutMs: 300 } });
    assert.equal(response.status, 'TimedOut');
  });

  test('times out a promise that never settles', async () => {
    const response = await runner.execute(
      'function main() { console.log("waiting"); return new Promise(() => {}); }',
      { limits: { timeoutMs: 300 } },
    );
    assert.equal(response.status, 'TimedOut');
    assert.equal(response.errorCode, 'TimedOut');
    assert.equal(response.logs, 'waiting');
  });

  test('times out a microtask spin', async () => {
    const response = await runner.execute('async function main() { for (;;) await null; }', { limits: { timeoutMs: 300 } });
    assert.equal(response.status, 'TimedOut');
  });

  test('stops a memory bomb with MemoryLimit and then runs the next job normally', async () => {
    const response = await runner.execute(
      'function main() { const a = []; while (true) a.push(new Array(1e6).fill(1)); }',
      { limits: { memoryMb: 32, timeoutMs: 10000 } },
    );
    assert.equal(response.status, 'Failed');
    assert.equal(response.errorCode, 'MemoryLimit');

    const next = await runner.execute('function main() { return new Array(1000).fill(7).length; }');
    assert.equal(next.status, 'Succeeded');
    assert.equal(next.result, '1000');
  });

  test('rejects a result larger than maxResultBytes', async () => {
    const response = await runner.execute('function main() { return "x".repeat(2000); }', { limits: { maxResultBytes: 1000 } });
    assert.equal(response.status, 'Failed');
    assert.equal(response.errorCode, 'OutputTooLarge');
    assert.equal(response.result, null);
  });

  test('rejects a result JSON cannot represent', async () => {
    const bigint = await runner.execute('function main() { return 10n; }');
    assert.equal(bigint.status, 'Failed');
    assert.equal(bigint.errorCode, 'InvalidResult');
    const cyclic = await runner.execute('function main() { const a = {}; a.self = a; return a; }');
    assert.equal(cyclic.errorCode, 'InvalidResult');
  });

  test('exposes nothing of Node.js to job code', async () => {
    const response = await runner.execute(`async function main() {
      const names = ['require', 'process', 'Buffer', 'setTimeout', 'setInterval', 'setImmediate',
        'queueMicrotask', 'module', 'exports', '__dirname', 'global', 'fetch'];
      const types = {};
      for (const name of names) types[name] = eval('typeof ' + name);
      let importResult;
      try { await import('fs'); importResult = 'imported'; } catch (e) { importResult = 'failed'; }
      return { types, importResult };
    }`);
    assert.equal(response.status, 'Succeeded');
    const { types, importResult } = JSON.parse(response.result);
    for (const [name, type] of Object.entries(types)) assert.equal(type, 'undefined', name);
    assert.equal(importResult, 'failed');
  });

  test('keeps jobs isolated from each other', async () => {
    const first = await runner.execute(`function main() {
      globalThis.leak = 'secret';
      Object.prototype.polluted = true;
      Array.prototype.push = function () { throw new Error('hijacked'); };
      console.log = function () {};
      return 'set';
    }`);
    assert.equal(first.status, 'Succeeded');
    const second = await runner.execute(`function main() {
      const a = []; a.push(1);
      console.log('still mine');
      return [typeof leak, typeof globalThis.leak, ({}).polluted === undefined, a.length];
    }`);
    assert.equal(second.status, 'Succeeded');
    assert.equal(second.result, '["undefined","undefined",true,1]');
    assert.equal(second.logs, 'still mine');
  });

  test('answers a malformed request with ProtocolError and keeps going', async () => {
    runner.sendLine('this is not json');
    const notJson = await runner.next((message) => message.type === 'error');
    assert.deepEqual(notJson, { type: 'error', id: null, errorCode: 'ProtocolError', error: 'Request is not valid JSON' });

    runner.send({ type: 'execute', id: 'no-code' });
    const noCode = await runner.next((message) => message.id === 'no-code');
    assert.equal(noCode.type, 'error');
    assert.equal(noCode.errorCode, 'ProtocolError');

    runner.send({ type: 'execute', code: 'function main() {}' });
    const noId = await runner.next((message) => message.type === 'error');
    assert.equal(noId.id, null);

    runner.send({ type: 'execute', id: 'bad-limits', code: 'function main() {}', limits: { timeoutMs: -1 } });
    const badLimits = await runner.next((message) => message.id === 'bad-limits');
    assert.equal(badLimits.errorCode, 'ProtocolError');

    const next = await runner.execute('function main() { return 1; }');
    assert.equal(next.status, 'Succeeded');
  });

  test('answers ping with pong', async () => {
    runner.send({ type: 'ping', id: 'x' });
    assert.deepEqual(await runner.next((message) => message.type === 'pong'), { type: 'pong', id: 'x' });
  });

  test('answers ping while a job is running', async () => {
    const pending = runner.execute('function main() { const end = Date.now() + 400; while (Date.now() < end) {} return 1; }');
    await new Promise((resolve) => setTimeout(resolve, 100));
    runner.send({ type: 'ping', id: 'during-job' });
    const pong = await runner.next((message) => message.type === 'pong' && message.id === 'during-job');
    assert.deepEqual(pong, { type: 'pong', id: 'during-job' });
    const result = await pending;
    assert.equal(result.status, 'Succeeded');
    assert.ok(runner.stdoutLines.indexOf(JSON.stringify(pong)) < runner.stdoutLines.length - 1, 'pong came before the result');
  });

  test('reports CPU work as gas', async () => {
    const response = await runner.execute(
      'function main() { let x = 0; for (let i = 0; i < 5e6; i++) x += i % 7; return x; }',
    );
    assert.equal(response.status, 'Succeeded');
    assert.ok(response.gasUsed > 1000, `gasUsed ${response.gasUsed}`);
  });

  test('keeps diagnostics free of job content', () => {
    assert.doesNotMatch(runner.stderr, /secret|boom|hello/);
  });
});

describe('cancel over the protocol', () => {
  let runner;
  before(async () => { runner = await RunnerProcess.start(); });
  after(async () => {
    const { code } = await runner.close();
    assert.equal(code, 0);
  });

  test('stops the running job and answers it Canceled, then runs the next job', async () => {
    runner.send({ type: 'execute', id: 'spin', code: 'function main() { console.log("spinning"); for (;;) {} }', limits: { timeoutMs: 20000 } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const started = Date.now();
    runner.send({ type: 'cancel', id: 'spin' });
    const response = await runner.next((message) => message.id === 'spin');
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.equal(response.status, 'Canceled');
    assert.equal(response.errorCode, 'Canceled');
    assert.equal(response.logs, 'spinning');
    assert.equal(response.ending, false);
    const next = await runner.execute('function main() { return typeof globalThis.spinning; }');
    assert.equal(next.result, '"undefined"');
  });

  test('answers a queued job Canceled at once, without running it', async () => {
    runner.send({ type: 'execute', id: 'first', code: 'function main() { for (;;) {} }', limits: { timeoutMs: 20000 } });
    runner.send({ type: 'execute', id: 'second', code: 'function main() { console.log("ran"); return 1; }' });
    runner.send({ type: 'cancel', id: 'second' });
    const second = await runner.next((message) => message.id === 'second');
    assert.equal(second.status, 'Canceled');
    assert.equal(second.logs, '');
    runner.send({ type: 'cancel', id: 'first' });
    assert.equal((await runner.next((message) => message.id === 'first')).status, 'Canceled');
  });

  test('ignores a cancel for a job it does not have', async () => {
    runner.send({ type: 'cancel', id: 'never-sent' });
    const next = await runner.execute('function main() { return "still here"; }');
    assert.equal(next.result, '"still here"');
    assert.equal(runner.messages.filter((message) => message.id === 'never-sent').length, 0);
  });
});

describe('runner lifecycle', () => {
  // A Map growing past 64 MB makes V8 fail before isolated-vm can enforce the limit (smaller
  // Maps are usually stopped cleanly). The runner reports the job, then ends itself.
  test('reports a memory bomb that V8 cannot survive, then ends so the host can restart it', async () => {
    const runner = await RunnerProcess.start();
    const response = await runner.execute(
      'function main() { console.log("growing"); const m = new Map(); for (let i = 0; ; i++) m.set(i, i); }',
      { limits: { memoryMb: 64, timeoutMs: 10000 } },
    );
    assert.equal(response.status, 'Failed');
    assert.equal(response.errorCode, 'MemoryLimit');
    assert.equal(response.logs, 'growing');
    const { signal } = await runner.exit(5000);
    assert.equal(signal, 'SIGKILL');
    assert.match(runner.stderr, /catastrophic isolate error/);
  });

  // isolated-vm reads message and stack of a thrown (or unhandled-rejected) object with job code
  // in the getters, and swallows the termination of the first: the second spins for ever.
  for (const [name, code] of [
    ['thrown at the top level', 'throw { get message() { for (;;) {} }, get stack() { for (;;) {} } };'],
    ['left as an unhandled rejection', 'function main() { Promise.reject({ get message() { for (;;) {} }, get stack() { for (;;) {} } }); return 1; }'],
  ]) {
    test(`an object ${name} whose getters never return: TimedOut, then the runner ends itself`, async () => {
      const runner = await RunnerProcess.start();
      const response = await runner.execute(code, { limits: { timeoutMs: 300 } });
      assert.equal(response.status, 'TimedOut');
      assert.equal(response.ending, true);
      const { signal } = await runner.exit(5000);
      assert.equal(signal, 'SIGKILL');
      assert.match(runner.stderr, /isolate thread is still running/);
    });
  }

  test('a job stopped at its time limit whose thread goes quiet does not end the runner', async () => {
    const runner = await RunnerProcess.start();
    const response = await runner.execute('function main() { for (;;) {} }', { limits: { timeoutMs: 200 } });
    assert.equal(response.status, 'TimedOut');
    assert.equal(response.ending, false);
    assert.equal((await runner.execute('function main() { return 1; }')).result, '1');
    assert.equal((await runner.close()).code, 0);
  });

  test('finishes queued jobs and exits 0 when stdin closes', async () => {
    const runner = await RunnerProcess.start();
    runner.send({ type: 'execute', id: 'last', code: 'function main() { return "finished"; }', input: null, secrets: null });
    const { code, signal } = await runner.close();
    assert.equal(code, 0);
    assert.equal(signal, null);
    const result = await runner.next((message) => message.id === 'last', 100);
    assert.equal(result.result, '"finished"');
  });

  test('exits 0 when stdin closes while idle', async () => {
    const runner = await RunnerProcess.start();
    const { code } = await runner.close();
    assert.equal(code, 0);
    assert.equal(runner.stdoutLines.length, 1); // only the ready line
  });
});
