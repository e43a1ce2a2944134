'use strict';

// A runner that closes its stdin, then reports ready and keeps running: every request the host
// writes fails (EPIPE) while the process is still alive. Closing first means no request can slip
// into the pipe between "ready" and the close.
const fs = require('node:fs');

fs.closeSync(0);
process.stdout.write(JSON.stringify({ type: 'ready', protocol: 1, pid: process.pid }) + '\n');
setInterval(() => {}, 1000);
