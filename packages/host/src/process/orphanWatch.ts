/**
 * An orphaned VM exits at once (ours). The VM's main thread is often busy (running a contract) or asleep in a
 * blocking read or a DiagnoseWait, so it cannot notice its node's death itself.
 *
 * When the driver started it under a parent-death signal (Linux: `setpriv --pdeathsig KILL`, then
 * ARWEN_PARENT_DEATH_SIGNAL names the driver's pid) and that driver is still its parent, the kernel kills the
 * process when the node dies: nothing more is needed. Otherwise (a peer that spawns arwen directly, another
 * platform) a small worker thread checks the parent pid every `intervalMs` and, when the node is gone (the process
 * was re-parented), kills the process. The worker wakes a few times a second and does nothing else, but costs
 * ~9.5 MiB of resident memory: loaded only when needed.
 */
import type { Worker } from 'node:worker_threads';

export const ORPHAN_CHECK_INTERVAL_MS = 50;

/** Set by the driver (see @vm/driver parentDeath.ts): the pid whose death the kernel signals to this process. */
export const PARENT_DEATH_SIGNAL_ENV = 'ARWEN_PARENT_DEATH_SIGNAL';

const WATCHER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
setInterval(() => {
  if (process.ppid === workerData.ppid) return;
  try { writeSync(2, 'the node is gone (parent ' + workerData.ppid + '); arwen exits\\n'); } catch {}
  process.kill(process.pid, 'SIGKILL');
}, workerData.intervalMs);
`;

/** Whether the kernel ends this process with its parent (a driver said so, and it is still the parent). */
export function killedWithParent(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[PARENT_DEATH_SIGNAL_ENV] !== undefined && env[PARENT_DEATH_SIGNAL_ENV] === String(process.ppid);
}

/**
 * Makes sure the process ends when its parent dies: nothing to do under a parent-death signal (undefined), else
 * starts the watcher for the current parent; it never keeps the process alive.
 */
export function watchParent(intervalMs: number = ORPHAN_CHECK_INTERVAL_MS): Worker | undefined {
  if (killedWithParent()) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  const worker = new Worker(WATCHER, {
    eval: true,
    workerData: { ppid: process.ppid, intervalMs },
  });
  // a watcher that fails leaves the VM running without it (the node still ends it through its pipes)
  worker.on('error', (error) => process.stderr.write(`arwen: the orphan watcher stopped: ${error.message}\n`));
  worker.unref();
  return worker;
}
