// family: prototype pollution and global leaks for later jobs: the next job must see none of it
// expect: Succeeded
function main() {
  const mark = 'polluted-by-an-earlier-job';
  const targets = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype, Boolean.prototype,
    Symbol.prototype, Promise.prototype, RegExp.prototype, Error.prototype, Date.prototype, Map.prototype, Set.prototype,
    JSON, Math, Reflect, Atomics, console, globalThis];
  probe('a promise left pending and a rejection handled late', () => { globalThis.pending = new Promise(() => {}); Promise.reject(new Error(mark)).catch(() => {}); return 'left'; });
  for (const target of targets) probe('pollute', () => { target.polluted = mark; return Reflect.ownKeys(target).length; });
  probe('replace built-ins', () => {
    Array.prototype.push = function () { return mark; };
    Array.prototype.map = function () { return [mark]; };
    Function.prototype.call = function () { return mark; };
    Function.prototype.toString = function () { return mark; };
    JSON.stringify = () => mark;
    JSON.parse = () => mark;
    Object.keys = () => [mark];
    Promise.prototype.then = function () { return mark; };
    String.prototype.slice = () => mark;
    Symbol.prototype.toString = () => mark;
    Math.random = () => 0.5;
    Date.now = () => 0;
    globalThis.Object = function () { return mark; };
    globalThis.console = { log() {} };
    return 'replaced';
  });
  probe('accessors', () => {
    Object.defineProperty(Object.prototype, 'then', { get() { return mark; }, configurable: true });
    Object.defineProperty(Object.prototype, 'toJSON', { value: () => mark, configurable: true, writable: true });
    Object.defineProperty(Array.prototype, Symbol.iterator, { value: function* () { yield mark; }, configurable: true });
    return 'defined';
  });
  probe('freeze intrinsics', () => { Object.freeze(Error.prototype); Object.freeze(Reflect); Object.seal(Math); return 'frozen'; });
  probe('delete globals', () => { delete globalThis.Proxy; delete globalThis.Intl; delete globalThis.escape; return 'deleted'; });
  probe('registry', () => Symbol.for(mark));
  probe('error hooks', () => { Error.prepareStackTrace = () => mark; Error.stackTraceLimit = 0; return 'hooked'; });
  // The harness uses none of these: the result still comes out (a plain string: toJSON is polluted too).
  return 'probes ran: ' + report.probes;
}
