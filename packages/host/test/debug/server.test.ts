import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startDebugServer, type DebugServer } from '@vm/host/debug';
import { ALICE, BOB, contractAddress, contractFolder, returnedNumber } from './helpers';

interface Envelope {
  data: Record<string, unknown> & {
    Output?: { ReturnCode: number; ReturnData: string[]; ReturnMessage: string } | null;
    ContractAddressHex?: string;
    Account?: Record<string, unknown>;
  };
  error: string | null;
  errorMessage: string | null;
  errorScope: string | null;
}

let dir: string;
let code: Uint8Array;
let byTen: Uint8Array;
let server: DebugServer;

beforeAll(async () => {
  ({ dir, counter: code, byTen } = await contractFolder('server-'));
  server = await startDebugServer({ port: 0, root: dir });
});
afterAll(() => server.close());

async function post(route: string, body: unknown): Promise<{ status: number; body: Envelope }> {
  const response = await fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Envelope };
}

async function ok(route: string, body: unknown): Promise<Envelope['data']> {
  const r = await post(route, body);
  expect(r.body.errorMessage).toBeNull();
  expect(r.status).toBe(200);
  return r.body.data;
}

const worldFile = (world: string) => path.join(dir, 'db', 'worlds', `${world}.json`);
const readWorld = (world: string) =>
  JSON.parse(readFileSync(worldFile(world), 'utf8')) as {
    ID: string;
    Accounts: Record<string, Record<string, unknown>>;
  };

/** A world with alice (balance 1000) and a counter she deployed: its address. */
async function counterWorld(World: string): Promise<string> {
  await ok('/account', { World, AddressHex: ALICE, Balance: '1000', Nonce: 0 });
  const deployed = await ok('/deploy', {
    World,
    ImpersonatedHex: ALICE,
    CodeHex: Buffer.from(code).toString('hex'),
    GasLimit: 1_000_000,
  });
  expect(deployed.Output!.ReturnCode).toBe(0);
  return deployed.ContractAddressHex!;
}

const run = (World: string, contract: string, Function: string, extra: object = {}) =>
  ok('/run', { World, ImpersonatedHex: ALICE, ContractAddressHex: contract, Function, GasLimit: 100_000, ...extra });
const get = async (World: string, contract: string) =>
  returnedNumber(
    (await ok('/query', { World, ImpersonatedHex: ALICE, ContractAddressHex: contract, Function: 'get' })).Output!
      .ReturnData[0],
  );

describe('[@vm/host] vm-debug server: the reference routes', () => {
  it('listens on 127.0.0.1 by default and a free port with port 0', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).not.toMatch(/:0$/);
  });

  it('creates an account, deploys, runs increment three times, queries get', async () => {
    const account = await ok('/account', { World: 'walk', AddressHex: ALICE, Balance: '1000', Nonce: 0 });
    expect(account.Account).toMatchObject({ AddressHex: ALICE, Nonce: 0, Balance: 1000, ShardID: 0 });
    const deployed = await ok('/deploy', {
      World: 'walk',
      ImpersonatedHex: ALICE,
      CodePath: 'counter.wasm',
      GasLimit: 1_000_000,
    });
    expect(deployed.ContractAddressHex).toBe(contractAddress(ALICE, 0));
    for (let i = 1; i <= 3; i++)
      expect(returnedNumber((await run('walk', deployed.ContractAddressHex!, 'increment')).Output!.ReturnData[0])).toBe(
        i,
      );
    expect(await get('walk', deployed.ContractAddressHex!)).toBe(3);
    const world = readWorld('walk');
    expect(world.ID).toBe('walk');
    expect(world.Accounts[contractAddress(ALICE, 0)]).toMatchObject({
      Storage: { [Buffer.from('counter').toString('hex')]: '03' },
      CodeMetadataHex: '0100',
      OwnerAddressHex: ALICE,
    });
    expect(world.Accounts[ALICE]).toMatchObject({ Nonce: 4, Balance: 1000 });
  });

  it("answers the reference's own examples (server_test.http, with a gas limit)", async () => {
    const owner = `aa${'00'.repeat(30)}aa`;
    await ok('/account', { World: 'http', AddressHex: owner, Balance: '100000', Nonce: 0 });
    const deployed = await ok('/deploy', {
      World: 'http',
      ImpersonatedHex: owner,
      CodePath: 'counter.wasm',
      GasLimit: 500000,
    });
    expect(deployed.ContractAddressHex).toBe(`636f6e747261637430${'00'.repeat(22)}aa`);
    const ran = await ok('/run', {
      World: 'http',
      ImpersonatedHex: owner,
      ContractAddressHex: deployed.ContractAddressHex,
      Function: 'increment',
      GasLimit: 500000,
    });
    expect(ran.Output!.ReturnCode).toBe(0);
    const upgraded = await ok('/upgrade', {
      World: 'http',
      ImpersonatedHex: owner,
      ContractAddressHex: deployed.ContractAddressHex,
      CodePath: 'counter10.wasm',
      ArgumentsHex: [],
      GasLimit: 500000,
    });
    expect(upgraded.Output!.ReturnCode).toBe(0);
    const queried = await ok('/query', {
      World: 'http',
      ImpersonatedHex: owner,
      ContractAddressHex: deployed.ContractAddressHex,
      Function: 'increment',
      ArgumentsHex: [],
    });
    // Upgraded code, storage kept: 1 + 10.
    expect(returnedNumber(queried.Output!.ReturnData[0])).toBe(11);
    expect(readWorld('http').Accounts[deployed.ContractAddressHex!].CodeHex).toBe(Buffer.from(byTen).toString('hex'));
  });

  it('matches Go field names case-insensitively and ignores unknown keys', async () => {
    const data = await ok('/account', {
      world: 'case',
      addresshex: BOB,
      BALANCE: '7',
      nOnCe: 3,
      Unknown: { nested: true },
    });
    expect(data.Account).toMatchObject({ AddressHex: BOB, Balance: 7, Nonce: 3 });
  });

  it('answers 200 for a failing contract, the failure in Output.ReturnCode', async () => {
    const contract = await counterWorld('failing');
    const { status, body } = await post('/run', {
      World: 'failing',
      ImpersonatedHex: ALICE,
      ContractAddressHex: contract,
      Function: 'missing',
      GasLimit: 100_000,
    });
    expect(status).toBe(200);
    expect(body.data.Output!.ReturnCode).toBe(1);
    expect(body.data.ReturnCodeString).toBe('function not found');
    expect(body.error).toBeNull();
  });
});

describe('[@vm/host] vm-debug server: fixed against the reference', () => {
  it('the caller pays the value; without the funds nothing changes', async () => {
    const contract = await counterWorld('value');
    // increment is not payable: value makes it fail, so pay the value to a user account through a deploy's init.
    const deployed = await ok('/deploy', {
      World: 'value',
      ImpersonatedHex: ALICE,
      CodeHex: Buffer.from(code).toString('hex'),
      Value: '300',
      GasLimit: 1_000_000,
    });
    expect(deployed.Output!.ReturnCode).toBe(0);
    const world = readWorld('value');
    expect(world.Accounts[ALICE].Balance).toBe(700);
    expect(world.Accounts[deployed.ContractAddressHex!].Balance).toBe(300);
    const before = readFileSync(worldFile('value'), 'utf8');
    const refused = await run('value', contract, 'increment', { Value: '5000' });
    expect(refused.Output!.ReturnCode).toBe(7);
    expect(refused.Output!.ReturnMessage).toBe('insufficient funds: 5000 needed, 700 held');
    expect(readFileSync(worldFile('value'), 'utf8')).toBe(before);
  });

  it('charges the fee when a gas price is given', async () => {
    const contract = await counterWorld('fees');
    // The caller must hold the value plus gas limit x price up front.
    const ran = await run('fees', contract, 'increment', { GasPrice: 2, GasLimit: 400 });
    expect(ran.Output!.ReturnCode).toBe(0);
    const gasUsed = 400 - Number((ran.Output as unknown as { GasRemaining: number }).GasRemaining);
    expect(gasUsed).toBeGreaterThan(0);
    expect(readWorld('fees').Accounts[ALICE].Balance).toBe(1000 - 2 * gasUsed);
  });

  it("bumps the caller's nonce: a second deploy gets its own address", async () => {
    const first = await counterWorld('nonce');
    await run('nonce', first, 'increment');
    const second = await ok('/deploy', {
      World: 'nonce',
      ImpersonatedHex: ALICE,
      CodeHex: Buffer.from(code).toString('hex'),
      GasLimit: 1_000_000,
    });
    expect(second.ContractAddressHex).toBe(contractAddress(ALICE, 2));
    expect(await get('nonce', first)).toBe(1);
    expect(await get('nonce', second.ContractAddressHex!)).toBe(0);
  });

  it('never stores a query, even of a state-changing function', async () => {
    const contract = await counterWorld('query');
    const before = readFileSync(worldFile('query'), 'utf8');
    const queried = await ok('/query', {
      World: 'query',
      ImpersonatedHex: ALICE,
      ContractAddressHex: contract,
      Function: 'increment',
    });
    expect(returnedNumber(queried.Output!.ReturnData[0])).toBe(1);
    expect(readFileSync(worldFile('query'), 'utf8')).toBe(before);
  });

  it('refuses to replace a contract account unless Replace is given', async () => {
    const contract = await counterWorld('replace');
    const refused = await post('/account', { World: 'replace', AddressHex: contract, Balance: '1', Nonce: 0 });
    expect(refused.status).toBe(400);
    expect(refused.body.errorMessage).toBe(`account ${contract} is a contract; give Replace (--replace) to replace it`);
    expect(readWorld('replace').Accounts[contract].CodeHex).not.toBe('');
    const replaced = await ok('/account', {
      World: 'replace',
      AddressHex: contract,
      Balance: '1',
      Nonce: 0,
      Replace: true,
    });
    expect(replaced.Account).toMatchObject({ CodeHex: '', Balance: 1, Storage: {} });
  });

  it('stores the outcome under <db>/out/<Outcome>.json', async () => {
    const contract = await counterWorld('outcome');
    const data = await run('outcome', contract, 'increment', { Outcome: 'inc1' });
    const stored = JSON.parse(readFileSync(path.join(dir, 'db', 'out', 'inc1.json'), 'utf8')) as unknown;
    expect(stored).toEqual(data);
  });

  it('serialises 50 concurrent runs on one world: the counter is exactly 50', async () => {
    const contract = await counterWorld('concurrent');
    const results = await Promise.all(Array.from({ length: 50 }, () => run('concurrent', contract, 'increment')));
    const values = results.map((r) => returnedNumber(r.Output!.ReturnData[0])).sort((a, b) => a - b);
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await get('concurrent', contract)).toBe(50);
    expect(readWorld('concurrent').Accounts[ALICE].Nonce).toBe(51);
  });
});

const base = { ImpersonatedHex: ALICE, ContractAddressHex: contractAddress(ALICE, 0), Function: 'get', GasLimit: 1000 };
const BAD_REQUESTS: [string, string, unknown, string, string][] = [
  ['/run', 'no gas limit', { ...base, GasLimit: 0 }, 'invalid gas limit', 'handleRun.RunSmartContract'],
  ['/run', 'no caller', { ...base, ImpersonatedHex: '' }, 'empty impersonated address', 'handleRun.RunSmartContract'],
  [
    '/run',
    'odd hex caller',
    { ...base, ImpersonatedHex: 'abc' },
    'invalid impersonated address',
    'handleRun.RunSmartContract',
  ],
  [
    '/run',
    'short caller',
    { ...base, ImpersonatedHex: 'abcd' },
    'invalid impersonated address',
    'handleRun.RunSmartContract',
  ],
  ['/run', 'bad value', { ...base, Value: '-1' }, 'invalid value', 'handleRun.RunSmartContract'],
  [
    '/run',
    'bad argument',
    { ...base, ArgumentsHex: ['0'] },
    'invalid contract argument encoding',
    'handleRun.RunSmartContract',
  ],
  ['/run', 'no function', { ...base, Function: '' }, 'empty function', 'handleRun.RunSmartContract'],
  ['/run', 'no contract', { ...base, ContractAddressHex: '' }, 'empty contract address', 'handleRun.RunSmartContract'],
  ['/deploy', 'no code', { ...base }, 'invalid contract code', 'handleDeploy.DeploySmartContract'],
  ['/deploy', 'bad code hex', { ...base, CodeHex: 'zz' }, 'invalid contract code', 'handleDeploy.DeploySmartContract'],
  ['/account', 'no address', { Balance: '1', Nonce: 0 }, 'empty account address', 'handleCreateAccount.CreateAccount'],
  [
    '/account',
    'bad address',
    { AddressHex: 'xx', Balance: '1' },
    'invalid account address',
    'handleCreateAccount.CreateAccount',
  ],
  [
    '/account',
    'bad balance',
    { AddressHex: ALICE, Balance: '1.5' },
    'invalid value',
    'handleCreateAccount.CreateAccount',
  ],
  [
    '/account',
    'a number as a string field',
    { AddressHex: ALICE, Balance: 5 },
    'json: cannot unmarshal number into Go struct field CreateAccountRequest.Balance of type string',
    'handleCreateAccount.ShouldBindJSON',
  ],
  [
    '/query',
    'a string as a u64 field',
    { ...base, GasLimit: '5' },
    'json: cannot unmarshal string into Go struct field QueryRequest.GasLimit of type uint64',
    'handleQuery.ShouldBindJSON',
  ],
  [
    '/query',
    'not an object',
    '[1]',
    'json: cannot unmarshal array into Go value of type QueryRequest',
    'handleQuery.ShouldBindJSON',
  ],
];

describe('[@vm/host] vm-debug server: bad requests are 400 with the reference texts', () => {
  it.each(BAD_REQUESTS)('%s %s', async (route, _what, body, message, scope) => {
    const { status, body: envelope } = await post(route, body);
    expect(status).toBe(400);
    expect(envelope).toEqual({ data: null, error: 'RequestError', errorMessage: message, errorScope: scope });
  });

  it('malformed JSON is a 400 at binding', async () => {
    const { status, body } = await post('/run', '{"World": ');
    expect(status).toBe(400);
    expect(body.errorScope).toBe('handleRun.ShouldBindJSON');
    expect(body.errorMessage).toMatch(/JSON/);
  });

  it('an unknown route is a 404', async () => {
    expect((await post('/nothing', {})).status).toBe(404);
  });

  it('a body over 16 MB is refused with 413', async () => {
    const { status, body } = await post('/run', JSON.stringify({ ...base, Function: 'x'.repeat(17 * 1024 * 1024) }));
    expect(status).toBe(413);
    expect(body.errorMessage).toBe('request body larger than 16777216 bytes');
  });
});

describe('[@vm/host] vm-debug server: names are not paths', () => {
  const account = { AddressHex: ALICE, Balance: '1', Nonce: 0 };
  it.each([
    ['World', '../escape', 'invalid world name "../escape"'],
    ['World', 'a/b', 'invalid world name "a/b"'],
    ['World', '..', 'invalid world name ".."'],
    ['World', 'a\\b', 'invalid world name "a\\\\b"'],
    ['Outcome', '../../x', 'invalid outcome name "../../x"'],
    ['DatabasePath', '../outside', 'invalid database path "../outside": outside the root'],
    ['DatabasePath', '/tmp', 'invalid database path "/tmp": outside the root'],
  ])('%s %s is refused', async (field, value, message) => {
    const { status, body } = await post('/account', { ...account, [field]: value });
    expect(status).toBe(400);
    expect(body.errorMessage!.startsWith(message)).toBe(true);
  });

  it('a CodePath outside the root is refused', async () => {
    const { status, body } = await post('/deploy', { ...base, CodePath: '../../../etc/passwd' });
    expect(status).toBe(400);
    expect(body.errorMessage).toMatch(/^invalid code path "\.\.\/\.\.\/\.\.\/etc\/passwd": outside the root/);
  });

  it('a DatabasePath inside the root is used', async () => {
    await ok('/account', { ...account, DatabasePath: 'other/db', World: 'w' });
    expect(readFileSync(path.join(dir, 'other', 'db', 'worlds', 'w.json'), 'utf8')).toContain(ALICE);
  });
});

describe('[@vm/host] vm-debug server: world files', () => {
  it('loads a world written by the reference (big balances, deleted keys as "")', async () => {
    const contract = contractAddress(ALICE, 0);
    const file = worldFile('reference');
    mkdirSync(path.dirname(file), { recursive: true });
    const big = '123456789012345678901234567890';
    writeFileSync(
      file,
      `{\n\t"ID": "reference",\n\t"Accounts": {\n\t\t"${ALICE}": {\n\t\t\t"AddressHex": "${ALICE}",\n\t\t\t"Nonce": 1,\n\t\t\t"Balance": ${big},\n\t\t\t"CodeHex": "",\n\t\t\t"CodeMetadataHex": "",\n\t\t\t"OwnerAddressHex": "",\n\t\t\t"UserNameHex": "",\n\t\t\t"Storage": {},\n\t\t\t"ShardID": 0\n\t\t},\n\t\t"${contract}": {\n\t\t\t"AddressHex": "${contract}",\n\t\t\t"Nonce": 0,\n\t\t\t"Balance": 0,\n\t\t\t"CodeHex": "${Buffer.from(code).toString('hex')}",\n\t\t\t"CodeMetadataHex": "0100",\n\t\t\t"OwnerAddressHex": "",\n\t\t\t"UserNameHex": "",\n\t\t\t"Storage": {\n\t\t\t\t"636f756e746572": "29",\n\t\t\t\t"0102": ""\n\t\t\t},\n\t\t\t"ShardID": 0\n\t\t}\n\t}\n}`,
    );
    expect(await get('reference', contract)).toBe(41);
    await run('reference', contract, 'increment');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`"Balance": ${big},`);
    expect(readWorld('reference').Accounts[contract].Storage).toEqual({ '636f756e746572': '2a' });
  });

  it('reports a corrupt world file and never overwrites it', async () => {
    const file = worldFile('corrupt');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"ID": "corrupt", "Accounts": {');
    const { status, body } = await post('/account', { World: 'corrupt', AddressHex: ALICE, Balance: '1', Nonce: 0 });
    expect(status).toBe(400);
    expect(body.error).toBe('WorldFileError');
    expect(body.errorMessage).toContain(`world file ${file} is corrupt`);
    expect(readFileSync(file, 'utf8')).toBe('{"ID": "corrupt", "Accounts": {');
  });

  it('a world survives a server restart', async () => {
    const contract = await counterWorld('restart');
    await run('restart', contract, 'increment');
    await run('restart', contract, 'increment');
    await server.close();
    server = await startDebugServer({ port: 0, root: dir });
    expect(await get('restart', contract)).toBe(2);
  });
});
