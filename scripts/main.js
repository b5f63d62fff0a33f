#!/usr/bin/env node
// The main job: the reference's conformance suite (../shared/conformance), every scenario through the full process
// stack — the driver spawns the `arwen` VM process, and every blockchain hook call crosses the pipes to the node,
// answered from the embedded in-memory world — as the reference runs it (every folder, then erc20 again with
// erc20-c.wasm). `--in-process` runs the VM in this process instead.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { GAS_SECTION_KEYS, MemoryWorld } = require('@vm/host');
const { runCli } = require('@vm/host/scenario');
const { VMDriver } = require('@vm/driver');

const suite = path.resolve(__dirname, '..', '..', 'shared', 'conformance', 'test');

function processStack() {
  let world = new MemoryWorld(); // each scenario's own world replaces it; the driver checks the hook's methods at once
  const forward = new Proxy(
    {},
    { get: (_t, name) => (typeof world[name] === 'function' ? world[name].bind(world) : world[name]) },
  );
  const gasSchedule = Object.fromEntries(
    Object.entries(GAS_SECTION_KEYS).map(([s, keys]) => [s, Object.fromEntries(keys.map((k) => [k, 1n]))]),
  );
  gasSchedule.Kalyan3104APICost.AsyncCallbackGasLock = 100000n;
  const driver = new VMDriver({ blockchainHook: forward, gasSchedule, maxLoopTimeMs: 30000 });
  return {
    options: { createHandler: (w) => ((world = w), driver) },
    close: () => driver.close(),
  };
}

async function main() {
  if (!fs.existsSync(suite)) {
    console.log(`The conformance suite is not next to the repository (${suite}); nothing to run.`);
    return 1;
  }
  const inProcess = process.argv.includes('--in-process');
  const stack = inProcess ? { options: {}, close: async () => undefined } : processStack();
  console.log(inProcess ? 'VM in process' : 'VM as a child process (arwen), hooks answered over the pipes');
  const started = Date.now();
  const print = { out: (line) => process.stdout.write(`${line}\n`) };
  const all = await runCli([suite], print, stack.options);
  const erc20 = await runCli(
    ['--replace', 'contracts/simple-coin.wasm=erc20/contracts/erc20-c.wasm', path.join(suite, 'erc20')],
    print,
    stack.options,
  );
  await stack.close();
  console.log(
    `conformance: ${all === 0 && erc20 === 0 ? 'all passed' : 'FAILURES'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return all === 0 && erc20 === 0 ? 0 : 1;
}

main().then((code) => process.exit(code));
