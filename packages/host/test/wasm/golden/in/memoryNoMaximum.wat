;; A memory without a maximum gets the cap (1024 pages) as its maximum.
(module
  (memory 1)
  (func (export "load") (param i32) (result i64)
    local.get 0
    i64.load offset=8))
