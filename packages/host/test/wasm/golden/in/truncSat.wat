;; The 0xFC saturating truncations are allowed and metered; sign extension too.
(module
  (func (export "f") (param f32) (result i32)
    local.get 0
    i32.trunc_sat_f32_s
    i32.extend8_s))
