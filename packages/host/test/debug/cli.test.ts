import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runBin, spawnBin } from '@vm/testkit/host';
import { ALICE, contractAddress, contractFolder, returnedNumber } from './helpers';

let dir: string;
beforeAll(async () => {
  ({ dir } = await contractFolder('cli-'));
});

// The built executable, as users run it.
const cli = (...args: string[]) => runBin('vm-debug', args, { cwd: dir, timeout: 120_000 });

interface Outcome {
  Output: { ReturnCode: number; ReturnData: string[] };
  ContractAddressHex?: string;
  Account?: Record<string, unknown>;
}

function outcome(...args: string[]): Outcome {
  const r = cli(...args);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Outcome;
}

describe('[@vm/host] vm-debug CLI (built executable)', () => {
  it('create-account, deploy, run three times, query: the outcome JSON on stdout', () => {
    const created = outcome('create-account', '--address', ALICE, '--balance', '1000', '--nonce', '0');
    expect(created.Account).toMatchObject({ AddressHex: ALICE, Balance: 1000 });
    const deployed = outcome('deploy', '--impersonated', ALICE, '--code-path', 'counter.wasm', '--gas-limit', '100000');
    const contract = contractAddress(ALICE, 0);
    expect(deployed.ContractAddressHex).toBe(contract);
    for (let i = 1; i <= 3; i++) {
      const ran = outcome(
        'run',
        '--impersonated',
        ALICE,
        '--contract',
        contract,
        '--function',
        'increment',
        '--gas-limit',
        '100000',
      );
      expect(returnedNumber(ran.Output.ReturnData[0])).toBe(i);
    }
    // No --gas-limit: the default (the reference's query always failed here).
    const queried = outcome(
      'query',
      '--impersonated',
      ALICE,
      '--contract',
      contract,
      '--function',
      'get',
      '--outcome',
      'got',
    );
    expect(returnedNumber(queried.Output.ReturnData[0])).toBe(3);
    expect(JSON.parse(readFileSync(path.join(dir, 'db', 'out', 'got.json'), 'utf8'))).toEqual(queried);
  });

  it('upgrade with --arguments, --world and --database', () => {
    const common = ['--world', 'up', '--database', 'updb'];
    outcome('create-account', ...common, '--address', ALICE, '--balance', '5', '--nonce', '0');
    const code = readFileSync(path.join(dir, 'counter.wasm')).toString('hex');
    outcome('deploy', ...common, '--impersonated', ALICE, '--code', code, '--gas-limit', '100000');
    const contract = contractAddress(ALICE, 0);
    const upgraded = outcome(
      'upgrade',
      ...common,
      '--impersonated',
      ALICE,
      '--contract',
      contract,
      '--code-path',
      'counter10.wasm',
      '--arguments',
      '01',
      '--arguments',
      '02',
      '--gas-limit',
      '100000',
    );
    expect(upgraded.Output.ReturnCode).toBe(0);
    const ran = outcome(
      'run',
      ...common,
      '--impersonated',
      ALICE,
      '--contract',
      contract,
      '--function',
      'increment',
      '--gas-limit',
      '1000',
    );
    expect(returnedNumber(ran.Output.ReturnData[0])).toBe(10);
    expect(readFileSync(path.join(dir, 'updb', 'worlds', 'up.json'), 'utf8')).toContain('"ID": "up"');
  });

  it('create-account --replace replaces a contract; without it the CLI refuses with exit code 1', () => {
    const common = ['--world', 'rep'];
    outcome('create-account', ...common, '--address', ALICE, '--balance', '5', '--nonce', '0');
    outcome('deploy', ...common, '--impersonated', ALICE, '--code-path', 'counter.wasm', '--gas-limit', '100000');
    const contract = contractAddress(ALICE, 0);
    const refused = cli('create-account', ...common, '--address', contract, '--balance', '1', '--nonce', '0');
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
    expect(refused.err).toBe(`vm-debug: account ${contract} is a contract; give Replace (--replace) to replace it\n`);
    const replaced = outcome(
      'create-account',
      ...common,
      '--address',
      contract,
      '--balance',
      '1',
      '--nonce',
      '0',
      '--replace',
    );
    expect(replaced.Account).toMatchObject({ CodeHex: '' });
  });

  it('a bad request exits 1 with the reason on stderr', () => {
    const r = cli('run', '--impersonated', ALICE, '--contract', ALICE, '--function', 'f');
    expect(r).toEqual({ code: 1, out: '', err: 'vm-debug: invalid gas limit\n' });
    const missing = cli('run', '--contract', ALICE, '--function', 'f');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("required option '--impersonated <hex>' not specified");
  });
});

/** Starts `vm-debug server --port 0`; resolves with the printed URL. */
function startServer(): Promise<{ child: ChildProcessWithoutNullStreams; url: string; stderr: () => string }> {
  const child = spawnBin('vm-debug', ['server', '--port', '0'], { cwd: dir });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /vm-debug listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (match) resolve({ child, url: match[1], stderr: () => err });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

async function post(url: string, route: string, body: unknown) {
  const response = await fetch(`${url}${route}`, { method: 'POST', body: JSON.stringify(body) });
  return (await response.json()) as { data: Outcome };
}

describe('[@vm/host] vm-debug server (built executable)', () => {
  it('--port 0 prints the URL; SIGTERM finishes and exits 0', async () => {
    const { child, url } = await startServer();
    const done = exited(child);
    const created = await post(url, '/account', { World: 'served', AddressHex: ALICE, Balance: '9', Nonce: 0 });
    expect(created.data.Account).toMatchObject({ Balance: 9 });
    child.kill('SIGTERM');
    expect(await done).toEqual({ code: 0, signal: null });
  });

  it('killed with SIGKILL in a stream of runs: the world file parses and holds a prefix of them', async () => {
    const { child, url } = await startServer();
    const done = exited(child);
    const World = 'killed';
    await post(url, '/account', { World, AddressHex: ALICE, Balance: '9', Nonce: 0 });
    await post(url, '/deploy', { World, ImpersonatedHex: ALICE, CodePath: 'counter.wasm', GasLimit: 100000 });
    const contract = contractAddress(ALICE, 0);
    const body = {
      World,
      ImpersonatedHex: ALICE,
      ContractAddressHex: contract,
      Function: 'increment',
      GasLimit: 100000,
    };
    let answered = 0;
    // Four streams of sequential requests; the server is killed once 20 have been answered.
    const stream = async () => {
      for (;;) {
        try {
          await post(url, '/run', body);
        } catch {
          return; // the connection died with the server
        }
        if (++answered === 20) child.kill('SIGKILL');
      }
    };
    await Promise.all([stream(), stream(), stream(), stream()]);
    expect((await done).signal).toBe('SIGKILL');
    const world = JSON.parse(readFileSync(path.join(dir, 'db', 'worlds', `${World}.json`), 'utf8')) as {
      Accounts: Record<string, { Nonce: number; Storage: Record<string, string> }>;
    };
    const counter = Number(`0x${world.Accounts[contract].Storage['636f756e746572'] ?? '0'}`);
    // Every answered request is stored; requests in flight at the kill may or may not be, each whole.
    expect(counter).toBeGreaterThanOrEqual(answered);
    expect(counter).toBeLessThanOrEqual(answered + 4);
    // The caller's nonce went up once per stored request (one deploy before them).
    expect(world.Accounts[ALICE].Nonce).toBe(counter + 1);
  });
});
