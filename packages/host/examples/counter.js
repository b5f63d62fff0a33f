#!/usr/bin/env node
// Deploys a tiny counter contract (WAT compiled with wabt) into an in-memory hook and calls it, in process.
// Run: node packages/host/examples/counter.js   (after `npm run build`)
'use strict';
const { VMHost, MemoryWorld, createGasSchedule, GAS_SECTION_KEYS } = require('@vm/host');
const { wat } = require('@vm/testkit'); // compiles the WAT text below (wabt)

const COUNTER = `(module
  (import "env" "int64storageLoad" (func $load (param i32 i32) (result i64)))
  (import "env" "int64storageStore" (func $store (param i32 i32 i64) (result i32)))
  (import "env" "int64finish" (func $finish (param i64)))
  (memory (export "memory") 1)
  (data (i32.const 0) "counter")
  (func (export "init") (drop (call $store (i32.const 0) (i32.const 7) (i64.const 1))))
  (func (export "increment") (local $n i64)
    (local.set $n (i64.add (call $load (i32.const 0) (i32.const 7)) (i64.const 1)))
    (drop (call $store (i32.const 0) (i32.const 7) (local.get $n)))
    (call $finish (local.get $n))))`;

async function main() {
  // Every cost 1: the reference's test schedule (a real node passes its own).
  const costs = Object.fromEntries(
    Object.entries(GAS_SECTION_KEYS).map(([section, keys]) => [section, Object.fromEntries(keys.map((k) => [k, 1n]))]),
  );
  const world = new MemoryWorld(); // the embedded in-memory blockchain
  const vm = new VMHost({ blockchainHook: world, gasSchedule: createGasSchedule(costs) });
  const owner = Buffer.alloc(32, 1);
  world.accountOrNew(owner).balance = 1000n;
  const input = {
    CallerAddr: owner,
    Arguments: [],
    CallValue: 0n,
    CallType: 0,
    GasPrice: 1n,
    GasProvided: 100000n,
    OriginalTxHash: null,
    CurrentTxHash: null,
  };

  const code = await wat(COUNTER);
  const deployed = vm.runSmartContractCreate({
    ...input,
    ContractCode: code,
    ContractCodeMetadata: Uint8Array.of(1, 0),
  });
  const address = deployed.OutputAccounts.find((a) => a.Code).Address;
  console.log(
    `deployed at ${Buffer.from(address).toString('hex')}: return code ${deployed.ReturnCode}, gas left ${deployed.GasRemaining}`,
  );

  // Apply the deploy's output to the world, as a node would.
  world.applyOutput(deployed, owner);

  const called = vm.runSmartContractCall({ ...input, RecipientAddr: address, Function: 'increment' });
  console.log(
    `increment: return code ${called.ReturnCode}, counter ${Buffer.from(called.ReturnData[0]).readUIntBE(0, called.ReturnData[0].length)}, gas left ${called.GasRemaining}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
