import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from '../src/atomicFile';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'atomic-file-'));

describe.each([
  ['async', (file: string, text: string) => writeFileAtomic(file, text)],
  ['sync', async (file: string, text: string) => writeFileAtomicSync(file, text)],
])('[@vm/host] atomicFile (%s)', (_name, write) => {
  it('replaces the content, creates the folder, leaves no temporary file', async () => {
    const dir = fresh();
    const file = path.join(dir, 'deep', 'world.json');
    await write(file, 'first');
    await write(file, 'second');
    expect(readFileSync(file, 'utf8')).toBe('second');
    expect(readdirSync(path.dirname(file))).toEqual(['world.json']);
  });

  it('a failed rename leaves the target as it was and removes the temporary file', async () => {
    const dir = fresh();
    const target = path.join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(path.join(target, 'inside'), 'kept');
    await expect(write(target, 'new')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(path.join(target, 'inside'), 'utf8')).toBe('kept');
  });
});
