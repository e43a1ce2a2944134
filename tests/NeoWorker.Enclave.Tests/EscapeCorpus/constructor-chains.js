// family: constructor chains (this.constructor.constructor, via every object the job is handed)
// expect: Succeeded
function main(input, secrets) {
  const roots = {
    this: this, globalThis, console, 'console.log': console.log, main, input, secrets, arguments,
    error: new Error('x'), promise: Promise.resolve(), JSON, symbol: Symbol.iterator, regexp: /x/, date: new Date(0),
    'async function': async function () {}, generator: function* () {}, 'async generator': async function* () {},
    'bound function': console.log.bind(null), proxy: new Proxy({}, {}),
  };
  const sources = ['return process', 'return this.process', 'return globalThis.process', 'return require',
    'return typeof module === "undefined" ? undefined : module', 'return this', 'return arguments.callee.caller'];
  for (const [name, root] of Object.entries(roots)) {
    probe(name + '.constructor', () => root.constructor);
    for (const source of sources) {
      probe(name + '.constructor.constructor(' + source + ')()', () => root.constructor.constructor(source)());
      probe(name + '.__proto__.constructor.constructor(' + source + ')()', () => Object.getPrototypeOf(root).constructor.constructor(source)());
    }
  }
  probe('console.log.caller', () => console.log.caller);
  probe('main.caller', () => main.caller);
  probe('main.arguments', () => main.arguments);
  probe('arguments.callee.caller', () => (function () { return arguments.callee.caller; })());
  probe('caller chain', () => {
    const chain = [];
    let f = (function g() { return g.caller; })();
    for (let i = 0; f && i < 10; i++) { chain.push(f); f = f.caller; }
    return chain;
  });
  probe('prototype chain of globalThis', () => {
    const chain = [];
    for (let o = globalThis; o; o = Object.getPrototypeOf(o)) chain.push(Reflect.ownKeys(o).map(String));
    return chain;
  });
  probe('console.log called with a constructor-chain this', () => console.log.call({ get constructor() { return Function('return typeof process')(); } }, 'x'));
  return report;
}
