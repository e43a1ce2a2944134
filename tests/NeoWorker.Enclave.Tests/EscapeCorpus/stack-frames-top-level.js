// family: stack-frame tricks on an uncaught error, which isolated-vm copies out of the isolate itself
// expect: Failed ScriptError
Error.stackTraceLimit = Infinity;
Error.prepareStackTrace = (error, sites) => {
  for (const site of sites) {
    probe('frame this', () => site.getThis());
    probe('frame function', () => site.getFunction());
    probe('frame file', () => site.getFileName());
  }
  checkpoint();
  return 'prepared';
};
const error = new Error('thrown at the top level');
Object.defineProperty(error, 'message', { get() { probe('message getter', () => Function('return this')().process); checkpoint(); return 'thrown at the top level'; } });
throw error;
