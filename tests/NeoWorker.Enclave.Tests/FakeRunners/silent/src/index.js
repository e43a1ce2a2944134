'use strict';

// A runner that starts, reports ready, and then never answers a request.
// It ends when its stdin closes, like the real runner.
process.stdout.write(JSON.stringify({ type: 'ready', protocol: 1, pid: process.pid }) + '\n');
process.stdin.on('data', () => {});
process.stdin.on('end', () => process.exit(0));
