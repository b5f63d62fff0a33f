#!/usr/bin/env node
// The packaging check (CI): packs every public package from a clean copy of the tree (the files git knows: no dist,
// no build info), so `prepack` has to build; checks what the tarballs hold; installs them into an empty project
// (`npm install --offline`, from npm's cache); and runs there what a user would: `npx vm-scenario` on the shipped
// scenario, the README's adder test, the counter example, a test world through the VM process, and a strict type
// check of a consumer (`lib: ["es2022"]`, `strict`, `skipLibCheck: false`). Exits non-zero on the first problem.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repo = path.resolve(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const started = performance.now();
const step = (what) => console.log(`[packCheck ${((performance.now() - started) / 1000).toFixed(1)}s] ${what}`);

function run(command, args, cwd, options = {}) {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`, {
      cause: error,
    });
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** The tracked and new (not ignored) files, copied; node_modules linked to the installed ones. */
function cleanCopy(target) {
  const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], repo)
    .split('\0')
    .filter((file) => file && fs.existsSync(path.join(repo, file)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    fs.copyFileSync(path.join(repo, file), path.join(target, file));
  }
  // The installed dependencies, except the workspace links, which must point at the copy.
  const modules = path.join(target, 'node_modules');
  fs.mkdirSync(path.join(modules, '@vm'), { recursive: true });
  for (const entry of fs.readdirSync(path.join(repo, 'node_modules')))
    if (entry !== '@vm') fs.symlinkSync(path.join(repo, 'node_modules', entry), path.join(modules, entry));
  for (const name of fs.readdirSync(path.join(target, 'packages'))) {
    fs.symlinkSync(path.join(target, 'packages', name), path.join(modules, '@vm', name));
    const own = path.join(repo, 'packages', name, 'node_modules');
    if (fs.existsSync(own)) fs.symlinkSync(own, path.join(target, 'packages', name, 'node_modules'));
  }
  return files.length;
}

/** What a tarball must and must not hold. */
function checkTarball(pack, dir) {
  const files = new Set(pack.files.map((f) => f.path));
  for (const required of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts'])
    check(files.has(required), `${pack.name}: ${required} is not in the tarball`);
  for (const file of files) {
    check(!file.endsWith('.tsbuildinfo'), `${pack.name}: ${file} is in the tarball`);
    if (!file.endsWith('.map')) continue;
    const map = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    for (const source of map.sources) {
      const shipped = path.posix.normalize(path.posix.join(path.posix.dirname(file), source));
      check(files.has(shipped), `${pack.name}: ${file} points at ${shipped}, which is not in the tarball`);
    }
  }
  return files;
}

const CONSUMER_TS = `import { VMDriver } from '@vm/driver';
import { loadGasSchedule, MemoryWorld, VMHost } from '@vm/host';
import { biguint, createTestWorld, expectFailure, type TxFailure } from '@vm/host/testing';
import { runScenario, type ScenarioResult } from '@vm/host/scenario';
import { fuzzRun, type FuzzRunReport } from '@vm/host/fuzz';
import { startDebugServer, type DebugServer } from '@vm/host/debug';
import { ReturnCode, type VMOutput } from '@vm/protocol';
import { getLogger } from '@vm/logging';
import { runNodePart } from '@vm/node-part';

const world = new MemoryWorld();
const gasSchedule = loadGasSchedule('gas.toml');
const host = new VMHost({ blockchainHook: world, gasSchedule });
const driver = new VMDriver({ blockchainHook: world, gasSchedule }); // the one gas-schedule type
const test = createTestWorld({ gasSchedule });
const owner = test.createAccount({ balance: 1n });
const failure: TxFailure = expectFailure(() => test.deploy({ from: owner, code: 'x.wasm', args: [biguint(1n)] }));
const code: ReturnCode = failure.returnCode;
const output: Promise<VMOutput> | VMOutput = host.runSmartContractCall({} as never);
const scenario: Promise<ScenarioResult> = runScenario('x.scen.json');
const report: (report: FuzzRunReport) => void = () => undefined;
const server: (server: DebugServer) => void = () => undefined;
export { driver, code, output, getLogger, runNodePart, scenario, report, server, fuzzRun, startDebugServer };
`;

const PROCESSES_JS = `const { createTestWorld, biguint } = require('@vm/host/testing');
(async () => {
  const world = createTestWorld({ processes: true });
  const owner = world.createAccount();
  const code = require.resolve('@vm/host/package.json').replace('package.json', 'examples/adder.wasm');
  const adder = await world.deploy({ from: owner, code, args: [biguint(40n)] });
  await adder.call({ from: owner, function: 'add', args: [biguint(2n)] });
  const [sum] = (await adder.query({ function: 'getSum' })).decode(biguint);
  await world.close();
  console.log('sum ' + sum + ' from ' + world.handler.constructor.name);
})();
`;

function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vm-pack-'));
  try {
    const src = path.join(tmp, 'src');
    step(`copying the clean tree (${cleanCopy(src)} files) to ${src}`);

    const publics = fs
      .readdirSync(path.join(src, 'packages'))
      .map((name) => ({
        name,
        manifest: JSON.parse(fs.readFileSync(path.join(src, 'packages', name, 'package.json'))),
      }))
      .filter((p) => !p.manifest.private);
    const tarballs = path.join(tmp, 'tarballs');
    fs.mkdirSync(tarballs);
    // One at a time, from no build at all: each package's own prepack must build it (and what it references).
    const packs = [];
    for (const { name, manifest } of publics) {
      for (const other of fs.readdirSync(path.join(src, 'packages')))
        fs.rmSync(path.join(src, 'packages', other, 'dist'), { recursive: true, force: true });
      step(`npm pack ${manifest.name} (prepack builds it)`);
      const [pack] = JSON.parse(
        run(npm, ['pack', '--json', '--pack-destination', tarballs, '-w', `packages/${name}`], src),
      );
      const files = checkTarball(pack, path.join(src, 'packages', name));
      if (name === 'host')
        for (const example of ['examples/adder.test.js', 'examples/adder.wasm', 'examples/adder.scen.json'])
          check(files.has(example), `@vm/host: ${example} is not in the tarball`);
      packs.push(pack);
    }

    const app = path.join(tmp, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    const install = ['install', '--no-audit', '--no-fund', ...packs.map((p) => path.join(tarballs, p.filename))];
    step('npm install --offline the tarballs into an empty project');
    try {
      run(npm, [...install, '--offline'], app);
    } catch (error) {
      // Not everything in npm's cache (a first install on this machine): the registry fills the gap.
      step(
        `offline install failed (${error.message.split('\n').find((l) => /ENOTCACHED|ERR/.test(l)) ?? 'see above'}), retrying online`,
      );
      run(npm, [...install, '--prefer-offline'], app);
    }

    step('npx vm-scenario on the shipped adder scenario');
    const scenario = run('npx', ['--no', 'vm-scenario', 'node_modules/@vm/host/examples/adder.scen.json'], app);
    check(scenario.trim().split('\n').at(-1) === '1 passed, 0 failed', `vm-scenario printed:\n${scenario}`);

    step("the README's adder test (node --test)");
    const adder = run(
      process.execPath,
      ['--test', '--test-reporter=tap', 'node_modules/@vm/host/examples/adder.test.js'],
      app,
    );
    check(/^# pass 1$/m.test(adder) && /^# fail 0$/m.test(adder), `adder.test.js:\n${adder}`);

    step('the counter example');
    const counter = run(process.execPath, ['node_modules/@vm/host/examples/counter.js'], app);
    check(/increment: return code 0, counter 2/.test(counter), `counter.js printed:\n${counter}`);

    step('a test world with processes: true (the installed @vm/driver and arwen)');
    fs.writeFileSync(path.join(app, 'processes.js'), PROCESSES_JS);
    const processes = run(process.execPath, ['processes.js'], app);
    check(/^sum 42 from VMDriver$/m.test(processes), `processes.js printed:\n${processes}`);

    step('a consumer type-checks with lib es2022, strict, skipLibCheck false');
    fs.writeFileSync(path.join(app, 'consumer.ts'), CONSUMER_TS);
    const tsconfig = {
      compilerOptions: {
        target: 'es2022',
        lib: ['es2022'],
        module: 'node16',
        moduleResolution: 'node16',
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        types: ['node'],
        typeRoots: [path.join(repo, 'node_modules', '@types')],
      },
      files: ['consumer.ts'],
    };
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    run(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [repo] }), '-p', '.'], app);

    step('pack check passed');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(`[packCheck] ${error.message}`);
  process.exit(1);
}
