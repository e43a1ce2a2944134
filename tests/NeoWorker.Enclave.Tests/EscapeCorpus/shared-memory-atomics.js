// family: SharedArrayBuffer and Atomics.wait blocking the isolate's thread for ever
// expect: TimedOut
// timeoutMs: 500
function main() {
  probe('SharedArrayBuffer', () => typeof SharedArrayBuffer);
  const shared = new SharedArrayBuffer(16);
  probe('shared buffer logged', () => console.log(shared));
  checkpoint();
  Atomics.wait(new Int32Array(shared), 0, 0);
  return 'woke up';
}
