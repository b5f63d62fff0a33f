;; Block boundaries flush the running cost (no gas check): block, loop, if, else and end.
(module
  (func (export "f") (param i32) (result i32)
    (local i64)
    block
      nop
    end
    loop
      nop
    end
    local.get 0
    if (result i32)
      i32.const 1
    else
      i32.const 2
    end))
