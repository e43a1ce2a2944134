// family: an uncaught error whose message and stack getters never return: isolated-vm reads them
// outside the job's time limit and swallows the termination of the first, so the second spins for
// ever on a thread nothing can stop. The job times out; the runner must not keep spinning.
// expect: TimedOut
// timeoutMs: 300
probe('typeof process', () => typeof process);
checkpoint();
throw { get message() { for (;;) {} }, get stack() { for (;;) {} } };
