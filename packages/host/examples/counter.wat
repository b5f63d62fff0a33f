;; A counter: init stores 1 under "counter"; increment adds 1 and returns the new value; get returns it.
;; counter.wasm is this file compiled (a test checks they agree).
(module
  (import "env" "int64storageLoad" (func $load (param i32 i32) (result i64)))
  (import "env" "int64storageStore" (func $store (param i32 i32 i64) (result i32)))
  (import "env" "int64finish" (func $finish (param i64)))
  (memory (export "memory") 1)
  (data (i32.const 0) "counter")
  (func (export "init") (drop (call $store (i32.const 0) (i32.const 7) (i64.const 1))))
  (func (export "increment") (local $n i64)
    (local.set $n (i64.add (call $load (i32.const 0) (i32.const 7)) (i64.const 1)))
    (drop (call $store (i32.const 0) (i32.const 7) (local.get $n)))
    (call $finish (local.get $n)))
  (func (export "get") (call $finish (call $load (i32.const 0) (i32.const 7)))))
