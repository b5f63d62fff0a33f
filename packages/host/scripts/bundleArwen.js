#!/usr/bin/env node
// `node scripts/bundleArwen.js` (after `tsc -b`; `npm run build` and `prepack` run it): the `arwen` VM process as one
// file, dist/process/arwen.bundle.js, so a VM start reads and compiles one file instead of resolving, reading and
// wrapping ~170 modules (most of a restart's cost beyond Node's own start). It sits beside arwenMain.js: the code's
// `__dirname` paths (package.json for --version) stay right. bin/arwen.js loads it when it is at least as new as the
// builds it was made from, else the modules themselves.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const esbuild = require('esbuild');
const { precompiledAjvSource } = require('./precompiledAjv');

const host = path.resolve(__dirname, '..');
const OUTFILE = path.join(host, 'dist', 'process', 'arwen.bundle.js');
const CACHE = path.join(host, 'dist', 'process', 'arwen.bundle.cache');

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

/**
 * The V8 code cache of a VM start (bin/arwen.js reads it): a real `arwen` on this Node.js, with the flags of its
 * `#!` line, initialised, one request answered, then Stop; it writes the cache of what it compiled at exit.
 */
async function makeCodeCache() {
  const {
    DEFAULT_VM_TYPE,
    MarshalizerKind,
    MessageKind,
    createMessage,
    encodeFrame,
    vmPipes,
    vmSpawnStdio,
  } = require('@vm/protocol');
  const { GAS_SECTION_KEYS } = require(path.join(host, 'dist', 'gas', 'gasSchedule.js'));
  const bin = path.join(host, 'bin', 'arwen.js');
  const flags = fs
    .readFileSync(bin, 'utf8')
    .split('\n')[0]
    .split(/\s+/)
    .filter((word) => word.startsWith('--'));
  const gasSchedule = Object.fromEntries(
    Object.entries(GAS_SECTION_KEYS).map(([section, keys]) => [section, Object.fromEntries(keys.map((k) => [k, 1n]))]),
  );
  const tmp = `${CACHE}.${process.pid}.tmp`;
  const child = spawn(process.execPath, [...flags, bin], {
    stdio: vmSpawnStdio({ stdout: 'inherit', stderr: 'inherit' }),
    env: { ...process.env, ARWEN_CODE_CACHE_OUT: tmp },
  });
  const pipes = vmPipes(child);
  pipes.logLines.resume();
  pipes.arwenToNode.resume();
  pipes.init.end(
    encodeFrame(
      createMessage(MessageKind.Initialize, {
        Arguments: {
          VMType: DEFAULT_VM_TYPE,
          BlockGasLimit: 10_000_000n,
          GasSchedule: gasSchedule,
          ProtocolBuiltinFunctions: null,
          Kalyan3104ProtectedKeyPrefix: Buffer.from('KALYAN3104'),
          LogsMarshalizer: MarshalizerKind.JSON,
          MessagesMarshalizer: MarshalizerKind.JSON,
        },
      }),
    ),
  );
  const frame = (kind, payload) => encodeFrame({ ...createMessage(kind, payload), DialogueNonce: 1 });
  pipes.nodeToArwen.end(
    Buffer.concat([frame(MessageKind.DiagnoseWaitRequest, { Milliseconds: 0 }), frame(MessageKind.Stop, {})]),
  );
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 3 || !fs.existsSync(tmp)) throw new Error(`the code-cache run of arwen ended with ${code}`);
  fs.renameSync(tmp, CACHE);
}

async function main() {
  // a cache of another bundle must never be read with this one (bin/arwen.js also checks it is not older)
  fs.rmSync(CACHE, { force: true });
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
  await makeCodeCache();
}

main().catch((error) => {
  process.stderr.write(`bundleArwen: ${error.stack ?? error}\n`);
  process.exit(1);
});
