#!/usr/bin/env -S node --single-threaded
'use strict';
// --single-threaded: V8 posts no background tasks (GC helpers, concurrent compilation). The VM process does all its
// work on its main thread and blocks while the node works; background threads would only compete with the node
// for the CPUs (measured: tail latency of a hook dialogue roughly halved). A driver that runs this file with its
// own Node.js passes the flags of the line above (see @vm/driver arwenCommand).
require('../dist/process/arwenMain.js')
  .main()
  .catch((error) => {
    process.stderr.write(`arwen failed: ${error && error.stack ? error.stack : error}\n`);
    process.exit(2);
  });
