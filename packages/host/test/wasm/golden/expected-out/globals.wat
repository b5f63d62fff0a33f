;; instrumentModule(in/globals.wat) with every opcode costing 1, printed by wasm2wat.
;; Regenerate deliberately: UPDATE_GOLDEN=1 npx jest packages/host/test/wasm/instrument.test.ts
(module
  (type (;0;) (func))
  (type (;1;) (func (param i64 i32)))
  (type (;2;) (func (param i32)))
  (func (;0;) (type 0)
    (local i32 i32 i64)
    global.get 6
    i32.const 2
    i32.add
    global.set 6
    global.get 6
    global.get 7
    i32.gt_u
    if  ;; label = @1
      i32.const 100
      global.set 5
      unreachable
    end
    block  ;; label = @1
      global.get 0
      global.get 2
      i32.add
      global.set 0
      global.get 3
      i64.const 5
      i64.add
      global.set 3
    end
    global.get 6
    i32.const 2
    i32.sub
    global.set 6)
  (func (;1;) (type 1) (param i64 i32)
    i32.const 42
    global.set 0
    i64.const -1
    global.set 1
    i64.const 0
    global.set 3
    i32.const 0
    global.set 5
    i32.const 0
    global.set 6
    i32.const 0
    global.set 9
    i32.const -1
    global.set 8
    local.get 0
    global.set 4
    local.get 1
    global.set 7)
  (func (;2;) (type 2) (param i32)
    global.get 3
    local.get 0
    i64.extend_i32_u
    i64.add
    global.set 3)
  (global (;0;) (mut i32) (i32.const 42))
  (global (;1;) (mut i64) (i64.const -1))
  (global (;2;) i32 (i32.const 9))
  (global (;3;) (mut i64) (i64.const 0))
  (global (;4;) (mut i64) (i64.const 0))
  (global (;5;) (mut i32) (i32.const 0))
  (global (;6;) (mut i32) (i32.const 0))
  (global (;7;) (mut i32) (i32.const 0))
  (global (;8;) (mut i32) (i32.const -1))
  (global (;9;) (mut i32) (i32.const 0))
  (export "bump" (func 0))
  (export "\00vm.gasUsed" (global 3))
  (export "\00vm.gasLimit" (global 4))
  (export "\00vm.breakpoint" (global 5))
  (export "\00vm.depth" (global 6))
  (export "\00vm.depthLimit" (global 7))
  (export "\00vm.storedLow" (global 8))
  (export "\00vm.storedHigh" (global 9))
  (export "\00vm.reset" (func 1))
  (export "\00vm.useGas" (func 2)))
