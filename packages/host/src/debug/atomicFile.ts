/**
 * Writes a file so that a crash at any moment leaves the old or the new content, never a torn file: a temporary
 * file beside it, fsync, rename over the target, fsync of the directory (so the rename itself is durable).
 */
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

let sequence = 0;

export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++sequence}.tmp`);
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
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}
