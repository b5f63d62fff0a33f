#!/usr/bin/env -S node --single-threaded
'use strict';
// --single-threaded: V8 posts no background tasks (GC helpers, concurrent compilation). The VM process does all its
// work on its main thread and blocks while the node works; background threads would only compete with the node
// for the CPUs (measured: tail latency of a hook dialogue roughly halved). A driver that runs this file with its
// own Node.js passes the flags of the line above (see @vm/driver arwenCommand).
const { readFileSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const dist = path.join(__dirname, '..', 'dist', 'process');
const BUNDLE = path.join(dist, 'arwen.bundle.js');

/** Modified time in ms, 0 when there is no such file. */
const mtime = (file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/**
 * The one-file build of the VM process (scripts/bundleArwen.js) starts much faster than its ~170 modules. In a
 * checkout, a `tsc -b` run after the bundle was made leaves it stale: the modules are then loaded instead (the build
 * info of the bundled packages is not in published packages, where the bundle is always current).
 */
function entry() {
  const made = mtime(BUNDLE);
  if (made === 0) return path.join(dist, 'arwenMain.js');
  const built = ['host', 'protocol', 'messenger', 'logging'].map((name) =>
    mtime(path.join(__dirname, '..', '..', name, 'dist', '.tsbuildinfo')),
  );
  return built.every((time) => time <= made) ? BUNDLE : path.join(dist, 'arwenMain.js');
}

/**
 * The bundle, compiled with the V8 code cache the build made of a VM start (arwen.bundle.cache: the functions a
 * start compiles). V8 checks it against the source, its version and flags: one that does not fit (another Node.js)
 * is rejected and the bundle compiled as usual. ARWEN_CODE_CACHE_OUT (the build's): write the cache at exit.
 */
function loadBundle() {
  const cache = BUNDLE.replace(/\.js$/, '.cache');
  let cachedData;
  try {
    // the build removes the cache before it makes the bundle: an older one belongs to another bundle
    if (mtime(cache) >= mtime(BUNDLE)) cachedData = readFileSync(cache);
  } catch {
    cachedData = undefined;
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${readFileSync(BUNDLE, 'utf8')}\n})`;
  const script = new vm.Script(wrapper, { filename: BUNDLE, cachedData });
  const bundle = new Module(BUNDLE, module);
  bundle.filename = BUNDLE;
  bundle.loaded = true;
  require.cache[BUNDLE] = bundle;
  script.runInThisContext()(bundle.exports, Module.createRequire(BUNDLE), bundle, BUNDLE, dist);
  const out = process.env.ARWEN_CODE_CACHE_OUT;
  if (out) process.once('exit', () => writeFileSync(out, script.createCachedData()));
  return bundle.exports;
}

const file = entry();
(file === BUNDLE ? loadBundle() : require(file)).main().catch((error) => {
  process.stderr.write(`arwen failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(2);
});
