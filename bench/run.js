#!/usr/bin/env node
// `npm run bench`: prints a table and writes bench/results/bench.json. Speed is compared as ratios against a
// baseline measured in the same run, never as absolute times: the machines are shared and noisy.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { codecBenchmarks } = require('./codec');
const { ipcBenchmarks } = require('./ipc');
const { hostBenchmarks } = require('./host');
const { stackBenchmarks, stackRows } = require('./stack');
const { roundTripBenchmarks, roundTripRows } = require('./roundTrips');

const us = (ns) => (ns / 1000).toFixed(2);

async function main() {
  const results = { date: new Date().toISOString(), node: process.version, codec: {}, ipc: {} };
  const rows = [];

  results.codec = codecBenchmarks();
  for (const [name, json] of Object.entries(results.codec.JSON)) {
    const binary = results.codec.binary[name];
    rows.push({
      benchmark: `JSON codec encode+decode: ${name} (${json.bytes} B)`,
      median: `${us(json.median)} µs`,
      p99: `${us(json.p99)} µs`,
      note: 'baseline',
    });
    rows.push({
      benchmark: `binary codec, the same (${binary.bytes} B)`,
      median: `${us(binary.median)} µs`,
      p99: `${us(binary.p99)} µs`,
      note: `${(binary.median / json.median).toFixed(2)}x JSON`,
    });
  }

  const ipc = await ipcBenchmarks();
  const ratio = ipc.messenger.median / ipc.raw.median;
  results.ipc = { ...ipc, ratioMedian: ratio, ratioP99: ipc.messenger.p99 / ipc.raw.p99, target: 1.5 };
  rows.push({
    benchmark: `raw length-prefixed ping-pong, 2 processes (n=${ipc.raw.n})`,
    median: `${us(ipc.raw.median)} µs`,
    p99: `${us(ipc.raw.p99)} µs`,
    note: 'baseline',
  });
  rows.push({
    benchmark: `messenger hook round trip, 2 processes (n=${ipc.messenger.n})`,
    median: `${us(ipc.messenger.median)} µs`,
    p99: `${us(ipc.messenger.p99)} µs`,
    note: `${ratio.toFixed(2)}x baseline (target <= 1.5x)`,
  });
  const polled = ipc.messengerBusyPolling;
  rows.push({
    benchmark: `the same with busy polling on both ends (n=${polled.n})`,
    median: `${us(polled.median)} µs`,
    p99: `${us(polled.p99)} µs`,
    note: `${(polled.median / ipc.raw.median).toFixed(2)}x baseline`,
  });

  const host = await hostBenchmarks();
  results.host = host;
  if (host.skipped) rows.push({ benchmark: 'host', median: '', p99: '', note: host.skipped });
  else {
    rows.push({
      benchmark: 'ERC20 transferToken in process (erc20-c.wasm)',
      median: `${us(host.erc20.median)} µs`,
      p99: `${us(host.erc20.p99)} µs`,
      note: `${Math.round(host.erc20.txPerSecond)} tx/s (target >= 20,000); recompiled ${host.erc20.recompiled}`,
    });
    rows.push({
      benchmark: 'CPU-bound loop, 1M iterations, un-metered',
      median: `${us(host.metering.unmetered.median)} µs`,
      p99: `${us(host.metering.unmetered.p99)} µs`,
      note: 'baseline',
    });
    rows.push({
      benchmark: 'CPU-bound loop, 1M iterations, metered',
      median: `${us(host.metering.metered.median)} µs`,
      p99: `${us(host.metering.metered.p99)} µs`,
      note: `${host.metering.ratio.toFixed(2)}x baseline (target <= 1.1x)`,
    });
    const stores = host.metering.withStores;
    rows.push({
      benchmark: 'the same loop with an i64.store per iteration, rewritten (metered, stores tracked) vs as is',
      median: `${us(stores.metered.median)} µs`,
      p99: `${us(stores.metered.p99)} µs`,
      note: `${stores.ratio.toFixed(2)}x as is (${us(stores.unmetered.median)} µs): the price of zeroing only what a call wrote`,
    });
    rows.push({
      benchmark: `cold deploy: validate + meter + compile + instantiate (${host.coldDeploy.bytes} B)`,
      median: `${us(host.coldDeploy.median)} µs`,
      p99: `${us(host.coldDeploy.p99)} µs`,
      note: `${host.coldDeploy.ratio.toFixed(2)}x bare Module+Instance (target <= 3x)`,
    });
    rows.push({
      benchmark: 'baseline: bare new WebAssembly.Module + Instance of the same bytes',
      median: `${us(host.coldDeploy.bare.median)} µs`,
      p99: `${us(host.coldDeploy.bare.p99)} µs`,
      note: 'baseline',
    });
    rows.push({
      benchmark: 'cached call: counter.increment',
      median: `${us(host.cachedCall.median)} µs`,
      p99: `${us(host.cachedCall.p99)} µs`,
      note: `recompiled ${host.cachedCall.recompiled}`,
    });
    const floorRows = [
      ['erc20', 'ERC20 transferToken', 2],
      ['counter', 'counter.increment', 3],
      ['storage', 'storage-heavy call: 100 storageStore', undefined],
    ];
    for (const [key, label, target] of floorRows) {
      const r = host.floor[key];
      rows.push({
        benchmark: `floor (baseline, bench/floor.js): ${label} on a bare instance, minimal JS host`,
        median: `${us(r.floor.median)} µs`,
        p99: `${us(r.floor.p99)} µs`,
        note: 'baseline',
      });
      rows.push({
        benchmark: `VMHost: ${label}, on a world as cheap as the floor's (FloorWorld), interleaved`,
        median: `${us(r.vm.median)} µs`,
        p99: `${us(r.vm.p99)} µs`,
        note: `${r.ratio.toFixed(2)}x floor${target ? ` (target <= ${target}x)` : ''}`,
      });
    }
  }

  const stack = await stackBenchmarks();
  results.stack = stack;
  stackRows(stack, rows);

  results.roundTrips = await roundTripBenchmarks();
  rows.push(...roundTripRows(results.roundTrips, us));

  console.table(rows);
  const out = path.join(__dirname, 'results', 'bench.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    JSON.stringify(results, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2),
  );
  console.log(`written ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
