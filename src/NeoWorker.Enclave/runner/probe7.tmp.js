const v8 = require('v8');
if (process.argv[2] === 'flags') { v8.setFlagsFromString('--no-harmony-rab-gsab'); }
const { runJob } = require('./src/sandbox');
(async () => {
    const code = process.argv[3];
    const t = Date.now(); let peak = 0; const iv = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
    const o = await runJob({ code, input: null, secrets: null, limits: { timeoutMs: 2000, memoryMb: 32 } });
    clearInterval(iv);
    console.log(Date.now()-t, 'ms', o.status, o.errorCode, JSON.stringify(o.result)?.slice(0,200), JSON.stringify(o.error)?.slice(0,200), 'peak rss', Math.round(peak/1048576));
  process.exit(0);
})();
