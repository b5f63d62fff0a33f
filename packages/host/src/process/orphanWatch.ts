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
  });
  // a watcher that fails leaves the VM running without it (the node still ends it through its pipes)
  worker.on('error', (error) => process.stderr.write(`arwen: the orphan watcher stopped: ${error.message}\n`));
  worker.unref();
  return worker;
}
