;; A return inside nested blocks becomes a branch out of the wrapper block, so the depth epilogue always runs;
;; unreachable flushes too.
(module
  (func (export "f") (param i32) (result i32)
    block
      block
        local.get 0
        if
          i32.const 7
          return
        end
      end
    end
    unreachable))
