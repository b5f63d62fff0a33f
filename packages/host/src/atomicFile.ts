/**
 * Writes a file so that a crash at any moment leaves the old or the new content, never a torn file: a temporary
 * file beside it (same directory, so the rename stays on one file system), fsync, rename over the target, fsync of
 * the directory (so the rename itself is durable). One module for every tool that writes files (vm-debug's worlds
 * and outcomes, vm-fuzz's replays, vm-scenario's reports).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

let sequence = 0;

/** A temporary name beside `file`, unique in this process and across processes. */
const temporaryOf = (file: string): string =>
  path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++sequence}.tmp`);

export async function writeFileAtomic(file: string, text: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = temporaryOf(file);
  try {
    const handle = await open(tmp, 'w', 0o644);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

export function writeFileAtomicSync(file: string, text: string | Uint8Array): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = temporaryOf(file);
  try {
    const fd = openSync(tmp, 'w', 0o644);
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
