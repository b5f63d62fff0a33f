import { ReturnCode } from '@vm/protocol';
import { wat, address, callInput, hex, text } from '@vm/testkit';
import { eeiImports, newHost } from '@vm/testkit/host';

const A = address('contractA');
const B = address('contractB');
const IMPORTS = eeiImports('env', {
  names: [
    'finish',
    'storageStore',
    'executeOnDestContext',
    'executeReadOnly',
    'createContract',
    'int64finish',
    'getNumReturnData',
    'getGasLeft',
  ],
  as: {
    executeOnDestContext: 'dest',
    executeReadOnly: 'readOnly',
    createContract: 'create',
    getNumReturnData: 'numReturnData',
    getGasLeft: 'gasLeft',
  },
});

/** Memory: 0..31 target address, 32..63 zero value, 64.. function name, 128 result, 200.. code. */
const contractOf = (body: string, target: Uint8Array, fn: string, extra = '') =>
  wat(`(module ${IMPORTS} (memory (export "memory") 1)
    (data (i32.const 0) "${text(target)}") (data (i32.const 64) "${fn}") ${extra}
    ${body})`);

describe('[@vm/host] nested calls with our own contracts', () => {
  it('a contract calling itself without end stops at the instance limit, not a crash', async () => {
    const { hook, vm } = newHost();
    const code = await contractOf(
      `(func (export "loop") (call $int64finish (i64.extend_i32_s (call $dest (i64.div_u (call $gasLeft) (i64.const 2)) (i32.const 0) (i32.const 32) (i32.const 64) (i32.const 4) (i32.const 0) (i32.const 0) (i32.const 0)))))`,
      A,
      'loop',
    );
    hook.setAccount(A, { code });
    const out = vm.runSmartContractCall(callInput(A, 'loop', { GasProvided: 10_000_000n }));
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    // each level keeps half its gas; the 11th instance fails (instance limit): the 10th finishes 1, the 9 above it 0
    expect(out.ReturnData!.map(hex)).toEqual(['01', ...Array(9).fill('')]);
  });

  it('executeReadOnly: the callee cannot write storage (silently unchanged)', async () => {
    const { hook, vm } = newHost();
    const writer = await wat(`(module ${IMPORTS} (memory (export "memory") 1) (data (i32.const 0) "kv")
      (func (export "write") (call $int64finish (i64.extend_i32_s (call $storageStore (i32.const 0) (i32.const 1) (i32.const 1) (i32.const 1))))))`);
    hook.setAccount(B, { code: writer });
    const caller = await contractOf(
      `(func (export "run") (call $int64finish (i64.extend_i32_s (call $readOnly (i64.const 100000) (i32.const 0) (i32.const 64) (i32.const 5) (i32.const 0) (i32.const 0) (i32.const 0)))))`,
      B,
      'write',
    );
    hook.setAccount(A, { code: caller });
    const out = vm.runSmartContractCall(callInput(A, 'run'));
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(out.ReturnData!.map(hex)).toEqual(['', '']); // StorageUnchanged (0), then success (0)
    expect(out.OutputAccounts!.flatMap((a) => a.StorageUpdates ?? [])).toEqual([]);
  });

  it('createContract deploys code, runs its init and writes the new address; with invalid code all gas is lost, so the caller runs out of gas', async () => {
    const { hook, vm } = newHost();
    const child = await wat(
      `(module ${IMPORTS} (memory (export "memory") 1) (data (i32.const 0) "born") (func (export "init") (call $finish (i32.const 0) (i32.const 4))))`,
    );
    const create = (len: number) =>
      contractOf(
        `(func (export "run") (call $int64finish (i64.extend_i32_s (call $create (i32.const 32) (i32.const 200) (i32.const ${len}) (i32.const 128) (i32.const 0) (i32.const 0) (i32.const 0))))
           (call $finish (i32.const 128) (i32.const 32)))`,
        A,
        'run',
        `(data (i32.const 200) "${Array.from(child, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}")`,
      );
    hook.setAccount(A, { code: await create(child.length), nonce: 3n });
    hook.newAddressResult = Buffer.from(address('newborn'));
    const out = vm.runSmartContractCall(callInput(A, 'run'));
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(out.ReturnData!.map(text)).toEqual(['born', '', text(address('newborn'))]);
    const born = out.OutputAccounts!.find((a) => Buffer.from(a.Address!).equals(address('newborn')))!;
    expect(born.Code).toEqual(child);
    expect(born.CodeMetadata).toEqual(Uint8Array.of(1, 0));
    expect(hook.newAddressCalls.at(-1)).toEqual({ creator: A, nonce: 2n });

    hook.setAccount(A, { code: await create(10) }); // 10 bytes of a module: invalid code
    const bad = vm.runSmartContractCall(callInput(A, 'run', { GasProvided: 500_000n }));
    // createContract returned 1, but it had forwarded all remaining gas: the caller's next call traps out of gas
    expect(bad).toMatchObject({ ReturnCode: ReturnCode.OutOfGas, ReturnMessage: 'not enough gas' });
  });

  it("a destination-context child sees none of the caller's return data", async () => {
    const { hook, vm } = newHost();
    hook.setAccount(B, {
      code: await wat(
        `(module ${IMPORTS} (memory (export "memory") 1) (func (export "count") (call $int64finish (i64.extend_i32_s (call $numReturnData)))))`,
      ),
    });
    hook.setAccount(A, {
      code: await contractOf(
        `(func (export "run") (call $finish (i32.const 64) (i32.const 5)) (drop (call $dest (i64.const 100000) (i32.const 0) (i32.const 32) (i32.const 64) (i32.const 5) (i32.const 0) (i32.const 0) (i32.const 0))))`,
        B,
        'count',
      ),
    });
    const out = vm.runSmartContractCall(callInput(A, 'run'));
    expect(out.ReturnData!.map(text)).toEqual(['count', '']);
  });
});
