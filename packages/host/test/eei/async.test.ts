import { CallType, ReturnCode } from '@vm/protocol';
import { wat, address, callInput, createInput, hex, text } from '@vm/testkit';
import { eeiImports, newHost } from '@vm/testkit/host';

const A = address('contractA');
const B = address('contractB');
const FAR = address('far-away');

const IMPORTS = eeiImports('env', {
  names: [
    'asyncCall',
    'createAsyncCall',
    'setAsyncContextCallback',
    'delegateExecution',
    'storageStore',
    'finish',
    'int64finish',
    'getArgument',
    'getNumArguments',
  ],
  as: { setAsyncContextCallback: 'setCallback', delegateExecution: 'delegate' },
});

// Memory: 0 destination address, 32 the 32-byte value (0), 64 call data, 100 context id, 110 callback names.
const contract = (destination: Uint8Array, data: string, body: string, extra = '') =>
  wat(`(module ${IMPORTS} (memory (export "memory") 1)
    (data (i32.const 0) "${text(destination)}") (data (i32.const 64) "${data}") (data (i32.const 100) "ctx") (data (i32.const 110) "onOk") (data (i32.const 120) "onErr")
    ${body} ${extra})`);

describe('[@vm/host] asynchronous calls with our own contracts', () => {
  it('asyncCall to a destination with no code here leaves as an output transfer with the data and the gas', async () => {
    const { hook, vm } = newHost();
    hook.setAccount(A, {
      code: await contract(
        FAR,
        'doIt@0a0b',
        `(func (export "run") (call $asyncCall (i32.const 0) (i32.const 32) (i32.const 64) (i32.const 9)) (call $finish (i32.const 64) (i32.const 4)))`,
      ),
      balance: 100n,
    });
    const out = vm.runSmartContractCall(callInput(A, 'run', { GasProvided: 1_000_000n }));
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(out.ReturnData).toEqual([]); // nothing after asyncCall runs
    const far = out.OutputAccounts!.find((a) => Buffer.from(a.Address!).equals(FAR))!;
    expect(text(far.Data)).toBe('doIt@0a0b');
    expect(far.CallType).toBe(CallType.AsynchronousCall);
    expect(far.GasLimit).toBeGreaterThan(0n);
  });

  it("asyncCall to a destination with code runs it, then the caller's callBack with the status and the results", async () => {
    const { hook, vm } = newHost();
    hook.setAccount(B, {
      code: await contract(A, 'x', `(func (export "doIt") (call $finish (i32.const 64) (i32.const 1)))`),
    });
    const echoArgs = `(func (export "callBack") (local $i i32) (local $n i32)
      (block $done (loop $l (br_if $done (i32.ge_u (local.get $i) (call $getNumArguments)))
        (local.set $n (call $getArgument (local.get $i) (i32.const 200))) (call $finish (i32.const 200) (local.get $n))
        (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l))))`;
    hook.setAccount(A, {
      code: await contract(
        B,
        'doIt',
        `(func (export "run") (call $asyncCall (i32.const 0) (i32.const 32) (i32.const 64) (i32.const 4)))`,
        echoArgs,
      ),
    });
    const out = vm.runSmartContractCall(callInput(A, 'run', { GasProvided: 1_000_000n }));
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    // B finished "x"; the callback received [status Ok = "", "x"] and finished them
    expect(out.ReturnData!.map(text)).toEqual(['x', '', 'x']);
  });

  it('asyncCall with malformed call data fails the execution', async () => {
    const { hook, vm } = newHost();
    hook.setAccount(A, {
      code: await contract(
        FAR,
        'doIt@zz',
        `(func (export "run") (call $asyncCall (i32.const 0) (i32.const 32) (i32.const 64) (i32.const 7)))`,
      ),
    });
    expect(vm.runSmartContractCall(callInput(A, 'run'))).toMatchObject({
      ReturnCode: ReturnCode.ExecutionFailed,
      ReturnMessage: 'tokenize failed',
    });
  });

  it('createAsyncCall to another shard stores the pending call in the reference JSON and sends it on', async () => {
    const { hook, vm } = newHost();
    const body = `(func (export "run")
      (call $createAsyncCall (i32.const 100) (i32.const 3) (i32.const 0) (i32.const 32) (i32.const 64) (i32.const 4) (i32.const 110) (i32.const 4) (i32.const 120) (i32.const 5) (i64.const 50000))
      (drop (call $setCallback (i32.const 100) (i32.const 3) (i32.const 110) (i32.const 4))))`;
    hook.setAccount(A, { code: await contract(FAR, 'doIt', body) });
    const out = vm.runSmartContractCall(callInput(A, 'run', { GasProvided: 1_000_000n }));
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    const stored = out
      .OutputAccounts!.find((a) => Buffer.from(a.Address!).equals(A))!
      .StorageUpdates!.find((u) => text(u.Offset) === 'asyncCalls')!;
    expect(text(stored.Data)).toBe(
      `{"CallerAddr":"${Buffer.from(address('caller')).toString('base64')}","ReturnData":null,"AsyncContextMap":{"ctx":{"Callback":"onOk","AsyncCalls":[{"Status":0,"Destination":"${FAR.toString('base64')}","Data":"ZG9JdA==","GasLimit":50000,"ValueBytes":"${Buffer.alloc(32).toString('base64')}","SuccessCallback":"onOk","ErrorCallback":"onErr","ProvidedGas":50000}]}}}`,
    );
    expect(text(out.OutputAccounts!.find((a) => Buffer.from(a.Address!).equals(FAR))!.Data)).toBe('doIt');
  });

  it('setAsyncContextCallback on an unknown context fails the execution', async () => {
    const { hook, vm } = newHost();
    hook.setAccount(A, {
      code: await contract(
        FAR,
        'x',
        `(func (export "run") (drop (call $setCallback (i32.const 100) (i32.const 3) (i32.const 110) (i32.const 4))))`,
      ),
    });
    expect(vm.runSmartContractCall(callInput(A, 'run'))).toMatchObject({
      ReturnCode: ReturnCode.ExecutionFailed,
      ReturnMessage: 'async context was not created yet',
    });
  });

  it("delegateExecution runs the callee on the caller's storage", async () => {
    const { hook, vm } = newHost();
    hook.setAccount(B, {
      code: await contract(
        A,
        'kv',
        `(func (export "write") (drop (call $storageStore (i32.const 64) (i32.const 1) (i32.const 65) (i32.const 1))))`,
      ),
    });
    hook.setAccount(A, {
      code: await contract(
        B,
        'write',
        `(func (export "run") (call $int64finish (i64.extend_i32_s (call $delegate (i64.const 100000) (i32.const 0) (i32.const 64) (i32.const 5) (i32.const 0) (i32.const 0) (i32.const 0)))))`,
      ),
    });
    const out = vm.runSmartContractCall(callInput(A, 'run'));
    expect(out.ReturnData!.map(hex)).toEqual(['']);
    const storageOfA = out.OutputAccounts!.find((a) => Buffer.from(a.Address!).equals(A))!.StorageUpdates!;
    expect(storageOfA.map((u) => [text(u.Offset), text(u.Data)])).toEqual([['k', 'v']]);
  });
});

describe('[@vm/host] upgradeContract', () => {
  it('replaces the code and runs the new init with the remaining arguments; too few arguments is UpgradeFailed', async () => {
    const { hook, vm } = newHost();
    const v1 = await wat(`(module (memory (export "memory") 1) (func (export "init")))`);
    const v2 =
      await wat(`(module (import "env" "getArgument" (func $a (param i32 i32) (result i32))) (import "env" "finish" (func $f (param i32 i32)))
      (memory (export "memory") 1) (func (export "init") (call $f (i32.const 0) (call $a (i32.const 0) (i32.const 0)))))`);
    hook.setAccount(A, { code: v1 });
    const out = vm.runSmartContractCall(
      callInput(A, 'upgradeContract', { Arguments: [v2, Uint8Array.of(1, 0), Buffer.from('hi')] }),
    );
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(out.ReturnData!.map(text)).toEqual(['hi']);
    expect(out.OutputAccounts!.find((a) => Buffer.from(a.Address!).equals(A))!.Code).toEqual(v2);
    expect(vm.runSmartContractCall(callInput(A, 'upgradeContract', { Arguments: [v2] }))).toMatchObject({
      ReturnCode: ReturnCode.UpgradeFailed,
      ReturnMessage: 'upgrade failed (invalid arguments)',
    });
    expect(vm.runSmartContractCreate(createInput(v2, { Arguments: [Buffer.from('x')] })).ReturnData!.map(text)).toEqual(
      ['x'],
    );
  });
});
