#!/usr/bin/env node
// A fault run through the real process stack: REQUESTS additions to a stored sum, the VM killed (SIGKILL) at a
// random moment of about one request in ten. The node applies each output it gets; a request that fails is sent
// again. Prints the kills, the time from a kill to the failed request (p50/p99), and what was lost: the sum must
// equal the number of applied outputs, and every failure must be ArwenExited (no timeout, no hang, no other error).
// Usage: node scripts/faultRun.js [REQUESTS=1000]
'use strict';
const { VMDriver } = require('@vm/driver');
const { setLogLevels } = require('@vm/messenger');
const { GAS_SECTION_KEYS } = require('@vm/host');
const { FakeBlockchainHook, wat } = require('@vm/testkit');

const REQUESTS = Number(process.argv[2] ?? 1000);
const SC = Buffer.from('adder'.padEnd(32, '_'));
const SUM = Buffer.from('sum');
const ADDER = `(module
  (import "env" "int64getArgument" (func $arg (param i32) (result i64)))
  (import "env" "int64storageLoad" (func $load (param i32 i32) (result i64)))
  (import "env" "int64storageStore" (func $store (param i32 i32 i64) (result i32)))
  (memory (export "memory") 1) (data (i32.const 0) "sum")
  (func (export "add") (drop (call $store (i32.const 0) (i32.const 3)
    (i64.add (call $load (i32.const 0) (i32.const 3)) (call $arg (i32.const 0)))))))`;

const gasSchedule = Object.fromEntries(
  Object.entries(GAS_SECTION_KEYS).map(([s, keys]) => [s, Object.fromEntries(keys.map((k) => [k, 1n]))]),
);
const add = {
  CallerAddr: Buffer.alloc(32, 1),
  Arguments: [Buffer.from([1])],
  CallValue: 0n,
  CallType: 0,
  GasPrice: 0n,
  GasProvided: 100000n,
  OriginalTxHash: null,
  CurrentTxHash: null,
  RecipientAddr: SC,
  Function: 'add',
};
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function main() {
  setLogLevels('*:ERROR'); // every kill logs a warning: quiet
  const hook = new FakeBlockchainHook().setAccount(SC, { code: await wat(ADDER) });
  const driver = new VMDriver({
    blockchainHook: hook,
    gasSchedule,
    restartPolicy: { maxCrashes: Number.MAX_SAFE_INTEGER, windowMs: 1 },
  });
  let applied = 0;
  let kills = 0;
  const detection = [];
  const unexpected = [];
  for (let i = 0; i < REQUESTS; i++) {
    for (;;) {
      let killedAt;
      let killed = Promise.resolve();
      await driver.restartIfNecessary();
      if (Math.random() < 0.1) {
        const pid = driver.pid;
        killed = new Promise((resolve) =>
          setTimeout(() => {
            killedAt = performance.now();
            process.kill(pid, 'SIGKILL');
            kills++;
            resolve();
          }, Math.random() * 3),
        );
      }
      try {
        const output = await driver.runSmartContractCall(add);
        const update = output.OutputAccounts.flatMap((a) => a.StorageUpdates ?? []).find((u) => SUM.equals(u.Offset));
        hook.setStorage(SC, SUM, update.Data); // the node applies the output it got
        applied++;
        // a kill that came after the answer: wait until the driver saw the exit, so the next request is clean
        await killed;
        while (killedAt !== undefined && !driver.isClosed()) await new Promise((resolve) => setTimeout(resolve, 1));
        break;
      } catch (error) {
        if (killedAt === undefined || error.code !== 'ArwenExited') unexpected.push(`${error.code}: ${error.message}`);
        else detection.push(performance.now() - killedAt);
      }
    }
  }
  await driver.dispose();
  const stored = BigInt('0x' + (Buffer.from(hook.getStorageData(SC, SUM)).toString('hex') || '0'));
  detection.sort((a, b) => a - b);
  const report = {
    requests: REQUESTS,
    kills,
    failedRequests: detection.length,
    detectionMs: detection.length
      ? { p50: +percentile(detection, 0.5).toFixed(2), p99: +percentile(detection, 0.99).toFixed(2) }
      : null,
    applied,
    stored: Number(stored),
    lostOutputs: applied - Number(stored),
    unexpected,
    stats: driver.stats,
  };
  console.log(JSON.stringify(report, null, 2));
  process.exit(report.lostOutputs === 0 && applied === REQUESTS && unexpected.length === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
