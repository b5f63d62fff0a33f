/**
 * Rewrites a contract's binary for deterministic execution under V8:
 *  - gas metering exactly as the reference's wasmer middleware: opcode costs accumulated over the ORIGINAL opcode
 *    stream, flushed into a gas counter before every block boundary, branch, call and return, and the limit
 *    checked before branches and calls (an overrun traps with the OutOfGas breakpoint);
 *  - a deterministic call-depth limit: each function adds its frame weight to a depth counter on entry and
 *    removes it on exit (the body is wrapped in a block so that every exit passes the epilogue);
 *  - a deterministic memory cap (the declared maximum, lowered to MAX_MEMORY_PAGES); the memory becomes an
 *    import (same index 0), because creating a fresh WebAssembly.Memory per call costs far more than reusing one;
 *  - the range of addresses the contract's stores reach (the lowest and highest address stored to), so a reused
 *    instance is made fresh again by zeroing what the last call wrote, not the whole memory (1 MiB for a 17-page
 *    contract: ~9 µs per call, against ~0.2 ns per store for the tracking).
 * Injected instructions cost nothing and are stack-neutral. The rewrite works on the binary directly: costs never
 * depend on a tool's re-encoding. Opcodes are validated on the way (float, SIMD, bulk memory, ... are rejected).
 */
import { Breakpoint } from '../execution/breakpoints';
import { BinaryReader, BinaryWriter, invalid } from './binary';
import { MAX_MEMORY_PAGES, WASM_LIMITS } from './limits';
import { EXPORT_KIND, SectionId, TYPE_BYTE, VALTYPE, parseModuleLayout, type ModuleLayout } from './moduleLayout';
import {
  ImmediateCode,
  MeterCode,
  OP,
  OPCODE_COLUMNS,
  PREFIX_FC,
  SINGLE_BYTE_OPCODES,
  TRUNC_SAT_COUNT,
  TRUNC_SAT_OPCODES,
  UNSUPPORTED_OPCODE_FEATURES,
} from './opcodes';

/** Export names of the injected globals. They start with NUL: no contract export can be called that. */
export const INJECTED = Object.freeze({
  gasUsed: '\u0000vm.gasUsed',
  gasLimit: '\u0000vm.gasLimit',
  breakpoint: '\u0000vm.breakpoint',
  depth: '\u0000vm.depth',
  depthLimit: '\u0000vm.depthLimit',
  /** The lowest address a store used since the last reset (0xffffffff: none). */
  storedLow: '\u0000vm.storedLow',
  /** The highest address a store used since the last reset (stores reach at most `storeReach` bytes past it). */
  storedHigh: '\u0000vm.storedHigh',
});

/**
 * An injected function `(i64 gasLimit, i32 depthLimit) -> ()` that puts every mutable global (the contract's and
 * ours) back to its initial value and sets the call's gas limit and depth budget: one call arms an instance, new or
 * reused (a reused one, with what its last call wrote zeroed and its data segments written again, is then exactly
 * a fresh one).
 */
export const RESET_EXPORT = '\u0000vm.reset';

/**
 * An injected function `(i32 points) -> ()` adding the unsigned points to the gas used: the host charges through
 * it, since a call with a number costs far less than reading and writing the i64 global through BigInts.
 */
export const USE_GAS_EXPORT = '\u0000vm.useGas';

/** Breakpoint values the injected code sets before trapping (out of gas: the reference's own breakpoint value). */
export const INJECTED_BREAKPOINT = Object.freeze({ outOfGas: Breakpoint.OutOfGas, callDepth: 100 });

/** The memory is imported from here, so the host can hand each instance a pooled, zeroed memory. */
export const MEMORY_IMPORT = Object.freeze({ module: '\u0000vm', name: 'memory' });

export interface InstrumentedModule {
  readonly bytes: Uint8Array;
  readonly layout: ModuleLayout;
  /** The contract's memory (pages; maximum already capped), now imported; undefined if it declares none. */
  readonly memory: { readonly initial: number; readonly maximum: number } | undefined;
  /**
   * Whether every store is tracked (storedLow/storedHigh); false only when a function has no room for the three
   * locals the tracking needs, and then a reused instance's whole memory is zeroed.
   */
  readonly tracksStores: boolean;
  /** The largest offset + width of any store: the bytes written lie in [storedLow, storedHigh + storeReach). */
  readonly storeReach: number;
}

/** Width in bytes of each store instruction, and whether its value is an i64 (the float stores are rejected). */
const STORES: readonly [op: number, width: number, i64: boolean][] = [
  [OP.I32Store, 4, false],
  [OP.I32Store8, 1, false],
  [OP.I32Store16, 2, false],
  [OP.I64Store, 8, true],
  [OP.I64Store8, 1, true],
  [OP.I64Store16, 2, true],
  [OP.I64Store32, 4, true],
];
/** STORES by opcode byte for the walk: the width (0: not a store), and 1 for an i64 value. */
const STORE_WIDTH = new Uint8Array(256);
const STORE_I64 = new Uint8Array(256);
for (const [op, width, i64] of STORES) {
  STORE_WIDTH[op] = width;
  STORE_I64[op] = i64 ? 1 : 0;
}
/** The locals the tracking adds to each function: the address, and the value (i32 or i64) set aside meanwhile. */
const TRACKING_LOCALS = 3;

/** A function with no room for the tracking's locals: the module is rewritten again without tracking. */
class NoRoomForTracking extends Error {}

const INJECTED_NAMES: ReadonlySet<string> = new Set(Object.values(INJECTED));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * Parses, validates and instruments. Throws InvalidModule for anything the reference would reject.
 *
 * One pass: the layout parser reads every section but skips function bodies by their size; the bodies are then
 * read once, instruction by instruction, with no allocation per instruction; runs of unchanged instructions and
 * every unchanged section are copied as slices of the input. The instruction walk checks in JS only what V8 does
 * not (the opcode set of the reference: no floats, SIMD, bulk memory, ...) and what it needs to stay on
 * instruction boundaries (LEB128 lengths, block types, immediates' zero bytes); types, indices and the rest are
 * left to V8's validation of the rewritten module, which is exact for MVP.
 */
export function instrumentModule(code: Uint8Array, opcodeCosts: readonly number[]): InstrumentedModule {
  const layout = parseModuleLayout(code);
  try {
    return rewrite(code, layout, opcodeCosts, true);
  } catch (error) {
    if (!(error instanceof NoRoomForTracking)) throw error;
    return rewrite(code, layout, opcodeCosts, false);
  }
}

function rewrite(
  code: Uint8Array,
  layout: ModuleLayout,
  opcodeCosts: readonly number[],
  tracksStores: boolean,
): InstrumentedModule {
  for (const e of layout.exports)
    if (INJECTED_NAMES.has(e.name)) invalid(`export name ${JSON.stringify(e.name)} is reserved`);
  // A plain Uint8Array view: a Buffer's subarray costs a FastBuffer construction.
  const bytes = new Uint8Array(code.buffer, code.byteOffset, code.byteLength);
  const g = layout.globalCount;
  const globals: InjectedGlobals = {
    gasUsed: g,
    gasLimit: g + 1,
    breakpoint: g + 2,
    depth: g + 3,
    depthLimit: g + 4,
    storedLow: g + 5,
    storedHigh: g + 6,
  };

  const memory = layout.memory && {
    initial: layout.memory.min,
    maximum: Math.min(layout.memory.max ?? MAX_MEMORY_PAGES, MAX_MEMORY_PAGES),
  };
  const resetType = layout.types.length;
  const resetFunction = layout.imports.length + layout.functionTypes.length;
  const useGasFunction = resetFunction + 1;

  /** What each section gets appended (entries, count); a section that does not exist is created with them. */
  const appends = new Map<number, { entries: Uint8Array; count: number }>([
    [
      SectionId.Type,
      {
        entries: Uint8Array.of(TYPE_BYTE.func, 2, VALTYPE.i64, VALTYPE.i32, 0, TYPE_BYTE.func, 1, VALTYPE.i32, 0),
        count: 2,
      },
    ],
    [
      SectionId.Function,
      {
        entries: new BinaryWriter()
          .u32(resetType)
          .u32(resetType + 1)
          .toBytes(),
        count: 2,
      },
    ],
    [SectionId.Global, { entries: injectedGlobals(), count: INJECTED_GLOBALS.length }],
    [
      SectionId.Export,
      { entries: injectedExports(globals, resetFunction, useGasFunction), count: INJECTED_GLOBALS.length + 2 },
    ],
  ]);
  if (memory) appends.set(SectionId.Import, { entries: memoryImport(memory), count: 1 });
  const existing = new Map(
    layout.sections.filter((s) => s.id !== SectionId.Custom && s.id !== SectionId.Memory).map((s) => [s.id, s]),
  );
  const ids = [...new Set([...existing.keys(), ...appends.keys(), SectionId.Code])].sort((a, b) => a - b);

  // The rewritten module is about 2-3x the original (stores tracked): one buffer, rarely grown.
  const out = new BinaryWriter(code.length * 3 + 1024).copy(bytes, 0, 8);
  const reach = { storeReach: 0 };
  for (const id of ids) {
    const section = existing.get(id);
    out.u8(id);
    const mark = out.startSized();
    if (id === SectionId.Code)
      instrumentCode(out, layout, bytes, opcodeCosts, globals, tracksStores ? reach : undefined);
    else {
      // Custom sections (names and other metadata) do not run and are dropped; the memory is now imported.
      const append = appends.get(id);
      if (!append) out.copy(bytes, section!.start, section!.end);
      else {
        const r = new BinaryReader(bytes, section?.start ?? 0, section?.end ?? 0);
        const count = section ? r.u32() : 0;
        out.u32(count + append.count);
        if (section) out.copy(bytes, r.pos, section.end);
        out.bytes(append.entries);
      }
    }
    out.endSized(mark);
  }
  return { bytes: out.toBytes(), layout, memory, tracksStores, storeReach: reach.storeReach };
}

function memoryImport(memory: { initial: number; maximum: number }): Uint8Array {
  return new BinaryWriter()
    .sized(utf8(MEMORY_IMPORT.module))
    .sized(utf8(MEMORY_IMPORT.name))
    .u8(EXPORT_KIND.memory)
    .u8(1)
    .u32(memory.initial)
    .u32(memory.maximum)
    .toBytes();
}

/** The injected mutable globals, in INJECTED's order: type and initial value (the reset puts them back). */
const INJECTED_GLOBALS: readonly { readonly type: number; readonly init: number }[] = [
  { type: VALTYPE.i64, init: 0 }, // gasUsed
  { type: VALTYPE.i64, init: 0 }, // gasLimit
  { type: VALTYPE.i32, init: 0 }, // breakpoint
  { type: VALTYPE.i32, init: 0 }, // depth
  { type: VALTYPE.i32, init: 0 }, // depthLimit
  { type: VALTYPE.i32, init: -1 }, // storedLow: none yet (0xffffffff unsigned)
  { type: VALTYPE.i32, init: 0 }, // storedHigh
];

function injectedGlobals(): Uint8Array {
  const w = new BinaryWriter();
  for (const { type, init } of INJECTED_GLOBALS)
    w.u8(type)
      .u8(1)
      .u8(type === VALTYPE.i64 ? OP.I64Const : OP.I32Const)
      .s32(init)
      .u8(OP.End);
  return w.toBytes();
}

function injectedExports(
  globals: Record<keyof typeof INJECTED, number>,
  resetFunction: number,
  useGasFunction: number,
): Uint8Array {
  const w = new BinaryWriter();
  for (const key of Object.keys(INJECTED) as (keyof typeof INJECTED)[])
    w.sized(utf8(INJECTED[key])).u8(EXPORT_KIND.global).u32(globals[key]);
  w.sized(utf8(RESET_EXPORT)).u8(EXPORT_KIND.func).u32(resetFunction);
  return w.sized(utf8(USE_GAS_EXPORT)).u8(EXPORT_KIND.func).u32(useGasFunction).toBytes();
}

/** gasUsed += u64(param 0), wrapping as the i64 global always does. */
function useGasBody(w: BinaryWriter, g: InjectedGlobals): void {
  w.u32(0)
    .u8(OP.GlobalGet)
    .u32(g.gasUsed)
    .u8(OP.LocalGet)
    .u8(0)
    .u8(OP.I64ExtendI32U)
    .u8(OP.I64Add)
    .u8(OP.GlobalSet)
    .u32(g.gasUsed)
    .u8(OP.End);
}

/** Every mutable global back to its init expression (copied as written), ours to theirs; the limits from params. */
function resetBody(w: BinaryWriter, layout: ModuleLayout, bytes: Uint8Array, g: InjectedGlobals): void {
  w.u32(0);
  for (const global of layout.mutableGlobals)
    w.copy(bytes, global.init.start, global.init.end).u8(OP.GlobalSet).u32(global.index);
  w.u8(OP.I64Const).u8(0).u8(OP.GlobalSet).u32(g.gasUsed);
  for (const index of [g.breakpoint, g.depth, g.storedHigh]) w.u8(OP.I32Const).u8(0).u8(OP.GlobalSet).u32(index);
  w.u8(OP.I32Const).s32(-1).u8(OP.GlobalSet).u32(g.storedLow);
  w.u8(OP.LocalGet).u8(0).u8(OP.GlobalSet).u32(g.gasLimit);
  w.u8(OP.LocalGet).u8(1).u8(OP.GlobalSet).u32(g.depthLimit);
  w.u8(OP.End);
}

type InjectedGlobals = Record<keyof typeof INJECTED, number>;

/** The injected instruction sequences that do not depend on the function: encoded once per module. */
interface Snippets {
  /** `global.get gasUsed; i64.const` — the flush, before its constant. */
  readonly flushHead: Uint8Array;
  /** `i64.add; global.set gasUsed` — the flush, after its constant. */
  readonly flushTail: Uint8Array;
  /** `if (gasUsed >= gasLimit) { breakpoint = outOfGas; unreachable }`. */
  readonly gasCheck: Uint8Array;
  /** `global.get depth; i32.const` — the prologue, before the frame weight. */
  readonly depthHead: Uint8Array;
  /** `i32.add; global.set depth; if (depth > depthLimit) { breakpoint = callDepth; unreachable }; block`. */
  readonly depthCheck: Uint8Array;
  /** `i32.sub; global.set depth; end` — the epilogue, after the frame weight. */
  readonly depthTail: Uint8Array;
}

function snippets(g: InjectedGlobals): Snippets {
  const trap = (w: BinaryWriter, breakpoint: number) =>
    w
      .u8(OP.If)
      .u8(TYPE_BYTE.emptyBlock)
      .u8(OP.I32Const)
      .s32(breakpoint)
      .u8(OP.GlobalSet)
      .u32(g.breakpoint)
      .u8(OP.Unreachable)
      .u8(OP.End);
  const w = () => new BinaryWriter(32);
  return {
    flushHead: w().u8(OP.GlobalGet).u32(g.gasUsed).u8(OP.I64Const).toBytes(),
    flushTail: w().u8(OP.I64Add).u8(OP.GlobalSet).u32(g.gasUsed).toBytes(),
    gasCheck: trap(
      w().u8(OP.GlobalGet).u32(g.gasUsed).u8(OP.GlobalGet).u32(g.gasLimit).u8(OP.I64GeU),
      INJECTED_BREAKPOINT.outOfGas,
    ).toBytes(),
    depthHead: w().u8(OP.GlobalGet).u32(g.depth).u8(OP.I32Const).toBytes(),
    depthCheck: trap(
      w()
        .u8(OP.I32Add)
        .u8(OP.GlobalSet)
        .u32(g.depth)
        .u8(OP.GlobalGet)
        .u32(g.depth)
        .u8(OP.GlobalGet)
        .u32(g.depthLimit)
        .u8(OP.I32GtU),
      INJECTED_BREAKPOINT.callDepth,
    ).toBytes(),
    depthTail: w().u8(OP.I32Sub).u8(OP.GlobalSet).u32(g.depth).u8(OP.End).toBytes(),
  };
}

/** How many functions and globals the module itself has: the injected ones are numbered after them. */
interface OwnIndices {
  readonly functions: number;
  readonly globals: number;
}

function instrumentCode(
  w: BinaryWriter,
  layout: ModuleLayout,
  bytes: Uint8Array,
  opcodeCosts: readonly number[],
  globals: InjectedGlobals,
  reach: { storeReach: number } | undefined,
): void {
  const costs = costsByOpcode(opcodeCosts);
  const s = snippets(globals);
  const own: OwnIndices = { functions: layout.imports.length + layout.functionTypes.length, globals: globals.gasUsed };
  w.u32(layout.bodies.length + 2);
  const r = new BinaryReader(bytes);
  // room for any function's tracking code (LEB128 indices of at most 5 bytes), so its views stay valid
  const scratch = new BinaryWriter(128);
  for (let i = 0; i < layout.bodies.length; i++) {
    const body = layout.bodies[i];
    const type = layout.types[layout.functionTypes[i]];
    const mark = w.startSized();
    instrumentBody(
      w,
      r,
      body.start,
      body.end,
      type.params.length,
      type.results[0],
      costs,
      s,
      own,
      globals,
      reach,
      scratch,
    );
    w.endSized(mark);
  }
  let mark = w.startSized();
  resetBody(w, layout, bytes, globals);
  w.endSized(mark);
  mark = w.startSized();
  useGasBody(w, globals);
  w.endSized(mark);
}

/** The schedule's cost of each single-byte opcode (index 0..255) and of each 0xFC sub-opcode (256..). */
function costsByOpcode(opcodeCosts: readonly number[]): Float64Array {
  const costs = new Float64Array(256 + TRUNC_SAT_COUNT);
  for (let op = 0; op < 256; op++) {
    const index = OPCODE_COLUMNS.costIndex[op];
    if (index >= 0) costs[op] = opcodeCosts[index];
  }
  for (let sub = 0; sub < TRUNC_SAT_COUNT; sub++) costs[256 + sub] = opcodeCosts[TRUNC_SAT_OPCODES[sub].costIndex];
  return costs;
}

function instrumentBody(
  w: BinaryWriter,
  r: BinaryReader,
  start: number,
  end: number,
  paramCount: number,
  result: number | undefined,
  costs: Float64Array,
  s: Snippets,
  own: OwnIndices,
  globals: InjectedGlobals,
  reach: { storeReach: number } | undefined,
  scratch: BinaryWriter,
): void {
  const bytes = r.bytes;
  r.pos = start;

  // Locals: copied as they are, and the tracking's three after them.
  let locals = 0;
  const declarations = r.u32();
  for (let n = declarations; n > 0; n--) {
    locals += r.u32();
    if (locals > WASM_LIMITS.localsPerFunction)
      invalid(`more than ${WASM_LIMITS.localsPerFunction} locals in a function`);
    const type = r.u8();
    if (type !== VALTYPE.i32 && type !== VALTYPE.i64 && type !== VALTYPE.f32 && type !== VALTYPE.f64)
      invalid(`local of unsupported type 0x${type.toString(16)}`);
  }
  const tracking = reach && storeTracking(scratch, paramCount + locals, globals);
  if (!tracking) w.copy(bytes, start, r.pos);
  else {
    if (paramCount + locals + TRACKING_LOCALS > WASM_LIMITS.localsPerFunction) throw new NoRoomForTracking();
    const first = new BinaryReader(bytes, start, r.pos);
    first.u32();
    w.u32(declarations + 2)
      .copy(bytes, first.pos, r.pos)
      .u32(2)
      .u8(VALTYPE.i32)
      .u32(1)
      .u8(VALTYPE.i64);
  }

  // Prologue: add the frame weight to the depth counter, trap past the limit, open the wrapper block.
  const weight = 1 + Math.ceil((paramCount + locals + (end - start) / 16) / 8);
  w.bytes(s.depthHead).s32(weight).bytes(s.depthCheck);
  w.u8(OP.Block).u8(result ?? TYPE_BYTE.emptyBlock);

  const { immediate: immediates, meter: meters } = OPCODE_COLUMNS;
  let nesting = 0; // labels opened inside the wrapper block
  let pending = 0; // cost accumulated since the last flush
  let run = r.pos; // start of the instructions read but not yet copied
  while (r.pos < end) {
    const at = r.pos;
    const op = bytes[r.pos++];
    let meter: number = MeterCode.Accumulate;
    if (op === PREFIX_FC) {
      const sub = r.u32();
      if (sub >= TRUNC_SAT_COUNT) invalid(`0xfc ${sub}: bulk memory and table instructions are not supported`);
      pending += costs[256 + sub];
    } else {
      const immediate = immediates[op];
      if (immediate <= ImmediateCode.Float) rejectOpcode(op);
      pending += costs[op];
      const width = STORE_WIDTH[op];
      if (width > 0 && tracking) {
        // The address is kept in a local on the way (the value set aside meanwhile), and checked after the store.
        r.u32(); // alignment
        reach!.storeReach = Math.max(reach!.storeReach, r.u32() + width);
        w.copy(bytes, run, at)
          .bytes(STORE_I64[op] ? tracking.beforeI64 : tracking.beforeI32)
          .copy(bytes, at, r.pos)
          .bytes(tracking.after);
        run = r.pos;
        continue;
      }
      // Call and global indices are read and checked; the other common immediates are skipped inline (one-byte
      // indices, memory arguments).
      if (op === OP.Call || op === OP.GlobalGet || op === OP.GlobalSet) {
        // Indices past the module's own functions and globals would reach the injected ones (reset, useGas, the
        // gas counters) in the rewritten module, where V8 then finds them valid.
        const index = r.u32();
        if (op === OP.Call ? index >= own.functions : index >= own.globals)
          invalid(
            op === OP.Call ? `call to function ${index}, which does not exist` : `global ${index} does not exist`,
          );
      } else if (immediate === ImmediateCode.None) {
        // nothing to skip
      } else if (immediate === ImmediateCode.U32 && bytes[r.pos] < 0x80) r.pos++;
      else if (immediate === ImmediateCode.MemArg && bytes[r.pos] < 0x80 && bytes[r.pos + 1] < 0x80) r.pos += 2;
      else skipImmediate(r, immediate);
      meter = meters[op];
    }
    if (meter === MeterCode.Accumulate) continue;

    // A flush point: what was read so far goes out unchanged, then the injected code, then this instruction.
    w.copy(bytes, run, at);
    run = at;
    if (pending > 0) w.bytes(s.flushHead).s64(pending).bytes(s.flushTail);
    pending = 0;
    if (meter === MeterCode.Check) w.bytes(s.gasCheck);
    if (op === OP.End) {
      if (nesting === 0) {
        // The function's own end: close the wrapper, run the epilogue, end the function.
        if (r.pos !== end) invalid('code after the end of a function body');
        w.u8(OP.End).bytes(s.depthHead).s32(weight).bytes(s.depthTail);
        return;
      }
      nesting--;
    } else if (op === OP.Return) {
      w.u8(OP.Br).u32(nesting); // leave through the wrapper block, so the epilogue runs
      run = r.pos;
    } else if (op === OP.Block || op === OP.Loop || op === OP.If) nesting++;
  }
  invalid(r.pos > end ? `unexpected end at byte ${end}` : 'function body without an end');
}

/** The code around each store of a function whose tracking locals start at `local`. */
interface StoreTracking {
  /** `local.set value; local.tee address; local.get value` (value: the i32 or the i64 local). */
  readonly beforeI32: Uint8Array;
  readonly beforeI64: Uint8Array;
  /** `if (address <u storedLow) storedLow = address; if (address >u storedHigh) storedHigh = address`. */
  readonly after: Uint8Array;
}

/** The tracking code of a function whose tracking locals start at `local`, encoded into `scratch` (views of it). */
function storeTracking(scratch: BinaryWriter, local: number, g: InjectedGlobals): StoreTracking {
  const [address, valueI32, valueI64] = [local, local + 1, local + 2];
  const before = (value: number) =>
    scratch.u8(OP.LocalSet).u32(value).u8(OP.LocalTee).u32(address).u8(OP.LocalGet).u32(value).length;
  const bound = (global: number, compare: number) =>
    scratch
      .u8(OP.LocalGet)
      .u32(address)
      .u8(OP.GlobalGet)
      .u32(global)
      .u8(compare)
      .u8(OP.If)
      .u8(TYPE_BYTE.emptyBlock)
      .u8(OP.LocalGet)
      .u32(address)
      .u8(OP.GlobalSet)
      .u32(global)
      .u8(OP.End).length;
  scratch.clear();
  const i32End = before(valueI32);
  const i64End = before(valueI64);
  bound(g.storedLow, OP.I32LtU);
  const end = bound(g.storedHigh, OP.I32GtU);
  return {
    beforeI32: scratch.view(0, i32End),
    beforeI64: scratch.view(i32End, i64End),
    after: scratch.view(i64End, end),
  };
}

function rejectOpcode(op: number): never {
  const info = SINGLE_BYTE_OPCODES[op];
  if (info?.float) invalid(`float instruction ${info.name} is not allowed`);
  return invalid(
    UNSUPPORTED_OPCODE_FEATURES[op]
      ? `${UNSUPPORTED_OPCODE_FEATURES[op]} is not supported`
      : `unknown opcode 0x${op.toString(16)}`,
  );
}

function skipImmediate(r: BinaryReader, immediate: number): void {
  switch (immediate) {
    case ImmediateCode.BlockType: {
      const type = r.u8();
      if (
        type === TYPE_BYTE.emptyBlock ||
        type === VALTYPE.i32 ||
        type === VALTYPE.i64 ||
        type === VALTYPE.f32 ||
        type === VALTYPE.f64
      )
        return;
      return invalid(
        type === TYPE_BYTE.v128 ? 'SIMD (v128) is not supported' : 'multi-value block types are not supported',
      );
    }
    case ImmediateCode.U32:
      r.u32();
      return;
    case ImmediateCode.LabelTable: {
      const n = r.u32();
      if (n > WASM_LIMITS.brTableTargets) invalid('br_table too large');
      for (let i = 0; i <= n; i++) r.u32();
      return;
    }
    case ImmediateCode.CallIndirect:
      r.u32();
      if (r.u8() !== 0) invalid('call_indirect on a table other than 0 (reference types) is not supported');
      return;
    case ImmediateCode.MemArg:
      r.u32();
      r.u32();
      return;
    case ImmediateCode.ZeroByte:
      if (r.u8() !== 0) invalid('memory index other than 0 (multi-memory) is not supported');
      return;
    case ImmediateCode.I32:
      r.skipSigned(32);
      return;
    case ImmediateCode.I64:
      r.skipSigned(64);
      return;
  }
}
