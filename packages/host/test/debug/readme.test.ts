import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEBUG_BIN, tempDir } from './helpers';

// Child processes on a loaded machine: generous deadlines, no timing assertions.
jest.setTimeout(300_000);

const HOST = path.join(__dirname, '..', '..');
const SCENARIO_BIN = path.join(HOST, 'bin', 'vm-scenario.js');

/** The README's vm-debug walk-through: the first sh block of its `vm-debug` section. */
function walkThrough(): string {
  const readme = readFileSync(path.join(HOST, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## `vm-debug`: a local debug node'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README: no sh block in the vm-debug section');
  return block[1];
}

describe("[@vm/host] vm-debug: the README's walk-through", () => {
  it('runs as written from a repository root: counter 4, a scenario that replays, snapshot and revert', async () => {
    // A repository root as a fresh clone has it (the example contract), and `npx` resolving the package's bins.
    const root = tempDir('readme-');
    mkdirSync(path.join(root, 'packages', 'host', 'examples'), { recursive: true });
    copyFileSync(
      path.join(HOST, 'examples', 'counter.wasm'),
      path.join(root, 'packages', 'host', 'examples', 'counter.wasm'),
    );
    const bin = path.join(root, '.bin');
    mkdirSync(bin);
    writeFileSync(
      path.join(bin, 'npx'),
      `#!/bin/sh\ncase "$1" in\n  vm-debug) shift; exec "${process.execPath}" "${DEBUG_BIN}" "$@";;\n` +
        `  vm-scenario) shift; exec "${process.execPath}" "${SCENARIO_BIN}" "$@";;\nesac\necho "npx $1: not in the walk-through" >&2; exit 127\n`,
    );
    chmodSync(path.join(bin, 'npx'), 0o755);
    const script = `set -e\n${walkThrough()}wait $SERVER\n`;
    const child = spawn('bash', ['-c', script], {
      cwd: root,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    // On stderr only the server's request lines (each answered 200) and its shutdown.
    const logLines = err.trimEnd().split('\n');
    expect(logLines.filter((l) => !/^(GET|POST) \S+ 200$/.test(l))).toEqual([
      'vm-debug: SIGTERM, finishing the requests in flight',
    ]);

    // The three runs return 2, 3, 4 (init stored 1); the query of get 4.
    const returned = [...out.matchAll(/"ReturnData": \[\s*"([^"]*)"/g)].map((m) => Buffer.from(m[1], 'base64')[0]);
    expect(returned).toEqual([2, 3, 4, 4]);
    expect(out).toMatch(/1 passed, 0 failed/);
    // The server part: the account read, the snapshot, a run giving 5, then reverted.
    expect(out).toContain('"KeyText":"counter"');
    expect(out).toContain('{"data":{"SnapshotID":"1"}');
    expect(out).toContain('"ReturnData":["BQ=="]');
    const world = JSON.parse(readFileSync(path.join(root, 'db', 'worlds', 'default.json'), 'utf8')) as {
      Accounts: Record<string, { Storage: Record<string, string> }>;
    };
    const contract = `636f6e747261637430${'aa'.repeat(23)}`;
    expect(world.Accounts[contract].Storage['636f756e746572']).toBe('04');
  });
});
