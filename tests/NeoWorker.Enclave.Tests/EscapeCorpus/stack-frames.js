// family: Error.prepareStackTrace and stack-frame tricks (CallSite.getThis/getFunction, callers of console.log)
// expect: Succeeded
const methods = ['getThis', 'getTypeName', 'getFunction', 'getFunctionName', 'getMethodName', 'getFileName', 'getLineNumber',
  'getColumnNumber', 'getEvalOrigin', 'isToplevel', 'isEval', 'isNative', 'isConstructor', 'isAsync', 'getScriptNameOrSourceURL'];
const frames = [];
Error.stackTraceLimit = Infinity;
Error.prepareStackTrace = (error, sites) => {
  for (const site of sites) {
    const frame = {};
    for (const method of methods) {
      try { frame[method] = site[method](); } catch (e) { frame[method] = 'threw'; }
    }
    frames.push(frame);
    probe('frame this', () => frame.getThis);
    probe('frame function', () => frame.getFunction);
  }
  return sites.map(String).join('\n');
};
probe('top-level stack', () => new Error('top').stack);

async function main() {
  probe('stack in main', () => new Error('main').stack);
  // A stack taken while the bootstrap's console.log formats a value (JSON fails, String() is called).
  console.log({ toJSON() { throw new Error('no json'); }, toString() { probe('stack inside console.log', () => new Error('log').stack); return 'formatted'; } });
  // ... and while the harness serialises the result, and after an await
  await null;
  probe('stack after await', () => new Error('await').stack);
  const captured = {};
  Error.captureStackTrace(captured);
  probe('captureStackTrace', () => captured.stack);
  probe('frames', () => frames.map((frame) => Object.keys(frame).map((k) => k + '=' + show(frame[k])).join(' ')));
  return { report, get late() { probe('stack inside JSON.stringify of the result', () => new Error('late').stack); return report.seen.length; } };
}
