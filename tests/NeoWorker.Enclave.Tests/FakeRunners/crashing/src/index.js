'use strict';

// A runner that reports ready and exits with code 3 as soon as it receives a request.
process.stdout.write(JSON.stringify({ type: 'ready', protocol: 1, pid: process.pid }) + '\n');
process.stdin.on('data', () => process.exit(3));
process.stdin.on('end', () => process.exit(0));
