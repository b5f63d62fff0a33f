/**
 * Structural limits of the reference's validator (wasmparser 57f8cec, before its "reduce limits" change) and our
 * own deterministic limits.
 */
export const WASM_LIMITS = Object.freeze({
  types: 1_000_000,
  functions: 1_000_000,
  globals: 1_000_000,
  imports: 100_000,
  exports: 100_000,
  dataSegments: 100_000,
  elementSegments: 100_000,
  tableEntries: 10_000_000,
  functionBodyBytes: 128 * 1024,
  localsPerFunction: 50_000,
  paramsOrResults: 1000,
  nameBytes: 100_000,
  brTableTargets: 100_000,
});

/** Bytes in a WebAssembly memory page. */
export const PAGE = 65536;

/** The most pages a 32-bit memory can declare (4 GiB). */
export const SPEC_MAX_MEMORY_PAGES = 65536;

/** 64 KiB pages. The reference allows SPEC_MAX_MEMORY_PAGES; we cap memory deterministically (a documented deviation). */
export const MAX_MEMORY_PAGES = 1024;

/**
 * The deterministic call-depth budget, in frame-weight units of about 64 bytes of V8 stack: a frame weighs
 * 1 + ceil((params + locals + bodyBytes/16) / 8). Shared by all nested instances, so V8's own stack limit
 * (which varies with compiler tier and frame size) never decides an outcome.
 */
export const CALL_DEPTH_BUDGET = 8000;
