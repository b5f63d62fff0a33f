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
} = require('@vm/host');

const memoryImports = (extra = {}) => ({
  ...extra,
  [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: new WebAssembly.Memory({ initial: 17, maximum: 1024 }) },
});
const { FakeBlockchainHook, wat } = require('@vm/testkit');
const { summarize } = require('./stats');

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

async function meteringBenchmark() {
  // A CPU-bound loop (xorshift), metered by our rewrite vs the same module run as is.
  const code = await wat(`(module (memory (export "memory") 1)
    (func (export "run") (param $n i32) (result i64) (local $x i64) (local.set $x (i64.const 88172645463325252))
      (loop $l
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
        (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (local.get $x)))`);
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

function coldDeployBenchmark() {
  const code = fs.readFileSync(path.join(CONFORMANCE, 'test', 'delegation_v0.3', 'delegation.wasm'));
  const samples = [];
  for (let i = 0; i < 30; i++) {
    // A different End cost each time gives different instrumented bytes, so V8's module cache cannot help.
    const costs = new Array(447).fill(1);
    costs[6] = 1000 + i;
    const start = process.hrtime.bigint();
    const { bytes } = instrumentModule(code, costs);
    new WebAssembly.Instance(
      new WebAssembly.Module(bytes),
      memoryImports({ env: new Proxy({}, { get: () => () => 0 }) }),
    );
    samples.push(Number(process.hrtime.bigint() - start));
  }
  return { ...summarize(samples.slice(3)), bytes: code.length };
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
  return {
    erc20: erc20Benchmark(),
    metering: await meteringBenchmark(),
    coldDeploy: coldDeployBenchmark(),
    cachedCall: cachedCallBenchmark(),
  };
}

module.exports = { hostBenchmarks };
