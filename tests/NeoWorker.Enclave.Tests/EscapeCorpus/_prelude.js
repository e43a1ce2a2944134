// Prelude of every escape attempt (see README.md). Everything here is plain job code.
const report = { probes: 0, obtained: [], seen: [] };
const MAX_SEEN = 400;

function show(value) {
  try {
    if (value === null || value === undefined) return String(value);
    const type = typeof value;
    if (type === 'string') return value.length > 1000 ? value.slice(0, 1000) + '...' : value;
    if (type !== 'object' && type !== 'function') return String(value);
    let text = type === 'function' ? 'function ' + String(value.name) + ' ' : 'object ';
    try { text += '[' + Reflect.ownKeys(value).map(String).slice(0, 60).join(',') + '] '; } catch (e) { text += '[keys threw] '; }
    if (type === 'function') {
      try { text += Function.prototype.toString.call(value).slice(0, 200); } catch (e) { /* not inspectable */ }
    } else {
      try { text += String(JSON.stringify(value)).slice(0, 1000); } catch (e) { /* not serialisable */ }
    }
    return text;
  } catch (e) {
    return '[unshowable]';
  }
}

// Something of Node.js or the host: process, require, a module, Buffer, fs, child_process, timers.
function hostish(value) {
  try {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || value === globalThis) return false;
    if (typeof value.env === 'object' && value.env !== null) return true;
    if (typeof value.pid === 'number' || typeof value.binding === 'function' || typeof value.dlopen === 'function') return true;
    if (typeof value.readFileSync === 'function' || typeof value.execSync === 'function' || typeof value.spawn === 'function') return true;
    if (typeof value.resolve === 'function' && typeof value.cache === 'object') return true;
    if (typeof value.filename === 'string' && typeof value.exports === 'object') return true;
    if (typeof value === 'function' && ['require', 'process', 'Buffer', 'setTimeout', 'setImmediate', 'setInterval'].includes(value.name)) return true;
    return false;
  } catch (e) {
    return false;
  }
}

// With a piece of the host in hand, go for what the tests look for: the environment and key files.
function plunder(value) {
  const loot = [];
  try { if (value.env) loot.push('env=' + JSON.stringify(value.env)); } catch (e) { loot.push('env threw'); }
  try {
    const req = typeof value === 'function' ? value : value.mainModule && value.mainModule.require.bind(value.mainModule);
    if (req) {
      const fs = req('fs');
      loot.push('environ=' + fs.readFileSync('/proc/self/environ', 'latin1'));
      const env = req('process').env;
      for (const name of ['NEOWORKER_SEALING_KEY_FILES', 'NEOWORKER_SIM_ATTESTATION_KEY_FILE']) {
        for (const file of String(env[name] || '').split(':').filter(Boolean)) loot.push(name + '=' + fs.readFileSync(file, 'utf8'));
      }
    }
  } catch (e) {
    loot.push('plunder threw ' + e);
  }
  return loot.join(' | ');
}

function note(name, value) {
  if (hostish(value)) {
    report.obtained.push(name);
    report.seen.push('ESCAPED ' + name + ': ' + show(value) + ' ' + plunder(value));
  } else if (report.seen.length < MAX_SEEN) {
    report.seen.push(name + ': ' + show(value));
  }
}

function describeError(error) {
  try {
    return error instanceof Error ? error.name + ': ' + error.message : 'thrown ' + show(error);
  } catch (e) {
    return '[unshowable error]';
  }
}

function probe(name, fn) {
  report.probes++;
  try {
    note(name, fn());
  } catch (error) {
    note(name + ' threw', describeError(error));
  }
}

async function probeAsync(name, fn) {
  report.probes++;
  try {
    note(name, await fn());
  } catch (error) {
    note(name + ' threw', describeError(error));
  }
}

// For attempts that end without a result: what ran goes to the logs.
function checkpoint() {
  console.log('probes ran: ' + report.probes);
  for (const line of report.seen) if (line.startsWith('ESCAPED')) console.log(line);
}
