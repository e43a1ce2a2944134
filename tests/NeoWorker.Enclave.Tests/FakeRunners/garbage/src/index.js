'use strict';

// A runner that reports ready and answers every request with a line that is not JSON.
process.stdout.write(JSON.stringify({ type: 'ready', protocol: 1, pid: process.pid }) + '\n');
process.stdin.on('data', () => process.stdout.write('this is not JSON\n'));
process.stdin.on('end', () => process.exit(0));
