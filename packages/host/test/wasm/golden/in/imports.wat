;; Imported host functions keep their indices; the injected reset and useGas functions come after the defined ones.
(module
  (import "env" "getGasLeft" (func $gasLeft (result i64)))
  (memory 1)
  (func (export "f") (result i64)
    call $gasLeft))
