;; The memory becomes an import with its maximum capped at 1024 pages; data segments stay; memory.size and
;; memory.grow are metered like any other instruction.
(module
  (memory (export "memory") 2 5000)
  (data (i32.const 16) "hello")
  (func (export "grow") (result i32)
    i32.const 1
    memory.grow
    drop
    memory.size))
