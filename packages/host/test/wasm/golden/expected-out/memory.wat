;; instrumentModule(in/memory.wat) with every opcode costing 1, printed by wasm2wat.
;; Regenerate deliberately: UPDATE_GOLDEN=1 npx jest packages/host/test/wasm/instrument.test.ts
(module
  (type (;0;) (func (result i32)))
  (type (;1;) (func (param i64 i32)))
  (type (;2;) (func (param i32)))
  (import "\00vm" "memory" (memory (;0;) 2 1024))
  (func (;0;) (type 0) (result i32)
    (local i32 i32 i64)
    global.get 3
    i32.const 2
    i32.add
    global.set 3
    global.get 3
    global.get 4
    i32.gt_u
    if  ;; label = @1
      i32.const 100
      global.set 2
      unreachable
    end
    block (result i32)  ;; label = @1
      i32.const 1
      memory.grow
      drop
      memory.size
      global.get 0
      i64.const 5
      i64.add
      global.set 0
    end
    global.get 3
    i32.const 2
    i32.sub
    global.set 3)
  (func (;1;) (type 1) (param i64 i32)
    i64.const 0
    global.set 0
    i32.const 0
    global.set 2
    i32.const 0
    global.set 3
    i32.const 0
    global.set 6
    i32.const -1
    global.set 5
    local.get 0
    global.set 1
    local.get 1
    global.set 4)
  (func (;2;) (type 2) (param i32)
    global.get 0
    local.get 0
    i64.extend_i32_u
    i64.add
    global.set 0)
  (global (;0;) (mut i64) (i64.const 0))
  (global (;1;) (mut i64) (i64.const 0))
  (global (;2;) (mut i32) (i32.const 0))
  (global (;3;) (mut i32) (i32.const 0))
  (global (;4;) (mut i32) (i32.const 0))
  (global (;5;) (mut i32) (i32.const -1))
  (global (;6;) (mut i32) (i32.const 0))
  (export "memory" (memory 0))
  (export "grow" (func 0))
  (export "\00vm.gasUsed" (global 0))
  (export "\00vm.gasLimit" (global 1))
  (export "\00vm.breakpoint" (global 2))
  (export "\00vm.depth" (global 3))
  (export "\00vm.depthLimit" (global 4))
  (export "\00vm.storedLow" (global 5))
  (export "\00vm.storedHigh" (global 6))
  (export "\00vm.reset" (func 1))
  (export "\00vm.useGas" (func 2))
  (data (;0;) (i32.const 16) "hello"))
