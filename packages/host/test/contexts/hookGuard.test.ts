import { ErrorCode, ReturnCode, VMError, type BlockchainHook, type VMOutput } from '@vm/protocol';
import { VMHost, HostError } from '@vm/host';
import { FakeBlockchainHook, wat, address, callInput, createInput } from '@vm/testkit';
import { testSchedule } from '@vm/testkit/host';

const SC = address('adder');
const SUM = Buffer.from('sum');

/** add(n): sum += n, stored under "sum" as an i64. */
const ADDER = `(module
  (import "env" "int64getArgument" (func $arg (param i32) (result i64)))
  (import "env" "int64storageLoad" (func $load (param i32 i32) (result i64)))
  (import "env" "int64storageStore" (func $store (param i32 i32 i64) (result i32)))
  (memory (export "memory") 1) (data (i32.const 0) "sum")
  (func (export "init"))
  (func (export "add") (drop (call $store (i32.const 0) (i32.const 3)
    (i64.add (call $load (i32.const 0) (i32.const 3)) (call $arg (i32.const 0)))))))`;

function hostWith(hook: BlockchainHook) {
  return new VMHost({ blockchainHook: hook, gasSchedule: testSchedule(), blockGasLimit: 10_000_000n });
}

const storedValue = (out: VMOutput) =>
  Buffer.from((out.OutputAccounts ?? []).flatMap((a) => a?.StorageUpdates ?? [])[0]?.Data ?? []);

function expectHookFailed(run: () => unknown, method: string, cause: string) {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(VMError);
  expect((thrown as VMError).code).toBe(ErrorCode.HookFailed.code);
  expect((thrown as VMError).critical).toBe(false);
  expect((thrown as VMError).message).toContain(method);
  expect((thrown as VMError).message).toContain(cause);
}

describe('[@vm/host] a failing blockchain hook aborts the execution', () => {
  let code: Uint8Array;
  beforeAll(async () => {
    code = await wat(ADDER);
  });

  function world() {
    const hook = new FakeBlockchainHook();
    hook.setAccount(SC, { code });
    hook.setStorage(SC, SUM, Buffer.from([5]));
    return hook;
  }

  it('an absent key is a normal answer: add(7) on an empty storage writes 7', () => {
    const hook = new FakeBlockchainHook().setAccount(SC, { code });
    const out = hostWith(hook).runSmartContractCall(callInput(SC, 'add', { Arguments: [Buffer.from([7])] }));
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(storedValue(out)).toEqual(Buffer.from([7]));
  });

  it('getStorageData throwing: thrown HookFailed, never an Ok output that wrote 7 over 5', () => {
    const hook = world();
    hook.getStorageData = () => {
      throw new Error('database unavailable');
    };
    expectHookFailed(
      () => hostWith(hook).runSmartContractCall(callInput(SC, 'add', { Arguments: [Buffer.from([7])] })),
      'getStorageData',
      'database unavailable',
    );
  });

  it('getStorageData with a bug (a TypeError): neither empty storage nor an execution failure, the bug itself', () => {
    const hook = world();
    const bug = new TypeError("Cannot read properties of undefined (reading 'get')");
    hook.getStorageData = () => {
      throw bug;
    };
    let output: VMOutput | undefined;
    let thrown: unknown;
    try {
      output = hostWith(hook).runSmartContractCall(callInput(SC, 'add', { Arguments: [Buffer.from([7])] }));
    } catch (error) {
      thrown = error;
    }
    expect(output).toBeUndefined();
    expect(VMError.is(thrown, ErrorCode.HookFailed)).toBe(true);
    expect((thrown as VMError).cause).toBe(bug);
  });

  it('a hook throwing a HookFailed VMError (as the process gateway does) passes through unchanged', () => {
    const hook = world();
    const failure = new VMError(ErrorCode.HookFailed, 'getStorageData: node database closed');
    hook.getStorageData = () => {
      throw failure;
    };
    let thrown: unknown;
    try {
      hostWith(hook).runSmartContractCall(callInput(SC, 'add', { Arguments: [Buffer.from([7])] }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(failure);
  });

  it('getUserAccount throwing during a deploy: thrown HookFailed', () => {
    const hook = world();
    hook.getUserAccount = () => {
      throw new Error('disk error');
    };
    expectHookFailed(() => hostWith(hook).runSmartContractCreate(createInput(code)), 'getUserAccount', 'disk error');
  });

  it('a hook throwing inside a host function (getBlockTimestamp): thrown HookFailed', async () => {
    const timestamp = await wat(`(module (import "env" "getBlockTimestamp" (func $t (result i64)))
      (memory (export "memory") 1) (func (export "run") (drop (call $t))))`);
    const hook = new FakeBlockchainHook().setAccount(SC, { code: timestamp });
    hook.currentTimeStamp = () => {
      throw new TypeError('cannot read properties of undefined');
    };
    expectHookFailed(
      () => hostWith(hook).runSmartContractCall(callInput(SC, 'run')),
      'currentTimeStamp',
      'cannot read properties of undefined',
    );
  });

  it('newAddress throwing: thrown HookFailed', () => {
    const hook = world();
    hook.newAddress = () => {
      throw new Error('no address');
    };
    expectHookFailed(() => hostWith(hook).runSmartContractCreate(createInput(code)), 'newAddress', 'no address');
  });

  it('the VM stays usable after a hook failure', () => {
    const hook = world();
    const vm = hostWith(hook);
    const original = hook.getStorageData.bind(hook);
    hook.getStorageData = () => {
      throw new Error('once');
    };
    expect(() => vm.runSmartContractCall(callInput(SC, 'add', { Arguments: [Buffer.from([7])] }))).toThrow(VMError);
    hook.getStorageData = original;
    const out = vm.runSmartContractCall(callInput(SC, 'add', { Arguments: [Buffer.from([7])] }));
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(storedValue(out)).toEqual(Buffer.from([12]));
  });

  it('a hook object without its methods is refused when the VM is built, naming the method', () => {
    const partial = { getStorageData: () => null } as unknown as BlockchainHook;
    let thrown: unknown;
    try {
      hostWith(partial);
    } catch (error) {
      thrown = error;
    }
    expect(VMError.is(thrown, HostError.InvalidHostParameters)).toBe(true);
    expect((thrown as Error).message).toContain('newAddress');
  });

  describe('processBuiltInFunction', () => {
    let caller: Uint8Array;
    beforeAll(async () => {
      caller = await wat(`(module
        (import "env" "executeOnDestContext" (func $call (param i64 i32 i32 i32 i32 i32 i32 i32) (result i32)))
        (import "env" "int64finish" (func $finish (param i64)))
        (memory (export "memory") 1) (data (i32.const 0) "${'d'.repeat(32)}") (data (i32.const 64) "builtin")
        (func (export "run") (call $finish (i64.extend_i32_u (call $call (i64.const 1000) (i32.const 0)
          (i32.const 100) (i32.const 64) (i32.const 7) (i32.const 0) (i32.const 0) (i32.const 0))))))`);
    });
    const vmFor = (hook: BlockchainHook) =>
      new VMHost({ blockchainHook: hook, gasSchedule: testSchedule(), builtinFunctions: ['builtin'] });

    it('its own failure (BuiltinFunctionFailed) fails the nested call, as in the reference', () => {
      const hook = new FakeBlockchainHook().setAccount(SC, { code: caller });
      hook.processBuiltInFunction = () => {
        throw new VMError(ErrorCode.BuiltinFunctionFailed, 'insufficient funds for the token');
      };
      const out = vmFor(hook).runSmartContractCall(callInput(SC, 'run'));
      expect(out.ReturnCode).toBe(ReturnCode.Ok);
      expect((out.ReturnData ?? []).map((d) => Buffer.from(d ?? []))).toEqual([Buffer.from([1])]);
    });

    it('any other throw is the node failing: HookFailed', () => {
      const hook = new FakeBlockchainHook().setAccount(SC, { code: caller });
      hook.processBuiltInFunction = () => {
        throw new Error('state trie corrupted');
      };
      expectHookFailed(
        () => vmFor(hook).runSmartContractCall(callInput(SC, 'run')),
        'processBuiltInFunction',
        'state trie corrupted',
      );
    });
  });
});
