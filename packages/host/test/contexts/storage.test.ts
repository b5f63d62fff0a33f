// Storage keys and values of any bytes (0x00..0xff, any length) through a contract, against a Map model: the
// storage context keys its cache by one character per byte and keeps the arrays it is given; equal bytes must
// meet the same entry, different bytes never, and what a call stored must not change when memory changes after.
import fc from 'fast-check';
import { ReturnCode } from '@vm/protocol';
import { address, callInput, FakeBlockchainHook, hex, wat } from '@vm/testkit';
import { newHost } from '@vm/testkit/host';

const SC = address('storage-keys');

/**
 * `run(k0, v0, k1, v1, ...)`: for each pair, loads the key's old value (finished), stores the new one, then
 * overwrites the argument area (the stored bytes must be the context's own). Finally loads every key again.
 */
const CONTRACT = `(module
  (import "env" "getNumArguments" (func $count (result i32)))
  (import "env" "getArgumentLength" (func $argLength (param i32) (result i32)))
  (import "env" "getArgument" (func $arg (param i32 i32) (result i32)))
  (import "env" "storageStore" (func $store (param i32 i32 i32 i32) (result i32)))
  (import "env" "storageLoad" (func $load (param i32 i32 i32) (result i32)))
  (import "env" "finish" (func $finish (param i32 i32)))
  (memory (export "memory") 1)
  (func $pair (param $i i32) (param $withStore i32)
    (local $keyLength i32) (local $valueLength i32) (local $loaded i32)
    (local.set $keyLength (call $argLength (local.get $i)))
    (drop (call $arg (local.get $i) (i32.const 0)))
    (local.set $loaded (call $load (i32.const 0) (local.get $keyLength) (i32.const 4096)))
    (call $finish (i32.const 4096) (local.get $loaded))
    (if (local.get $withStore)
      (then
        (local.set $valueLength (call $argLength (i32.add (local.get $i) (i32.const 1))))
        (drop (call $arg (i32.add (local.get $i) (i32.const 1)) (i32.const 1024)))
        (drop (call $store (i32.const 0) (local.get $keyLength) (i32.const 1024) (local.get $valueLength)))
        (local.set $loaded (i32.const 0))
        (loop $overwrite
          (i32.store8 (local.get $loaded) (i32.const 0xee))
          (br_if $overwrite
            (i32.lt_u (local.tee $loaded (i32.add (local.get $loaded) (i32.const 1))) (i32.const 2048)))))))
  (func (export "run") (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (call $count)))
      (call $pair (local.get $i) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $next)))
    (local.set $i (i32.const 0))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (call $count)))
      (call $pair (local.get $i) (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $next)))))`;

describe('storage keys and values of any bytes', () => {
  let code: Uint8Array;
  beforeAll(async () => {
    code = await wat(CONTRACT);
  });

  // Keys share prefixes and differ in high bytes (0x80..0xff) often; a repeated key overwrites its value.
  const key = fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 40 }),
    fc.constantFrom(Uint8Array.of(0x80), Uint8Array.of(0xff), Uint8Array.of(0x00), Uint8Array.of(0xc3, 0xa9)),
  );
  const pairs = fc.array(fc.tuple(key, fc.uint8Array({ minLength: 1, maxLength: 40 })), {
    minLength: 1,
    maxLength: 8,
  });

  it('loads what the model holds, before and after every store; the updates are the model', () => {
    fc.assert(
      fc.property(pairs, (list) => {
        const hook = new FakeBlockchainHook();
        hook.setAccount(SC, { code });
        const { vm } = newHost(hook);
        const out = vm.runSmartContractCall(callInput(SC, 'run', { Arguments: list.flat() }));
        expect(out.ReturnCode).toBe(ReturnCode.Ok);

        const model = new Map<string, string>();
        const finished: string[] = [];
        for (const [k, v] of list) {
          finished.push(model.get(hex(k)!) ?? '');
          model.set(hex(k)!, hex(v)!);
        }
        for (const [k] of list) finished.push(model.get(hex(k)!)!);
        expect((out.ReturnData ?? []).map((d) => hex(d))).toEqual(finished);

        const account = out.OutputAccounts?.find((a) => Buffer.compare(a.Address!, SC) === 0);
        const updates = new Map((account?.StorageUpdates ?? []).map((u) => [hex(u.Offset)!, hex(u.Data)!]));
        expect(updates).toEqual(model);
      }),
      { numRuns: 150 },
    );
  });
});
