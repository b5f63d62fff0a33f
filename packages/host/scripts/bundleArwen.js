#!/usr/bin/env node
// `node scripts/bundleArwen.js` (after `tsc -b`; `npm run build` and `prepack` run it): the `arwen` VM process as one
// file, dist/process/arwen.bundle.js, so a VM start reads and compiles one file instead of resolving, reading and
// wrapping ~170 modules (most of a restart's cost beyond Node's own start). It sits beside arwenMain.js: the code's
// `__dirname` paths (package.json for --version) stay right. bin/arwen.js loads it when it is at least as new as the
// builds it was made from, else the modules themselves.
'use strict';
const path = require('node:path');
const esbuild = require('esbuild');
const { precompiledAjvSource } = require('./precompiledAjv');

const host = path.resolve(__dirname, '..');
const OUTFILE = path.join(host, 'dist', 'process', 'arwen.bundle.js');

/**
 * Modules the VM process requires only lazily and rarely (never at start, never for a request of the usual
 * kinds) stay outside the bundle: parsing them at every start would cost more than resolving them once when needed.
 * Each is required where its own package would find it.
 */
const LAZY = {
  // the default log sink of @vm/logging (the VM process sends its records to fd 7 and never loads it)
  winston: '@vm/logging',
  // the secp256k1 API functions and a TOML gas schedule (the VM process gets JSON)
  '@noble/curves/secp256k1': '@vm/host',
  'smol-toml': '@vm/host',
  // JSON validation of the kinds the VM never receives (precompiledAjv.js)
  ajv: '@vm/protocol',
};

/** `require(name)` resolved from the directory of `owner` (at run time, wherever the packages are installed). */
const lazyRequire = {
  name: 'lazy-require',
  setup(build) {
    const filter = new RegExp(
      `^(${Object.keys(LAZY)
        .map((name) => name.replace(/[/.]/g, '\\$&'))
        .join('|')})$`,
    );
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'lazy' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => {
      const owner = LAZY[args.path];
      const from = owner === '@vm/host' ? '__dirname' : `require('node:path').dirname(require.resolve('${owner}'))`;
      return {
        contents: `module.exports = require(require.resolve(${JSON.stringify(args.path)}, { paths: [${from}] }));`,
        loader: 'js',
      };
    });
  },
};

/** `ajv` as @vm/protocol's JSON validation requires it: the validators precompiled (see precompiledAjv.js). */
const precompiledAjv = {
  name: 'precompiled-ajv',
  setup(build) {
    build.onResolve({ filter: /^ajv$/ }, (args) =>
      /[/\\]wire[/\\]json[/\\]validate\.js$/.test(args.importer)
        ? { path: 'ajv', namespace: 'precompiled-ajv' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'precompiled-ajv' }, () => ({
      contents: precompiledAjvSource(),
      loader: 'js',
    }));
  },
};

async function main() {
  await esbuild.build({
    entryPoints: [path.join(host, 'dist', 'process', 'arwenMain.js')],
    outfile: OUTFILE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // precompiledAjv first: validate.js's `ajv` is the precompiled one, the stand-in's own is ajv itself
    plugins: [precompiledAjv, lazyRequire],
    logLevel: 'warning',
    legalComments: 'none',
    minifyWhitespace: true,
    // require.resolve('@vm/logging') above runs at run time, from the bundle's place: as intended
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
}

main().catch((error) => {
  process.stderr.write(`bundleArwen: ${error.stack ?? error}\n`);
  process.exit(1);
});
