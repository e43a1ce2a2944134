// family: Proxy traps on the result (they run while the result is serialised)
// expect: Succeeded
function main() {
  const handler = {};
  for (const trap of ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'apply', 'construct', 'defineProperty']) {
    handler[trap] = function (target, ...rest) {
      probe('trap ' + trap + ' this', () => this === handler ? 'handler' : this);
      probe('trap ' + trap + ' caller', () => { try { return handler[trap].caller; } catch (e) { return 'strict'; } });
      probe('trap ' + trap + ' Function(this)', () => Function('return this')().process);
      return Reflect[trap](target, ...rest);
    };
  }
  const inner = new Proxy({ value: 1, get report() { return report; } }, handler);
  return new Proxy({ inner, report, toJSON: undefined }, handler);
}
