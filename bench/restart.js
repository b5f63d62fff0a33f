#!/usr/bin/env node
// `node bench/restart.js [ROOT...]`: the restart row of bench/stack.js alone (a killed arwen -> the next answered
// request, each next to a bare `node -e 0` start), for this checkout or for each built checkout ROOT given (its
// node_modules/@vm/* are used), in alternating blocks so every build sees the same machine. Prints ratios to the
// bare start measured in the same block: absolute times mean nothing on a shared machine.
'use strict';
const path = require('node:path');
const { summarize } = require('./stats');
const { bareNodeStart, callInput, testGasScheduleMap } = require('./fixtures');

const roots = process.argv.length > 2 ? process.argv.slice(2) : [path.resolve(__dirname, '..')];
const BLOCKS = Number(process.env.RESTART_BLOCKS || 3);
// 4 kills per driver: more within a minute would trip the driver's crash-loop breaker
const KILLS_PER_DRIVER = 4;

function loadBuild(root) {
  const load = (name) => require(path.join(path.resolve(root), 'node_modules', name));
  const { VMDriver } = load('@vm/driver');
  const { GAS_SECTION_KEYS, MemoryWorld } = load('@vm/host');
  const gasSchedule = testGasScheduleMap(GAS_SECTION_KEYS);
  return { root, VMDriver, MemoryWorld, gasSchedule, wat: load('@vm/testkit').wat, restarts: [], bare: [] };
}

async function block(build) {
  const world = new build.MemoryWorld();
  const contract = Buffer.alloc(32, 2);
  const caller = Buffer.alloc(32, 1);
  world.setAccount({
    address: contract,
    nonce: 0n,
    balance: 0n,
    storage: new Map(),
    asyncCallData: '',
    owner: new Uint8Array(0),
    code: await build.wat(`(module (import "env" "getBlockTimestamp" (func $t (result i64)))
      (memory (export "memory") 1) (func (export "one") (drop (call $t))))`),
  });
  const call = () => driver.runSmartContractCall(callInput(contract, 'one', [], caller));
  const driver = new build.VMDriver({ blockchainHook: world, gasSchedule: build.gasSchedule, maxLoopTimeMs: 30000 });
  try {
    for (let i = 0; i < KILLS_PER_DRIVER; i++) {
      build.bare.push(await bareNodeStart());
      await call();
      process.kill(driver.pid, 'SIGKILL');
      const start = process.hrtime.bigint();
      for (;;) {
        try {
          await call();
          break;
        } catch {
          // the request in flight at the kill fails; the next one restarts arwen
        }
      }
      build.restarts.push(Number(process.hrtime.bigint() - start));
    }
  } finally {
    await driver.close();
  }
}

async function main() {
  const builds = roots.map(loadBuild);
  for (let b = 0; b < BLOCKS; b++) {
    const order = b % 2 === 0 ? builds : [...builds].reverse();
    for (const build of order) await block(build);
  }
  for (const build of builds) {
    const ratio = summarize(build.restarts).median / summarize(build.bare).median;
    process.stdout.write(
      `${build.root}: restart ${ratio.toFixed(2)}x a bare node start (n=${build.restarts.length})\n`,
    );
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
