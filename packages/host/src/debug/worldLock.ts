/**
 * A lock file per world, so that processes (a server and CLI verbs, or two servers) on one database take turns:
 * `<db>/worlds/<World>.lock`, created with O_EXCL (exactly one creator wins), holding the owner's pid and host.
 * A lock whose owner is gone (a `kill -9`, a crash) is stale and broken: its pid is no longer alive on this host,
 * or it was left empty (its owner died between creating and writing it) for over a few seconds. Within a process
 * the facade's queue already serialises requests; this lock is taken inside it.
 */
import { hostname } from 'node:os';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a request waits for a world another live process holds. */
export const LOCK_WAIT_MS = 120_000;
/** An empty lock file older than this is stale (its owner died before writing into it). */
const EMPTY_STALE_MS = 5_000;

export class WorldLockedError extends Error {
  override name = 'WorldLockedError';
}

interface Owner {
  pid: number;
  host: string;
}

export async function withWorldLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  await acquire(lockFile);
  try {
    return await work();
  } finally {
    await unlink(lockFile).catch(() => undefined);
  }
}

async function acquire(lockFile: string): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    if (await tryCreate(lockFile)) return;
    if (await isStale(lockFile)) await breakStale(lockFile);
    else if (Date.now() > deadline) {
      const owner = await readOwner(lockFile);
      throw new WorldLockedError(
        `world locked by ${owner ? `process ${owner.pid} on ${owner.host}` : 'another process'} (${lockFile})`,
      );
    }
    await sleep(delay);
  }
}

async function tryCreate(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx', 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'ENOENT') throw error;
    await mkdir(path.dirname(file), { recursive: true }); // a world's first request: no folder yet
    return tryCreate(file);
  }
  try {
    await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname() } satisfies Owner));
  } finally {
    await handle.close();
  }
  return true;
}

async function readOwner(file: string): Promise<Owner | undefined> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? (owner as Owner) : undefined;
  } catch {
    return undefined;
  }
}

async function isStale(file: string): Promise<boolean> {
  const owner = await readOwner(file);
  if (owner) return owner.host === hostname() && !alive(owner.pid);
  // Unreadable: just created (its owner about to write it), or left empty by an owner that died.
  const info = await stat(file).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > EMPTY_STALE_MS;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/**
 * Removes a stale lock. Breakers take turns on `<lock>.break` (same rules), and look again inside it: two waiters
 * that both saw the stale lock must not remove the fresh lock the first one then created.
 */
async function breakStale(lockFile: string): Promise<void> {
  const breaker = `${lockFile}.break`;
  if (!(await tryCreate(breaker))) {
    const owner = await readOwner(breaker);
    if (owner && owner.host === hostname() && !alive(owner.pid)) await unlink(breaker).catch(() => undefined);
    return;
  }
  try {
    if (await isStale(lockFile)) await unlink(lockFile).catch(() => undefined);
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}
