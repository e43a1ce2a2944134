// family: Proxy traps on a thrown error (formatted inside the isolate)
// expect: Failed ScriptError
function main() {
  const handler = {
    get(target, key) {
      probe('error trap get ' + String(key), () => Function('return this')().process);
      if (key === Symbol.toPrimitive) return () => 'error via proxy ' + JSON.stringify(report);
      if (key === 'toString') return () => 'error via proxy ' + JSON.stringify(report);
      return Reflect.get(target, key);
    },
    getPrototypeOf(target) {
      probe('error trap getPrototypeOf', () => typeof process);
      return Reflect.getPrototypeOf(target);
    },
  };
  checkpoint();
  throw new Proxy(new Error('proxied'), handler);
}
