// The process stack: hook round trips through driver -> arwen -> gateway -> node-part, ERC20 through the stack,
// and the time from a killed child to the next answered request.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { VMDriver } = require('@vm/driver');
const { GAS_SECTION_KEYS, MemoryWorld } = require('@vm/host');
const { MarshalizerKind } = require('@vm/protocol');
const { wat } = require('@vm/testkit');
const { summarize } = require('./stats');
const { rawPingPong } = require('./ipc');

const CONFORMANCE = path.resolve(__dirname, '..', '..', 'shared', 'conformance');
const gasSchedule = Object.fromEntries(
  Object.entries(GAS_SECTION_KEYS).map(([s, keys]) => [s, Object.fromEntries(keys.map((k) => [k, 1n]))]),
);
gasSchedule.Kalyan3104APICost.AsyncCallbackGasLock = 100000n;

const account = (address, fields) => ({
  address,
  nonce: 0n,
  balance: 0n,
  storage: new Map(),
  code: new Uint8Array(0),
  asyncCallData: '',
  owner: new Uint8Array(0),
  ...fields,
});
const callInput = (to, fn, args, from) => ({
  CallerAddr: from,
  Arguments: args,
  CallValue: 0n,
  CallType: 0,
  GasPrice: 1n,
  GasProvided: 10_000_000n,
  OriginalTxHash: null,
  CurrentTxHash: null,
  RecipientAddr: to,
  Function: fn,
});

async function timeRequests(run, count, warmup = 50) {
  for (let i = 0; i < warmup; i++) await run();
  const samples = [];
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - start));
  }
  return { ...summarize(samples), mean: Number(process.hrtime.bigint() - started) / count };
}

/** Alternates blocks of the same requests on several drivers, so each sees the same machine conditions. */
async function alternate(runs, { blocks = 4, perBlock = 750, warmup = 500 } = {}) {
  const samples = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
  for (const run of Object.values(runs)) for (let i = 0; i < warmup; i++) await run();
  for (let b = 0; b < blocks; b++) {
    for (const [name, run] of Object.entries(runs)) {
      for (let i = 0; i < perBlock; i++) {
        const start = process.hrtime.bigint();
        await run();
        samples[name].push(Number(process.hrtime.bigint() - start));
      }
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, list]) => {
      const mean = list.reduce((a, b) => a + b, 0) / list.length;
      const summary = summarize(list);
      return [name, { ...summary, mean, txPerSecond: 1e9 / summary.median, sustainedTxPerSecond: 1e9 / mean }];
    }),
  );
}

async function stackBenchmarks() {
  const world = new MemoryWorld();
  const driver = new VMDriver({ blockchainHook: world, gasSchedule, maxLoopTimeMs: 30000 });
  // the same stack with plain blocking waits on both pipe ends (no busy polling), for comparison
  const blocking = new VMDriver({ blockchainHook: world, gasSchedule, maxLoopTimeMs: 30000, busyPollMicros: 0 });
  // and with the reference's JSON payloads instead of the binary codec
  const json = new VMDriver({
    blockchainHook: world,
    gasSchedule,
    maxLoopTimeMs: 30000,
    messagesMarshalizer: MarshalizerKind.JSON,
  });
  const caller = Buffer.alloc(32, 1);
  try {
    // hook round trips: a contract asking the node for the block timestamp 1 or 101 times per call
    const hooks = Buffer.alloc(32, 2);
    world.setAccount(
      account(hooks, {
        code: await wat(`(module (import "env" "getBlockTimestamp" (func $t (result i64))) (memory (export "memory") 1)
      (func (export "run") (local $i i32) (local.set $i (i32.const 0)) (block $d (loop $l (br_if $d (i32.ge_u (local.get $i) (i32.const 100))) (drop (call $t)) (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l))))
      (func (export "one") (drop (call $t))))`),
      }),
    );
    // the raw ping-pong baseline is measured right before and right after, so both see the same machine
    const before = await rawPingPong();
    const perHookOn = async (d) => {
      const hundred = await timeRequests(() => d.runSmartContractCall(callInput(hooks, 'run', [], caller)), 300);
      const one = await timeRequests(() => d.runSmartContractCall(callInput(hooks, 'one', [], caller)), 300);
      return { hundred, one, median: (hundred.median - one.median) / 99, p99: (hundred.p99 - one.median) / 99 };
    };
    const perHook = await perHookOn(driver);
    const perHookBlocking = await perHookOn(blocking);
    const after = await rawPingPong();
    const rawBaseline = { median: (before.median + after.median) / 2, p99: Math.max(before.p99, after.p99) };

    let erc20;
    if (fs.existsSync(CONFORMANCE)) {
      const token = Buffer.alloc(32);
      token[0] = 0x10;
      const from = Buffer.from('a94f5374fce5edbc8e2a8697c15331677e6ebf0b000000000000000000000000', 'hex');
      world.setAccount(account(from, { balance: 10n ** 12n }));
      world.setAccount(
        account(token, {
          code: new Uint8Array(fs.readFileSync(path.join(CONFORMANCE, 'test', 'erc20', 'contracts', 'erc20-c.wasm'))),
          storage: new Map([
            ['19efaebcc296cffac396adb4a60d54c05eff43926a6072498a618e943908efe1', Buffer.from('2710', 'hex')],
          ]),
        }),
      );
      const input = callInput(token, 'transferToken', [Buffer.alloc(32, 0x42), Uint8Array.of(0x17)], from);
      const r = await alternate({
        busyPolling: () => driver.runSmartContractCall(input),
        json: () => json.runSmartContractCall(input),
        blocking: () => blocking.runSmartContractCall(input),
      });
      erc20 = { ...r.busyPolling, json: r.json, blocking: r.blocking };
    }

    // a killed child: time until the next request is answered (including the restart)
    const restarts = [];
    for (let i = 0; i < 5; i++) {
      await driver.runSmartContractCall(callInput(hooks, 'one', [], caller));
      process.kill(driver.pid, 'SIGKILL');
      const start = process.hrtime.bigint();
      for (;;) {
        try {
          await driver.runSmartContractCall(callInput(hooks, 'one', [], caller));
          break;
        } catch {
          // the request in flight at the kill fails; the next one restarts arwen
        }
      }
      restarts.push(Number(process.hrtime.bigint() - start));
    }
    return { perHook, perHookBlocking, rawBaseline, erc20, restart: summarize(restarts) };
  } finally {
    await driver.close();
    await blocking.close();
    await json.close();
  }
}

module.exports = { stackBenchmarks };
