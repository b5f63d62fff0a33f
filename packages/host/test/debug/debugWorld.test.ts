import { startDebugServer, type DebugServer } from '@vm/host/debug';
import { ALICE, contractFolder, returnedNumber } from './helpers';

/** A clock: `now` returns the block timestamp (getBlockTimestamp), `epoch` the block epoch. */
const CLOCK_WAT = `(module
  (import "env" "getBlockTimestamp" (func $ts (result i64)))
  (import "env" "getBlockEpoch" (func $epoch (result i64)))
  (import "env" "int64finish" (func $finish (param i64)))
  (memory (export "memory") 1)
  (func (export "init"))
  (func (export "now") (call $finish (call $ts)))
  (func (export "epoch") (call $finish (call $epoch))))`;

let server: DebugServer;
let code: Uint8Array;

beforeAll(async () => {
  const folder = await contractFolder('worlds-');
  code = folder.counter;
  server = await startDebugServer({ port: 0, root: folder.dir });
});
afterAll(() => server.close());

// The answers are read field by field below; a loose type keeps the test about the values.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
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

async function counterWorld(World: string): Promise<string> {
  await data('POST', '/account', { World, AddressHex: ALICE, Balance: '1000', Nonce: 0 });
  const deployed = await data('POST', '/deploy', {
    World,
    ImpersonatedHex: ALICE,
    CodeHex: Buffer.from(code).toString('hex'),
    GasLimit: 100000,
  });
  return deployed.ContractAddressHex;
}
const increment = (World: string, contract: string) =>
  data('POST', '/run', {
    World,
    ImpersonatedHex: ALICE,
    ContractAddressHex: contract,
    Function: 'increment',
    GasLimit: 100000,
  });
const counterOf = async (World: string, contract: string) =>
  returnedNumber(
    (await data('POST', '/query', { World, ImpersonatedHex: ALICE, ContractAddressHex: contract, Function: 'get' }))
      .Output.ReturnData[0],
  );

describe('[@vm/host] vm-debug server: reading worlds', () => {
  it('lists worlds, reads one, reads an account with its storage decoded', async () => {
    const contract = await counterWorld('read');
    await increment('read', contract);
    expect((await data('GET', '/worlds')).Worlds).toContain('read');
    const world = await data('GET', '/worlds/read');
    expect(world.ID).toBe('read');
    expect(Object.keys(world.Accounts).sort()).toEqual([ALICE, contract].sort());
    const account = await data('GET', `/worlds/read/accounts/${contract}`);
    expect(account.Account.AddressHex).toBe(contract);
    expect(account.StorageDecoded).toEqual([
      { KeyHex: '636f756e746572', KeyText: 'counter', ValueHex: '01', ValueText: '\u0001' },
    ]);
  });

  it("inspects a contract's code: imports marked as contract API or not, exports, size", async () => {
    const contract = await counterWorld('code');
    // The text form needs binaryen's ES module, which this test runner cannot import: inspect.test.ts has it.
    expect(await data('GET', `/worlds/code/accounts/${contract}/code`)).toMatchObject({
      Size: code.length,
      Imports: [
        { Module: 'env', Name: 'int64storageLoad', ContractApi: true },
        { Module: 'env', Name: 'int64storageStore', ContractApi: true },
        { Module: 'env', Name: 'int64finish', ContractApi: true },
      ],
      Exports: [
        { Name: 'memory', Kind: 'memory' },
        { Name: 'init', Kind: 'func' },
        { Name: 'increment', Kind: 'func' },
        { Name: 'get', Kind: 'func' },
      ],
    });
    const user = await call('GET', `/worlds/code/accounts/${ALICE}/code`);
    expect(user.status).toBe(400);
    expect(user.body.errorMessage).toBe(`account ${ALICE} has no code`);
  });

  it('logs every executed transaction with an id; one is read by its id', async () => {
    const contract = await counterWorld('log');
    const ran = await increment('log', contract);
    expect(ran.TransactionID).toBe(2);
    const { Transactions } = await data('GET', '/worlds/log/transactions');
    expect(Transactions.map((t: { ID: number; Kind: string }) => [t.ID, t.Kind])).toEqual([
      [1, 'deploy'],
      [2, 'run'],
    ]);
    const { Transaction } = await data('GET', '/worlds/log/transactions/2');
    expect(Transaction).toMatchObject({ Function: 'increment', ContractAddressHex: contract, ReturnCodeString: 'ok' });
    expect(Number(Transaction.GasUsed)).toBeGreaterThan(0);
    expect(Transaction.Output.ReturnData).toEqual(['01']);
  });

  it('unknown worlds, accounts and transactions are 404; bad names 400', async () => {
    expect((await call('GET', '/worlds/nothing')).status).toBe(404);
    await counterWorld('missing');
    expect((await call('GET', `/worlds/missing/accounts/${'cc'.repeat(32)}`)).status).toBe(404);
    expect((await call('GET', '/worlds/missing/transactions/99')).status).toBe(404);
    const bad = await call('GET', '/worlds/..%2Fescape');
    expect(bad.status).toBe(400);
    expect(bad.body.errorMessage).toMatch(/^invalid world name/);
    expect((await call('GET', '/worlds?database=../..')).status).toBe(400);
  });
});

describe('[@vm/host] vm-debug server: block control, snapshots, deletion', () => {
  it('sets and advances the block a contract sees', async () => {
    const World = 'clock';
    await data('POST', '/account', { World, AddressHex: ALICE, Balance: '0', Nonce: 0 });
    const { wat } = await import('@vm/testkit');
    const clock = Buffer.from(await wat(CLOCK_WAT)).toString('hex');
    const deployed = await data('POST', '/deploy', { World, ImpersonatedHex: ALICE, CodeHex: clock, GasLimit: 100000 });
    const ask = async (Function: string) =>
      returnedNumber(
        (
          await data('POST', '/query', {
            World,
            ImpersonatedHex: ALICE,
            ContractAddressHex: deployed.ContractAddressHex,
            Function,
          })
        ).Output.ReturnData[0],
      );
    expect(await ask('now')).toBe(0);
    expect((await data('POST', '/worlds/clock/block', { Timestamp: 1000, epoch: 3 })).Block).toEqual({
      Nonce: 0,
      Round: 0,
      Timestamp: 1000,
      Epoch: 3,
    });
    expect(await ask('now')).toBe(1000);
    await data('POST', '/worlds/clock/block', { advance: { timestamp: 60, nonce: 10 } });
    expect(await ask('now')).toBe(1060);
    expect(await ask('epoch')).toBe(3);
    expect((await data('GET', '/worlds/clock')).Block).toEqual({ Nonce: 10, Round: 0, Timestamp: 1060, Epoch: 3 });
    const bad = await call('POST', '/worlds/clock/block', { Timestamp: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errorMessage).toBe('invalid block timestamp: expected a whole number, got -1');
  });

  it('snapshot, change, revert: the world is back; delete removes it', async () => {
    const contract = await counterWorld('snap');
    await increment('snap', contract);
    const { SnapshotID } = await data('POST', '/worlds/snap/snapshot');
    await increment('snap', contract);
    await increment('snap', contract);
    expect(await counterOf('snap', contract)).toBe(3);
    await data('POST', `/worlds/snap/revert/${SnapshotID}`);
    expect(await counterOf('snap', contract)).toBe(1);
    // The log follows the world: the reverted runs are gone, the next run takes their place.
    expect((await data('GET', '/worlds/snap/transactions')).Transactions).toHaveLength(2);
    expect((await increment('snap', contract)).TransactionID).toBe(3);
    const { Transactions } = await data('GET', '/worlds/snap/transactions');
    expect(Transactions.map((t: { ID: number }) => t.ID)).toEqual([1, 2, 3]);
    expect(Transactions[2].Output.ReturnData).toEqual(['02']);
    expect((await call('POST', '/worlds/snap/revert/42')).status).toBe(404);
    expect(await data('DELETE', '/worlds/snap')).toEqual({ Deleted: 'snap' });
    expect((await call('GET', '/worlds/snap')).status).toBe(404);
    expect((await data('GET', '/worlds')).Worlds).not.toContain('snap');
  });
});
