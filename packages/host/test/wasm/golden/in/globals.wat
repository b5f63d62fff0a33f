;; Mutable globals are reset by the injected reset function to their init expressions; immutable ones are not.
(module
  (global $counter (mut i32) (i32.const 42))
  (global $big (mut i64) (i64.const -1))
  (global $fixed i32 (i32.const 9))
  (func (export "bump")
    global.get $counter
    global.get $fixed
    i32.add
    global.set $counter))
