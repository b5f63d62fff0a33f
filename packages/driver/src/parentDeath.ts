/**
 * The VM must never outlive its node. On Linux the kernel can signal a process when its parent dies
 * (prctl PR_SET_PDEATHSIG); util-linux's `setpriv --pdeathsig KILL CMD...` sets it and execs CMD, so no extra
 * process remains. The driver starts arwen that way when it can and says so in ARWEN_PARENT_DEATH_SIGNAL (its
 * own pid): arwen then runs no watcher thread of its own (~9.5 MiB of an idle VM). A peer that spawns arwen
 * directly sets nothing, and arwen watches its parent itself.
 *
 * The kernel's "parent" is the thread that spawned the child: only a driver on the main thread (which lives as long
 * as the process) uses it; one in a Worker leaves the watch to arwen.
 */
import { accessSync, constants } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/** The variable that tells arwen which process's death the kernel signals to it. */
export const PARENT_DEATH_SIGNAL_ENV = 'ARWEN_PARENT_DEATH_SIGNAL';

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'];

let found: string | null | undefined;

/** The setpriv executable, if this platform has one (looked up once). */
function setpriv(): string | undefined {
  if (found === undefined) {
    found = null;
    if (process.platform === 'linux' && isMainThread)
      for (const candidate of SETPRIV) {
        try {
          accessSync(candidate, constants.X_OK);
          found = candidate;
          break;
        } catch {
          // not there: the next one, or none
        }
      }
  }
  return found ?? undefined;
}

export interface Launch {
  command: string;
  args: string[];
  /** What to add to the child's environment. */
  env: NodeJS.ProcessEnv;
}

/** `command args` under a parent-death signal where the platform has one, else as it is. */
export function withParentDeathSignal([command, args]: [string, string[]]): Launch {
  const wrapper = setpriv();
  if (!wrapper) return { command, args, env: {} };
  return {
    command: wrapper,
    args: ['--pdeathsig', 'KILL', command, ...args],
    env: { [PARENT_DEATH_SIGNAL_ENV]: String(process.pid) },
  };
}
