/**
 * Rewrites a contract's binary for deterministic execution under V8:
 *  - gas metering exactly as the reference's wasmer middleware: opcode costs accumulated over the ORIGINAL opcode
 *    stream, flushed into a gas counter before every block boundary, branch, call and return, and the limit
 *    checked before branches and calls (an overrun traps with the OutOfGas breakpoint);
 *  - a deterministic call-depth limit: each function adds its frame weight to a depth counter on entry and
 *    removes it on exit (the body is wrapped in a block so that every exit passes the epilogue);
 *  - a deterministic memory cap (the declared maximum, lowered to MAX_MEMORY_PAGES); the memory becomes an
 *    import (same index 0), because creating a fresh WebAssembly.Memory per call costs far more than reusing one.
 * Injected instructions cost nothing and are stack-neutral. The rewrite works on the binary directly: costs never
 * depend on a tool's re-encoding. Opcodes are validated on the way (float, SIMD, bulk memory, ... are rejected).
 */
import { BinaryReader, BinaryWriter, invalid } from './binary';
import { MAX_MEMORY_PAGES, WASM_LIMITS } from './limits';
import { EXPORT_KIND, SectionId, VALTYPE, parseModuleLayout, type ModuleLayout } from './moduleLayout';
import {
  CHECK_OPCODES,
  FLUSH_OPCODES,
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
});

/**
 * An injected function that puts every mutable global (the contract's and ours) back to its initial value, so an
 * instance can be reused: with its memory zeroed and its data segments written again, it is exactly a fresh one.
 */
export const RESET_EXPORT = '\u0000vm.reset';

/**
 * An injected function `(i32 points) -> ()` adding the unsigned points to the gas used: the host charges through
 * it, since a call with a number costs far less than reading and writing the i64 global through BigInts.
 */
export const USE_GAS_EXPORT = '\u0000vm.useGas';

/** Breakpoint values the injected code sets before trapping. */
export const INJECTED_BREAKPOINT = Object.freeze({ outOfGas: 5, callDepth: 100 });

/** The memory is imported from here, so the host can hand each instance a pooled, zeroed memory. */
export const MEMORY_IMPORT = Object.freeze({ module: '\u0000vm', name: 'memory' });

export interface InstrumentedModule {
  readonly bytes: Uint8Array;
  readonly layout: ModuleLayout;
  /** The contract's memory (pages; maximum already capped), now imported; undefined if it declares none. */
  readonly memory: { readonly initial: number; readonly maximum: number } | undefined;
}

/** Parses, validates and instruments. Throws InvalidModule for anything the reference would reject. */
export function instrumentModule(code: Uint8Array, opcodeCosts: readonly number[]): InstrumentedModule {
  const layout = parseModuleLayout(code);
  for (const e of layout.exports)
    if ((Object.values(INJECTED) as string[]).includes(e.name))
      invalid(`export name ${JSON.stringify(e.name)} is reserved`);
  const g = layout.globalCount;
  const globals = { gasUsed: g, gasLimit: g + 1, breakpoint: g + 2, depth: g + 3, depthLimit: g + 4 };

  const out = new BinaryWriter().bytes(code.subarray(0, 8));
  const memory = layout.memory && {
    initial: layout.memory.min,
    maximum: Math.min(layout.memory.max ?? MAX_MEMORY_PAGES, MAX_MEMORY_PAGES),
  };
  const resetType = layout.types.length;
  const resetFunction = layout.imports.length + layout.functionTypes.length;
  const useGasFunction = resetFunction + 1;

  /** What each section gets appended (entries, count); a section that does not exist is created with them. */
  const appends = new Map<number, { entries: BinaryWriter; count: number; existing: number }>([
    [
      SectionId.Type,
      {
        entries: new BinaryWriter().u8(0x60).u8(0).u8(0).u8(0x60).u8(1).u8(VALTYPE.i32).u8(0),
        count: 2,
        existing: layout.types.length,
      },
    ],
    [
      SectionId.Function,
      {
        entries: new BinaryWriter().u32(resetType).u32(resetType + 1),
        count: 2,
        existing: layout.functionTypes.length,
      },
    ],
    [SectionId.Global, { entries: injectedGlobals(), count: 5, existing: layout.globalCount }],
    [
      SectionId.Export,
      {
        entries: injectedExports(globals, resetFunction, useGasFunction),
        count: 7,
        existing: layout.exports.length,
      },
    ],
    [
      SectionId.Code,
      {
        entries: new BinaryWriter().sized(resetBody(layout, globals)).sized(useGasBody(globals)),
        count: 2,
        existing: layout.bodies.length,
      },
    ],
  ]);
  if (memory)
    appends.set(SectionId.Import, { entries: memoryImport(memory), count: 1, existing: layout.imports.length });
  const written = new Set<number>();
  const emitSection = (id: number, content: Uint8Array) => out.u8(id).sized(content);
  const emitMissingBefore = (id: number) => {
    for (const [appendId, append] of [...appends].sort(([a], [b]) => a - b)) {
      if (appendId < id && !written.has(appendId)) {
        emitSection(appendId, appendToVector(0, undefined, append.entries, append.count));
        written.add(appendId);
      }
    }
  };

  for (const section of layout.sections) {
    if (section.id === SectionId.Custom) continue; // names and other metadata do not run
    emitMissingBefore(section.id);
    let content = code.subarray(section.start, section.end);
    if (section.id === SectionId.Memory) continue; // now imported
    if (section.id === SectionId.Code) content = instrumentCode(layout, opcodeCosts, globals);
    const append = appends.get(section.id);
    if (append) {
      content = appendToVector(append.existing, content, append.entries, append.count);
      written.add(section.id);
    }
    emitSection(section.id, content);
  }
  emitMissingBefore(Infinity);
  return { bytes: out.toBytes(), layout, memory };
}

function memoryImport(memory: { initial: number; maximum: number }): BinaryWriter {
  const name = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
  return new BinaryWriter()
    .sized(name(MEMORY_IMPORT.module))
    .sized(name(MEMORY_IMPORT.name))
    .u8(0x02)
    .u8(1)
    .u32(memory.initial)
    .u32(memory.maximum);
}

/** Section content (without the leading count) of an existing section, followed by the appended entries. */
function appendToVector(
  existingCount: number,
  existing: Uint8Array | undefined,
  added: BinaryWriter,
  addedCount: number,
): Uint8Array {
  const w = new BinaryWriter().u32(existingCount + addedCount);
  if (existing) {
    const r = new BinaryReader(existing);
    r.u32();
    w.bytes(existing.subarray(r.pos));
  }
  return w.bytes(added.toBytes()).toBytes();
}

function injectedGlobals(): BinaryWriter {
  const w = new BinaryWriter();
  const global = (type: number) =>
    w
      .u8(type)
      .u8(1)
      .u8(type === VALTYPE.i64 ? 0x42 : 0x41)
      .u8(0)
      .u8(0x0b);
  [VALTYPE.i64, VALTYPE.i64, VALTYPE.i32, VALTYPE.i32, VALTYPE.i32].forEach(global);
  return w;
}

function injectedExports(
  globals: Record<keyof typeof INJECTED, number>,
  resetFunction: number,
  useGasFunction: number,
): BinaryWriter {
  const w = new BinaryWriter();
  const name = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
  for (const key of Object.keys(INJECTED) as (keyof typeof INJECTED)[])
    w.sized(name(INJECTED[key])).u8(EXPORT_KIND.global).u32(globals[key]);
  w.sized(name(RESET_EXPORT)).u8(EXPORT_KIND.func).u32(resetFunction);
  return w.sized(name(USE_GAS_EXPORT)).u8(EXPORT_KIND.func).u32(useGasFunction);
}

/** gasUsed += u64(param 0), wrapping as the i64 global always does. */
function useGasBody(g: InjectedGlobals): Uint8Array {
  return new BinaryWriter()
    .u32(0)
    .u8(OP.globalGet)
    .u32(g.gasUsed)
    .u8(OP.localGet)
    .u8(0)
    .u8(OP.i64ExtendI32U)
    .u8(OP.i64Add)
    .u8(OP.globalSet)
    .u32(g.gasUsed)
    .u8(OP.end)
    .toBytes();
}

/** Every mutable global back to its init expression (copied as written); ours back to 0. */
function resetBody(layout: ModuleLayout, g: InjectedGlobals): Uint8Array {
  const w = new BinaryWriter().u32(0);
  for (const global of layout.mutableGlobals)
    w.bytes(layout.bytes.subarray(global.init.start, global.init.end)).u8(OP.globalSet).u32(global.index);
  w.u8(OP.i64Const).u8(0).u8(OP.globalSet).u32(g.gasUsed);
  for (const index of [g.breakpoint, g.depth]) w.u8(OP.i32Const).u8(0).u8(OP.globalSet).u32(index);
  return w.u8(OP.end).toBytes();
}

interface InjectedGlobals {
  gasUsed: number;
  gasLimit: number;
  breakpoint: number;
  depth: number;
  depthLimit: number;
}

function instrumentCode(layout: ModuleLayout, opcodeCosts: readonly number[], globals: InjectedGlobals): Uint8Array {
  const w = new BinaryWriter().u32(layout.bodies.length);
  layout.bodies.forEach((body, i) => {
    const type = layout.types[layout.functionTypes[i]];
    const functionCount = layout.imports.length + layout.functionTypes.length;
    w.sized(
      instrumentBody(layout.bytes, body, type.params.length, type.results[0], opcodeCosts, globals, functionCount),
    );
  });
  return w.toBytes();
}

const OP = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  return: 0x0f,
  call: 0x10,
  localGet: 0x20,
  globalGet: 0x23,
  globalSet: 0x24,
  i32Const: 0x41,
  i64Const: 0x42,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32GtU: 0x4b,
  i64GeU: 0x5a,
  i64Add: 0x7c,
  i64ExtendI32U: 0xad,
} as const;
const EMPTY_BLOCK = 0x40;

function instrumentBody(
  bytes: Uint8Array,
  range: { start: number; end: number },
  paramCount: number,
  result: number | undefined,
  opcodeCosts: readonly number[],
  g: InjectedGlobals,
  functionCount: number,
): Uint8Array {
  const r = new BinaryReader(bytes, range.start, range.end);
  const w = new BinaryWriter();

  // Locals: copied as they are.
  let locals = 0;
  const localsStart = r.pos;
  for (let n = r.u32(); n > 0; n--) {
    locals += r.u32();
    if (locals > WASM_LIMITS.localsPerFunction)
      invalid(`more than ${WASM_LIMITS.localsPerFunction} locals in a function`);
    const type = r.u8();
    if (type !== VALTYPE.i32 && type !== VALTYPE.i64 && type !== VALTYPE.f32 && type !== VALTYPE.f64)
      invalid(`local of unsupported type 0x${type.toString(16)}`);
  }
  w.bytes(bytes.subarray(localsStart, r.pos));

  // Prologue: add the frame weight to the depth counter, trap past the limit, open the wrapper block.
  const weight = 1 + Math.ceil((paramCount + locals + (range.end - range.start) / 16) / 8);
  w.u8(OP.globalGet).u32(g.depth).u8(OP.i32Const).s32(weight).u8(OP.i32Add).u8(OP.globalSet).u32(g.depth);
  w.u8(OP.globalGet).u32(g.depth).u8(OP.globalGet).u32(g.depthLimit).u8(OP.i32GtU);
  trapWithBreakpoint(w, g, INJECTED_BREAKPOINT.callDepth);
  w.u8(OP.block).u8(result ?? EMPTY_BLOCK);

  let nesting = 0; // labels opened inside the wrapper block
  let pending = 0; // cost accumulated since the last flush
  for (;;) {
    const start = r.pos;
    const op = r.u8();
    let costIndex: number;
    if (op === PREFIX_FC) {
      const sub = r.u32();
      if (sub >= TRUNC_SAT_COUNT) invalid(`0xfc ${sub}: bulk memory and table instructions are not supported`);
      costIndex = TRUNC_SAT_OPCODES[sub].costIndex;
    } else {
      const info = SINGLE_BYTE_OPCODES[op];
      if (!info)
        invalid(
          UNSUPPORTED_OPCODE_FEATURES[op]
            ? `${UNSUPPORTED_OPCODE_FEATURES[op]} is not supported`
            : `unknown opcode 0x${op.toString(16)}`,
        );
      if (info.float) invalid(`float instruction ${info.name} is not allowed`);
      costIndex = info.costIndex;
      const index = skipImmediate(r, info.immediate);
      // Indices past the module's own functions and globals would reach the injected ones (reset, useGas, the gas
      // counters) in the rewritten module, where V8 then finds them valid.
      if (op === OP.call && index! >= functionCount) invalid(`call to function ${index}, which does not exist`);
      if ((op === OP.globalGet || op === OP.globalSet) && index! >= g.gasUsed)
        invalid(`global ${index} does not exist`);
    }

    pending += opcodeCosts[costIndex];
    if (FLUSH_OPCODES.has(op)) {
      if (pending > 0)
        w.u8(OP.globalGet)
          .u32(g.gasUsed)
          .u8(OP.i64Const)
          .s64(BigInt(pending))
          .u8(OP.i64Add)
          .u8(OP.globalSet)
          .u32(g.gasUsed);
      pending = 0;
    }
    if (CHECK_OPCODES.has(op)) {
      w.u8(OP.globalGet).u32(g.gasUsed).u8(OP.globalGet).u32(g.gasLimit).u8(OP.i64GeU);
      trapWithBreakpoint(w, g, INJECTED_BREAKPOINT.outOfGas);
    }

    if (op === OP.end && nesting === 0) {
      // The function's own end: close the wrapper, run the epilogue, end the function.
      if (r.pos !== range.end) invalid('code after the end of a function body');
      w.u8(OP.end);
      w.u8(OP.globalGet).u32(g.depth).u8(OP.i32Const).s32(weight).u8(OP.i32Sub).u8(OP.globalSet).u32(g.depth);
      w.u8(OP.end);
      return w.toBytes();
    }
    if (op === OP.return) {
      w.u8(OP.br).u32(nesting); // leave through the wrapper block, so the epilogue runs
      continue;
    }
    if (op === OP.block || op === OP.loop || op === OP.if) nesting++;
    else if (op === OP.end) nesting--;
    w.bytes(bytes.subarray(start, r.pos));
    if (r.atEnd) invalid('function body without an end');
  }
}

function trapWithBreakpoint(w: BinaryWriter, g: InjectedGlobals, breakpoint: number): void {
  w.u8(OP.if)
    .u8(EMPTY_BLOCK)
    .u8(OP.i32Const)
    .s32(breakpoint)
    .u8(OP.globalSet)
    .u32(g.breakpoint)
    .u8(OP.unreachable)
    .u8(OP.end);
}

/** Skips an instruction's immediate; a function, local or global index is returned. */
function skipImmediate(r: BinaryReader, immediate: string): number | undefined {
  switch (immediate) {
    case 'none':
      return;
    case 'blockType': {
      const type = r.u8();
      if (
        type === EMPTY_BLOCK ||
        type === VALTYPE.i32 ||
        type === VALTYPE.i64 ||
        type === VALTYPE.f32 ||
        type === VALTYPE.f64
      )
        return;
      return invalid(type === 0x7b ? 'SIMD (v128) is not supported' : 'multi-value block types are not supported');
    }
    case 'label':
      r.u32();
      return;
    case 'func':
    case 'index':
      return r.u32();
    case 'labelTable': {
      const n = r.u32();
      if (n > WASM_LIMITS.brTableTargets) invalid('br_table too large');
      for (let i = 0; i <= n; i++) r.u32();
      return;
    }
    case 'callIndirect':
      r.u32();
      if (r.u8() !== 0) invalid('call_indirect on a table other than 0 (reference types) is not supported');
      return;
    case 'memArg':
      r.u32();
      r.u32();
      return;
    case 'zeroByte':
      if (r.u8() !== 0) invalid('memory index other than 0 (multi-memory) is not supported');
      return;
    case 'i32':
      r.skipSigned(32);
      return;
    case 'i64':
      r.skipSigned(64);
      return;
    default:
      invalid(`unexpected immediate ${immediate}`);
  }
}
