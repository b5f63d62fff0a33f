import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ALL_CAPABILITIES,
  Capability,
  createMessage,
  decodeMessage,
  decodePreamble,
  encodeMessage,
  MessageKind,
  PREAMBLE_SIZE,
  type ContractCallInput,
  type MessageOf,
  type VMExecutionHandler,
} from '@vm/protocol';
import { MemoryWorld, VMHost } from '@vm/host';
import { DriverError, VMDriver } from '@vm/driver';
import { tmpdir } from 'node:os';
import { eventually, rejection, wat } from '@vm/testkit';
import { testGasScheduleMap } from '@vm/testkit/host';

const ADDER_CODE = new Uint8Array(readFileSync(path.join(__dirname, '..', '..', 'host', 'examples', 'adder.wasm')));
const ADDER = Buffer.alloc(32, 0xad);
/** Sorts after the contract: the sender is not first in byte order. */
const OWNER = Buffer.alloc(32, 0xfe);
const FAKE = path.join(__dirname, 'fixtures', 'fakeArwen.js');
/** The minimal big-endian bytes of a non-negative integer (none for 0). */
const big = (n: bigint) => {
  const digits = n === 0n ? '' : n.toString(16);
  return Buffer.from(digits.length % 2 ? `0${digits}` : digits, 'hex');
};

const call = (fn: string, args: Uint8Array[] = []): ContractCallInput => ({
  CallerAddr: OWNER,
  Arguments: args,
  CallValue: 0n,
  CallType: 0,
  GasPrice: 1n,
  GasProvided: 1_000_000n,
  OriginalTxHash: null,
  CurrentTxHash: null,
  RecipientAddr: ADDER,
  Function: fn,
});

function adderWorld(): MemoryWorld {
  const world = new MemoryWorld();
  world.setAccount({ ...world.accountOrNew(OWNER), balance: 10n ** 12n });
  world.setAccount({
    ...world.accountOrNew(ADDER),
    code: ADDER_CODE,
    owner: OWNER,
    storage: new Map([[Buffer.from('sum').toString('hex'), big(5n)]]),
  });
  return world;
}

/** Calls `add` and `getSum` in turns (applying each output to the world); the outputs as exact wire JSON. */
async function session(handler: VMExecutionHandler, world: MemoryWorld, calls = 6): Promise<string[]> {
  const outputs: string[] = [];
  for (let i = 0; i < calls; i++) {
    const output = await handler.runSmartContractCall(i % 2 ? call('getSum') : call('add', [big(BigInt(i) << 70n)]));
    world.applyOutput(output, OWNER);
    outputs.push(encodeMessage(createMessage(MessageKind.ContractResponse, { VMOutput: output })).toString());
  }
  return outputs;
}

function inProcess(gasSchedule = testGasScheduleMap()): Promise<string[]> {
  const world = adderWorld();
  return session(new VMHost({ blockchainHook: world, gasSchedule }), world);
}

describe('[@vm/driver] negotiated extensions, each on and off, through a real arwen child', () => {
  const drivers: VMDriver[] = [];
  afterAll(() => Promise.all(drivers.map((d) => d.dispose())));
  const start = (world: MemoryWorld, capabilities?: Capability[], gasSchedule = testGasScheduleMap()) => {
    const driver = new VMDriver({ blockchainHook: world, gasSchedule, maxLoopTimeMs: 30_000, capabilities });
    drivers.push(driver);
    return driver;
  };

  const configs: [string, Capability[] | undefined][] = [
    ['none (the reference protocol)', []],
    ...Object.values(Capability)
      .filter((c): c is Capability => typeof c === 'number')
      .map((c): [string, Capability[]] => [`${Capability[c]} alone`, [c]]),
    ['all (the default)', undefined],
  ];

  it.each(configs)(
    '%s: the same outputs as in process, byte for byte',
    async (_name, capabilities) => {
      const expected = await inProcess();
      const world = adderWorld();
      const driver = start(world, capabilities);
      expect(await session(driver, world)).toEqual(expected);
      expect(await driver.capabilities()).toBe(
        capabilities ? capabilities.reduce((a, c) => a | c, 0) : ALL_CAPABILITIES,
      );
    },
    60_000,
  );

  it('an asynchronous hook: the reads ahead await each answer (a rejected one is left out, the VM asks), the same outputs', async () => {
    const expected = await inProcess();
    const world = adderWorld();
    /** The driver's round trips when its last request ended: a hook call made while they are unchanged reads ahead. */
    let tripsAtLastEnd = -1;
    const readsAhead: string[] = [];
    const later = <T>(answer: () => T) =>
      new Promise<T>((resolve, reject) =>
        setImmediate(() => {
          try {
            resolve(answer());
          } catch (error) {
            reject(error as Error);
          }
        }),
      );
    const hook = new Proxy(world, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const ahead = driver.stats.roundTrips === tripsAtLastEnd;
          if (ahead) readsAhead.push(String(key));
          // each storage value read ahead is refused: left out of the request, the VM asks for it itself
          if (ahead && key === 'getStorageData') return Promise.reject(new Error('not now'));
          return later(() => (value as (...a: unknown[]) => unknown).apply(target, args));
        };
      },
    });
    const driver = new VMDriver({ blockchainHook: hook, gasSchedule: testGasScheduleMap(), maxLoopTimeMs: 30_000 });
    drivers.push(driver);
    const outputs: string[] = [];
    for (let i = 0; i < 6; i++) {
      const output = await driver.runSmartContractCall(i % 2 ? call('getSum') : call('add', [big(BigInt(i) << 70n)]));
      tripsAtLastEnd = driver.stats.roundTrips;
      world.applyOutput(output, OWNER);
      outputs.push(encodeMessage(createMessage(MessageKind.ContractResponse, { VMOutput: output })).toString());
    }
    expect(outputs).toEqual(expected);
    expect(readsAhead).toContain('getUserAccount');
    expect(readsAhead).toContain('getStorageData');
  }, 60_000);

  it('a VMOutput lists its output accounts in the same order in process and through the stack (by address)', async () => {
    // the contract (0xad…) pays 0x01…: in order of appearance the contract comes first, by address the payee
    const payer = await wat(`(module (import "env" "transferValue" (func $t (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1) (data (i32.const 0) "${'\\01'.repeat(32)}") (data (i32.const 63) "\\01")
      (func (export "pay") (drop (call $t (i32.const 0) (i32.const 32) (i32.const 64) (i32.const 0)))))`);
    const payerWorld = () => {
      const world = new MemoryWorld();
      world.setAccount({ ...world.accountOrNew(ADDER), code: payer, owner: OWNER, balance: 100n });
      return world;
    };
    const host = new VMHost({ blockchainHook: payerWorld(), gasSchedule: testGasScheduleMap() });
    const driver = start(payerWorld());
    const [local, remote] = [
      await host.runSmartContractCall(call('pay')),
      await driver.runSmartContractCall(call('pay')),
    ];
    const addresses = (o: typeof local) => (o.OutputAccounts ?? []).map((a) => Buffer.from(a.Address!).toString('hex'));
    expect(addresses(local)).toEqual([Buffer.alloc(32, 1).toString('hex'), ADDER.toString('hex')]);
    expect(remote).toEqual(local);
  }, 60_000);

  it('round trips per call: 3 with the reference protocol (request, GetUserAccount with the code, a storage read), 1 with the extensions once warm', async () => {
    const perCall = async (capabilities?: Capability[]) => {
      const world = adderWorld();
      const driver = start(world, capabilities);
      // warm: the first request goes in the reference form (it decides what the VM agreed to), so warming takes a
      // call more than before: add (reference form), getSum and add again learn their keys, the code comes by hash
      await session(driver, world, 3);
      const before = driver.stats.roundTrips;
      await session(driver, world, 4);
      return (driver.stats.roundTrips - before) / 4;
    };
    expect(await perCall([])).toBe(3);
    expect(await perCall([Capability.AccountPrefetch])).toBe(2);
    expect(await perCall([Capability.AccountPrefetch, Capability.StoragePrefetch])).toBe(1);
    expect(await perCall()).toBe(1);
  }, 60_000);

  it('code by hash: the code crosses the pipe at most once per VM process after its first request (one BlockchainGetCode)', async () => {
    const world = adderWorld();
    const driver = start(world, [Capability.CodeByHash]);
    const perRequest = async () => {
      const before = driver.stats.roundTrips;
      await session(driver, world, 1);
      return driver.stats.roundTrips - before;
    };
    // 1st: the reference form (request, GetUserAccount with the code, storage read); 2nd: the account names its
    // code by hash, which this VM process asks for once (GetCode); 3rd: no GetCode
    const firstProcess = [await perRequest(), await perRequest(), await perRequest()];
    expect(firstProcess).toEqual([3, 4, 3]);
    await driver.close(); // a new VM process knows no code: asked once more
    expect([await perRequest(), await perRequest(), await perRequest()]).toEqual(firstProcess);
  }, 60_000);

  it('version(): the VM package version and its build; NotNegotiated when the VM was not offered Version', async () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'host', 'package.json'), 'utf8'));
    const version = await start(adderWorld()).version();
    expect(version).toEqual({ version: manifest.version, build: expect.stringContaining(process.version) });
    const refused = await rejection(start(adderWorld(), []).version());
    expect(refused.code).toBe(DriverError.NotNegotiated.code);
    expect(refused.critical).toBe(false);
  }, 60_000);

  const doubled = () => {
    const map = testGasScheduleMap();
    for (const section of Object.values(map)) for (const op of Object.keys(section)) section[op] *= 2n;
    return map;
  };

  it.each([
    ['in place (negotiated)', undefined, false],
    ['by a restart (a VM without GasScheduleChange)', [Capability.Version], true],
  ] as const)(
    'gasScheduleChange %s: later requests run with the new schedule, as in process',
    async (_name, capabilities, restarts) => {
      const world = adderWorld();
      const driver = start(world, capabilities as Capability[] | undefined);
      await session(driver, world, 1);
      const pid = driver.pid;
      const starts = driver.stats.starts;
      const queued = session(driver, world, 1); // queued before the change: the old schedule
      await driver.gasScheduleChange(doubled());
      const after = await session(driver, world, 6);
      expect(await queued).toHaveLength(1);
      const expectedWorld = adderWorld();
      const host = new VMHost({ blockchainHook: expectedWorld, gasSchedule: testGasScheduleMap() });
      await session(host, expectedWorld, 2);
      const expected = await session(
        new VMHost({ blockchainHook: expectedWorld, gasSchedule: doubled() }),
        expectedWorld,
      );
      expect(after).toEqual(expected);
      expect(driver.stats.starts - starts).toBe(restarts ? 1 : 0);
      if (!restarts) expect(driver.pid).toBe(pid);
    },
    60_000,
  );

  it('gasScheduleChange with a warm standby: the standby started with the old schedule is never handed over', async () => {
    const world = adderWorld();
    const driver = new VMDriver({
      blockchainHook: world,
      gasSchedule: testGasScheduleMap(),
      maxLoopTimeMs: 30_000,
      warmStandby: true,
    });
    drivers.push(driver);
    const before = await session(driver, world, 1);
    const oldStandby = driver.standbyPid;
    expect(oldStandby).toBeDefined();
    await driver.gasScheduleChange(doubled());
    await driver.diagnoseWait(0); // a request after the change: its standby starts with the new schedule
    const newStandby = driver.standbyPid;
    expect(newStandby).toBeDefined();
    expect(newStandby).not.toBe(oldStandby);
    const child = driver.pid!;
    process.kill(child, 'SIGKILL');
    await eventually(() => driver.isClosed(), 20_000); // the driver saw the exit
    const after = await session(driver, world, 2);
    expect(driver.pid).toBe(newStandby); // handed over, not booted
    const expectedWorld = adderWorld();
    expect(before).toEqual(
      await session(new VMHost({ blockchainHook: expectedWorld, gasSchedule: testGasScheduleMap() }), expectedWorld, 1),
    );
    const expected = await session(
      new VMHost({ blockchainHook: expectedWorld, gasSchedule: doubled() }),
      expectedWorld,
      2,
    );
    expect(after).toEqual(expected);
  }, 60_000);

  it('gasScheduleChange with an invalid schedule: GasScheduleRefused, the old schedule stays', async () => {
    const world = adderWorld();
    const driver = start(world);
    const expected = await inProcess();
    const invalid = testGasScheduleMap();
    invalid.BaseOperationCost = {};
    const error = await rejection(driver.gasScheduleChange(invalid));
    expect(error.code).toBe(DriverError.GasScheduleRefused.code);
    expect(await session(driver, world)).toEqual(expected);
  }, 60_000);
});

describe('[@vm/driver] a VM that speaks only the reference protocol', () => {
  const initializeSeenBy = async (capabilities?: Capability[]) => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'init-')), 'initialize.bin');
    const driver = new VMDriver({
      blockchainHook: new MemoryWorld(),
      gasSchedule: testGasScheduleMap(),
      maxLoopTimeMs: 2000,
      arwenPath: FAKE,
      capabilities,
      env: { FAKE_ARWEN: 'record-initialize', FAKE_ARWEN_OUT: out },
    });
    await rejection(driver.diagnoseWait(1)); // the fake never answers
    await driver.dispose();
    return readFileSync(out);
  };

  it('capabilities: [] sends the Initialize a reference node sends, byte for byte (no Capabilities key)', async () => {
    const frame = await initializeSeenBy([]);
    const { length, kind } = decodePreamble(frame.subarray(0, PREAMBLE_SIZE));
    const payload = frame.subarray(PREAMBLE_SIZE, PREAMBLE_SIZE + length);
    expect(frame.length).toBe(PREAMBLE_SIZE + length);
    expect(payload.toString()).not.toContain('Capabilities');
    const message = decodeMessage(kind, payload) as MessageOf<MessageKind.Initialize>;
    const { Capabilities, ...reference } = message.Arguments;
    expect(Capabilities).toBe(0);
    // the same bytes as the message built without our key at all
    expect(encodeMessage({ ...message, Arguments: reference } as never)).toEqual(Buffer.from(payload));
  }, 30_000);

  it('the default offers every capability in Initialize', async () => {
    const payload = (await initializeSeenBy()).subarray(PREAMBLE_SIZE).toString();
    expect(payload).toContain(`"Capabilities":${ALL_CAPABILITIES}`);
  }, 30_000);
});

describe('[@vm/driver] the default options with a real arwen that speaks only the reference protocol (ARWEN_REFERENCE_ONLY)', () => {
  const drivers: VMDriver[] = [];
  afterAll(() => Promise.all(drivers.map((d) => d.dispose())));
  const start = (world: MemoryWorld, env: NodeJS.ProcessEnv = {}, capabilities?: Capability[]) => {
    const driver = new VMDriver({
      blockchainHook: world,
      gasSchedule: testGasScheduleMap(),
      maxLoopTimeMs: 30_000,
      capabilities,
      env,
    });
    drivers.push(driver);
    return driver;
  };
  const REFERENCE_ONLY = { ARWEN_REFERENCE_ONLY: '1' };

  it('the same outputs as in process, byte for byte, no timeout; capabilities() 0; version() NotNegotiated', async () => {
    const expected = await inProcess();
    const world = adderWorld();
    const driver = start(world, REFERENCE_ONLY);
    expect(await session(driver, world)).toEqual(expected);
    expect(await driver.capabilities()).toBe(0);
    const refused = await rejection(driver.version());
    expect(refused.code).toBe(DriverError.NotNegotiated.code);
    expect(driver.stats).toMatchObject({ starts: 1, timeouts: 0, protocolErrors: 0, crashes: 0 });
  }, 60_000);

  it('an undecided child: version() and capabilities() decide with a reference-form probe, and still work', async () => {
    const refused = await rejection(start(adderWorld(), REFERENCE_ONLY).version());
    expect(refused.code).toBe(DriverError.NotNegotiated.code);
    expect(await start(adderWorld(), REFERENCE_ONLY).capabilities()).toBe(0);
    expect(await start(adderWorld()).capabilities()).toBe(ALL_CAPABILITIES);
  }, 60_000);

  it('gasScheduleChange on an undecided reference-only child restarts it with the new schedule', async () => {
    const world = adderWorld();
    const driver = start(world, REFERENCE_ONLY);
    const schedule = testGasScheduleMap();
    for (const section of Object.values(schedule)) for (const op of Object.keys(section)) section[op] *= 2n;
    await driver.gasScheduleChange(schedule);
    const expectedWorld = adderWorld();
    const expected = await session(new VMHost({ blockchainHook: expectedWorld, gasSchedule: schedule }), expectedWorld);
    expect(await session(driver, world)).toEqual(expected);
    expect(driver.stats.starts).toBe(2); // the probe's child, then one with the new schedule
  }, 60_000);

  it('round trips per request: the first in the reference form, the extensions from the second on (ours only)', async () => {
    const perRequest = async (driver: VMDriver, world: MemoryWorld) => {
      const rounds: number[] = [];
      for (let i = 0; i < 3; i++) {
        const before = driver.stats.roundTrips;
        await driver.runSmartContractCall(call('add', [big(1n)])).then((output) => world.applyOutput(output, OWNER));
        rounds.push(driver.stats.roundTrips - before);
      }
      return rounds;
    };
    const ours = adderWorld();
    const reference = adderWorld();
    // request, GetUserAccount, storage read; with AccountPrefetch the account goes with the request
    expect(await perRequest(start(ours, {}, [Capability.AccountPrefetch]), ours)).toEqual([3, 2, 2]);
    expect(await perRequest(start(reference, REFERENCE_ONLY, [Capability.AccountPrefetch]), reference)).toEqual([
      3, 3, 3,
    ]);
  }, 60_000);
});
