// family: WebAssembly (its memories live outside the isolate's memory limit): not there at all
// expect: Succeeded
function main() {
  probe('typeof WebAssembly', () => typeof WebAssembly);
  probe('globalThis.WebAssembly', () => globalThis.WebAssembly);
  probe('Function("return WebAssembly")', () => Function('return typeof WebAssembly === "undefined" ? undefined : WebAssembly')());
  probe('WebAssembly among the global names', () => Reflect.ownKeys(globalThis).filter((k) => /wasm|webassembly/i.test(String(k))));
  // The smallest module: magic and version. If WebAssembly is there, grow a memory far past the limit.
  probe('compile a module', () => new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])));
  probe('grow a memory', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
    memory.grow(8192);
    new Uint8Array(memory.buffer).fill(1);
    return 'grew to ' + memory.buffer.byteLength;
  });
  return report;
}
