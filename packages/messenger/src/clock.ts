/**
 * Milliseconds of monotonic time, from `process.hrtime`: `performance.now()` would load Node's perf_hooks, which
 * adds ~0.9 MiB to every VM process that otherwise never needs it.
 */
export function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
