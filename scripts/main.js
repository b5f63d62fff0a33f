#!/usr/bin/env node
// The main job: the reference's conformance suite (../shared/conformance) through the VM on the embedded
// in-memory world, as the reference runs it (every folder, then erc20 again with erc20-c.wasm).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { runCli } = require('@vm/host');

const suite = path.resolve(__dirname, '..', '..', 'shared', 'conformance', 'test');

async function main() {
  if (!fs.existsSync(suite)) {
    console.log(`The conformance suite is not next to the repository (${suite}); nothing to run.`);
    return 1;
  }
  const started = Date.now();
  const all = await runCli([suite]);
  const erc20 = await runCli(['--replace', 'contracts/simple-coin.wasm=erc20/contracts/erc20-c.wasm', path.join(suite, 'erc20')]);
  console.log(`conformance: ${all === 0 && erc20 === 0 ? 'all passed' : 'FAILURES'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return all === 0 && erc20 === 0 ? 0 : 1;
}

main().then((code) => process.exit(code));
