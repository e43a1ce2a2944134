// family: Function('return this'), eval and the global object: nothing of Node or the host on it
// expect: Succeeded
function main() {
  const wanted = ['process', 'require', 'module', 'exports', 'Buffer', 'global', '__dirname', '__filename',
    'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'queueMicrotask', 'fetch', 'XMLHttpRequest', 'WebSocket',
    'navigator', 'performance', 'structuredClone', 'TextEncoder', 'TextDecoder', 'URL', 'Deno', 'Bun', 'ivm', '_ivm', '$0',
    'log', 'harness', 'bootstrap', 'isolate', 'context', 'postMessage', 'importScripts', 'SharedWorker', 'Worker'];
  const globals = [
    ['Function("return this")()', Function('return this')()],
    ['indirect eval', (0, eval)('this')],
    ['new Function', new Function('return this')()],
    ['arrow this', (() => this)()],
    ['globalThis', globalThis],
  ];
  for (const [how, g] of globals) {
    probe(how + ' is globalThis', () => g === globalThis);
    for (const name of wanted) probe(how + '.' + name, () => g[name]);
    probe(how + ' own names', () => Object.getOwnPropertyNames(g));
  }
  for (const name of wanted) probe('typeof ' + name, () => (0, eval)('typeof ' + name));
  probe('Function("return process")()', () => Function('return typeof process === "undefined" ? undefined : process')());
  probe('a host timer through Promise', () => typeof Promise.prototype.finally);
  probe('Date resolution', () => [Date.now(), new Date(0).toISOString()]);
  return report;
}
