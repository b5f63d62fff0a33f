;; Branches and calls flush and then check the gas limit (trapping with the out-of-gas breakpoint 5).
(module
  (type $void (func))
  (table 1 funcref)
  (elem (i32.const 0) $callee)
  (func $callee)
  (func (export "f") (param i32)
    block
      local.get 0
      br_if 0
      local.get 0
      br_table 0 0
    end
    call $callee
    i32.const 0
    call_indirect (type $void)
    loop
      br 0
    end))
