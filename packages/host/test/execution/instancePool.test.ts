import { ReturnCode } from '@vm/protocol';
import { wat, address, callInput, hex } from '@vm/testkit';
import { newHost } from '@vm/testkit/host';

const SC = address('stateful');

describe('[@vm/host] every execution starts from an instance in its initial state (pooled ones are reset)', () => {
  it('globals, memory and data segments are back to their initial values on the next call (also after a trap)', async () => {
    const { hook, vm } = newHost();
    hook.setAccount(SC, {
      code: await wat(`(module
          (import "env" "finish" (func $finish (param i32 i32)))
          (import "env" "int64finish" (func $int64finish (param i64)))
          (memory (export "memory") 1)
          (data (i32.const 0) "abc")
          (global $counter (mut i64) (i64.const 40))
          (func (export "run")
            (global.set $counter (i64.add (global.get $counter) (i64.const 2)))
            (call $int64finish (global.get $counter))
            (call $finish (i32.const 0) (i32.const 3))
            (call $finish (i32.const 1000) (i32.const 1))
            (i32.store8 (i32.const 0) (i32.const 0x7a))
            (i32.store8 (i32.const 1000) (i32.const 0x7a)))
          (func (export "trap")
            (global.set $counter (i64.const 99))
            (i32.store8 (i32.const 1) (i32.const 0x7a))
            unreachable))`),
    });
    const first = vm.runSmartContractCall(callInput(SC, 'run'));
    expect(first.ReturnData!.map(hex)).toEqual(['2a', '616263', '00']);
    expect(vm.runSmartContractCall(callInput(SC, 'trap')).ReturnCode).toBe(ReturnCode.ExecutionFailed);
    for (let i = 0; i < 3; i++) expect(vm.runSmartContractCall(callInput(SC, 'run'))).toEqual(first);
  });
});

describe('[@vm/host] host functions see the memory as it is now', () => {
  const GROWER = address('grower');
  const code = () =>
    wat(`(module
      (import "env" "finish" (func $finish (param i32 i32)))
      (import "env" "keccak256" (func $keccak (param i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 0) "abc")
      (func (export "grow")
        (call $finish (i32.const 0) (i32.const 3))
        (drop (memory.grow (i32.const 1)))
        (i32.store (i32.const 65536) (i32.const 0x00646566))
        (call $finish (i32.const 65536) (i32.const 3)))
      (func (export "hashTail")
        (drop (call $keccak (i32.const 65534) (i32.const 4) (i32.const 64)))
        (call $finish (i32.const 64) (i32.const 32)))
      (func (export "hashThenOverwrite")
        (drop (call $keccak (i32.const 0) (i32.const 3) (i32.const 0)))
        (call $finish (i32.const 0) (i32.const 32))))`);

  it('a read after memory.grow reads the grown memory (the old buffer is gone)', async () => {
    const { hook, vm } = newHost();
    hook.setAccount(GROWER, { code: await code() });
    for (let i = 0; i < 3; i++)
      expect(vm.runSmartContractCall(callInput(GROWER, 'grow')).ReturnData!.map(hex)).toEqual(['616263', '666564']);
  });

  it('hash input past the end of memory is zero-padded; a digest may overwrite its own input', async () => {
    const { hook, vm } = newHost();
    hook.setAccount(GROWER, { code: await code() });
    const { keccak256 } = await import('@vm/host');
    const tail = vm.runSmartContractCall(callInput(GROWER, 'hashTail'));
    expect(tail.ReturnData!.map(hex)).toEqual([hex(keccak256(new Uint8Array(4)))]);
    const own = vm.runSmartContractCall(callInput(GROWER, 'hashThenOverwrite'));
    expect(own.ReturnData!.map(hex)).toEqual([hex(keccak256(Buffer.from('abc')))]);
  });

  it('a reused instance runs with the new call gas limit', async () => {
    const { hook, vm } = newHost();
    hook.setAccount(GROWER, { code: await code() });
    const run = (gas: bigint) => vm.runSmartContractCall(callInput(GROWER, 'hashTail', { GasProvided: gas }));
    const first = 1_000_000n - run(1_000_000n).GasRemaining;
    expect(run(10n)).toMatchObject({ ReturnCode: ReturnCode.OutOfGas, GasRemaining: 0n });
    expect(run(2_000_000n)).toMatchObject({ ReturnCode: ReturnCode.Ok, GasRemaining: 2_000_000n - first });
    expect(run(10n).ReturnCode).toBe(ReturnCode.OutOfGas);
  });
});

describe('[@vm/host] a reused instance zeroes only what the last call wrote, and is still exactly fresh', () => {
  const WRITER = address('writer');
  const PAGES = 2;
  // write(address, value, how): one store of the chosen width and offset, or a host write (getArgument) there;
  // how >= 8 also traps after writing. dump: the whole memory.
  const code = () =>
    wat(`(module
      (import "env" "int64getArgument" (func $arg (param i32) (result i64)))
      (import "env" "getArgument" (func $getArgument (param i32 i32) (result i32)))
      (import "env" "finish" (func $finish (param i32 i32)))
      (memory (export "memory") ${PAGES})
      (data (i32.const 1024) "initial")
      (data (i32.const 1027) "XY")
      (func (export "write") (local $a i32) (local $v i64) (local $how i32)
        (local.set $a (i32.wrap_i64 (call $arg (i32.const 0))))
        (local.set $v (call $arg (i32.const 1)))
        (local.set $how (i32.wrap_i64 (call $arg (i32.const 2))))
        (block $done
          (block $host (block $s7 (block $s6 (block $s5 (block $s4 (block $s3 (block $s2 (block $s1 (block $s0
            (br_table $s0 $s1 $s2 $s3 $s4 $s5 $s6 $s7 $host (i32.and (local.get $how) (i32.const 7))))
            (i32.store8 (local.get $a) (i32.wrap_i64 (local.get $v))) (br $done))
            (i32.store16 offset=3 (local.get $a) (i32.wrap_i64 (local.get $v))) (br $done))
            (i32.store offset=1000 (local.get $a) (i32.wrap_i64 (local.get $v))) (br $done))
            (i64.store (local.get $a) (local.get $v)) (br $done))
            (i64.store8 offset=9 (local.get $a) (local.get $v)) (br $done))
            (i64.store16 (local.get $a) (local.get $v)) (br $done))
            (i64.store32 offset=2 (local.get $a) (local.get $v)) (br $done))
            (drop (call $getArgument (i32.const 1) (local.get $a))) (br $done))
          (unreachable))
        (if (i32.ge_u (local.get $how) (i32.const 8)) (then unreachable)))
      (func (export "dump") (call $finish (i32.const 0) (i32.const ${PAGES * 65536}))))`);

  const u64 = (n: bigint) => {
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64BE(n);
    return bytes;
  };

  it('after any sequence of stores and host writes (some trapping), the next call sees a fresh memory', async () => {
    const fc = await import('fast-check');
    const { hook, vm } = newHost();
    hook.setAccount(WRITER, { code: await code() });
    const dump = () => {
      const out = vm.runSmartContractCall(callInput(WRITER, 'dump', { GasProvided: 100_000_000n }));
      expect(out.ReturnCode).toBe(ReturnCode.Ok);
      return hex(out.ReturnData![0]);
    };
    const fresh = dump();
    expect(fresh).toContain(hex(Buffer.from('iniXYal')));
    const write = fc.record({
      address: fc.oneof(fc.integer({ min: 0, max: PAGES * 65536 - 1 }), fc.integer({ min: 1000, max: 1040 })),
      value: fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }),
      how: fc.integer({ min: 0, max: 15 }),
    });
    fc.assert(
      fc.property(fc.array(write, { minLength: 1, maxLength: 6 }), (writes) => {
        for (const { address: at, value, how } of writes)
          vm.runSmartContractCall(
            callInput(WRITER, 'write', { Arguments: [u64(BigInt(at)), u64(value), u64(BigInt(how))] }),
          );
        expect(dump()).toBe(fresh);
      }),
      { numRuns: 60 },
    );
  });
});

describe('[@vm/host] a module with no room for the store tracking is still made exactly fresh', () => {
  it('a function with 49,998 locals: rewritten without tracking, a reused instance zeroed whole', async () => {
    const { instrumentModule, OPCODE_COST_KEYS } = await import('@vm/host');
    const BIG = address('manyLocals');
    const code = await wat(`(module
      (import "env" "finish" (func $finish (param i32 i32)))
      (memory (export "memory") 1)
      (func (export "write") (local ${'i32 '.repeat(49_998)}) (i32.store8 (i32.const 7) (i32.const 1)))
      (func (export "dump") (call $finish (i32.const 0) (i32.const 16))))`);
    expect(
      instrumentModule(
        code,
        OPCODE_COST_KEYS.map(() => 1),
      ).tracksStores,
    ).toBe(false);
    const { hook, vm } = newHost();
    hook.setAccount(BIG, { code });
    const dump = () =>
      hex(vm.runSmartContractCall(callInput(BIG, 'dump', { GasProvided: 10_000_000n })).ReturnData![0]);
    const fresh = dump();
    expect(fresh).toBe('00'.repeat(16));
    expect(vm.runSmartContractCall(callInput(BIG, 'write', { GasProvided: 10_000_000n })).ReturnCode).toBe(
      ReturnCode.Ok,
    );
    expect(dump()).toBe(fresh);
  });
});

describe('[@vm/host] storage keys read in place are copied when kept', () => {
  it('a key the contract overwrites after storing under it stays the key it stored under', async () => {
    const KEYS = address('keys');
    const { hook, vm } = newHost();
    hook.setAccount(KEYS, {
      code: await wat(`(module
        (import "env" "storageStore" (func $store (param i32 i32 i32 i32) (result i32)))
        (import "env" "storageLoad" (func $load (param i32 i32 i32) (result i32)))
        (import "env" "finish" (func $finish (param i32 i32)))
        (memory (export "memory") 1)
        (data (i32.const 0) "key1")
        (data (i32.const 16) "v1v2")
        (func (export "run")
          (drop (call $store (i32.const 0) (i32.const 4) (i32.const 16) (i32.const 2)))
          (i32.store8 (i32.const 3) (i32.const 0x32))
          (drop (call $store (i32.const 0) (i32.const 4) (i32.const 18) (i32.const 2)))
          (i32.store8 (i32.const 3) (i32.const 0x31))
          (drop (call $load (i32.const 0) (i32.const 4) (i32.const 32)))
          (call $finish (i32.const 32) (i32.const 2))))`),
    });
    const out = vm.runSmartContractCall(callInput(KEYS, 'run'));
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(out.ReturnData!.map(hex)).toEqual([hex(Buffer.from('v1'))]);
    const updates = out.OutputAccounts!.find((a) => hex(a.Address!) === hex(KEYS))!.StorageUpdates!;
    expect(updates.map((u) => [Buffer.from(u.Offset!).toString(), Buffer.from(u.Data!).toString()])).toEqual([
      ['key1', 'v1'],
      ['key2', 'v2'],
    ]);
  });
});
