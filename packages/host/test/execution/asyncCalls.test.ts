import { CallType, ErrorCode, ReturnCode, VMError, type VMOutput } from '@vm/protocol';
import { FakeBlockchainHook, wat, address, callInput, text, CALLER } from '@vm/testkit';
import { eeiImports, newHost, testSchedule } from '@vm/testkit/host';
import { VMHost } from '@vm/host';

const A = address('contractA');
const B = address('contractB');
const FAR = address('far-away');

const IMPORTS = eeiImports('env', { names: ['createAsyncCall', 'asyncCall', 'finish', 'signalError'] });

/** Applies an output's storage updates to the fake hook, as a node would. */
function apply(hook: FakeBlockchainHook, out: VMOutput) {
  for (const account of out.OutputAccounts ?? [])
    for (const u of account.StorageUpdates ?? []) hook.setStorage(account.Address!, u.Offset!, u.Data!);
}

describe('[@vm/host] promises across shards: the callback arrives later as a top-level call', () => {
  it('runs the stored success callback, clears the record, and calls the original caller back', async () => {
    const { hook, vm } = newHost();
    hook.setAccount(A, {
      code: await wat(`(module ${IMPORTS} (memory (export "memory") 1)
          (data (i32.const 0) "${text(FAR)}") (data (i32.const 64) "doIt") (data (i32.const 100) "ctx") (data (i32.const 110) "onOk") (data (i32.const 120) "onErr") (data (i32.const 130) "booked")
          (func (export "run") (call $createAsyncCall (i32.const 100) (i32.const 3) (i32.const 0) (i32.const 32) (i32.const 64) (i32.const 4) (i32.const 110) (i32.const 4) (i32.const 120) (i32.const 5) (i64.const 50000)))
          (func (export "onOk") (call $finish (i32.const 130) (i32.const 6))))`),
    });
    const sent = vm.runSmartContractCall(callInput(A, 'run'));
    expect(sent.ReturnCode).toBe(ReturnCode.Ok);
    apply(hook, sent);

    const callback = vm.runSmartContractCall(
      callInput(A, 'callBack', { CallerAddr: FAR, CallType: CallType.AsynchronousCallBack }),
    );
    expect(callback.ReturnMessage).toBe('');
    expect(callback.ReturnData!.map(text)).toEqual(['booked']);
    const record = callback
      .OutputAccounts!.find((a) => Buffer.from(a.Address!).equals(A))!
      .StorageUpdates!.find((u) => text(u.Offset) === 'asyncCalls')!;
    expect(record.Data).toEqual(new Uint8Array(0));
    const back = callback.OutputAccounts!.find((a) => Buffer.from(a.Address!).equals(CALLER))!;
    expect(back.CallType).toBe(CallType.AsynchronousCallBack);
    expect(text(back.Data)).toBe('@6f6b');
  });

  it('a callback nobody expected is a user error', async () => {
    const { hook, vm } = newHost();
    hook.setAccount(A, {
      code: await wat(`(module ${IMPORTS} (memory (export "memory") 1) (func (export "callBack")))`),
    });
    hook.setStorage(
      A,
      Buffer.from('asyncCalls'),
      Buffer.from('{"CallerAddr":null,"ReturnData":null,"AsyncContextMap":{}}'),
    );
    expect(
      vm.runSmartContractCall(callInput(A, 'callBack', { CallerAddr: FAR, CallType: CallType.AsynchronousCallBack })),
    ).toMatchObject({
      ReturnCode: ReturnCode.UserError,
      ReturnMessage: 'invalid function (unexpected callback was received)',
    });
  });
});

describe('[@vm/host] hostile asynchronous cases', () => {
  it('a failing callBack: the caller succeeds, keeps no gas, and reports "user error" and the tx hash', async () => {
    const { hook, vm } = newHost();
    hook.setAccount(B, { code: await wat(`(module ${IMPORTS} (memory (export "memory") 1) (func (export "doIt")))`) });
    hook.setAccount(A, {
      code: await wat(`(module ${IMPORTS} (memory (export "memory") 1) (data (i32.const 0) "${text(B)}") (data (i32.const 64) "doIt") (data (i32.const 80) "nope")
          (func (export "run") (call $asyncCall (i32.const 0) (i32.const 32) (i32.const 64) (i32.const 4)))
          (func (export "callBack") (call $signalError (i32.const 80) (i32.const 4))))`),
    });
    const out = vm.runSmartContractCall(callInput(A, 'run', { CurrentTxHash: Buffer.from('txhash') }));
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(out.GasRemaining).toBe(0n);
    expect(out.ReturnData!.map(text)).toEqual(['user error', 'txhash']);
  });
});

describe('[@vm/host] built-in functions through BlockchainHook.processBuiltInFunction', () => {
  it('merges the built-in output and charges the gas it used; a failing built-in loses the gas passed', async () => {
    const hook = new FakeBlockchainHook();
    hook.processBuiltInFunction = (input) => {
      if (input.Function !== 'claim') throw new VMError(ErrorCode.BuiltinFunctionFailed, 'unknown built-in');
      return {
        ReturnData: [Buffer.from('claimed')],
        ReturnCode: 0,
        ReturnMessage: '',
        GasRemaining: input.GasProvided - 100n,
        GasRefund: 0n,
        OutputAccounts: [
          {
            Address: A,
            Nonce: 0n,
            Balance: null,
            BalanceDelta: 42n,
            StorageUpdates: [],
            Code: null,
            CodeMetadata: null,
            Data: null,
            GasLimit: 0n,
            CallType: 0,
          },
        ],
        DeletedAccounts: [],
        TouchedAccounts: [],
        Logs: [],
      };
    };
    const vm = new VMHost({
      blockchainHook: hook,
      gasSchedule: testSchedule(),
      builtinFunctions: ['claim', 'other'],
    });
    const contract = (fn: string) =>
      wat(`(module (import "env" "executeOnSameContext" (func $same (param i64 i32 i32 i32 i32 i32 i32 i32) (result i32))) (import "env" "int64finish" (func $f (param i64)))
        (memory (export "memory") 1) (data (i32.const 0) "${text(A)}") (data (i32.const 64) "${fn}")
        (func (export "run") (call $f (i64.extend_i32_s (call $same (i64.const 10000) (i32.const 0) (i32.const 32) (i32.const 64) (i32.const ${fn.length}) (i32.const 0) (i32.const 0) (i32.const 0))))))`);
    hook.setAccount(A, { code: await contract('claim'), balance: 0n });
    const ok = vm.runSmartContractCall(callInput(A, 'run'));
    expect(ok.ReturnData!.map(text)).toEqual(['claimed', '']);
    expect(ok.OutputAccounts!.find((a) => Buffer.from(a.Address!).equals(A))!.BalanceDelta).toBe(42n);

    hook.setAccount(A, { code: await contract('other'), balance: 0n });
    const failed = vm.runSmartContractCall(callInput(A, 'run'));
    expect(failed.ReturnData!.map(text)).toEqual(['\u0001']);
    expect(ok.GasRemaining - failed.GasRemaining).toBeGreaterThan(9000n); // the 10000 passed is lost, not 100 of it
  });
});
