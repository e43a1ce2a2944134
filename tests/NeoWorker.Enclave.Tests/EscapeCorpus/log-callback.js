// family: the console.log bridge to the host: hooks on what is logged, odd receivers, floods
// expect: Succeeded
function main() {
  const tricky = {
    toJSON() { probe('toJSON inside console.log', () => Function('return this')().process); throw new Error('no json'); },
    toString() { probe('toString inside console.log', () => typeof process); return 'tricky'; },
  };
  probe('log a tricky object', () => console.log(tricky));
  probe('log a proxy', () => console.log(new Proxy({}, { get(t, k) { probe('log proxy get ' + String(k), () => typeof require); return Reflect.get(t, k); } })));
  probe('log with a strange this', () => console.log.call(new Proxy({}, {}), 'this'));
  probe('log a symbol and a bigint', () => console.log(Symbol('s'), 10n));
  probe('log a revoked proxy', () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); console.log(proxy); return 'logged'; });
  probe('console.log source', () => Function.prototype.toString.call(console.log).slice(0, 300));
  probe('console.log own keys', () => Reflect.ownKeys(console.log));
  probe('console descriptors', () => Object.getOwnPropertyDescriptors(console));
  probe('flood', () => { for (let i = 0; i < 2000; i++) console.log('x'.repeat(100)); return 'flooded'; });
  probe('log a long line', () => console.log('y'.repeat(1 << 20)));
  return report;
}
