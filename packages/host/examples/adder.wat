;; The adder: a sum kept in storage under "sum". init(initial) and add(value) take one unsigned big integer;
;; getSum returns the sum. A call with any other number of arguments fails with "wrong number of arguments".
;; adder.wasm is this file compiled (a test checks they agree).
(module
  (import "env" "getNumArguments" (func $numArguments (result i32)))
  (import "env" "signalError" (func $signalError (param i32 i32)))
  (import "env" "bigIntNew" (func $bigIntNew (param i64) (result i32)))
  (import "env" "bigIntGetUnsignedArgument" (func $bigIntArgument (param i32 i32)))
  (import "env" "bigIntAdd" (func $bigIntAdd (param i32 i32 i32)))
  (import "env" "bigIntStorageLoadUnsigned" (func $bigIntLoad (param i32 i32 i32) (result i32)))
  (import "env" "bigIntStorageStoreUnsigned" (func $bigIntStore (param i32 i32 i32) (result i32)))
  (import "env" "bigIntFinishUnsigned" (func $bigIntFinish (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "sum")
  (data (i32.const 16) "wrong number of arguments")

  ;; The single argument, as a big integer handle (signalError ends the call otherwise).
  (func $argument (result i32) (local $value i32)
    (if (i32.ne (call $numArguments) (i32.const 1))
      (then (call $signalError (i32.const 16) (i32.const 25))))
    (local.set $value (call $bigIntNew (i64.const 0)))
    (call $bigIntArgument (i32.const 0) (local.get $value))
    (local.get $value))

  (func $loadSum (result i32) (local $sum i32)
    (local.set $sum (call $bigIntNew (i64.const 0)))
    (drop (call $bigIntLoad (i32.const 0) (i32.const 3) (local.get $sum)))
    (local.get $sum))

  (func (export "init")
    (drop (call $bigIntStore (i32.const 0) (i32.const 3) (call $argument))))

  (func (export "add") (local $sum i32)
    (local.set $sum (call $loadSum))
    (call $bigIntAdd (local.get $sum) (local.get $sum) (call $argument))
    (drop (call $bigIntStore (i32.const 0) (i32.const 3) (local.get $sum))))

  (func (export "getSum")
    (call $bigIntFinish (call $loadSum))))
