'use strict';

// Unit tests of the sandbox, calling runJob directly (no child process).

const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { runJob, prepareIsolate, LogBuffer, truncateUtf8 } = require('../src/sandbox');

function run(code, { input = null, secrets = null, limits = {} } = {}) {
  return runJob({ code, input, secrets, limits });
}

describe('results', () => {
  test('finds main declared with const, let or var', async () => {
    for (const keyword of ['const', 'let', 'var']) {
      const outcome = await run(`${keyword} main = (input) => input.x + 1;`, { input: '{"x":1}' });
      assert.equal(outcome.status, 'Succeeded', keyword);
      assert.equal(outcome.result, '2');
    }
  });

  test('serialises inside the isolate: getters and toJSON of job objects run there', async () => {
    const outcome = await run(`function main() {
      return { get computed() { return 6 * 7; }, date: { toJSON() { return 'custom'; } } };
    }`);
    assert.equal(outcome.result, '{"computed":42,"date":"custom"}');
  });

  test('is not fooled by job code replacing JSON, String or console helpers', async () => {
    const outcome = await run(`
      JSON.stringify = () => { throw new Error('hijacked'); };
      JSON.parse = () => 'hijacked';
      String.prototype.slice = () => 'hijacked';
      String.prototype.charCodeAt = () => 0;
      function main(input) { console.log(input); return { input }; }
    `, { input: '{"a":"é"}' });
    assert.equal(outcome.status, 'Succeeded');
    assert.equal(outcome.result, '{"input":{"a":"é"}}');
    assert.equal(outcome.logs, '{"a":"é"}');
  });

  test('rejects a result that is a function or symbol', async () => {
    for (const value of ['() => 1', 'Symbol("s")']) {
      const outcome = await run(`function main() { return ${value}; }`);
      assert.equal(outcome.errorCode, 'InvalidResult', value);
    }
  });

  test('measures the result size in UTF-8 bytes', async () => {
    // "€" is 3 bytes: the JSON text "\"€€€\"" is 11 bytes but only 5 characters.
    const code = 'function main() { return "€€€"; }';
    assert.equal((await run(code, { limits: { maxResultBytes: 11 } })).status, 'Succeeded');
    assert.equal((await run(code, { limits: { maxResultBytes: 10 } })).errorCode, 'OutputTooLarge');
  });

  test('reports main that is not a function', async () => {
    const outcome = await run('var main = 5;');
    assert.equal(outcome.errorCode, 'ScriptError');
    assert.equal(outcome.error, 'main is not a function');
  });
});

describe('errors', () => {
  test('reports errors thrown by top-level code', async () => {
    const outcome = await run('throw new TypeError("at top");');
    assert.equal(outcome.errorCode, 'ScriptError');
    assert.equal(outcome.error, 'TypeError: at top');
  });

  test('reports a rejected promise and non-Error values thrown by main', async () => {
    assert.equal((await run('async function main() { throw new RangeError("r"); }')).error, 'RangeError: r');
    assert.equal((await run('function main() { return Promise.reject("plain"); }')).error, 'plain');
    assert.equal((await run('function main() { throw { code: 7 }; }')).error, '{"code":7}');
  });

  test('caps very long error messages', async () => {
    const outcome = await run('function main() { throw new Error("x".repeat(100000)); }');
    assert.equal(outcome.errorCode, 'ScriptError');
    assert.ok(outcome.error.length < 9000);
  });

  test('rejects input that is not a string', async () => {
    const outcome = await runJob({ code: 'function main() {}', input: { a: 1 }, secrets: null, limits: {} });
    assert.equal(outcome.errorCode, 'InvalidInput');
  });
});

describe('limits', () => {
  test('times out a log flood and keeps what was logged', async () => {
    const outcome = await run('function main() { for (let i = 0; ; i++) console.log(i); }', {
      limits: { timeoutMs: 300, maxLogBytes: 1000 },
    });
    assert.equal(outcome.status, 'TimedOut');
    assert.equal(outcome.logsTruncated, true);
    assert.ok(outcome.logs.startsWith('0\n1\n2\n'));
    assert.equal(Buffer.byteLength(outcome.logs), 1000);
  });

  test('times out Atomics.wait', async () => {
    const outcome = await run(
      'function main() { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); }',
      { limits: { timeoutMs: 300 } },
    );
    assert.equal(outcome.status, 'TimedOut');
  });

  test('the time limit covers an async main that keeps the isolate busy after awaiting', async () => {
    const started = Date.now();
    const outcome = await run('async function main() { await null; while (true) {} }', { limits: { timeoutMs: 300 } });
    assert.equal(outcome.status, 'TimedOut');
    assert.ok(Date.now() - started < 1500);
    assert.ok(outcome.gasUsed > 100000, `gasUsed ${outcome.gasUsed}`);
  });

  // Bombs that make V8 fail irrecoverably (a growing Map, Set or dictionary) end the whole
  // process; they are tested through a child process in runner.test.js.
  test('stops other memory bombs', async () => {
    const bombs = [
      'const a = []; for (let i = 0; ; i++) a.push("x".repeat(1000) + i);',
      'const a = []; for (let i = 0; ; i++) a.push({ i, s: String(i) });',
      'let s = "ab"; const keep = []; for (;;) { s = s + s; keep.push(s.split("")); }',
    ];
    for (const bomb of bombs) {
      const outcome = await run(`function main() { ${bomb} }`, { limits: { memoryMb: 16, timeoutMs: 10000 } });
      assert.equal(outcome.status, 'Failed', bomb);
      assert.equal(outcome.errorCode, 'MemoryLimit', bomb);
    }
  });

  test('an ArrayBuffer larger than the memory limit is refused', async () => {
    const outcome = await run('function main() { return new ArrayBuffer(512 * 1024 * 1024).byteLength; }', {
      limits: { memoryMb: 16 },
    });
    assert.equal(outcome.status, 'Failed');
    assert.ok(['ScriptError', 'MemoryLimit'].includes(outcome.errorCode), outcome.errorCode);
  });

  test('a memory limit below 8 MB is raised to 8 MB', async () => {
    const outcome = await run('function main() { return 1; }', { limits: { memoryMb: 1 } });
    assert.equal(outcome.status, 'Succeeded');
  });

  test('maxLogBytes 0 keeps no logs', async () => {
    const outcome = await run('function main() { console.log("a"); return 1; }', { limits: { maxLogBytes: 0 } });
    assert.equal(outcome.logs, '');
    assert.equal(outcome.logsTruncated, true);
  });
});

describe('memory a job could make outside its heap', () => {
  test('jobs get neither WebAssembly nor resizable or growable buffers', async () => {
    const outcome = await run(`function main() {
      return [typeof WebAssembly, typeof ArrayBuffer.prototype.resize, typeof SharedArrayBuffer.prototype.grow,
        new ArrayBuffer(8, { maxByteLength: 1024 }).resizable === true];
    }`);
    assert.equal(outcome.result, '["undefined","undefined","undefined",false]');
  });

  test('a buffer asked for with a large maxByteLength is held to the memory limit', async () => {
    for (const type of ['ArrayBuffer', 'SharedArrayBuffer']) {
      const outcome = await run(`function main() {
        const buffer = new ${type}(400 * 1024 * 1024, { maxByteLength: 1024 * 1024 * 1024 });
        new Uint8Array(buffer).fill(1);
        return buffer.byteLength;
      }`, { limits: { memoryMb: 16, timeoutMs: 5000 } });
      assert.equal(outcome.status, 'Failed', type);
      assert.match(outcome.error, /Array buffer allocation failed/, type);
    }
  });

  test('Intl objects piling up outside the heap are stopped by the resident-set guard', async () => {
    const before = process.memoryUsage.rss();
    const outcome = await run(`function main() {
      const keep = [];
      for (let i = 0; ; i++) keep.push(new Intl.Collator('en', { sensitivity: i % 2 ? 'base' : 'accent' }), new Intl.Segmenter('en'));
    }`, { limits: { memoryMb: 16, timeoutMs: 20000 } });
    assert.equal(outcome.status, 'Failed');
    assert.equal(outcome.errorCode, 'MemoryLimit');
    assert.ok(outcome.executionTimeMs < 15000, `took ${outcome.executionTimeMs} ms`);
    assert.ok(process.memoryUsage.rss() - before < 512 * 1024 * 1024);
  });
});

describe('size limits', () => {
  test('code, input and secrets larger than their limits fail before any code runs', async () => {
    const code = 'function main() { return 1; }';
    const limits = { maxCodeBytes: 40, maxInputBytes: 10, maxSecretsBytes: 12 };
    assert.equal((await run(code + ' '.repeat(20), { limits })).errorCode, 'CodeTooLarge');
    const input = await run(code, { input: '"€€€€"', limits }); // 14 bytes, 6 characters
    assert.equal(input.errorCode, 'InvalidInput');
    assert.equal(input.error, 'input exceeds the limit of 10 bytes');
    const secrets = await run(code, { secrets: '{"k":"s3cr3t-v"}', limits });
    assert.equal(secrets.errorCode, 'InvalidSecrets');
    assert.doesNotMatch(secrets.error, /s3cr3t/);
    assert.equal((await run(code, { input: '"€€"', secrets: '{"k":"v"}', limits })).status, 'Succeeded');
  });
});

describe('cancellation', () => {
  test('aborting the signal stops a running job as Canceled and keeps its logs', async () => {
    const controller = new AbortController();
    const pending = runJob(
      { code: 'function main() { console.log("started"); for (;;) {} }', input: null, secrets: null, limits: { timeoutMs: 20000 } },
      { signal: controller.signal },
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    const started = Date.now();
    controller.abort();
    const outcome = await pending;
    assert.equal(outcome.status, 'Canceled');
    assert.equal(outcome.errorCode, 'Canceled');
    assert.equal(outcome.error, 'The job was canceled');
    assert.equal(outcome.logs, 'started');
    assert.ok(Date.now() - started < 1000);
    assert.ok(outcome.gasUsed > 50000, `gasUsed ${outcome.gasUsed}`);
  });

  test('a job whose signal is already aborted does not start', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await runJob({ code: 'console.log("ran"); function main() {}', input: null, secrets: null, limits: {} }, { signal: controller.signal });
    assert.equal(outcome.status, 'Canceled');
    assert.equal(outcome.logs, '');
    assert.equal(outcome.gasUsed, 0);
  });
});

describe('an isolate prepared while idle', () => {
  test('is as fresh as a new one: nothing the job before did is there', async () => {
    const first = await run('function main() { globalThis.left = 1; Object.prototype.polluted = 2; return 0; }');
    assert.equal(first.status, 'Succeeded');
    prepareIsolate({});
    const second = await run('function main() { return [typeof left, typeof ({}).polluted, typeof main]; }');
    assert.equal(second.result, '["undefined","undefined","function"]');
  });

  test('serves one job only: the job after it gets another isolate', async () => {
    prepareIsolate({});
    const first = await run('function main() { globalThis.seen = (globalThis.seen || 0) + 1; return globalThis.seen; }');
    const second = await run('function main() { globalThis.seen = (globalThis.seen || 0) + 1; return globalThis.seen; }');
    assert.deepEqual([first.result, second.result], ['1', '1']);
  });

  test('made for another memory limit is not used: the job gets its own limit', async () => {
    // About 30 MB of objects fit in 64 MB, not in 8 MB: a spare isolate made for 8 MB would fail the first job.
    const KEEP_30MB = 'function main() { const a = []; for (let i = 0; i < 400000; i++) a.push({ i, s: String(i) }); return a.length; }';
    prepareIsolate({ memoryMb: 8 });
    const bigger = await run(KEEP_30MB, { limits: { memoryMb: 64 } });
    assert.equal(bigger.status, 'Succeeded', bigger.error);
    prepareIsolate({ memoryMb: 64 });
    const smaller = await run(KEEP_30MB, { limits: { memoryMb: 8 } });
    assert.equal(smaller.errorCode, 'MemoryLimit');
  });
});

describe('LogBuffer', () => {
  test('keeps whole lines while they fit, then a prefix, then nothing', () => {
    const logs = new LogBuffer(10);
    logs.append('abc');
    logs.append('def');
    assert.equal(logs.text(), 'abc\ndef');
    assert.equal(logs.truncated, false);
    logs.append('ghijk'); // 7 bytes used, 1 for the separator, room for 2
    assert.equal(logs.text(), 'abc\ndef\ngh');
    assert.equal(logs.truncated, true);
    logs.append('more');
    assert.equal(logs.text(), 'abc\ndef\ngh');
  });

  test('does not count the separator before the first line', () => {
    const logs = new LogBuffer(3);
    logs.append('abc');
    assert.equal(logs.truncated, false);
    logs.append('');
    assert.equal(logs.truncated, true);
  });

  test('ignores lines after close and values that are not strings', () => {
    const logs = new LogBuffer(100);
    logs.append({ toString() { throw new Error('must not be called'); } });
    logs.close();
    logs.append('late');
    assert.equal(logs.text(), '');
  });

  test('truncateUtf8 cuts at a character boundary', () => {
    assert.equal(truncateUtf8('a€b', 3), 'a');
    assert.equal(truncateUtf8('a€b', 4), 'a€');
    assert.equal(truncateUtf8('😀', 3), '');
    assert.equal(truncateUtf8('abc', 10), 'abc');
  });
});
