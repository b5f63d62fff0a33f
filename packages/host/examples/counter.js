#!/usr/bin/env node
// Deploys the counter contract (counter.wat, compiled to counter.wasm) into an in-memory world and calls it, with the
// VM's own API (the test API of adder.test.js does the bookkeeping below for you). Run: node examples/counter.js
'use strict';
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { VMHost, MemoryWorld, referenceTestGasSchedule } = require('@vm/host');

async function main() {
  const world = new MemoryWorld(); // the embedded in-memory blockchain
  // The reference's test schedule (every cost 1); a node passes its own, e.g. loadGasSchedule('gasSchedule.toml').
  const vm = new VMHost({ blockchainHook: world, gasSchedule: referenceTestGasSchedule() });
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

  const code = readFileSync(path.join(__dirname, 'counter.wasm'));
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
