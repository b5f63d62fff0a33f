#!/usr/bin/env -S node --single-threaded
'use strict';
// --single-threaded: V8 posts no background tasks (GC helpers, concurrent compilation). The VM process does all its
// work on its main thread and blocks while the node works; background threads would only compete with the node
// for the CPUs (measured: tail latency of a hook dialogue roughly halved). A driver that runs this file with its
// own Node.js passes the flags of the line above (see @vm/driver arwenCommand).
const { statSync } = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist', 'process');

/** Modified time in ms, 0 when there is no such file. */
const mtime = (file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/**
 * The one-file build of the VM process (scripts/bundleArwen.js) starts much faster than its ~170 modules. In a
 * checkout, a `tsc -b` run after the bundle was made leaves it stale: the modules are then loaded instead (the build
 * info of the bundled packages is not in published packages, where the bundle is always current).
 */
function entry() {
  const bundle = path.join(dist, 'arwen.bundle.js');
  const made = mtime(bundle);
  if (made === 0) return path.join(dist, 'arwenMain.js');
  const built = ['host', 'protocol', 'messenger', 'logging'].map((name) =>
    mtime(path.join(__dirname, '..', '..', name, 'dist', '.tsbuildinfo')),
  );
  return built.every((time) => time <= made) ? bundle : path.join(dist, 'arwenMain.js');
}

require(entry())
  .main()
  .catch((error) => {
    process.stderr.write(`arwen failed: ${error && error.stack ? error.stack : error}\n`);
    process.exit(2);
  });
