#!/usr/bin/env node
// `npm run bench`: prints a table and writes bench/results/bench.json. Speed is compared as ratios against a
// baseline measured in the same run, never as absolute times: the machines are shared and noisy.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { codecBenchmarks } = require('./codec');
const { ipcBenchmarks } = require('./ipc');

const us = (ns) => (ns / 1000).toFixed(2);

async function main() {
  const results = { date: new Date().toISOString(), node: process.version, codec: {}, ipc: {} };
  const rows = [];

  results.codec = codecBenchmarks();
  for (const [name, r] of Object.entries(results.codec)) {
    rows.push({ benchmark: `codec encode+decode: ${name} (${r.bytes} B)`, median: `${us(r.median)} µs`, p99: `${us(r.p99)} µs`, note: '' });
  }

  const ipc = await ipcBenchmarks();
  const ratio = ipc.messenger.median / ipc.raw.median;
  results.ipc = { ...ipc, ratioMedian: ratio, ratioP99: ipc.messenger.p99 / ipc.raw.p99, target: 1.5 };
  rows.push({ benchmark: `raw length-prefixed ping-pong, 2 processes (n=${ipc.raw.n})`, median: `${us(ipc.raw.median)} µs`, p99: `${us(ipc.raw.p99)} µs`, note: 'baseline' });
  rows.push({
    benchmark: `messenger hook round trip, 2 processes (n=${ipc.messenger.n})`,
    median: `${us(ipc.messenger.median)} µs`,
    p99: `${us(ipc.messenger.p99)} µs`,
    note: `${ratio.toFixed(2)}x baseline (target <= 1.5x)`,
  });

  console.table(rows);
  const out = path.join(__dirname, 'results', 'bench.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`written ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
