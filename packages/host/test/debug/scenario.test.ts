import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startDebugServer, type DebugServer } from '@vm/host/debug';
import { wat } from '@vm/testkit';
import { ALICE, BOB, contractFolder, returnedNumber } from './helpers';

// Child processes on a loaded machine: generous deadlines, no timing assertions.
jest.setTimeout(180_000);

// The built executables, as users run them.
const DEBUG_BIN = path.join(__dirname, '..', '..', 'bin', 'vm-debug.js');
const SCENARIO_BIN = path.join(__dirname, '..', '..', 'bin', 'vm-scenario.js');

let server: DebugServer;
let dir: string;
let counter: Uint8Array;
let byTen: Uint8Array;

beforeAll(async () => {
  ({ dir, counter, byTen } = await contractFolder('scenario-'));
  server = await startDebugServer({ port: 0, root: dir });
});
afterAll(() => server.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answers are read field by field
type Loose = any;

async function call(method: string, route: string, body?: unknown) {
  const response = await fetch(`${server.url}${route}`, {
    method,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as { data: Loose; errorMessage: string | null } };
}
const data = async (method: string, route: string, body?: unknown) => {
  const r = await call(method, route, body);
  expect(r.body.errorMessage).toBeNull();
  expect(r.status).toBe(200);
  return r.body.data;
};
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** vm-scenario on a file: its exit code and output. */
function replay(file: string) {
  const r = spawnSync(process.execPath, [SCENARIO_BIN, file], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The tx steps of a scenario text: kind, txId and expected outputs. */
function txSteps(text: string): { step: string; txId: string; expect: { out: string[]; status: string } }[] {
  const scenario = JSON.parse(text) as { steps: { step: string; txId: string; expect: Loose }[] };
  return scenario.steps.filter((s) => s.step === 'scDeploy' || s.step === 'scCall');
}

describe('[@vm/host] vm-debug: a world exported as a scenario', () => {
  it('a session (accounts, block, fees, a failure, a call without code, an upgrade) replays under vm-scenario', async () => {
    const World = 'session';
    const run = (caller: string, contract: string, Function: string, extra: object = {}) =>
      data('POST', '/run', {
        World,
        ImpersonatedHex: caller,
        ContractAddressHex: contract,
        Function,
        GasLimit: 100000,
        ...extra,
      });
    await data('POST', '/account', { World, AddressHex: ALICE, Balance: '1000000000', Nonce: 0 });
    const deployed = await data('POST', '/deploy', {
      World,
      ImpersonatedHex: ALICE,
      CodeHex: hex(counter),
      GasLimit: 100000,
    });
    const contract = deployed.ContractAddressHex;
    await run(ALICE, contract, 'increment');
    await data('POST', `/worlds/${World}/block`, { Timestamp: 500, Nonce: 7 });
    await data('POST', '/account', { World, AddressHex: BOB, Balance: '1000000', Nonce: 3 });
    await run(BOB, contract, 'increment', { GasPrice: 1 }); // bob pays a fee
    expect((await run(ALICE, contract, 'nope')).ReturnCodeString).toBe('function not found');
    await run(ALICE, BOB, 'increment'); // bob has no code: nothing a scenario runner replays
    await data('POST', '/upgrade', {
      World,
      ImpersonatedHex: ALICE,
      ContractAddressHex: contract,
      CodeHex: hex(byTen),
      GasLimit: 100000,
    });
    expect(returnedNumber((await run(ALICE, contract, 'increment')).Output.ReturnData[0])).toBe(12);

    const exported = await data('GET', `/worlds/${World}/scenario`);
    expect(exported.Notes).toEqual(['transaction 5 left out: its recipient had no code']);
    const steps = txSteps(exported.Scenario);
    expect(steps.map((s) => [s.step, s.txId])).toEqual([
      ['scDeploy', '1'],
      ['scCall', '2'],
      ['scCall', '3'],
      ['scCall', '4'],
      ['scCall', '6'],
      ['scCall', '7'],
    ]);
    // The expectations are the logged results.
    const { Transactions } = await data('GET', `/worlds/${World}/transactions`);
    for (const step of steps) {
      const logged = Transactions.find((t: { ID: number }) => String(t.ID) === step.txId).Output;
      expect(step.expect.out ?? []).toEqual((logged.ReturnData ?? []).map((d: string) => `0x${d}`));
      expect(step.expect.status).toBe(String(logged.ReturnCode));
    }
    const text = JSON.parse(exported.Scenario) as { steps: { step: string; currentBlockInfo?: unknown }[] };
    expect(text.steps.map((s) => s.step)).toEqual([
      'setState',
      'scDeploy',
      'scCall',
      'setState', // the block set and bob created: the state before transaction 3
      'scCall',
      'scCall',
      'setState', // after the call vm-scenario cannot replay
      'scCall',
      'scCall',
      'checkState',
    ]);
    expect(text.steps[3].currentBlockInfo).toEqual({
      blockTimestamp: '500',
      blockNonce: '7',
      blockRound: '0',
      blockEpoch: '0',
    });

    // The same through the CLI verb (the built executable), then replayed by vm-scenario (the built executable).
    const cli = spawnSync(
      process.execPath,
      [DEBUG_BIN, 'export-scenario', '--world', World, '--output', 'session.scen.json'],
      { cwd: dir, encoding: 'utf8', timeout: 120_000 },
    );
    expect(cli.stderr).toBe('vm-debug: transaction 5 left out: its recipient had no code\n');
    expect(cli.status).toBe(0);
    expect(readFileSync(path.join(dir, 'session.scen.json'), 'utf8')).toBe(exported.Scenario);
    const replayed = replay('session.scen.json');
    expect(replayed.err).toBe('');
    expect(replayed.out).toMatch(/1 passed, 0 failed/);
    expect(replayed.code).toBe(0);

    // A changed expectation fails: the replay really compares (the counter in the closing checkState).
    const changed = exported.Scenario.replace('"0x636f756e746572": "0x0c"', '"0x636f756e746572": "0x0d"');
    expect(changed).not.toBe(exported.Scenario);
    writeFileSync(path.join(dir, 'changed.scen.json'), changed);
    expect(replay('changed.scen.json').code).toBe(1);
  });

  it('after a revert only the transactions kept are exported; a change after them drops the closing check', async () => {
    const World = 'reverted';
    await data('POST', '/account', { World, AddressHex: ALICE, Balance: '100', Nonce: 0 });
    const { ContractAddressHex } = await data('POST', '/deploy', {
      World,
      ImpersonatedHex: ALICE,
      CodeHex: hex(counter),
      GasLimit: 100000,
    });
    const increment = () =>
      data('POST', '/run', {
        World,
        ImpersonatedHex: ALICE,
        ContractAddressHex,
        Function: 'increment',
        GasLimit: 100000,
      });
    await increment();
    const { SnapshotID } = await data('POST', `/worlds/${World}/snapshot`);
    await increment();
    await data('POST', `/worlds/${World}/revert/${SnapshotID}`);
    await increment();
    const exported = await data('GET', `/worlds/${World}/scenario`);
    expect(txSteps(exported.Scenario).map((s) => [s.txId, s.expect.out])).toEqual([
      ['1', []],
      ['2', ['0x01']],
      ['3', ['0x02']],
    ]);
    writeFileSync(path.join(dir, 'reverted.scen.json'), exported.Scenario);
    expect(replay('reverted.scen.json').code).toBe(0);

    await data('POST', '/account', { World, AddressHex: BOB, Balance: '1', Nonce: 0 });
    const changed = await data('GET', `/worlds/${World}/scenario`);
    expect(JSON.parse(changed.Scenario).steps.at(-1).step).toBe('scCall');
    expect(changed.Notes[0]).toMatch(/^no closing checkState: the world changed after its last transaction/);
  });

  it('a log written before records carried what a replay needs: those transactions are left out, with a note', async () => {
    const World = 'older';
    await data('POST', '/account', { World, AddressHex: ALICE, Balance: '100', Nonce: 0 });
    const { ContractAddressHex } = await data('POST', '/deploy', {
      World,
      ImpersonatedHex: ALICE,
      CodeHex: hex(counter),
      GasLimit: 100000,
    });
    const increment = () =>
      data('POST', '/run', {
        World,
        ImpersonatedHex: ALICE,
        ContractAddressHex,
        Function: 'increment',
        GasLimit: 100000,
      });
    await increment();
    // What an earlier vm-debug wrote: records without the caller's nonce, code and state, a world file without the flag.
    const worldFile = path.join(dir, 'db', 'worlds', `${World}.json`);
    const logFile = path.join(dir, 'db', 'worlds', `${World}.transactions.jsonl`);
    const old = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const { CallerNonce: _n, CodeHex: _c, CodeMetadataHex: _m, Before: _b, ...rest } = JSON.parse(line);
        return JSON.stringify(rest);
      });
    writeFileSync(logFile, `${old.join('\n')}\n`);
    writeFileSync(worldFile, readFileSync(worldFile, 'utf8').replace(/,\n\t"AtLastTransaction": true/, ''));
    await increment();
    const exported = await data('GET', `/worlds/${World}/scenario`);
    expect(exported.Notes).toEqual([
      'transactions 1 to 2 left out: logged without what a replay needs (by an earlier vm-debug)',
    ]);
    expect(txSteps(exported.Scenario).map((s) => [s.txId, s.expect.out])).toEqual([['3', ['0x02']]]);
    writeFileSync(path.join(dir, 'older.scen.json'), exported.Scenario);
    expect(replay('older.scen.json').code).toBe(0);
  });

  it('a world without transactions is its state; an unknown world is a 404', async () => {
    await data('POST', '/account', { World: 'quiet', AddressHex: ALICE, Balance: '5', Nonce: 2 });
    const exported = await data('GET', '/worlds/quiet/scenario');
    expect(JSON.parse(exported.Scenario).steps.map((s: { step: string }) => s.step)).toEqual([
      'setState',
      'checkState',
    ]);
    expect((await call('GET', '/worlds/nowhere/scenario')).status).toBe(404);
  });
});

describe('[@vm/host] vm-debug: what the VM does not say', () => {
  it("a deploy refused as invalid says why (the validator's reason); the VMOutput keeps the reference's message", async () => {
    const World = 'invalid';
    await data('POST', '/account', { World, AddressHex: ALICE, Balance: '0', Nonce: 0 });
    const bad = await wat(`(module
      (import "env" "notAContractFunction" (func $x))
      (memory (export "memory") 1)
      (func (export "init") (call $x)))`);
    const refused = await data('POST', '/deploy', {
      World,
      ImpersonatedHex: ALICE,
      CodeHex: hex(bad),
      GasLimit: 100000,
    });
    expect(refused.ReturnCodeString).toBe('contract invalid');
    expect(refused.Output.ReturnMessage).toBe('invalid contract code');
    expect(refused.InvalidReason).toMatch(/notAContractFunction/);
    const { Transaction } = await data('GET', `/worlds/${World}/transactions/${refused.TransactionID}`);
    expect(Transaction.InvalidReason).toBe(refused.InvalidReason);
    const fine = await data('POST', '/deploy', {
      World,
      ImpersonatedHex: ALICE,
      CodeHex: hex(counter),
      GasLimit: 100000,
    });
    expect(fine.InvalidReason).toBeUndefined();
  });

  it('the block random seed is settable and what getBlockRandomSeed gives', async () => {
    const World = 'seeded';
    const seedWat = `(module
      (import "env" "getBlockRandomSeed" (func $seed (param i32)))
      (import "env" "finish" (func $finish (param i32 i32)))
      (memory (export "memory") 1)
      (func (export "init"))
      (func (export "seed") (call $seed (i32.const 0)) (call $finish (i32.const 0) (i32.const 48))))`;
    await data('POST', '/account', { World, AddressHex: ALICE, Balance: '0', Nonce: 0 });
    const { ContractAddressHex } = await data('POST', '/deploy', {
      World,
      ImpersonatedHex: ALICE,
      CodeHex: hex(await wat(seedWat)),
      GasLimit: 100000,
    });
    const seed = async () =>
      Buffer.from(
        (await data('POST', '/query', { World, ImpersonatedHex: ALICE, ContractAddressHex, Function: 'seed' })).Output
          .ReturnData[0],
        'base64',
      ).toString('hex');
    expect(await seed()).toBe('00'.repeat(48));
    const chosen = '5e'.repeat(48);
    expect((await data('POST', `/worlds/${World}/block`, { RandomSeedHex: chosen })).Block.RandomSeedHex).toBe(chosen);
    expect(await seed()).toBe(chosen);
    // Kept in the world file, and by a later block change that does not name it.
    await data('POST', `/worlds/${World}/block`, { Advance: { Nonce: 1 } });
    expect((await data('GET', `/worlds/${World}`)).Block).toEqual({
      Nonce: 1,
      Round: 0,
      Timestamp: 0,
      Epoch: 0,
      RandomSeedHex: chosen,
    });
    expect(await seed()).toBe(chosen);
    const bad = await call('POST', `/worlds/${World}/block`, { RandomSeedHex: 'xyz' });
    expect(bad.status).toBe(400);
    expect(bad.body.errorMessage).toBe('invalid block random seed: expected hex');
  });
});
