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

const fs = require('node:fs');
const v8 = require('node:v8');
const { performance } = require('node:perf_hooks');
const ivm = require('isolated-vm');
const { DEFAULT_LIMITS } = require('./protocol');

// Resizable ArrayBuffers and growable SharedArrayBuffers (`new ArrayBuffer(n, { maxByteLength })`)
// reserve and commit their memory outside the ArrayBuffer allocator through which isolated-vm
// enforces the memory limit: a job limited to 32 MB could fill 800 MB. V8's flags are
// process-wide and are read when a context is created, so this takes them away from every job
// isolate made after it (the runner's own Node.js context already exists and keeps them).
// selfTest() checks that it held.
v8.setFlagsFromString('--no-harmony-rab-gsab');

// isolated-vm refuses memory limits below 8 MB.
const MIN_MEMORY_MB = 8;
// Error messages taken from job code are cut to this many characters (inside the isolate).
const MAX_ERROR_CHARS = 8192;
// cpuTime cannot be read once an isolate is gone (e.g. disposed for exceeding its memory limit),
// so it is sampled while the job runs; gasUsed then under-counts by at most this interval.
const CPU_SAMPLE_MS = 20;

// Some memory a job can make lives outside the isolate's heap and is not counted by isolated-vm
// (ICU objects behind Intl.*, for one). The runner's resident set is watched as well: a job that
// grows it by more than twice its memory limit plus this much is stopped as MemoryLimit.
const RSS_SLACK_MB = 64;
// After a job was stopped from outside, its isolate's thread must go quiet. isolated-vm reads
// properties of a job's thrown or unhandled-rejected object (message, stack, name) with job code
// running in getters and Proxy traps, and swallows the termination of the first one: the second
// then runs for ever on a thread nothing can stop. A thread that stays runnable through each of
// these windows (sampled every SPIN_SAMPLE_MS; runnable, not running, so that a spinning thread
// is seen on a loaded machine too) marks the runner as lost. A thread merely tearing a large
// isolate down (say, after a job piled up Intl objects) goes quiet within the later windows; the
// first window is all a job whose isolate stopped cleanly waits; all of them (0.7 s) must stay
// well inside the host's watchdog grace (Tee:WatchdogGraceMs, 3 s by default).
const SPIN_WINDOWS_MS = [100, 200, 400];
const SPIN_SAMPLE_MS = 10;
const SPIN_SHARE = 0.8;

const STOPPED = Symbol('stopped from outside');
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
  // WebAssembly memories are allocated outside the isolate's memory limit, and nothing a job needs
  // requires them: the namespace goes before any job code runs (no other way reaches it).
  delete globalThis.WebAssembly;
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
 * null and limits may be partial. options.signal (an AbortSignal) cancels the job: aborted before
 * it starts, it does not start; aborted while it runs, its isolate is disposed. Never rejects;
 * returns { status, result, errorCode, error, logs, logsTruncated, executionTimeMs, gasUsed, fatal }.
 *
 * fatal is true when the isolate failed irrecoverably (see execute()) or its thread would not
 * stop (see SPIN_WINDOWS_MS): the outcome is still reported, but the process must then end without
 * running another job.
 */
async function runJob(job, { signal = null } = {}) {
  const started = performance.now();
  const limits = { ...DEFAULT_LIMITS, ...job.limits };
  const logs = new LogBuffer(limits.maxLogBytes);
  const cpu = { base: 0n, ns: 0n };

  let outcome;
  try {
    outcome = await execute(job, limits, logs, cpu, started, signal);
  } catch (error) {
    // Only a fault in the runner itself gets here; job-caused errors are classified in execute().
    process.stderr.write(`[runner] internal error while running a job: ${error && error.stack}\n`);
    outcome = failed('InternalError', 'Internal error in the enclave runner');
  }
  logs.close();
  if (outcome.stopped === true && outcome.fatal !== true && await isolateThreadSpinning()) {
    process.stderr.write('[runner] a stopped job\'s isolate thread is still running; the runner must be replaced\n');
    outcome = { ...outcome, fatal: true };
  }

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

async function execute(job, limits, logs, cpu, started, signal) {
  if (signal !== null && signal.aborted) return canceledOutcome();
  const tooLarge = checkSizes(job, limits);
  if (tooLarge !== null) return tooLarge;
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
  const { isolate, context, watch } = takeIsolate(limits);
  const catastrophic = watch.happened.then((message) => {
    catastrophe = message;
    process.stderr.write(`[runner] catastrophic isolate error: ${message}\n`);
    return CATASTROPHE;
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

  // Stopping a job from outside (its wall-clock limit, its resident memory, a cancel request):
  // disposing the isolate terminates whatever runs in it, including a synchronous loop, and
  // abandons a promise that never settles. This can happen at any time because job code runs on
  // isolated-vm's own thread, never on this event loop.
  let stopped = null; // 'timeout' | 'memory' | 'canceled'
  let stop;
  const halted = new Promise((resolve) => {
    stop = (reason) => {
      if (stopped !== null || catastrophe !== null) return;
      stopped = reason;
      sampleCpu();
      disposeQuietly(isolate);
      resolve(STOPPED);
    };
  });
  const timer = setTimeout(() => stop('timeout'), remainingMs());
  const rssLimit = residentLimit(limits);
  const sampler = setInterval(() => {
    sampleCpu();
    if (rssLimit !== null && residentBytes() > rssLimit) stop('memory');
  }, CPU_SAMPLE_MS);
  const onAbort = () => stop('canceled');
  if (signal !== null) signal.addEventListener('abort', onAbort, { once: true });

  let stage = 'setup';
  const work = (async () => {
    // The runner's own set-up and the compilation run synchronously (no job code runs in them, and
    // each asynchronous call is a round trip to the isolate's thread and back); the job's code runs
    // asynchronously, so that a timeout, a cancel or the memory guard can stop it at any moment.
    const bootstrap = context.evalSync(BOOTSTRAP, { reference: true, timeout: remainingMs() });
    // An "ignored" callback does not make the isolate wait for the host. Its calls are queued on
    // this thread's isolated-vm task queue ahead of the job's final result, so all lines arrive
    // before the result is seen.
    const log = new ivm.Callback((line) => logs.append(line), { ignored: true });
    const harness = bootstrap.applySync(undefined, [log, limits.maxLogBytes, MAX_ERROR_CHARS], {
      result: { reference: true },
      timeout: remainingMs(),
    });
    sampleCpu();
    cpu.base = cpu.ns;

    stage = 'compile';
    const script = isolate.compileScriptSync(job.code, { filename: 'job.js' });
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
    const raw = await Promise.race([work, halted, catastrophic]);
    if (raw === CATASTROPHE) return catastrophicOutcome(catastrophe, limits);
    if (raw === STOPPED) {
      await settleLogs();
      return stoppedOutcome(stopped, limits);
    }
    return interpret(raw, limits);
  } catch (error) {
    if (catastrophe !== null) return catastrophicOutcome(catastrophe, limits);
    if (stopped !== null) {
      await settleLogs();
      return stoppedOutcome(stopped, limits);
    }
    const outcome = classify(error, stage, isolate, limits);
    if (outcome.status === 'TimedOut' || outcome.errorCode === 'MemoryLimit') {
      await settleLogs();
      return { ...outcome, stopped: true };
    }
    return outcome;
  } finally {
    clearTimeout(timer);
    clearInterval(sampler);
    if (signal !== null) signal.removeEventListener('abort', onAbort);
    watch.release();
    sampleCpu();
    // Disposing an isolate whose thread is parked could block this thread.
    if (catastrophe === null) disposeQuietly(isolate);
  }
}

// An isolate with its (empty) context, made while the runner waits for the next job: making one is
// most of a small job's cost (about 1.2 ms of V8 deserialising its start-up snapshot), so this
// takes it off the job's path. It is as fresh as one made for the job: no code has run in it, and
// it is handed to exactly one job, then disposed.
let spare = null;

/** Makes the spare isolate for jobs with these limits, unless there is one; for idle moments (index.js). */
function prepareIsolate(limits) {
  if (spare !== null) return;
  try {
    spare = newIsolate(memoryLimitOf({ ...DEFAULT_LIMITS, ...limits }));
  } catch (error) {
    process.stderr.write(`[runner] could not prepare an isolate: ${error && error.message}\n`);
  }
}

/** The spare isolate when it was made with this job's memory limit, else a new one. */
function takeIsolate(limits) {
  const taken = spare;
  spare = null;
  const memoryLimit = memoryLimitOf(limits);
  if (taken !== null && taken.memoryLimit === memoryLimit && !taken.isolate.isDisposed) return taken;
  if (taken !== null) {
    taken.watch.release();
    disposeQuietly(taken.isolate);
  }
  return newIsolate(memoryLimit);
}

function newIsolate(memoryLimit) {
  const watch = watchCatastrophe();
  const isolate = new ivm.Isolate({ memoryLimit, onCatastrophicError: watch.handler });
  try {
    return { isolate, context: isolate.createContextSync(), watch, memoryLimit };
  } catch (error) {
    watch.release();
    disposeQuietly(isolate);
    throw error;
  }
}

function memoryLimitOf(limits) {
  return Math.max(MIN_MEMORY_MB, limits.memoryMb);
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

/** The size limits on what goes in, checked before an isolate is made. */
function checkSizes(job, limits) {
  if (typeof job.code === 'string' && Buffer.byteLength(job.code, 'utf8') > limits.maxCodeBytes) {
    return failed('CodeTooLarge', `Code exceeds the limit of ${limits.maxCodeBytes} bytes`);
  }
  if (typeof job.input === 'string' && Buffer.byteLength(job.input, 'utf8') > limits.maxInputBytes) {
    return failed('InvalidInput', `input exceeds the limit of ${limits.maxInputBytes} bytes`);
  }
  if (typeof job.secrets === 'string' && Buffer.byteLength(job.secrets, 'utf8') > limits.maxSecretsBytes) {
    return failed('InvalidSecrets', `secrets exceed the limit of ${limits.maxSecretsBytes} bytes`);
  }
  return null;
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
function classify(error, stage, isolate, limits) {
  const message = error instanceof Error ? String(error.message) : '';
  if (message === 'Script execution timed out.') return timedOutOutcome(limits);
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

/** The outcome of a job stopped from outside; stopped marks it for the check on its thread. */
function stoppedOutcome(reason, limits) {
  switch (reason) {
    case 'timeout':
      return { ...timedOutOutcome(limits), stopped: true };
    case 'memory':
      return { ...failed('MemoryLimit', memoryLimitMessage(limits)), stopped: true };
    default:
      return { ...canceledOutcome(), stopped: true };
  }
}

function canceledOutcome() {
  return { status: 'Canceled', result: null, errorCode: 'Canceled', error: 'The job was canceled' };
}

/** The resident set size beyond which the running job is stopped, or null where it cannot be read. */
function residentLimit(limits) {
  const now = residentBytes();
  if (now === null) return null;
  return now + (2 * Math.max(MIN_MEMORY_MB, limits.memoryMb) + RSS_SLACK_MB) * 1024 * 1024;
}

function residentBytes() {
  try {
    return process.memoryUsage.rss();
  } catch {
    return null;
  }
}

/**
 * True when some thread of this process other than the event loop's stays runnable over every one
 * of SPIN_WINDOWS_MS (called while this thread only waits). Per thread from /proc/self/task; where
 * that cannot be read, the whole process's CPU time stands in.
 */
async function isolateThreadSpinning() {
  for (const windowMs of SPIN_WINDOWS_MS) {
    if (!await busyOver(windowMs)) return false;
  }
  return true;
}

async function busyOver(windowMs) {
  if (threadStates() === null) {
    // No /proc: the whole process's CPU time over the window stands in.
    const cpuBefore = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const used = process.cpuUsage(cpuBefore);
    return (used.user + used.system) / 1000 >= 0.3 * windowMs;
  }
  // Wall-clock windows: on a loaded machine the timers run late, and the whole check must still end
  // in about 0.7 s; fewer samples are taken then.
  const runnable = new Map();
  const started = performance.now();
  let samples = 0;
  while (samples < 3 || performance.now() - started < windowMs) {
    await new Promise((resolve) => setTimeout(resolve, SPIN_SAMPLE_MS));
    samples++;
    for (const [tid, state] of threadStates() || []) {
      if (state === 'R') runnable.set(tid, (runnable.get(tid) || 0) + 1);
    }
  }
  for (const count of runnable.values()) {
    if (count >= SPIN_SHARE * samples) return true;
  }
  return false;
}

/** The scheduler state ('R' runnable, 'S' sleeping, …) of each thread but the main one, or null without /proc. */
function threadStates() {
  let tids;
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  const states = new Map();
  for (const tid of tids) {
    if (Number(tid) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
      states.set(tid, stat[stat.lastIndexOf(')') + 2]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return states;
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

/**
 * Runs a trivial job, so a broken isolated-vm install fails at start-up rather than on a job; it
 * also checks that jobs get neither WebAssembly nor resizable buffers (see above), which would
 * let them allocate past their memory limit.
 */
async function selfTest() {
  const outcome = await runJob({
    code: `function main(input) {
      return [input.n + 1, typeof WebAssembly, typeof ArrayBuffer.prototype.resize, typeof SharedArrayBuffer.prototype.grow];
    }`,
    input: '{"n":1}',
    secrets: null,
    limits: { timeoutMs: 10000, memoryMb: 16 },
  });
  if (outcome.status !== 'Succeeded' || outcome.result !== '[2,"undefined","undefined","undefined"]') {
    throw new Error(`self-test failed: ${outcome.status} ${outcome.errorCode} ${outcome.error} ${outcome.result}`);
  }
}

module.exports = { runJob, prepareIsolate, selfTest, LogBuffer, truncateUtf8 };
