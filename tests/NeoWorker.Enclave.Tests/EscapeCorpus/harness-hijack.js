// family: hijacking what the runner's own harness uses inside the isolate (then, JSON, String, Function.prototype)
// expect: Succeeded|Failed
Object.defineProperty(Object.prototype, 'then', {
  get() { probe('thenable get', () => Function('return this')().process); return undefined; },
  configurable: true,
});
const realThen = Promise.prototype.then;
Promise.prototype.then = function (onFulfilled, onRejected) {
  probe('Promise.prototype.then this', () => this);
  return realThen.call(this, onFulfilled, onRejected);
};
JSON.stringify = () => { probe('JSON.stringify replaced', () => typeof process); return '"hijacked"'; };
JSON.parse = () => { probe('JSON.parse replaced', () => typeof process); return 'hijacked'; };
Function.prototype.call = function () { return 'hijacked'; };
Function.prototype.apply = function () { return 'hijacked'; };
String.prototype.slice = () => 'hijacked';
Object.defineProperty(Error, Symbol.hasInstance, { value: () => { probe('hasInstance', () => typeof require); return true; } });
async function main(input) {
  probe('input survived', () => input);
  const thenable = { then(resolve) { probe('thenable this', () => this); resolve({ report, input }); } };
  return thenable;
}
