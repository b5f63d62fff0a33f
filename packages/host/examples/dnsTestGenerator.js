#!/usr/bin/env node
// Re-creates the reference's DNS test generator (cmd/testgen/dns): one setState with the DNS owner and 256
// newAddresses (one DNS contract per shard), then 256 deploys of dns.wasm, built from JSON snippets with the step
// API and printed with the scenario writer. Its output is the suite's dns/dns_init.steps.json, byte for byte.
// Run: node packages/host/examples/dnsTestGenerator.js [PATH/TO/dns.wasm] [--execute]   (after `npm run build`)
// --execute also runs every step on an in-memory world (stderr says how many deploys passed).
'use strict';
const path = require('node:path');
const { parseScenarioStep, ScenarioExecutor, ScenarioRecorder, writeScenario } = require('@vm/host/scenario');

const args = process.argv.slice(2);
const execute = args.includes('--execute');
const dnsWasm = path.resolve(
  args.find((a) => !a.startsWith('--')) ?? path.join(__dirname, '../../../../shared/conformance/test/dns/dns.wasm'),
);
// The steps say `file:dns.wasm`, as the committed file does; the bytes come from wherever dns.wasm really is.
const parseOptions = { replacements: new Map([['dns.wasm', dnsWasm]]) };
const hex2 = (n) => `0x${n.toString(16).padStart(2, '0')}`;
const SHARDS = 256;

async function main() {
  // The reference builds its scenario as a Go struct, whose CheckGas is false: the writer says so.
  const recorder = new ScenarioRecorder({ name: 'dns test', checkGas: false });
  const executor = execute ? new ScenarioExecutor({ recorder }) : undefined;
  const add = async (snippet) => {
    const step = parseScenarioStep(snippet, parseOptions);
    if (!executor) return recorder.record(step);
    const result = await executor.executeStep(step);
    if (!result.passed) throw new Error(`${step.txId ?? step.kind}: ${result.differences.join('; ')}`);
  };

  const newAddresses = [];
  for (let shard = 0; shard < SHARDS; shard++)
    newAddresses.push(`{
      "creatorAddress": "''dns_owner_______________________",
      "creatorNonce": "${hex2(shard)}",
      "newAddress": "''dns____________________________|${hex2(shard)}"
    }`);
  await add(`{
    "step": "setState",
    "accounts": {
      "''dns_owner_______________________": { "nonce": "0", "balance": "0", "storage": {}, "code": "" }
    },
    "newAddresses": [ ${newAddresses.join(',')} ]
  }`);

  for (let shard = 0; shard < SHARDS; shard++)
    await add(`{
      "step": "scDeploy",
      "txId": "deploy-${hex2(shard)}",
      "tx": {
        "from": "''dns_owner_______________________",
        "value": "0",
        "contractCode": "file:dns.wasm",
        "arguments": [ "123,000" ],
        "gasLimit": "100,000",
        "gasPrice": "0"
      },
      "expect": { "out": [], "status": "", "logs": [], "gas": "*", "refund": "*" }
    }`);

  process.stdout.write(writeScenario(recorder.scenario));
  if (executor) process.stderr.write(`executed: ${SHARDS} deploys passed, ${executor.world.accounts.size} accounts\n`);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
