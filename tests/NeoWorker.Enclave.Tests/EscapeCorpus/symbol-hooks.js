// family: Symbol and inspect hooks: util.inspect.custom, toPrimitive, toStringTag, iterators, then.
// If the host ever inspected or converted one of these objects, the hook would get a host function
// (inspect) or host `this`, and would end the runner with exit code 99: the job would not succeed.
// expect: Succeeded
const inspectKey = Symbol.for('nodejs.util.inspect.custom');
function hook(where) {
  return function (...args) {
    for (const arg of args) {
      probe(where + ' hook argument', () => arg);
      try {
        const process = arg.constructor.constructor('return process')();
        if (process) { report.seen.push('ESCAPED ' + where + ' ' + plunder(process)); process.exit(99); }
      } catch (e) { /* no host here */ }
    }
    probe(where + ' hook this', () => this);
    return where;
  };
}
function hooked(where) {
  const object = { where };
  object[inspectKey] = hook(where + ' inspect');
  object[Symbol.toPrimitive] = hook(where + ' toPrimitive');
  object[Symbol.iterator] = function* () { hook(where + ' iterator')(); yield 1; };
  object[Symbol.asyncIterator] = hook(where + ' asyncIterator');
  Object.defineProperty(object, Symbol.toStringTag, { get: hook(where + ' toStringTag') });
  object.inspect = hook(where + ' inspect()');
  object.valueOf = hook(where + ' valueOf');
  return object;
}
Object.prototype[inspectKey] = hook('Object.prototype inspect');
Error.prototype[inspectKey] = hook('Error.prototype inspect');
function main(input) {
  probe('the inspect key', () => Symbol.keyFor(inspectKey));
  console.log(hooked('log argument'), hooked('second log argument'));
  console.error(Object.assign(new Error('logged error'), { [inspectKey]: hook('logged error inspect') }));
  const result = hooked('result');
  result.report = report;
  result.then = undefined;
  return result;
}
