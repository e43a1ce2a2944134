// family: Atomics.waitAsync, a promise nothing will ever resolve (and no host timer to wake it)
// expect: TimedOut
// timeoutMs: 500
async function main() {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  probe('waitAsync', () => typeof Atomics.waitAsync);
  checkpoint();
  const { value } = Atomics.waitAsync(cell, 0, 0);
  await value;
  return 'woke up';
}
