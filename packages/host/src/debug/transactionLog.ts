/**
 * A world's transaction log, `<db>/worlds/<World>.transactions.jsonl`: one JSON record per executed request, appended
 * (and fsynced) before the world file is replaced. The world file's TransactionCount says which records count: a
 * record past it (written just before a crash, or undone by a revert) is ignored, and a later record with the same
 * id wins. Appending keeps a request's cost independent of the log's length.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import type { TransactionRecord } from './debugWorld';

export const logFileOf = (worldFile: string): string => worldFile.replace(/\.json$/, '.transactions.jsonl');

export async function appendTransaction(worldFile: string, record: TransactionRecord): Promise<void> {
  const handle = await open(logFileOf(worldFile), 'a', 0o644);
  try {
    await handle.writeFile(`${JSON.stringify(record)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The records 1..count, oldest first. */
export async function readTransactions(worldFile: string, count: number): Promise<TransactionRecord[]> {
  let text: string;
  try {
    text = await readFile(logFileOf(worldFile), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const byId = new Map<number, TransactionRecord>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    let record: TransactionRecord;
    try {
      record = JSON.parse(line) as TransactionRecord;
    } catch {
      continue; // a line torn by a crash: its request was never stored in the world
    }
    if (Number.isInteger(record.ID) && record.ID >= 1 && record.ID <= count) byId.set(record.ID, record);
  }
  return [...byId.values()].sort((a, b) => a.ID - b.ID);
}

export async function deleteTransactions(worldFile: string): Promise<void> {
  await unlink(logFileOf(worldFile)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
