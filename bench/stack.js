// The process stack, each row next to a baseline measured in the same run: ERC20 through the stack vs the same
// transfers in process (interleaved blocks), hook round trips vs a raw ping-pong with the same waiting strategy,
// the reference's wire mode (bench/peers/referenceNode.js) vs its round trips at the raw floor, a restart vs a
// bare `node -e 0`, and an idle arwen's memory vs an idle bare node.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { VMDriver, arwenCommand, locateArwen } = require('@vm/driver');
const { GAS_SECTION_KEYS, MemoryWorld, VMHost, createGasSchedule } = require('@vm/host');
const {
  DEFAULT_VM_TYPE,
  MarshalizerKind,
  MessageKind,
  createMessage,
  encodeFrame,
  vmPipes,
  vmSpawnStdio,
} = require('@vm/protocol');
const { wat } = require('@vm/testkit');
const { summarize } = require('./stats');
const { account, bareNodeStart, callInput, testGasScheduleMap } = require('./fixtures');
const { rawPingPong, rawPollingPingPong } = require('./ipc');

const CONFORMANCE = path.resolve(__dirname, '..', '..', 'shared', 'conformance');
const gasSchedule = testGasScheduleMap(GAS_SECTION_KEYS);

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

/** A hook that counts the calls it answers (the hook calls of a transfer in process; never used for timing). */
function counting(world) {
  const counter = { calls: 0 };
  const hook = new Proxy(world, {
    get(target, key) {
      const value = target[key];
      if (typeof value !== 'function') return value;
      return (...args) => {
        counter.calls++;
        return value.apply(target, args);
      };
    },
  });
  return { hook, counter };
}

const median = (list) => summarize(list).median;

/** Resident memory of a process, in bytes (Linux /proc). */
function rssOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An idle bare node's resident memory (a process that loads nothing and waits). */
async function bareNodeRss() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await sleep(500);
  const rss = rssOf(child.pid);
  child.kill('SIGKILL');
  return rss;
}

/**
 * An idle arwen a peer spawned itself (no driver: no parent-death signal, so it runs its watcher thread),
 * initialised and one request answered: its resident memory.
 */
async function directArwenRss() {
  const [command, args] = arwenCommand(locateArwen());
  const env = { ...process.env };
  delete env.ARWEN_PARENT_DEATH_SIGNAL;
  const child = spawn(command, args, { stdio: vmSpawnStdio(), env });
  const pipes = vmPipes(child);
  for (const stream of [pipes.stdout, pipes.stderr, pipes.logLines]) stream.resume();
  const answered = new Promise((resolve) => pipes.arwenToNode.once('data', resolve));
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
  pipes.nodeToArwen.write(
    encodeFrame({ ...createMessage(MessageKind.DiagnoseWaitRequest, { Milliseconds: 0 }), DialogueNonce: 1 }),
  );
  await answered;
  await sleep(500);
  const rss = rssOf(child.pid);
  child.kill('SIGKILL');
  return rss;
}

/**
 * The reference's wire mode: calls answered by a node speaking only the reference protocol (JSON, blocking).
 * Warmed up as long as its raw baseline (rawPingPong): fewer calls leave both processes' code in V8's lower tiers.
 */
function referenceWire(contract, count = 2000, warmup = 1000) {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'peers', 'referenceNode.js'), String(count), String(warmup), contract],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`referenceNode exited with ${code}`));
      const { times, roundTrips } = JSON.parse(out);
      resolve({ ...summarize(times), roundTrips });
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
    // each raw ping-pong baseline (blocking, and busy polling as the driver's default) is measured right before
    // and right after the stack's, so both see the same machine
    const perHookOn = async (d) => {
      const hundred = await timeRequests(() => d.runSmartContractCall(callInput(hooks, 'run', [], caller)), 300);
      const one = await timeRequests(() => d.runSmartContractCall(callInput(hooks, 'one', [], caller)), 300);
      return { hundred, one, median: (hundred.median - one.median) / 99, p99: (hundred.p99 - one.median) / 99 };
    };
    const around = async (baseline, measure) => {
      const before = await baseline();
      const result = await measure();
      const after = await baseline();
      return { result, raw: { median: (before.median + after.median) / 2, p99: Math.max(before.p99, after.p99) } };
    };
    const polled = await around(rawPollingPingPong, () => perHookOn(driver));
    const plain = await around(rawPingPong, () => perHookOn(blocking));
    const perHook = { ...polled.result, raw: polled.raw, ratio: polled.result.median / polled.raw.median };
    const perHookBlocking = { ...plain.result, raw: plain.raw, ratio: plain.result.median / plain.raw.median };
    const rawBaseline = plain.raw;

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
      // the same transfers in process, on the same world (the plain world: a counting proxy would slow the baseline)
      const vm = new VMHost({ blockchainHook: world, gasSchedule: createGasSchedule(gasSchedule) });
      for (const output of [vm.runSmartContractCall(input), await driver.runSmartContractCall(input)])
        if (output.ReturnCode !== 0) throw new Error(`transferToken failed: ${output.ReturnMessage}`);
      const r = await alternate({
        inProcess: () => vm.runSmartContractCall(input),
        busyPolling: () => driver.runSmartContractCall(input),
        json: () => json.runSmartContractCall(input),
        blocking: () => blocking.runSmartContractCall(input),
      });
      // round trips: messages crossing the pipe (the driver counts one per request and one per request of the VM's,
      // as bench/roundTrips.js reads it), not the hook calls the node answers (read-ahead reads never cross it)
      const tripsBefore = driver.stats.roundTrips;
      for (let i = 0; i < 10; i++) await driver.runSmartContractCall(input);
      const roundTripsPerTransfer = (driver.stats.roundTrips - tripsBefore) / 10;
      // and the hook calls the same transfer makes in process (what the stack would cost without reading ahead)
      const inProcessHook = counting(world);
      const countingVm = new VMHost({
        blockchainHook: inProcessHook.hook,
        gasSchedule: createGasSchedule(gasSchedule),
      });
      for (let i = 0; i < 10; i++) countingVm.runSmartContractCall(input);
      const hookCallsInProcess = inProcessHook.counter.calls / 10;
      erc20 = {
        ...r.busyPolling,
        json: r.json,
        blocking: r.blocking,
        inProcess: r.inProcess,
        throughputRatio: r.inProcess.median / r.busyPolling.median,
        roundTripsPerTransfer,
        hookCallsInProcess,
      };
      // the reference's wire mode, between two raw blocking baselines
      const contract = path.join(CONFORMANCE, 'test', 'erc20', 'contracts', 'erc20-c.wasm');
      const wire = await around(rawPingPong, () => referenceWire(contract));
      erc20.referenceWire = {
        ...wire.result,
        raw: wire.raw,
        ratio: wire.result.median / (wire.result.roundTrips * wire.raw.median),
      };
    }

    // a killed child: time until the next request is answered (including the restart), each next to a bare node
    const restarts = [];
    const bareStarts = [];
    // (5 at most: more kills within a minute would trip the driver's crash-loop breaker)
    for (let i = 0; i < 5; i++) {
      bareStarts.push(await bareNodeStart());
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
    const restart = { ...summarize(restarts), bare: summarize(bareStarts) };
    restart.ratio = restart.median / restart.bare.median;
    // the same with a warm standby (opt-in): the next request is handed to a child started in the background
    const standbyDriver = new VMDriver({ blockchainHook: world, gasSchedule, maxLoopTimeMs: 30000, warmStandby: true });
    const handOvers = [];
    try {
      for (let i = 0; i < 5; i++) {
        await standbyDriver.runSmartContractCall(callInput(hooks, 'one', [], caller));
        while (standbyDriver.standbyPid === undefined) await sleep(10);
        await sleep(1500); // the standby has booted and waits on its fd 4 (a hand-over, not a boot, is measured)
        process.kill(standbyDriver.pid, 'SIGKILL');
        const start = process.hrtime.bigint();
        for (;;) {
          try {
            await standbyDriver.runSmartContractCall(callInput(hooks, 'one', [], caller));
            break;
          } catch {
            // the request in flight at the kill fails; the next one goes to the standby
          }
        }
        handOvers.push(Number(process.hrtime.bigint() - start));
      }
    } finally {
      await standbyDriver.close();
    }
    restart.warmStandby = summarize(handOvers);
    restart.warmStandby.ratio = restart.warmStandby.median / restart.bare.median;

    // an idle arwen (initialised, one request answered) vs an idle bare node
    await driver.runSmartContractCall(callInput(hooks, 'one', [], caller));
    await sleep(500);
    const arwenRss = [];
    const bareRss = [];
    const directRss = [];
    for (let i = 0; i < 3; i++) {
      arwenRss.push(rssOf(driver.pid));
      bareRss.push(await bareNodeRss());
      directRss.push(await directArwenRss());
    }
    const memory = { arwen: median(arwenRss), bare: median(bareRss), direct: median(directRss) };
    memory.ratio = memory.arwen / memory.bare;
    memory.directRatio = memory.direct / memory.bare;
    return { perHook, perHookBlocking, rawBaseline, erc20, restart, memory };
  } finally {
    await driver.close();
    await blocking.close();
    await json.close();
  }
}

const us = (ns) => (ns / 1000).toFixed(2);

/** The process stack's rows (bench/stack.js), each with its same-run baseline and ratio. */
function stackRows(stack, rows) {
  const row = (benchmark, r, note) =>
    rows.push({ benchmark, median: `${us(r.median)} µs`, p99: `${us(r.p99)} µs`, note });
  const erc20 = stack.erc20;
  if (erc20) {
    // a transfer through the stack costs at least its in-process work plus one raw round trip of the same strategy
    const bound = erc20.inProcess.median / (erc20.inProcess.median + stack.perHook.raw.median);
    row('baseline: ERC20 transferToken in process (VMHost), interleaved with the stack', erc20.inProcess, 'baseline');
    const figures = (r) =>
      `${Math.round(r.txPerSecond)} tx/s at the median, ${Math.round(r.sustainedTxPerSecond)} sustained`;
    row(
      'ERC20 transferToken through the process stack (VMDriver defaults)',
      erc20,
      `${erc20.throughputRatio.toFixed(2)}x in-process throughput (target >= 0.5x; at most ${bound.toFixed(2)}x with one raw round trip a transfer); ${erc20.roundTripsPerTransfer} round trip(s) per transfer (target <= 2; ${erc20.hookCallsInProcess} hook calls in process); ${figures(erc20)}`,
    );
    row('the same, JSON messages', erc20.json, figures(erc20.json));
    row('the same, busy polling off', erc20.blocking, figures(erc20.blocking));
  }
  row('baseline: raw ping-pong, 2 processes, busy polling both ends (as the driver)', stack.perHook.raw, 'baseline');
  row(
    'hook round trip: driver -> arwen -> gateway -> node-part (amortized over 100 hooks)',
    stack.perHook,
    `${stack.perHook.ratio.toFixed(2)}x raw busy-polling ping-pong (target <= 1.5x)`,
  );
  row('baseline: raw ping-pong, 2 processes, blocking reads both ends', stack.perHookBlocking.raw, 'baseline');
  row(
    'the same hook round trip, busy polling off',
    stack.perHookBlocking,
    `${stack.perHookBlocking.ratio.toFixed(2)}x raw blocking ping-pong (target <= 1.5x)`,
  );
  if (erc20) {
    const wire = erc20.referenceWire;
    row('baseline: raw blocking ping-pong, around the reference-wire calls', wire.raw, 'baseline');
    row(
      `reference wire mode: ERC20 call from a JSON-only blocking peer (${wire.roundTrips} round trips)`,
      wire,
      `${wire.ratio.toFixed(2)}x its round trips at the raw floor (target <= 1.5x)`,
    );
  }
  const ms = (ns) => `${(ns / 1e6).toFixed(1)} ms`;
  rows.push({
    benchmark: 'baseline: bare `node -e 0`, spawn to exit',
    median: ms(stack.restart.bare.median),
    p99: ms(stack.restart.bare.p99),
    note: 'baseline',
  });
  rows.push({
    benchmark: 'killed arwen -> next answered request (restart included)',
    median: ms(stack.restart.median),
    p99: ms(stack.restart.p99),
    note: `${stack.restart.ratio.toFixed(2)}x bare node start (target <= 2x)`,
  });
  rows.push({
    benchmark: 'the same with warmStandby: true (a hand-over to a child started in the background)',
    median: ms(stack.restart.warmStandby.median),
    p99: ms(stack.restart.warmStandby.p99),
    note: `${stack.restart.warmStandby.ratio.toFixed(2)}x bare node start (target <= 2x)`,
  });
  const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  rows.push({
    benchmark: 'baseline: idle bare node, resident memory',
    median: mib(stack.memory.bare),
    p99: '',
    note: 'baseline',
  });
  rows.push({
    benchmark: 'idle arwen (initialised, one request answered), resident memory',
    median: mib(stack.memory.arwen),
    p99: '',
    note: `${stack.memory.ratio.toFixed(2)}x bare node (target <= 1.3x)`,
  });
  rows.push({
    benchmark: 'the same spawned directly by a peer (no parent-death signal: its watcher thread runs)',
    median: mib(stack.memory.direct),
    p99: '',
    note: `${stack.memory.directRatio.toFixed(2)}x bare node`,
  });
}

module.exports = { stackBenchmarks, stackRows };
