import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GAS_SECTION_KEYS, loadGasSchedule, type MemoryWorld } from '@vm/host';
import {
  assertAccount,
  biguint,
  createTestWorld,
  expectFailure,
  type TestWorld,
  type TxFailure,
} from '@vm/host/testing';
import { VMDriver } from '@vm/driver';

const ADDER = path.join(__dirname, '..', '..', 'host', 'examples', 'adder.wasm');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Everything a test can observe of one session with the adder, in either kind of world. */
async function adderSession(world: TestWorld<boolean>) {
  const owner = world.createAccount({ balance: 1_000_000_000n });
  const adder = await world.deploy({ from: owner, code: ADDER, args: [biguint(5n)], gasPrice: 1n });
  const added = await adder.call({ from: owner, function: 'add', args: [biguint(1n << 70n)], gasPrice: 1n });
  const [sum] = (await adder.query({ function: 'getSum' })).decode(biguint);
  const failure: TxFailure = await expectFailure(() => adder.call({ from: owner, function: 'add', gasPrice: 1n }), {
    code: 'UserError',
  });
  assertAccount(world, adder, { storage: { sum: biguint(5n + (1n << 70n)) } });
  return {
    contract: hex(adder.address),
    deployGas: adder.deployment.gasUsed,
    addGas: added.gasUsed,
    sum,
    failure: [failure.returnCode, failure.returnMessage, failure.gasUsed],
    owner: [owner.balance, owner.nonce],
  };
}

describe('[@vm/driver] the test world through the process stack', () => {
  const worlds: TestWorld<boolean>[] = [];
  afterAll(() => Promise.all(worlds.map((w) => w.close())));
  const track = <W extends TestWorld<boolean>>(world: W) => (worlds.push(world), world);

  it('processes: true gives the results of the in-process world, through a VMDriver child', async () => {
    const inProcess = await adderSession(createTestWorld());
    const world = track(createTestWorld({ processes: true }));
    const throughProcess = await adderSession(world);
    expect(throughProcess).toEqual(inProcess);
    expect(inProcess.sum).toBe(5n + (1n << 70n));
    expect(world.handler).toBeInstanceOf(VMDriver);
    expect((world.handler as VMDriver).pid).toEqual(expect.any(Number));
  }, 60000);

  it('a schedule from loadGasSchedule() runs a VMDriver (one gas-schedule type), as the test world and directly', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'gas-')), 'gas.json');
    const costs = Object.fromEntries(
      Object.entries(GAS_SECTION_KEYS).map(([section, keys]) => [section, Object.fromEntries(keys.map((k) => [k, 2]))]),
    );
    writeFileSync(file, JSON.stringify(costs));
    const gasSchedule = loadGasSchedule(file);
    const cheap = await adderSession(createTestWorld());
    const inProcess = await adderSession(createTestWorld({ gasSchedule }));
    const throughProcess = await adderSession(track(createTestWorld({ processes: true, gasSchedule })));
    expect(throughProcess).toEqual(inProcess);
    expect(inProcess.addGas).toBeGreaterThan(cheap.addGas);

    let driver: VMDriver | undefined;
    const own = track(
      createTestWorld({
        createHandler: (chain: MemoryWorld) => (driver = new VMDriver({ blockchainHook: chain, gasSchedule })),
      }),
    );
    expect(await adderSession(own)).toEqual(inProcess);
    expect(driver?.pid).toEqual(expect.any(Number));
  }, 60000);
});
