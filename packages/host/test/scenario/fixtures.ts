import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { wat } from '@vm/testkit';

export const OWNER = `0x${'0a'.repeat(32)}`;
export const OTHER = `0x${'0b'.repeat(32)}`;
export const SC = `0x${'0c'.repeat(32)}`;

/** `store(key, value)` writes storage and logs; `echo` finishes its arguments; `fail` signals an error; `pay` accepts value. */
export const CONTRACT = `(module
  (import "env" "getArgument" (func $arg (param i32 i32) (result i32)))
  (import "env" "getNumArguments" (func $n (result i32)))
  (import "env" "finish" (func $finish (param i32 i32)))
  (import "env" "storageStore" (func $store (param i32 i32 i32 i32) (result i32)))
  (import "env" "writeLog" (func $log (param i32 i32 i32 i32)))
  (import "env" "signalError" (func $err (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "${'t'.repeat(32)}") (data (i32.const 32) "oops")
  (func (export "init"))
  (func (export "store") (local $k i32) (local $v i32)
    (local.set $k (call $arg (i32.const 0) (i32.const 100)))
    (local.set $v (call $arg (i32.const 1) (i32.const 200)))
    (drop (call $store (i32.const 100) (local.get $k) (i32.const 200) (local.get $v)))
    (call $log (i32.const 200) (local.get $v) (i32.const 0) (i32.const 1)))
  (func (export "echo") (local $i i32) (local $len i32)
    (block $done (loop $l (br_if $done (i32.ge_u (local.get $i) (call $n)))
      (local.set $len (call $arg (local.get $i) (i32.const 300)))
      (call $finish (i32.const 300) (local.get $len))
      (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l))))
  (func (export "fail") (call $err (i32.const 32) (i32.const 4)))
  (func (export "pay")))`;

/** A fresh directory holding `contract.wasm`. */
export async function contractDir(prefix: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  writeFileSync(path.join(dir, 'contract.wasm'), await wat(CONTRACT));
  return dir;
}

/** The setState the runner tests start from: OWNER with `balance`, SC running contract.wasm with `storage`. */
export const setStateStep = (balance: string, storage: Record<string, string> = {}) => ({
  step: 'setState',
  accounts: {
    [OWNER]: { nonce: '0', balance, storage: {}, code: '' },
    [SC]: { nonce: '0', balance: '0', storage, code: 'file:contract.wasm' },
  },
});

/** An scCall from OWNER to SC with a gas limit of 100,000 (no expect: add one). */
export const scCallStep = (fn: string, args: string[], { value = '0', gasPrice = '1', txId = fn } = {}) => ({
  step: 'scCall',
  txId,
  tx: { from: OWNER, to: SC, value, function: fn, arguments: args, gasLimit: '100,000', gasPrice },
});
