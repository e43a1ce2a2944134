// A fingerprint of the job's world: every property reachable from globalThis through built-ins
// (names, attributes, kinds, sources of functions), without calling a getter. Equal in every
// fresh isolate; anything an earlier job changed, added or froze shows. It leans on as few
// built-ins as it can (no push, no call), so that pollution shows as a different fingerprint rather
// than breaking the walk.
function main() {
  const seen = new Map();
  const lines = [];
  const fnSource = Function.prototype.toString;
  const add = (line) => { lines[lines.length] = line; };
  const describe = (value) => {
    if (value === null) return 'null';
    const type = typeof value;
    if (type === 'function') {
      let source;
      try { source = Reflect.apply(fnSource, value, []); } catch (e) { source = '?'; }
      return 'function ' + value.name + '/' + value.length + ' ' + source.slice(0, 120);
    }
    if (type === 'object') return 'object ' + Object.isExtensible(value) + Object.isFrozen(value);
    if (type === 'symbol') return 'symbol ' + String(value.description);
    if (type === 'number' && Number.isNaN(value)) return 'NaN';
    return type + ' ' + (type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint' ? String(value) : '');
  };
  const walk = (object, path, depth) => {
    if (seen.has(object)) { add(path + ' = @' + seen.get(object)); return; }
    seen.set(object, path);
    const proto = Object.getPrototypeOf(object);
    add(path + ' __proto__ ' + (proto === null ? 'null' : (seen.get(proto) || 'new')));
    if (depth > 4) return;
    for (const key of Reflect.ownKeys(object)) {
      const name = typeof key === 'symbol' ? '[' + String(key.description) + ']' : key;
      const d = Reflect.getOwnPropertyDescriptor(object, key);
      const flags = (d.enumerable ? 'e' : '-') + (d.configurable ? 'c' : '-') + ('writable' in d ? (d.writable ? 'w' : '-') : 'a');
      if ('value' in d) {
        add(path + '.' + name + ' ' + flags + ' ' + describe(d.value));
        // main is this job's own; everything else is the isolate's
        if (d.value !== null && (typeof d.value === 'object' || typeof d.value === 'function') && name !== 'main') walk(d.value, path + '.' + name, depth + 1);
      } else {
        add(path + '.' + name + ' ' + flags + ' get ' + describe(d.get) + ' set ' + describe(d.set));
      }
    }
    if (proto !== null && !seen.has(proto)) walk(proto, path + '.__proto__', depth + 1);
  };
  walk(globalThis, 'globalThis', 0);
  // Intrinsics that no global names directly.
  walk(Object.getPrototypeOf(function* () {}), 'Generator', 1);
  walk(Object.getPrototypeOf(async function () {}), 'AsyncFunction', 1);
  walk(Object.getPrototypeOf(async function* () {}), 'AsyncGenerator', 1);
  walk(Object.getPrototypeOf([][Symbol.iterator]()), 'ArrayIterator', 1);
  walk(Object.getPrototypeOf(Int8Array), 'TypedArray', 1);
  const text = lines.join('\n');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const globals = Reflect.ownKeys(globalThis).map(String).sort();
  return { hash: hash.toString(16), properties: lines.length, globals };
}
