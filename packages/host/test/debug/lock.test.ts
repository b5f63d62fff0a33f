import { spawn } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDebugServer } from '@vm/host/debug';
import { ALICE, contractAddress, contractFolder, exitOf, runCli, startServerProcess } from './helpers';

// Child processes on a loaded machine: generous deadlines, no timing assertions.
jest.setTimeout(180_000);

let dir: string;
beforeAll(async () => {
  ({ dir } = await contractFolder('lock-'));
});

const contract = contractAddress(ALICE, 0);
const counterIn = (World: string) => {
  const world = JSON.parse(readFileSync(path.join(dir, 'db', 'worlds', `${World}.json`), 'utf8')) as {
    Accounts: Record<string, { Nonce: number; Storage: Record<string, string> }>;
  };
  return {
    counter: Number(`0x${world.Accounts[contract].Storage['636f756e746572'] ?? '0'}`),
    nonce: world.Accounts[ALICE].Nonce,
  };
};
const incrementArgs = (World: string) => [
  'run',
  '--world',
  World,
  '--impersonated',
  ALICE,
  '--contract',
  contract,
  '--function',
  'increment',
  '--gas-limit',
  '100000',
];

async function counterWorld(World: string) {
  expect(
    (await runCli(dir, 'create-account', '--world', World, '--address', ALICE, '--balance', '0', '--nonce', '0')).code,
  ).toBe(0);
  const deployed = await runCli(
    dir,
    'deploy',
    '--world',
    World,
    '--impersonated',
    ALICE,
    '--code-path',
    'counter.wasm',
    '--gas-limit',
    '100000',
  );
  expect(deployed.code).toBe(0);
}

describe('[@vm/host] vm-debug: one writer per world across processes (a lock file per world)', () => {
  it('a server and CLI processes on one world: no update is lost', async () => {
    const World = 'shared';
    await counterWorld(World);
    const { child, url } = await startServerProcess(dir);
    const body = JSON.stringify({
      World,
      ImpersonatedHex: ALICE,
      ContractAddressHex: contract,
      Function: 'increment',
      GasLimit: 100000,
    });
    const http = async () => {
      for (let i = 0; i < 10; i++) {
        const response = await fetch(`${url}/run`, { method: 'POST', body });
        expect(response.status).toBe(200);
      }
    };
    const cli = async () => {
      for (let i = 0; i < 3; i++) expect((await runCli(dir, ...incrementArgs(World))).code).toBe(0);
    };
    await Promise.all([http(), http(), cli(), cli()]);
    expect(counterIn(World)).toEqual({ counter: 26, nonce: 27 });
    expect(existsSync(path.join(dir, 'db', 'worlds', `${World}.lock`))).toBe(false);
    const done = exitOf(child);
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  });

  it('an empty lock file left long ago (its owner died before writing it) is broken', async () => {
    const World = 'empty-lock';
    await counterWorld(World);
    const lockFile = path.join(dir, 'db', 'worlds', `${World}.lock`);
    writeFileSync(lockFile, '');
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(lockFile, longAgo, longAgo);
    expect((await runCli(dir, ...incrementArgs(World))).code).toBe(0);
    expect(counterIn(World).counter).toBe(1);
    expect(existsSync(lockFile)).toBe(false);
  });

  it("waits while a live process holds the lock, goes on once it is gone; a dead owner's lock is broken", async () => {
    const World = 'held';
    await counterWorld(World);
    const lockFile = path.join(dir, 'db', 'worlds', `${World}.lock`);
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    writeFileSync(lockFile, JSON.stringify({ pid: holder.pid, host: hostname() }));
    const server = await startDebugServer({ port: 0, root: dir });
    try {
      let answered = false;
      const request = fetch(`${server.url}/run`, {
        method: 'POST',
        body: JSON.stringify({
          World,
          ImpersonatedHex: ALICE,
          ContractAddressHex: contract,
          Function: 'increment',
          GasLimit: 100000,
        }),
      }).then((r) => {
        answered = true;
        return r.status;
      });
      await sleep(500);
      expect(answered).toBe(false); // the holder is alive: the request cannot have run
      expect(counterIn(World).counter).toBe(0);
      const gone = exitOf(holder);
      holder.kill('SIGKILL'); // dies holding the lock: a stale lock, broken by the waiting request
      await gone;
      expect(await request).toBe(200);
      expect(counterIn(World).counter).toBe(1);
      expect(existsSync(lockFile)).toBe(false);
    } finally {
      holder.kill('SIGKILL');
      await server.close();
    }
  });
});
