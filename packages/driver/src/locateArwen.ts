/**
 * Finding the `arwen` executable, by path only (the driver never loads VM code): an explicit option, else
 * `./arwen` in the working directory, else the file named by ARWEN_PATH, else the `arwen` bin of an installed
 * @vm/host. An explicit setting (the option or ARWEN_PATH) that names no file is an error. A clear error names
 * everything that was tried and says how to fix it.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { VMError, ErrorCode } from '@vm/protocol';

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false; // ENOENT, EACCES, ...: not usable (the reference crashed on anything but ENOENT)
  }
}

export function locateArwen(explicit?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const tried: string[] = [];
  const candidates: [string, string | undefined][] = [
    ['option', explicit],
    ['working directory', path.join(cwd, 'arwen')],
    ['ARWEN_PATH', env.ARWEN_PATH],
    ['installed @vm/host', installedHostBin()],
  ];
  for (const [source, candidate] of candidates) {
    if (!candidate) continue;
    if (isFile(candidate)) return path.resolve(candidate);
    tried.push(`${source}: ${candidate}`);
    // an explicit setting (the option, ARWEN_PATH) that does not exist is an error, never replaced by another
    if (source === 'option' || source === 'ARWEN_PATH') break;
  }
  throw new VMError(ErrorCode.ArwenNotFound, `tried ${tried.join('; ') || 'nothing'}. ${HOW_TO_FIX}`);
}

const HOW_TO_FIX =
  'Install @vm/host beside @vm/driver (npm install @vm/host), or point the arwenPath option or ARWEN_PATH at an ' +
  'arwen executable (for example node_modules/@vm/host/bin/arwen.js)';

function installedHostBin(): string | undefined {
  try {
    return path.join(path.dirname(require.resolve('@vm/host/package.json')), 'bin', 'arwen.js');
  } catch {
    return undefined;
  }
}

/**
 * How to start the executable: a `.js` file runs on this process's Node.js, with the Node options its `#!` line
 * names (e.g. `#!/usr/bin/env -S node --single-threaded`); anything else is executed as it is.
 */
export function arwenCommand(file: string): [command: string, args: string[]] {
  if (!file.endsWith('.js')) return [file, []];
  return [process.execPath, [...shebangNodeOptions(file), file]];
}

function shebangNodeOptions(file: string): string[] {
  const head = Buffer.alloc(256);
  let length: number;
  try {
    const fd = openSync(file, 'r');
    try {
      length = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return []; // unreadable: spawning it reports the problem
  }
  const line = head.subarray(0, length).toString('utf8').split('\n')[0];
  const match = /^#!.*?\bnode(?:\s+(.*))?$/.exec(line.trim());
  return (match?.[1] ?? '').split(/\s+/).filter((word) => word.startsWith('--'));
}
