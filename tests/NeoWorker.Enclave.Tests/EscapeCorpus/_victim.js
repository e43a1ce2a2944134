// Another user's job, with a secret, run in the same enclave just before each attempt. It does its
// best to leave the secret where a later job might look.
function main(input, secrets) {
  const token = secrets.token;
  globalThis.stash = token;
  globalThis[Symbol.for('stash')] = token;
  Symbol.for('stash:' + token);
  Object.prototype.stash = token;
  Array.prototype.stash = token;
  Function.prototype.stash = token;
  JSON.stash = token;
  Math.stash = token;
  console.stash = token;
  Error.prepareStackTrace = () => token;
  Object.defineProperty(Object.prototype, 'leaked', { get() { return token; }, configurable: true });
  String.prototype.toString = function () { return token; };
  globalThis.pending = new Promise(() => {});
  Promise.resolve().then(() => { globalThis.later = token; });
  return 'stashed';
}
