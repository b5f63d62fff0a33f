#!/usr/bin/env node
// The step-level scenario API: steps parsed from JSON snippets, executed one by one on a live in-memory world,
// recorded, and written back as a replayable .scen.json.
// Run: node packages/host/examples/scenarioSteps.js   (after `npm run build`)
'use strict';
const { parseScenarioStep, ScenarioExecutor, ScenarioRecorder, writeScenario } = require('@vm/host/scenario');
const { wat } = require('@vm/testkit'); // compiles the WAT text below (wabt)

const ECHO = `(module
  (import "env" "getArgument" (func $arg (param i32 i32) (result i32)))
  (import "env" "finish" (func $finish (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "echo") (call $finish (i32.const 0) (call $arg (i32.const 0) (i32.const 0)))))`;

async function main() {
  const code = Buffer.from(await wat(ECHO)).toString('hex');
  const recorder = new ScenarioRecorder({ name: 'echo example' });
  const executor = new ScenarioExecutor({ recorder, out: (text) => process.stdout.write(text) });

  await executor.executeStep(
    parseScenarioStep({
      step: 'setState',
      accounts: {
        'address:owner': { nonce: '0', balance: '1,000,000' },
        'sc:echo': { balance: '0', code: `0x${code}` },
      },
    }),
  );
  const call = await executor.executeStep(
    parseScenarioStep(`{
      "step": "scCall", "txId": "echo-42",
      "tx": { "from": "address:owner", "to": "sc:echo", "value": "0", "function": "echo",
              "arguments": ["u32:42"], "gasLimit": "100,000", "gasPrice": "1" },
      "expect": { "out": ["u32:42"], "status": "0", "gas": "*", "refund": "*" }
    }`),
  );
  console.log(`echo: passed ${call.passed}, return code ${call.vmOutput.ReturnCode}`);

  const check = await executor.executeStep(
    parseScenarioStep({ step: 'checkState', accounts: { '+': '', 'address:owner': { nonce: '1', balance: '1' } } }),
  );
  console.log(`checkState: passed ${check.passed}: ${check.differences.join('; ')}`);

  await executor.executeStep(parseScenarioStep({ step: 'dumpState' }));
  process.stdout.write(writeScenario(recorder.scenario));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
