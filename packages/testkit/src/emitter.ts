/**
 * A contract that writes as much output as it is asked to, for tests of the output bound. Every function reads
 * its sizes from its arguments (u64, big-endian): `finishN(len, n)` finishes `len` bytes `n` times, `logN(len, n)`
 * writes `n` logs of `len` bytes, `storeN(len, n)` stores `len` bytes under `n` keys, `failWith(len)` signals an
 * error of `len` characters. Its memory is 20 MiB.
 */
export const EMITTER_MEMORY_BYTES = 320 * 65536;

const repeat = (body: string) => `
    (local $i i64)
    (block $done (loop $next
      (br_if $done (i64.ge_u (local.get $i) (call $arg (i32.const 1))))
      ${body}
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $next)))`;

export const EMITTER_WAT = `(module
  (import "env" "int64getArgument" (func $arg (param i32) (result i64)))
  (import "env" "finish" (func $finish (param i32 i32)))
  (import "env" "writeLog" (func $log (param i32 i32 i32 i32)))
  (import "env" "storageStore" (func $store (param i32 i32 i32 i32) (result i32)))
  (import "env" "signalError" (func $signal (param i32 i32)))
  (memory (export "memory") 320)
  (data (i32.const 1024) "x")
  (func $len (result i32) (i32.wrap_i64 (call $arg (i32.const 0))))
  (func (export "finishN") ${repeat('(call $finish (i32.const 1024) (call $len))')})
  (func (export "logN") ${repeat('(call $log (i32.const 1024) (call $len) (i32.const 0) (i32.const 0))')})
  (func (export "storeN") ${repeat(
    `(i64.store (i32.const 0) (local.get $i))
      (drop (call $store (i32.const 0) (i32.const 8) (i32.const 1024) (call $len)))`,
  )})
  (func (export "failWith") (call $signal (i32.const 1024) (call $len))))`;
