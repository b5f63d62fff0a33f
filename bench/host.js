// @vm/host in process: ERC20 transferToken throughput, metering overhead on a CPU-bound contract, cold deploy
// of a 71 KB contract, and a cached call. Needs ../shared/conformance for the reference contracts.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const {
  VMHost,
  createGasSchedule,
  instrumentModule,
  GAS_SECTION_KEYS,
  INJECTED,
  CALL_DEPTH_BUDGET,
  MEMORY_IMPORT,
  keccakReady,
} = require('@vm/host');

const memoryImports = (extra = {}) => ({
  ...extra,
  [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: new WebAssembly.Memory({ initial: 17, maximum: 1024 }) },
});
const { FakeBlockchainHook, wat } = require('@vm/testkit');
const { summarize } = require('./stats');
const { floorInstance, FloorWorld, STORE_100_WAT } = require('./floor');

const CONFORMANCE = path.resolve(__dirname, '..', '..', 'shared', 'conformance');

function schedule(overrides = {}) {
  const map = {};
  for (const [section, keys] of Object.entries(GAS_SECTION_KEYS))
    map[section] = Object.fromEntries(keys.map((k) => [k, overrides[k] ?? 1n]));
  map.Kalyan3104APICost.AsyncCallbackGasLock = 100000n;
  return createGasSchedule(map);
}

const address = (hexText) => Buffer.from(hexText, 'hex');
const callInput = (recipient, fn, args, caller) => ({
  CallerAddr: caller,
  Arguments: args,
  CallValue: 0n,
  CallType: 0,
  GasPrice: 1n,
  GasProvided: 0x100000n,
  OriginalTxHash: null,
  CurrentTxHash: null,
  RecipientAddr: recipient,
  Function: fn,
});

function timeLoop(fn, { seconds = 1.5, batch = 100 } = {}) {
  for (let i = 0; i < batch * 5; i++) fn();
  const samples = [];
  const end = process.hrtime.bigint() + BigInt(seconds * 1e9);
  while (process.hrtime.bigint() < end) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    samples.push(Number(process.hrtime.bigint() - start) / batch);
  }
  return summarize(samples);
}

/**
 * VMHost vs the bare-instance floor (bench/floor.js), in alternating blocks so both see the same machine load.
 * Returns both summaries and the ratio of the medians.
 */
function interleaved(vmCall, floorCall, { seconds = 3, batch = 100 } = {}) {
  for (let i = 0; i < batch * 5; i++) {
    vmCall();
    floorCall();
  }
  const vm = [];
  const floor = [];
  const block = (fn, samples) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    samples.push(Number(process.hrtime.bigint() - start) / batch);
  };
  const end = process.hrtime.bigint() + BigInt(seconds * 1e9);
  while (process.hrtime.bigint() < end) {
    block(vmCall, vm);
    block(floorCall, floor);
  }
  const v = summarize(vm);
  const f = summarize(floor);
  return { vm: v, floor: f, ratio: v.median / f.median };
}

function erc20Benchmark() {
  const caller = address('a94f5374fce5edbc8e2a8697c15331677e6ebf0b000000000000000000000000');
  const token = address('1000000000000000000000000000000000000000000000000000000000000000');
  const hook = new FakeBlockchainHook();
  hook.setAccount(caller, { balance: 10n ** 12n });
  hook.setAccount(token, {
    code: fs.readFileSync(path.join(CONFORMANCE, 'test', 'erc20', 'contracts', 'erc20-c.wasm')),
  });
  hook.setStorage(
    token,
    address('19efaebcc296cffac396adb4a60d54c05eff43926a6072498a618e943908efe1'),
    Buffer.from('2710', 'hex'),
  );
  hook.setStorage(token, Buffer.alloc(32), Buffer.from('2710', 'hex'));
  const vm = new VMHost({ blockchainHook: hook, gasSchedule: schedule() });
  const input = callInput(token, 'transferToken', [Buffer.alloc(32, 0x42), Uint8Array.of(0x17)], caller);
  const check = vm.runSmartContractCall(input);
  if (check.ReturnCode !== 0) throw new Error(`transferToken failed: ${check.ReturnMessage}`);
  const compilations = vm.compilations;
  const r = timeLoop(() => vm.runSmartContractCall(input));
  return { ...r, txPerSecond: 1e9 / r.median, recompiled: vm.compilations - compilations };
}

async function erc20FloorBenchmark() {
  const caller = address('a94f5374fce5edbc8e2a8697c15331677e6ebf0b000000000000000000000000');
  const token = address('1000000000000000000000000000000000000000000000000000000000000000');
  const code = fs.readFileSync(path.join(CONFORMANCE, 'test', 'erc20', 'contracts', 'erc20-c.wasm'));
  const storage = [
    [address('19efaebcc296cffac396adb4a60d54c05eff43926a6072498a618e943908efe1'), Buffer.from('2710', 'hex')],
    [Buffer.alloc(32), Buffer.from('2710', 'hex')],
  ];
  const hook = new FloorWorld();
  hook.setAccount(caller, { balance: 10n ** 12n });
  hook.setAccount(token, { code });
  for (const [k, v] of storage) hook.setStorage(token, k, v);
  const vm = new VMHost({ blockchainHook: hook, gasSchedule: schedule() });
  const args = [Buffer.alloc(32, 0x42), Uint8Array.of(0x17)];
  const input = callInput(token, 'transferToken', args, caller);
  const floor = await floorInstance('erc20', code, storage);
  const vmOut = vm.runSmartContractCall(input);
  const floorOut = floor.call('transferToken', args, caller);
  if (vmOut.ReturnCode !== 0) throw new Error(`transferToken failed: ${vmOut.ReturnMessage}`);
  const vmLog = vmOut.Logs[0];
  if (!vmLog || Buffer.compare(Buffer.from(vmLog.Data), Buffer.from(floorOut.at(-1))) !== 0)
    throw new Error('the floor and VMHost log different data for transferToken');
  return interleaved(
    () => vm.runSmartContractCall(input),
    () => floor.call('transferToken', args, caller),
  );
}

async function counterFloorBenchmark() {
  const code = fs.readFileSync(path.join(CONFORMANCE, 'test', 'contracts', 'counter', 'output', 'counter.wasm'));
  const counter = Buffer.from('counter'.padEnd(32, '_'));
  const hook = new FloorWorld();
  hook.setAccount(counter, { code });
  const vm = new VMHost({ blockchainHook: hook, gasSchedule: schedule() });
  const input = callInput(counter, 'increment', [], Buffer.alloc(32, 1));
  const floor = await floorInstance('counter', code);
  if (vm.runSmartContractCall(input).ReturnCode !== 0) throw new Error('counter.increment failed');
  floor.call('increment');
  return interleaved(
    () => vm.runSmartContractCall(input),
    () => floor.call('increment'),
  );
}

async function storageFloorBenchmark() {
  const code = await wat(STORE_100_WAT);
  const contract = Buffer.from('store100'.padEnd(32, '_'));
  const hook = new FloorWorld();
  hook.setAccount(contract, { code });
  const vm = new VMHost({ blockchainHook: hook, gasSchedule: schedule() });
  const input = callInput(contract, 'run', [], Buffer.alloc(32, 1));
  const floor = await floorInstance('store', code);
  const check = vm.runSmartContractCall(input);
  if (check.ReturnCode !== 0) throw new Error(`store100.run failed: ${check.ReturnMessage}`);
  floor.call('run');
  if (floor.host.storage.size !== 100) throw new Error('the floor did not store 100 keys');
  return interleaved(
    () => vm.runSmartContractCall(input),
    () => floor.call('run'),
    { batch: 20 },
  );
}

/** A loop body of xorshift steps; `store` adds one i64 store per iteration (to an address the value picks). */
const xorshiftLoop = (store) => `(module (memory (export "memory") 1)
    (func (export "run") (param $n i32) (result i64) (local $x i64) (local.set $x (i64.const 88172645463325252))
      (loop $l
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
        (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
        ${store ? '(i64.store (i32.and (i32.wrap_i64 (local.get $x)) (i32.const 0xfff8)) (local.get $x))' : ''}
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (local.get $x)))`;

/** The same module run as is and as our rewrite makes it (metering, depth, store tracking): both timed. */
async function rewrittenVsPlain(text) {
  const code = await wat(text);
  const plain = new WebAssembly.Instance(new WebAssembly.Module(code)).exports;
  const metered = new WebAssembly.Instance(
    new WebAssembly.Module(instrumentModule(code, new Array(447).fill(1)).bytes),
    memoryImports(),
  ).exports;
  metered[INJECTED.gasLimit].value = 1n << 62n;
  metered[INJECTED.depthLimit].value = CALL_DEPTH_BUDGET;
  const iterations = 1_000_000;
  if (plain.run(iterations) !== metered.run(iterations)) throw new Error('metered result differs');
  const un = timeLoop(() => plain.run(iterations), { batch: 5 });
  const me = timeLoop(() => metered.run(iterations), { batch: 5 });
  return { unmetered: un, metered: me, ratio: me.median / un.median };
}

/** A CPU-bound loop (xorshift), metered by our rewrite vs the same module run as is; and the same with a store. */
async function meteringBenchmark() {
  const result = await rewrittenVsPlain(xorshiftLoop(false));
  return { ...result, withStores: await rewrittenVsPlain(xorshiftLoop(true)) };
}

/** A custom section named `n`: different bytes each time, so V8's native module cache cannot help the baseline. */
function withCustomSection(code, n) {
  const name = Buffer.from(`bench${n}`);
  return Buffer.concat([code, Uint8Array.of(0, name.length + 1, name.length), name]);
}

function coldDeployBenchmark() {
  const code = fs.readFileSync(path.join(CONFORMANCE, 'test', 'delegation_v0.3', 'delegation.wasm'));
  const env = { env: new Proxy({}, { get: () => () => 0 }) };
  const ours = [];
  const bare = [];
  // The first rounds warm the rewriter's JavaScript up (V8 has not optimised it yet); they are not counted. Every
  // round still deploys bytes V8 has never seen.
  const warmup = 15;
  for (let i = 0; i < warmup + 45; i++) {
    // A different End cost each time gives different instrumented bytes, so V8's module cache cannot help.
    const costs = new Array(447).fill(1);
    costs[6] = 1000 + i;
    let start = process.hrtime.bigint();
    const { bytes } = instrumentModule(code, costs);
    new WebAssembly.Instance(new WebAssembly.Module(bytes), memoryImports(env));
    ours.push(Number(process.hrtime.bigint() - start));
    // Baseline: new WebAssembly.Module + new WebAssembly.Instance of the same bytes, nothing else.
    const raw = withCustomSection(code, i);
    start = process.hrtime.bigint();
    new WebAssembly.Instance(new WebAssembly.Module(raw), env);
    bare.push(Number(process.hrtime.bigint() - start));
  }
  const r = summarize(ours.slice(warmup));
  const b = summarize(bare.slice(warmup));
  return { ...r, bytes: code.length, bare: b, ratio: r.median / b.median };
}

function cachedCallBenchmark() {
  const hook = new FakeBlockchainHook();
  const counter = Buffer.from('counter'.padEnd(32, '_'));
  hook.setAccount(counter, {
    code: fs.readFileSync(path.join(CONFORMANCE, 'test', 'contracts', 'counter', 'output', 'counter.wasm')),
  });
  const vm = new VMHost({ blockchainHook: hook, gasSchedule: schedule() });
  const input = callInput(counter, 'increment', [], Buffer.alloc(32, 1));
  vm.runSmartContractCall(input);
  const compilations = vm.compilations;
  const r = timeLoop(() => vm.runSmartContractCall(input));
  return { ...r, recompiled: vm.compilations - compilations };
}

async function hostBenchmarks() {
  if (!fs.existsSync(CONFORMANCE)) return { skipped: 'the conformance suite (../shared/conformance) is absent' };
  // The fast Keccak loads asynchronously (the pure one stands in until then, as the floor's never does): wait, as
  // the arwen process does before serving, or the first rows time a different hash.
  await keccakReady;
  return {
    erc20: erc20Benchmark(),
    metering: await meteringBenchmark(),
    coldDeploy: coldDeployBenchmark(),
    cachedCall: cachedCallBenchmark(),
    floor: {
      erc20: await erc20FloorBenchmark(),
      counter: await counterFloorBenchmark(),
      storage: await storageFloorBenchmark(),
    },
  };
}

module.exports = { hostBenchmarks };
