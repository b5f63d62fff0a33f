import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startDebugServer, type DebugServer } from '@vm/host/debug';
import { wat } from '@vm/testkit';
import { ALICE, contractAddress, contractFolder, returnedNumber } from './helpers';

// Child processes on a loaded machine: generous deadlines, no timing assertions.
jest.setTimeout(180_000);

const BIN = path.join(__dirname, '..', '..', 'bin', 'vm-debug.js');

let dir: string;
let inProcess: DebugServer;
let processes: DebugServer;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

beforeAll(async () => {
  let counter: Uint8Array;
  let byTen: Uint8Array;
  ({ dir, counter, byTen } = await contractFolder('processes-'));
  const invalid = await wat(
    '(module (import "env" "noSuchApi" (func)) (memory (export "memory") 1) (func (export "init")))',
  );
  code = { counter: hex(counter), byTen: hex(byTen), invalid: hex(invalid) };
  inProcess = await startDebugServer({ port: 0, root: dir });
  processes = await startDebugServer({ port: 0, root: dir, processes: true });
});
afterAll(async () => {
  await inProcess?.close();
  await processes?.close();
});
let code: { counter: string; byTen: string; invalid: string };

async function post(server: DebugServer, route: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}${route}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}
async function get(server: DebugServer, route: string): Promise<unknown> {
  return (await fetch(`${server.url}${route}`)).json();
}

/** A session on `World` of `server`: every answer, in order. */
async function session(server: DebugServer, World: string): Promise<unknown[]> {
  const contract = contractAddress(ALICE, 0);
  const call = (Function: string, extra: object = {}) =>
    post(server, '/run', {
      World,
      ImpersonatedHex: ALICE,
      ContractAddressHex: contract,
      Function,
      GasLimit: 100000,
      ...extra,
    });
  const answers: unknown[] = [];
  const add = async (answer: Promise<{ status: number; body: unknown }>) => answers.push(await answer);
  await add(post(server, '/account', { World, AddressHex: ALICE, Balance: '10000000', Nonce: 0 }));
  await add(post(server, '/deploy', { World, ImpersonatedHex: ALICE, CodeHex: code.counter, GasLimit: 100000 }));
  for (let i = 0; i < 3; i++) await add(call('increment'));
  await add(call('increment', { GasPrice: 3 }));
  await add(call('nope'));
  await add(call('increment', { GasLimit: 5 })); // out of gas
  await add(post(server, '/query', { World, ImpersonatedHex: ALICE, ContractAddressHex: contract, Function: 'get' }));
  await add(
    post(server, '/upgrade', {
      World,
      ImpersonatedHex: ALICE,
      ContractAddressHex: contract,
      CodeHex: code.byTen,
      GasLimit: 100000,
    }),
  );
  await add(call('increment'));
  await add(post(server, '/deploy', { World, ImpersonatedHex: ALICE, CodeHex: code.invalid, GasLimit: 100000 }));
  answers.push(await get(server, `/worlds/${World}`));
  answers.push(await get(server, `/worlds/${World}/transactions`));
  return answers;
}

describe('[@vm/host] vm-debug --processes: through the VMDriver (an arwen child), as a node runs it', () => {
  it('gives the same answers, world and transaction log as in process', async () => {
    const [here, there] = await Promise.all([session(inProcess, 'here'), session(processes, 'there')]);
    // The world's name is the only difference.
    const renamed = JSON.parse(JSON.stringify(there).replaceAll('"there"', '"here"')) as unknown[];
    expect(renamed).toEqual(here);
    const counted = here[10] as { body: { data: { Output: { ReturnData: string[] } } } };
    expect(returnedNumber(counted.body.data.Output.ReturnData[0])).toBe(14);
    const invalid = here[11] as { body: { data: { ReturnCodeString: string; InvalidReason: string } } };
    expect(invalid.body.data.ReturnCodeString).toBe('contract invalid');
    expect(invalid.body.data.InvalidReason).toMatch(/noSuchApi/);
  });

  it('the CLI verbs take --processes', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args, '--world', 'cli', '--processes'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      });
    expect(cli('create-account', '--address', ALICE, '--balance', '0', '--nonce', '0').status).toBe(0);
    expect(cli('deploy', '--impersonated', ALICE, '--code-path', 'counter.wasm', '--gas-limit', '100000').status).toBe(
      0,
    );
    const ran = cli(
      'run',
      '--impersonated',
      ALICE,
      '--contract',
      contractAddress(ALICE, 0),
      '--function',
      'increment',
      '--gas-limit',
      '100000',
    );
    expect(ran.status).toBe(0);
    expect(ran.stderr).toMatch(/arwen started/); // the child's log lines, on stderr
    const outcome = JSON.parse(ran.stdout) as { Output: { ReturnData: string[] } };
    expect(returnedNumber(outcome.Output.ReturnData[0])).toBe(1);
  });
});
