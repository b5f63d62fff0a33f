#!/usr/bin/env node
// `node bench/debug.js` (after `npm run build`): requests/s of vm-debug's `run` of a counter's `increment` over
// HTTP, one VM per world (now) against a new VM per request (the reference's way), on 1 world and on 4 worlds
// (4 concurrent streams, one per world). Both servers run in this process and are measured in interleaved blocks;
// only the ratios mean anything on a shared machine.
'use strict';
/* global fetch -- Node's own, from 18 on */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startDebugServer } = require('../packages/host/dist');

const ALICE = 'aa'.repeat(32);
const COUNTER = fs.readFileSync(path.join(__dirname, '..', 'packages', 'host', 'examples', 'counter.wasm'));
const BLOCKS = Number(process.env.BLOCKS ?? 6);
const PER_BLOCK = Number(process.env.PER_BLOCK ?? 60);

async function post(url, route, body) {
  const response = await fetch(`${url}${route}`, { method: 'POST', body: JSON.stringify(body) });
  const answer = await response.json();
  if (response.status !== 200 || answer.data?.Output?.ReturnCode) throw new Error(JSON.stringify(answer));
  return answer.data;
}

async function world(url, World) {
  await post(url, '/account', { World, AddressHex: ALICE, Balance: '0', Nonce: 0 });
  const deployed = await post(url, '/deploy', {
    World,
    ImpersonatedHex: ALICE,
    CodeHex: COUNTER.toString('hex'),
    GasLimit: 100000,
  });
  return {
    World,
    ImpersonatedHex: ALICE,
    ContractAddressHex: deployed.ContractAddressHex,
    Function: 'increment',
    GasLimit: 100000,
  };
}

/** Requests per second of `streams` concurrent streams of `n` runs each. */
async function block(url, bodies, n) {
  const start = process.hrtime.bigint();
  await Promise.all(
    bodies.map(async (body) => {
      for (let i = 0; i < n; i++) await post(url, '/run', body);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return (bodies.length * n) / seconds;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vm-debug-bench-'));
  const servers = {
    reused: await startDebugServer({ port: 0, root }),
    perRequest: await startDebugServer({ port: 0, root, reuseVm: false }),
  };
  const results = {};
  for (const worlds of [1, 4]) {
    const bodies = {};
    for (const [name, server] of Object.entries(servers))
      bodies[name] = await Promise.all(
        Array.from({ length: worlds }, (_, i) => world(server.url, `${name}-${worlds}-${i}`)),
      );
    const samples = { reused: [], perRequest: [] };
    for (let b = 0; b < BLOCKS; b++) {
      // Interleaved, the order alternating, so drift in the machine's load hits both alike.
      const order = b % 2 === 0 ? ['perRequest', 'reused'] : ['reused', 'perRequest'];
      for (const name of order)
        samples[name].push(await block(servers[name].url, bodies[name], Math.ceil(PER_BLOCK / worlds)));
    }
    const reused = median(samples.reused);
    const perRequest = median(samples.perRequest);
    results[`${worlds} world${worlds > 1 ? 's' : ''}`] = {
      'new VM per request (req/s)': perRequest.toFixed(1),
      'one VM per world (req/s)': reused.toFixed(1),
      'ratio (one VM per world / new VM per request)': (reused / perRequest).toFixed(2),
    };
  }
  results['4 worlds vs 1 world, one VM per world'] = {
    ratio: (
      Number(results['4 worlds']['one VM per world (req/s)']) / Number(results['1 world']['one VM per world (req/s)'])
    ).toFixed(2),
  };
  for (const server of Object.values(servers)) await server.close();
  fs.rmSync(root, { recursive: true, force: true });
  console.log(JSON.stringify(results, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
