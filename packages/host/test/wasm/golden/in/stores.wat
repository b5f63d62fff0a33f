;; Every store keeps its address in a local on the way (the value set aside in the i32 or the i64 local) and
;; lowers storedLow / raises storedHigh (globals 5 and 6) to it afterwards; the three locals come after the
;; function's own. A reused instance then zeroes only [storedLow, storedHigh + the largest offset + width).
(module
  (memory (export "memory") 1)
  (func (export "run") (param $p i32) (local $x i64)
    (i32.store offset=4 (local.get $p) (i32.const 7))
    (i64.store8 (i32.const 100) (local.get $x))))
