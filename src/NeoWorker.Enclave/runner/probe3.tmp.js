const { runJob } = require('./src/sandbox');
(async () => {
  const cpu0 = process.cpuUsage();
  let o = await runJob({ code: process.argv[2], input: null, secrets: null, limits: { timeoutMs: 500, memoryMb: 32 } });
  console.log('first', o.status, o.errorCode, o.error, o.result);
  o = await runJob({ code: 'function main(){ return 2; }', input: null, secrets: null, limits: { timeoutMs: 500, memoryMb: 32 } });
  console.log('next', o.status, o.result);
  const c1 = process.cpuUsage(cpu0);
  await new Promise(r => setTimeout(r, 1000));
  const c2 = process.cpuUsage(cpu0);
  console.log('cpu ms during 1s idle', (c2.user - c1.user)/1000);
  process.exit(0);
})();
