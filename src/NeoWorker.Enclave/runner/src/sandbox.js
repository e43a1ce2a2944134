'use strict';

// Runs one job in a fresh isolated-vm isolate and reports the outcome.
//
// Trust boundary: everything inside the isolate is untrusted. Values cross the boundary only as
// primitives (strings and numbers): input and secrets go in as JSON text, the result comes out as
// JSON text made by JSON.stringify inside the isolate, and console lines come out as strings. The
// host never receives, and so never touches, an object that job code made.
//
// Gas: 1 gas = 1 microsecond of CPU time spent inside the job's isolate (isolate.cpuTime, in ns,
// rounded up to whole microseconds), counted from the end of the runner's own per-isolate setup,
// so it covers compiling and running the job's code, parsing its input and serialising its result.

const { performance } = require('node:perf_hooks');
const ivm = require('isolated-vm');
const { DEFAULT_LIMITS } = require('./protocol');

// isolated-vm refuses memory limits below 8 MB.
const MIN_MEMORY_MB = 8;
// Error messages taken from job code are cut to this many characters (inside the isolate).
const MAX_ERROR_CHARS = 8192;
// cpuTime cannot be read once an isolate is gone (e.g. disposed for exceeding its memory limit),
// so it is sampled while the job runs; gasUsed then under-counts by at most this interval.
const CPU_SAMPLE_MS = 20;

const TIMED_OUT = Symbol('timed out');
const CATASTROPHE = Symbol('catastrophic isolate error');

// Evaluated in every new context before the job's code. It installs console and returns the
// harness function that calls main(). Written as a single function expression so it declares
// nothing in the global scope (the job may use any name). Every built-in it needs is captured
// here, before job code runs and could replace it.
//
// The harness resolves with a string whose first character is the kind of outcome:
//   R<json>  result JSON text      E<text>  main missing or threw (ScriptError)
//   I<text>  InvalidResult         O<text>  OutputTooLarge
const BOOTSTRAP = `(function bootstrap(log, maxLogBytes, maxErrorChars) {
  'use strict';
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const toText = String;
  const ErrorType = Error;
  const defineProperty = Object.defineProperty;
  const call = Function.prototype.call;
  const charCodeAt = call.bind(String.prototype.charCodeAt);
  const slice = call.bind(String.prototype.slice);

  // Strings as they are, Errors as "Name: message", anything else as JSON, or String() if that fails.
  function format(value) {
    if (typeof value === 'string') return value;
    try {
      if (value instanceof ErrorType) return toText(value);
      const json = stringify(value);
      if (typeof json === 'string') return json;
    } catch (_) { /* fall back to String() */ }
    try { return toText(value); } catch (_) { return '[unprintable value]'; }
  }

  function describe(error) {
    const text = format(error);
    return text.length > maxErrorChars ? slice(text, 0, maxErrorChars) + '...' : text;
  }

  // The host keeps at most maxLogBytes UTF-8 bytes and marks the logs truncated. This side counts
  // UTF-16 code units, never more than the host's byte count, so it stops sending only once the
  // host has certainly seen the overflow.
  let sent = 0;
  let lines = 0;
  function write() {
    if (sent > maxLogBytes) return;
    let line = '';
    for (let i = 0; i < arguments.length; i++) line += (i === 0 ? '' : ' ') + format(arguments[i]);
    const separator = lines === 0 ? 0 : 1;
    const room = maxLogBytes - sent - separator;
    if (line.length > room + 1) line = slice(line, 0, room < 0 ? 0 : room + 1);
    sent += separator + line.length;
    lines++;
    log(line);
  }
  const console = {};
  const levels = ['log', 'info', 'warn', 'error', 'debug'];
  for (let i = 0; i < levels.length; i++) {
    defineProperty(console, levels[i], { value: write, writable: true, enumerable: true, configurable: true });
  }
  defineProperty(globalThis, 'console', { value: console, writable: true, enumerable: false, configurable: true });

  function utf8Length(text) {
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = charCodeAt(text, i);
      if (unit < 0x80) bytes += 1;
      else if (unit < 0x800) bytes += 2;
      else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length
        && (charCodeAt(text, i + 1) & 0xfc00) === 0xdc00) { bytes += 4; i++; }
      else bytes += 3;
    }
    return bytes;
  }

  return async function harness(inputJson, secretsJson, maxResultBytes) {
    const input = inputJson === null ? null : parse(inputJson);
    const secrets = secretsJson === null ? {} : parse(secretsJson);
    // A free reference finds main whether it was declared with function, var, let or const.
    if (typeof main !== 'function') {
      return typeof main === 'undefined'
        ? 'Emain is not defined: the code must define function main(input, secrets)'
        : 'Emain is not a function';
    }
    let value;
    try {
      value = await main(input, secrets);
    } catch (error) {
      return 'E' + describe(error);
    }
    if (value === undefined) return 'Rnull';
    let json;
    try {
      json = stringify(value);
    } catch (error) {
      return 'IResult is not JSON-serialisable: ' + describe(error);
    }
    if (typeof json !== 'string') return 'IResult is not JSON-serialisable (' + typeof value + ')';
    // A UTF-8 byte is at least one UTF-16 code unit and at most three, so most sizes are decided
    // without counting.
    if (json.length > maxResultBytes || (json.length * 3 > maxResultBytes && utf8Length(json) > maxResultBytes)) {
      return 'OResult exceeds the limit of ' + maxResultBytes + ' bytes';
    }
    return 'R' + json;
  };
})`;

/** Collects console lines, at most maxBytes UTF-8 bytes in total (lines joined by "\n"). */
class LogBuffer {
  constructor(maxBytes) {
    this.maxBytes = maxBytes;
    this.lines = [];
    this.bytes = 0;
    this.truncated = false;
    this.closed = false;
  }

  append(line) {
    if (this.closed || this.truncated || typeof line !== 'string') return;
    const separator = this.lines.length === 0 ? 0 : 1;
    const room = this.maxBytes - this.bytes - separator;
    const size = Buffer.byteLength(line, 'utf8');
    if (size <= room) {
      this.lines.push(line);
      this.bytes += separator + size;
      return;
    }
    this.truncated = true;
    if (room > 0) {
      const head = truncateUtf8(line, room);
      this.lines.push(head);
      this.bytes += separator + Buffer.byteLength(head, 'utf8');
    }
  }

  /** Lines arriving after the job's response was built are dropped. */
  close() {
    this.closed = true;
  }

  text() {
    return this.lines.join('\n');
  }
}

/** The longest prefix of text that is at most maxBytes UTF-8 bytes, cut at a character boundary. */
function truncateUtf8(text, maxBytes) {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // step back over continuation bytes
  return bytes.subarray(0, end).toString('utf8');
}

/**
 * Runs one job. job = { code, input, secrets, limits }, where input and secrets are JSON text or
 * null and limits may be partial. Never rejects; returns
 * { status, result, errorCode, error, logs, logsTruncated, executionTimeMs, gasUsed, fatal }.
 *
 * fatal is true when the isolate failed irrecoverably (see execute()): the outcome is still
 * reported, but the process must then end without running another job.
 */
async function runJob(job) {
  const started = performance.now();
  const limits = { ...DEFAULT_LIMITS, ...job.limits };
  const logs = new LogBuffer(limits.maxLogBytes);
  const cpu = { base: 0n, ns: 0n };

  let outcome;
  try {
    outcome = await execute(job, limits, logs, cpu, started);
  } catch (error) {
    // Only a fault in the runner itself gets here; job-caused errors are classified in execute().
    process.stderr.write(`[runner] internal error while running a job: ${error && error.stack}\n`);
    outcome = failed('InternalError', 'Internal error in the enclave runner');
  }
  logs.close();

  return {
    status: outcome.status,
    result: outcome.result,
    errorCode: outcome.errorCode,
    error: outcome.error,
    logs: logs.text(),
    logsTruncated: logs.truncated,
    executionTimeMs: Math.round(performance.now() - started),
    gasUsed: cpu.ns > cpu.base ? Number((cpu.ns - cpu.base + 999n) / 1000n) : 0,
    fatal: outcome.fatal === true,
  };
}

async function execute(job, limits, logs, cpu, started) {
  const input = checkJsonText(job.input, 'input');
  if (input.error) return failed('InvalidInput', input.error);
  const secrets = checkJsonText(job.secrets, 'secrets');
  if (secrets.error) return failed('InvalidInput', secrets.error);

  // isolated-vm's memory limit is not airtight: some allocations (e.g. the backing store of a
  // fast-growing Map, Set or dictionary object) make V8 run out of memory before isolated-vm can
  // dispose the isolate. isolated-vm then parks the isolate's thread for good and calls this
  // handler on our thread. Nothing can reclaim that isolate, so the job is reported and the
  // process ends (index.js); the host starts a new runner.
  let catastrophe = null;
  const watch = watchCatastrophe();
  const catastrophic = watch.happened.then((message) => {
    catastrophe = message;
    process.stderr.write(`[runner] catastrophic isolate error: ${message}\n`);
    return CATASTROPHE;
  });
  const isolate = new ivm.Isolate({
    memoryLimit: Math.max(MIN_MEMORY_MB, limits.memoryMb),
    onCatastrophicError: watch.handler,
  });
  const sampleCpu = () => {
    try {
      cpu.ns = isolate.cpuTime;
    } catch {
      // The isolate is disposed: keep the last sample.
    }
  };
  const deadline = started + limits.timeoutMs;
  const remainingMs = () => Math.max(1, Math.ceil(deadline - performance.now()));

  // The wall-clock limit: disposing the isolate terminates whatever runs in it, including a
  // synchronous loop, and abandons a promise that never settles. This timer can fire at any time
  // because job code runs on isolated-vm's own thread, never on this event loop.
  let timedOut = false;
  let timer;
  const expired = new Promise((resolve) => {
    timer = setTimeout(() => {
      if (catastrophe !== null) return;
      timedOut = true;
      sampleCpu();
      disposeQuietly(isolate);
      resolve(TIMED_OUT);
    }, remainingMs());
  });
  const sampler = setInterval(sampleCpu, CPU_SAMPLE_MS);

  let stage = 'setup';
  const work = (async () => {
    const context = await isolate.createContext();
    const bootstrap = await context.eval(BOOTSTRAP, { reference: true, timeout: remainingMs() });
    // An "ignored" callback does not make the isolate wait for the host. Its calls are queued on
    // this thread's isolated-vm task queue ahead of the job's final result, so all lines arrive
    // before the result is seen.
    const log = new ivm.Callback((line) => logs.append(line), { ignored: true });
    const harness = await bootstrap.apply(undefined, [log, limits.maxLogBytes, MAX_ERROR_CHARS], {
      result: { reference: true },
      timeout: remainingMs(),
    });
    sampleCpu();
    cpu.base = cpu.ns;

    stage = 'compile';
    const script = await isolate.compileScript(job.code, { filename: 'job.js' });
    stage = 'run';
    await script.run(context, { timeout: remainingMs() });
    stage = 'main';
    return harness.apply(undefined, [input.text, secrets.text, limits.maxResultBytes], {
      arguments: { copy: true },
      result: { promise: true, copy: true },
      timeout: remainingMs(),
    });
  })();
  work.catch(() => {}); // it may still reject after the timer has decided the outcome

  try {
    const raw = await Promise.race([work, expired, catastrophic]);
    if (raw === CATASTROPHE) return catastrophicOutcome(catastrophe, limits);
    if (raw === TIMED_OUT) {
      await settleLogs();
      return timedOutOutcome(limits);
    }
    return interpret(raw, limits);
  } catch (error) {
    if (catastrophe !== null) return catastrophicOutcome(catastrophe, limits);
    const outcome = classify(error, stage, timedOut, isolate, limits);
    if (outcome.status === 'TimedOut' || outcome.errorCode === 'MemoryLimit') await settleLogs();
    return outcome;
  } finally {
    clearTimeout(timer);
    clearInterval(sampler);
    watch.release();
    sampleCpu();
    // Disposing an isolate whose thread is parked could block this thread.
    if (catastrophe === null) disposeQuietly(isolate);
  }
}

/**
 * The onCatastrophicError handler for one isolate, and a promise of its message. isolated-vm keeps
 * the handler alive as long as the isolate's remains, so it holds nothing but a slot that
 * release() empties once the job is over, rather than the job's whole scope.
 */
function watchCatastrophe() {
  const slot = { report: null };
  const happened = new Promise((resolve) => { slot.report = resolve; });
  return {
    happened,
    handler: (message) => {
      if (slot.report !== null) slot.report(String(message));
    },
    release: () => {
      slot.report = null;
    },
  };
}

/** Validates JSON text in the host before it is copied into the isolate. */
function checkJsonText(value, name) {
  if (value === null) return { text: null };
  if (typeof value !== 'string') return { error: `${name} must be JSON text (a string) or null` };
  try {
    JSON.parse(value);
  } catch {
    // No parser message: it would quote part of the text, which may be secret.
    return { error: `${name} is not valid JSON` };
  }
  return { text: value };
}

/** Turns the harness's tagged string into an outcome. */
function interpret(raw, limits) {
  if (typeof raw !== 'string' || raw.length === 0) {
    throw new Error(`harness returned an unexpected ${typeof raw}`);
  }
  const body = raw.slice(1);
  switch (raw[0]) {
    case 'R':
      // The isolate measured the size already; this re-check does not trust it.
      if (Buffer.byteLength(body, 'utf8') > limits.maxResultBytes) {
        return failed('OutputTooLarge', `Result exceeds the limit of ${limits.maxResultBytes} bytes`);
      }
      return { status: 'Succeeded', result: body, errorCode: null, error: null };
    case 'E':
      return failed('ScriptError', body);
    case 'I':
      return failed('InvalidResult', body);
    case 'O':
      return failed('OutputTooLarge', body);
    default:
      throw new Error('harness returned an unexpected tag');
  }
}

/** Classifies an error thrown by an isolated-vm call (these are host objects made by isolated-vm). */
function classify(error, stage, timedOut, isolate, limits) {
  const message = error instanceof Error ? String(error.message) : '';
  if (timedOut || message === 'Script execution timed out.') return timedOutOutcome(limits);
  if (/memory limit/i.test(message) || isolate.isDisposed) {
    return failed('MemoryLimit', memoryLimitMessage(limits));
  }
  switch (stage) {
    case 'compile':
      return failed('SyntaxError', describeHostError(error));
    case 'run':
    case 'main':
      return failed('ScriptError', describeHostError(error));
    default:
      throw error; // the bootstrap failed: a runner fault
  }
}

/** "Name: message" for an error isolated-vm copied out of the isolate; String() for a thrown primitive. */
function describeHostError(error) {
  let text;
  if (error instanceof Error) {
    const name = typeof error.name === 'string' && error.name !== '' ? error.name : 'Error';
    text = `${name}: ${error.message}`;
  } else {
    text = String(error);
  }
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}...` : text;
}

function catastrophicOutcome(message, limits) {
  const outcome = /out-of-memory/i.test(message)
    ? failed('MemoryLimit', memoryLimitMessage(limits))
    : failed('InternalError', 'The job\'s isolate failed irrecoverably');
  return { ...outcome, fatal: true };
}

function memoryLimitMessage(limits) {
  return `Job exceeded its memory limit of ${Math.max(MIN_MEMORY_MB, limits.memoryMb)} MB`;
}

function timedOutOutcome(limits) {
  return {
    status: 'TimedOut',
    result: null,
    errorCode: 'TimedOut',
    error: `Job exceeded its time limit of ${limits.timeoutMs} ms`,
  };
}

function failed(errorCode, error) {
  return { status: 'Failed', result: null, errorCode, error };
}

// Console lines the job sent just before it was stopped may still be queued; give them one turn.
function settleLogs() {
  return new Promise((resolve) => setImmediate(resolve));
}

function disposeQuietly(isolate) {
  try {
    if (!isolate.isDisposed) isolate.dispose();
  } catch {
    // Already disposed by isolated-vm (memory limit) in the meantime.
  }
}

/** Runs a trivial job, so a broken isolated-vm install fails at start-up rather than on a job. */
async function selfTest() {
  const outcome = await runJob({
    code: 'function main(input) { return input.n + 1; }',
    input: '{"n":1}',
    secrets: null,
    limits: { timeoutMs: 10000, memoryMb: 16 },
  });
  if (outcome.status !== 'Succeeded' || outcome.result !== '2') {
    throw new Error(`self-test failed: ${outcome.status} ${outcome.errorCode} ${outcome.error}`);
  }
}

module.exports = { runJob, selfTest, LogBuffer, truncateUtf8 };
