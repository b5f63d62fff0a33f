/**
 * An orphaned VM exits at once (ours). The VM's main thread is often busy (running a contract) or asleep in a
 * blocking read or a DiagnoseWait, so it cannot notice its node's death itself; a small worker thread checks the
 * parent pid every `intervalMs` and, when the node is gone (the process was re-parented), kills the process.
 * The worker wakes a few times a second and does nothing else.
 */
import { Worker } from 'node:worker_threads';

export const ORPHAN_CHECK_INTERVAL_MS = 50;

const WATCHER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
setInterval(() => {
  if (process.ppid === workerData.ppid) return;
  try { writeSync(2, 'the node is gone (parent ' + workerData.ppid + '); arwen exits\\n'); } catch {}
  process.kill(process.pid, 'SIGKILL');
}, workerData.intervalMs);
`;

/** Starts the watcher for the current parent; it never keeps the process alive. */
export function watchParent(intervalMs: number = ORPHAN_CHECK_INTERVAL_MS): Worker {
  const worker = new Worker(WATCHER, {
    eval: true,
    workerData: { ppid: process.ppid, intervalMs },
    // the watcher allocates next to nothing: small heaps keep an idle VM process ~6 MiB smaller
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 2, codeRangeSizeMb: 1, stackSizeMb: 1 },
  });
  worker.unref();
  return worker;
}
