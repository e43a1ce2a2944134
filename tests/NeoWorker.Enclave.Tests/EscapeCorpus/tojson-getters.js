// family: toJSON and getters on the result, and on prototypes the serialiser walks
// expect: Succeeded
Object.prototype.toJSON = undefined;
function main() {
  const spy = (where) => function () {
    probe(where + ' this', () => this === globalThis ? 'globalThis' : this);
    probe(where + ' caller', () => { try { return arguments.callee.caller; } catch (e) { return 'strict'; } });
    probe(where + ' process', () => Function('return this')().process);
    return where;
  };
  Object.defineProperty(Date.prototype, 'toJSON', { value: spy('Date.prototype.toJSON'), configurable: true });
  Object.defineProperty(Array.prototype, 'toJSON', { value: function () { spy('Array.prototype.toJSON').call(this); return [...this]; }, configurable: true });
  return {
    date: new Date(0),
    list: [1, 2],
    get getter() { return spy('getter')(); },
    nested: { toJSON: spy('nested toJSON') },
    get report() { return report; },
  };
}
