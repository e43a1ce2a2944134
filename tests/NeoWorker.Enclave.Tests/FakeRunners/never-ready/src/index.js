'use strict';

// A runner stuck in its start-up: it never reports ready, never reads stdin and never exits.
process.stderr.write('never-ready: starting up forever\n');
setInterval(() => {}, 1000);
