// Small statistics helpers for the benchmarks (times in nanoseconds).
'use strict';

function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: sorted.length, median: at(0.5), p99: at(0.99), min: sorted[0] };
}

/** Runs fn in batches and returns the per-call time of each batch. */
function timePerCall(fn, { batches = 30, perBatch = 1000, warmup = 2000 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const samples = [];
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < perBatch; i++) fn();
    samples.push(Number(process.hrtime.bigint() - start) / perBatch);
  }
  return summarize(samples);
}

module.exports = { summarize, timePerCall };
