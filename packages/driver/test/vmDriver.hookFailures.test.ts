import { ErrorCode, MarshalizerKind, ReturnCode, type ContractCallInput, type VMOutput } from '@vm/protocol';
import { VMDriver, DriverError } from '@vm/driver';
import { callInput, FakeBlockchainHook, wat, rejection } from '@vm/testkit';
import { testGasScheduleMap } from '@vm/testkit/host';

const SC = Buffer.from('adder'.padEnd(32, '_'));
const SUM = Buffer.from('sum');
const ADDER = `(module
  (import "env" "int64getArgument" (func $arg (param i32) (result i64)))
  (import "env" "int64storageLoad" (func $load (param i32 i32) (result i64)))
  (import "env" "int64storageStore" (func $store (param i32 i32 i64) (result i32)))
  (memory (export "memory") 1) (data (i32.const 0) "sum")
  (func (export "add") (drop (call $store (i32.const 0) (i32.const 3)
    (i64.add (call $load (i32.const 0) (i32.const 3)) (call $arg (i32.const 0)))))))`;

const add = (n: number) =>
  callInput(SC, 'add', { CallerAddr: Buffer.alloc(32, 1), Arguments: [Buffer.from([n])], GasProvided: 100000n });
const stored = (out: VMOutput) =>
  Buffer.from((out.OutputAccounts ?? []).flatMap((a) => a?.StorageUpdates ?? [])[0]?.Data ?? []);

describe.each([MarshalizerKind.Binary, MarshalizerKind.JSON])(
  '[@vm/driver] a failing blockchain hook through the process stack (marshalizer %s)',
  (marshalizer) => {
    let code: Uint8Array;
    beforeAll(async () => {
      code = await wat(ADDER);
    });

    function setUp() {
      const hook = new FakeBlockchainHook().setAccount(SC, { code });
      hook.setStorage(SC, SUM, Buffer.from([5]));
      const driver = new VMDriver({
        blockchainHook: hook,
        gasSchedule: testGasScheduleMap(),
        messagesMarshalizer: marshalizer,
      });
      return { hook, driver };
    }

    it.each([
      [
        'getStorageData throws',
        (hook: FakeBlockchainHook) =>
          (hook.getStorageData = () => {
            throw new Error('database unavailable');
          }),
        'getStorageData',
      ],
      [
        'getUserAccount rejects',
        (hook: FakeBlockchainHook) =>
          ((hook as unknown as { getUserAccount: () => Promise<never> }).getUserAccount = () =>
            Promise.reject(new Error('database unavailable'))),
        'getUserAccount',
      ],
    ])(
      '%s: HookFailed, no VMOutput, the child is not restarted, the next request works',
      async (_, fail, method) => {
        const { hook, driver } = setUp();
        try {
          const ok = await driver.runSmartContractCall(add(1));
          expect(stored(ok)).toEqual(Buffer.from([6]));
          const pid = driver.pid;
          const restore = { getStorageData: hook.getStorageData, getUserAccount: hook.getUserAccount };
          fail(hook);
          const error = await rejection(driver.runSmartContractCall(add(7)));
          expect(error.code).toBe(ErrorCode.HookFailed.code);
          expect(error.critical).toBe(false);
          expect(error.message).toContain(method);
          expect(error.message).toContain('database unavailable');
          Object.assign(hook, restore);
          const after = await driver.runSmartContractCall(add(7));
          expect(after.ReturnCode).toBe(ReturnCode.Ok);
          expect(stored(after)).toEqual(Buffer.from([12]));
          expect(driver.pid).toBe(pid);
        } finally {
          await driver.close();
        }
      },
      30000,
    );
  },
);

describe('[@vm/driver] the blockchain hook is checked when the driver is built', () => {
  it('a hook object without a method is refused, naming it', async () => {
    const error = await rejection(
      Promise.resolve().then(() => new VMDriver({ blockchainHook: {} as never, gasSchedule: testGasScheduleMap() })),
    );
    expect(error.code).toBe(DriverError.InvalidOptions.code);
    expect(error.message).toContain('newAddress');
  });
});

describe('[@vm/driver] inputs a node never sends', () => {
  it.each([
    ['a negative CallValue', { CallValue: -5n }],
    ['CallType 7', { CallType: 7 }],
    ['a null RecipientAddr', { RecipientAddr: null }],
  ])('%s: InvalidContractInput before anything is sent (no child started)', async (_, change) => {
    const driver = new VMDriver({ blockchainHook: new FakeBlockchainHook(), gasSchedule: testGasScheduleMap() });
    const error = await rejection(driver.runSmartContractCall({ ...add(1), ...change } as ContractCallInput));
    expect(error.code).toBe(ErrorCode.InvalidContractInput.code);
    expect(error.critical).toBe(false);
    expect(driver.pid).toBeUndefined();
  });
});
