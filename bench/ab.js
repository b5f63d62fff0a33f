#!/usr/bin/env node
// `node bench/ab.js OTHER_HOST [row...]`: this build of @vm/host (packages/host/dist) against another build of it,
// in one process, in alternating blocks (the order swapped every round), with the bare-instance floor of
// bench/floor.js beside them. OTHER_HOST is a built packages/host of another checkout, e.g.
//   git worktree add /tmp/base main && (cd /tmp/base && npm ci && npm run build)
//   node bench/ab.js /tmp/base/packages/host
// Rows: erc20 (transferToken), counter (increment), store (100 storageStores), deploy (cold deploy of
// delegation.wasm: instrumentModule + Module + Instance, against bare Module + Instance). Gas must be identical.
// Prints ratios only: absolute times mean nothing on a shared machine.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { wat } = require('@vm/testkit');
const { floorInstance, FloorWorld, STORE_100_WAT } = require('./floor');

const CONFORMANCE = path.resolve(__dirname, '..', '..', 'shared', 'conformance');
const SECONDS = Number(process.env.AB_SECONDS ?? 3);
const address = (hexText) => Buffer.from(hexText, 'hex');
const CALLER = address('a94f5374fce5edbc8e2a8697c15331677e6ebf0b000000000000000000000000');
const TOKEN = address('1000000000000000000000000000000000000000000000000000000000000000');
const ERC20_STORAGE = [
  [address('19efaebcc296cffac396adb4a60d54c05eff43926a6072498a618e943908efe1'), Buffer.from('2710', 'hex')],
  [Buffer.alloc(32), Buffer.from('2710', 'hex')],
];
const conformance = (...parts) => fs.readFileSync(path.join(CONFORMANCE, 'test', ...parts));

function schedule(host) {
  const map = {};
  for (const [section, keys] of Object.entries(host.GAS_SECTION_KEYS))
    map[section] = Object.fromEntries(keys.map((k) => [k, 1n]));
  map.Kalyan3104APICost.AsyncCallbackGasLock = 100000n;
  return host.createGasSchedule(map);
}

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

/** The row's contract in a fresh world, on `host`'s VMHost: returns the call to time. */
async function vmCall(host, row) {
  const hook = new FloorWorld();
  let input;
  if (row === 'erc20') {
    hook.setAccount(CALLER, { balance: 10n ** 12n });
    hook.setAccount(TOKEN, { code: conformance('erc20', 'contracts', 'erc20-c.wasm') });
    for (const [k, v] of ERC20_STORAGE) hook.setStorage(TOKEN, k, v);
    input = callInput(TOKEN, 'transferToken', [Buffer.alloc(32, 0x42), Uint8Array.of(0x17)], CALLER);
  } else if (row === 'counter') {
    const counter = Buffer.from('counter'.padEnd(32, '_'));
    hook.setAccount(counter, { code: conformance('contracts', 'counter', 'output', 'counter.wasm') });
    input = callInput(counter, 'increment', [], Buffer.alloc(32, 1));
  } else {
    const contract = Buffer.from('store100'.padEnd(32, '_'));
    hook.setAccount(contract, { code: await wat(STORE_100_WAT) });
    input = callInput(contract, 'run', [], Buffer.alloc(32, 1));
  }
  const vm = new host.VMHost({ blockchainHook: hook, gasSchedule: schedule(host) });
  const first = vm.runSmartContractCall(input);
  if (first.ReturnCode !== 0) throw new Error(`${row} failed: ${first.ReturnMessage}`);
  return { call: () => vm.runSmartContractCall(input), gas: first.GasRemaining };
}

async function floorCall(row) {
  if (row === 'erc20') {
    const floor = await floorInstance('erc20', conformance('erc20', 'contracts', 'erc20-c.wasm'), ERC20_STORAGE);
    const args = [Buffer.alloc(32, 0x42), Uint8Array.of(0x17)];
    return () => floor.call('transferToken', args, CALLER);
  }
  if (row === 'counter') {
    const floor = await floorInstance('counter', conformance('contracts', 'counter', 'output', 'counter.wasm'));
    return () => floor.call('increment');
  }
  const floor = await floorInstance('store', await wat(STORE_100_WAT));
  return () => floor.call('run');
}

/** A cold deploy on `host`: a different End cost each time, so V8's module cache never helps. */
function deployCall(host) {
  const code = conformance('delegation_v0.3', 'delegation.wasm');
  const env = { env: new Proxy({}, { get: () => () => 0 }) };
  let n = 0;
  return () => {
    const costs = new Array(host.OPCODE_COST_KEYS.length).fill(1);
    costs[6] = 1000 + n++;
    const { bytes, memory } = host.instrumentModule(code, costs);
    const imports = {
      ...env,
      [host.MEMORY_IMPORT.module]: { [host.MEMORY_IMPORT.name]: new WebAssembly.Memory(memory) },
    };
    new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
  };
}

function bareDeployCall() {
  const code = conformance('delegation_v0.3', 'delegation.wasm');
  const env = { env: new Proxy({}, { get: () => () => 0 }) };
  let n = 0;
  return () => {
    const name = Buffer.from(`bench${n++}`);
    const raw = Buffer.concat([code, Uint8Array.of(0, name.length + 1, name.length), name]);
    new WebAssembly.Instance(new WebAssembly.Module(raw), env);
  };
}

const median = (samples) => [...samples].sort((a, b) => a - b)[samples.length >> 1];

/** Alternating blocks of each contender, the order reversed every round; medians of the per-call times. */
function race(contenders, batch) {
  const names = Object.keys(contenders);
  for (let i = 0; i < batch * 3; i++) for (const name of names) contenders[name]();
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  const end = Date.now() + SECONDS * 1000;
  for (let round = 0; Date.now() < end; round++)
    for (const name of round % 2 ? names : [...names].reverse()) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) contenders[name]();
      samples[name].push(Number(process.hrtime.bigint() - start) / batch);
    }
  return Object.fromEntries(names.map((name) => [name, median(samples[name])]));
}

async function main() {
  const [other, ...rows] = process.argv.slice(2);
  if (!other) throw new Error('usage: node bench/ab.js OTHER_HOST_PACKAGE_DIR [erc20|counter|store|deploy]...');
  if (!fs.existsSync(CONFORMANCE)) throw new Error(`the conformance suite (${CONFORMANCE}) is absent`);
  const hosts = { base: require(path.resolve(other, 'dist', 'index.js')), this: require('@vm/host') };
  await Promise.all(Object.values(hosts).map((host) => host.keccakReady));
  for (const row of rows.length > 0 ? rows : ['erc20', 'counter', 'store', 'deploy']) {
    let t;
    if (row === 'deploy') {
      t = race({ base: deployCall(hosts.base), this: deployCall(hosts.this), floor: bareDeployCall() }, 1);
    } else {
      const base = await vmCall(hosts.base, row);
      const mine = await vmCall(hosts.this, row);
      if (base.gas !== mine.gas) throw new Error(`${row}: gas differs (${base.gas} vs ${mine.gas})`);
      t = race({ base: base.call, this: mine.call, floor: await floorCall(row) }, row === 'store' ? 20 : 100);
    }
    const x = (name) => `${(t[name] / t.floor).toFixed(2)}x`;
    console.log(
      `${row.padEnd(8)} base ${x('base')} floor, this ${x('this')} floor; this/base ${(t.this / t.base).toFixed(3)}`,
    );
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
