import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { wat } from '@vm/testkit';

/**
 * An ERC20 with erc20-c's interface (init(supply), totalSupply, balanceOf, allowance, transferToken, approve,
 * transferFrom; the same error messages, allowance checked before balance) and one planted bug: transferFrom reads
 * the recipient's balance before it writes the sender's, so a transferFrom from an account to itself mints the
 * amount. transferToken does it right. Storage: balance under the 32-byte address, allowance under "A" owner
 * spender, the supply under "totalSupply".
 */
export const BUGGY_ERC20 = `(module
  (import "env" "getArgument" (func $arg (param i32 i32) (result i32)))
  (import "env" "getCaller" (func $caller (param i32)))
  (import "env" "signalError" (func $error (param i32 i32)))
  (import "env" "bigIntNew" (func $new (param i64) (result i32)))
  (import "env" "bigIntGetUnsignedArgument" (func $uarg (param i32 i32)))
  (import "env" "bigIntStorageLoadUnsigned" (func $load (param i32 i32 i32) (result i32)))
  (import "env" "bigIntStorageStoreUnsigned" (func $store (param i32 i32 i32) (result i32)))
  (import "env" "bigIntFinishUnsigned" (func $finish (param i32)))
  (import "env" "bigIntAdd" (func $add (param i32 i32 i32)))
  (import "env" "bigIntSub" (func $sub (param i32 i32 i32)))
  (import "env" "bigIntCmp" (func $cmp (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0: caller / sender, 32: recipient, 96: "A" owner(97) spender(129): the allowance key
  (data (i32.const 96) "A")
  (data (i32.const 200) "totalSupply")
  (data (i32.const 220) "insufficient funds")
  (data (i32.const 240) "allowance exceeded")
  (func $loadAt (param $key i32) (param $len i32) (result i32) (local $h i32)
    (local.set $h (call $new (i64.const 0)))
    (drop (call $load (local.get $key) (local.get $len) (local.get $h)))
    (local.get $h))
  (func $argAmount (param $i i32) (result i32) (local $h i32)
    (local.set $h (call $new (i64.const 0)))
    (call $uarg (local.get $i) (local.get $h))
    (local.get $h))
  (func (export "init") (local $supply i32)
    (call $caller (i32.const 0))
    (local.set $supply (call $argAmount (i32.const 0)))
    (drop (call $store (i32.const 200) (i32.const 11) (local.get $supply)))
    (drop (call $store (i32.const 0) (i32.const 32) (local.get $supply))))
  (func (export "totalSupply") (call $finish (call $loadAt (i32.const 200) (i32.const 11))))
  (func (export "balanceOf")
    (drop (call $arg (i32.const 0) (i32.const 32)))
    (call $finish (call $loadAt (i32.const 32) (i32.const 32))))
  (func (export "allowance")
    (drop (call $arg (i32.const 0) (i32.const 97)))
    (drop (call $arg (i32.const 1) (i32.const 129)))
    (call $finish (call $loadAt (i32.const 96) (i32.const 65))))
  (func (export "approve")
    (call $caller (i32.const 97))
    (drop (call $arg (i32.const 0) (i32.const 129)))
    (drop (call $store (i32.const 96) (i32.const 65) (call $argAmount (i32.const 1)))))
  (func (export "transferToken") (local $amount i32) (local $balance i32)
    (call $caller (i32.const 0))
    (drop (call $arg (i32.const 0) (i32.const 32)))
    (local.set $amount (call $argAmount (i32.const 1)))
    (local.set $balance (call $loadAt (i32.const 0) (i32.const 32)))
    (if (i32.gt_s (call $cmp (local.get $amount) (local.get $balance)) (i32.const 0))
      (then (call $error (i32.const 220) (i32.const 18)) (return)))
    (call $sub (local.get $balance) (local.get $balance) (local.get $amount))
    (drop (call $store (i32.const 0) (i32.const 32) (local.get $balance)))
    ;; the recipient's balance read after the sender's was written: right for a transfer to oneself
    (local.set $balance (call $loadAt (i32.const 32) (i32.const 32)))
    (call $add (local.get $balance) (local.get $balance) (local.get $amount))
    (drop (call $store (i32.const 32) (i32.const 32) (local.get $balance))))
  (func (export "transferFrom") (local $amount i32) (local $allowed i32) (local $from i32) (local $to i32)
    (drop (call $arg (i32.const 0) (i32.const 97)))
    (call $caller (i32.const 129))
    (drop (call $arg (i32.const 1) (i32.const 32)))
    (local.set $amount (call $argAmount (i32.const 2)))
    (local.set $allowed (call $loadAt (i32.const 96) (i32.const 65)))
    (if (i32.gt_s (call $cmp (local.get $amount) (local.get $allowed)) (i32.const 0))
      (then (call $error (i32.const 240) (i32.const 18)) (return)))
    (local.set $from (call $loadAt (i32.const 97) (i32.const 32)))
    (if (i32.gt_s (call $cmp (local.get $amount) (local.get $from)) (i32.const 0))
      (then (call $error (i32.const 220) (i32.const 18)) (return)))
    (call $sub (local.get $allowed) (local.get $allowed) (local.get $amount))
    (drop (call $store (i32.const 96) (i32.const 65) (local.get $allowed)))
    ;; THE BUG: both balances read before either is written, so from = to gains the amount
    (local.set $to (call $loadAt (i32.const 32) (i32.const 32)))
    (call $sub (local.get $from) (local.get $from) (local.get $amount))
    (call $add (local.get $to) (local.get $to) (local.get $amount))
    (drop (call $store (i32.const 97) (i32.const 32) (local.get $from)))
    (drop (call $store (i32.const 32) (i32.const 32) (local.get $to)))))`;

/** The buggy ERC20 compiled into a fresh directory: its path. */
export async function buggyErc20File(): Promise<string> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'fuzz-buggy-erc20-')), 'buggy-erc20.wasm');
  writeFileSync(file, await wat(BUGGY_ERC20));
  return file;
}
