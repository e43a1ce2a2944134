'use strict';

// A runner that reports ready, then closes its stdin and keeps running: every request the host
// writes fails (EPIPE) while the process is still alive.
const fs = require('node:fs');

process.stdout.write(JSON.stringify({ type: 'ready', protocol: 1, pid: process.pid }) + '\n');
fs.closeSync(0);
setInterval(() => {}, 1000);
