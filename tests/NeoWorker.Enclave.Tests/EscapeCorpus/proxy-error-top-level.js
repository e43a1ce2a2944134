// family: Proxy traps on an error thrown at the top level (copied out by isolated-vm)
// expect: Failed ScriptError
const handler = {
  get(target, key) {
    probe('top-level error trap get ' + String(key), () => Function('return this')().process);
    checkpoint();
    return Reflect.get(target, key);
  },
};
throw new Proxy(new TypeError('proxied at the top level'), handler);
