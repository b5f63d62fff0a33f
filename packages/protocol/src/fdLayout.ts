/**
 * The VM process's file descriptors (reference cmd/arwen/main.go): one table for the `arwen` process, the driver
 * that spawns it, the tests, the examples and the benchmarks. fd 0 is not used (the node passes /dev/null).
 */
import type { Readable, Writable } from 'node:stream';

export const VM_FD = Object.freeze({
  stdout: 1,
  stderr: 2,
  /** node -> VM: exactly one Initialize frame, always JSON. */
  init: 3,
  /** node -> VM: requests, Stop, hook answers. */
  nodeToArwen: 4,
  /** VM -> node: hook calls, contract responses. */
  arwenToNode: 5,
  /** node -> VM: log-level profiles (4-byte length, JSON). */
  logProfile: 6,
  /** VM -> node: log lines (4-byte length, JSON). */
  logLines: 7,
});

export type VMFdName = keyof typeof VM_FD;
export type VMStdioMode = 'pipe' | 'ignore' | 'inherit';

/**
 * The `stdio` option of `child_process.spawn` for a VM process: every fd of VM_FD a pipe unless `modes` says
 * otherwise (fd 0 is always ignored).
 */
export function vmSpawnStdio(modes: Partial<Record<VMFdName, VMStdioMode>> = {}): VMStdioMode[] {
  const stdio: VMStdioMode[] = ['ignore'];
  for (const [name, fd] of Object.entries(VM_FD)) stdio[fd] = modes[name as VMFdName] ?? 'pipe';
  return stdio;
}

/** The node's ends of a spawned VM process's pipes, by name (null where the fd was not a pipe). */
export interface VMPipes {
  stdout: Readable;
  stderr: Readable;
  init: Writable;
  nodeToArwen: Writable;
  arwenToNode: Readable;
  logProfile: Writable;
  logLines: Readable;
}

export function vmPipes(child: { readonly stdio: ReadonlyArray<unknown> }): VMPipes {
  const at = <T>(fd: number) => child.stdio[fd] as T;
  return {
    stdout: at(VM_FD.stdout),
    stderr: at(VM_FD.stderr),
    init: at(VM_FD.init),
    nodeToArwen: at(VM_FD.nodeToArwen),
    arwenToNode: at(VM_FD.arwenToNode),
    logProfile: at(VM_FD.logProfile),
    logLines: at(VM_FD.logLines),
  };
}
