// family: reading another job's secrets: the victim ran just before in this enclave and tried to leave its secret behind
// expect: Succeeded
function main(input, secrets) {
  probe('own secrets', () => secrets);
  probe('own input', () => input);
  probe('globalThis.stash', () => globalThis.stash);
  probe('registry stash', () => globalThis[Symbol.for('stash')]);
  probe('Object.prototype.stash', () => ({}).stash);
  probe('Object.prototype.leaked', () => ({}).leaked);
  probe('Array.prototype.stash', () => [].stash);
  probe('Function.prototype.stash', () => (function () {}).stash);
  probe('JSON.stash', () => JSON.stash);
  probe('Math.stash', () => Math.stash);
  probe('console.stash', () => console.stash);
  probe('Error.prepareStackTrace', () => Error.prepareStackTrace && Error.prepareStackTrace(new Error('x'), []));
  probe('stack', () => new Error('x').stack);
  probe('String.prototype.toString', () => 'x'.toString());
  probe('pending and later', () => [typeof globalThis.pending, globalThis.later]);
  // Everything reachable from the global object, every string in it.
  probe('deep scan', () => {
    const strings = [];
    const seen = new Set();
    const visit = (value, depth) => {
      if (typeof value === 'string') { if (value.length < 200) strings.push(value); return; }
      if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || depth > 5) return;
      seen.add(value);
      for (const key of Reflect.ownKeys(value)) {
        if (typeof key === 'string') strings.push(key);
        else strings.push(String(key.description));
        const d = Reflect.getOwnPropertyDescriptor(value, key);
        if (d && 'value' in d) visit(d.value, depth + 1);
      }
      visit(Object.getPrototypeOf(value), depth + 1);
    };
    visit(globalThis, 0);
    return strings.filter((s) => !/^[A-Za-z$_][\w$]*$/.test(s)).slice(0, 500);
  });
  return report;
}
