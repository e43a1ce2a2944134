// family: the same getters on the reason of a rejection nobody handles (isolated-vm copies it at the end of the task)
// expect: TimedOut
// timeoutMs: 300
function main() {
  probe('typeof process', () => typeof process);
  checkpoint();
  Promise.reject(new Proxy({}, { get() { for (;;) {} } }));
  return 'returned';
}
