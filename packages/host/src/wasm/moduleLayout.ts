/**
 * Parses a contract's binary into its sections and checks everything about the module's structure that the
 * reference's validator checks and V8 does not: the MVP feature set of 2020 (no multi-value, bulk memory,
 * reference types, SIMD, threads or later proposals), the validator's size limits, function imports only, at most
 * one memory and one table, no start function. Opcodes inside function bodies are checked by the instrumenter,
 * which has to walk them anyway. Type checking is left to V8, which is stricter than needed once features are cut.
 */
import { BinaryReader, invalid } from './binary';
import { WASM_LIMITS, MAX_MEMORY_PAGES, SPEC_MAX_MEMORY_PAGES } from './limits';
import { OP, SINGLE_BYTE_OPCODES } from './opcodes';

export const enum SectionId {
  Custom = 0,
  Type = 1,
  Import = 2,
  Function = 3,
  Table = 4,
  Memory = 5,
  Global = 6,
  Export = 7,
  Start = 8,
  Element = 9,
  Code = 10,
  Data = 11,
}

export const VALTYPE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c } as const;
/** Type bytes of later proposals, named for the messages that reject them. */
export const TYPE_BYTE = { func: 0x60, funcref: 0x70, externref: 0x6f, v128: 0x7b, emptyBlock: 0x40 } as const;
/** The data count section of bulk memory: the first section id after Data. */
const DATA_COUNT_SECTION = 12;
const MVP_VALTYPES = new Set<number>(Object.values(VALTYPE));

export interface FuncType {
  readonly params: readonly number[];
  readonly results: readonly number[];
}

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly typeIndex: number;
}

export interface Export {
  readonly name: string;
  readonly kind: number;
  readonly index: number;
}

export const EXPORT_KIND = { func: 0, table: 1, memory: 2, global: 3 } as const;

export interface Section {
  readonly id: number;
  /** Range of the section's contents (after id and size). */
  readonly start: number;
  readonly end: number;
}

export interface ModuleLayout {
  readonly bytes: Uint8Array;
  readonly sections: readonly Section[];
  readonly types: readonly FuncType[];
  readonly imports: readonly Import[];
  /** Type index of each defined function (not imported ones). */
  readonly functionTypes: readonly number[];
  readonly memory: { readonly min: number; readonly max: number | undefined } | undefined;
  readonly globalCount: number;
  readonly exports: readonly Export[];
  /** Content ranges of the function bodies. */
  readonly bodies: readonly { readonly start: number; readonly end: number }[];
  /** Mutable globals: index and the byte range of their init expression (without its end). */
  readonly mutableGlobals: readonly {
    readonly index: number;
    readonly init: { readonly start: number; readonly end: number };
  }[];
  /** Active data segments with a constant offset; undefined if any offset is not an i32.const. */
  readonly dataSegments: readonly { readonly offset: number; readonly bytes: Uint8Array }[] | undefined;
}

const MAGIC_AND_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export function parseModuleLayout(bytes: Uint8Array): ModuleLayout {
  if (bytes.length < 8 || MAGIC_AND_VERSION.some((b, i) => bytes[i] !== b)) invalid('not a WebAssembly 1.0 module');
  const reader = new BinaryReader(bytes, 8);
  const sections: Section[] = [];
  const layout = {
    bytes,
    sections,
    types: [] as FuncType[],
    imports: [] as Import[],
    functionTypes: [] as number[],
    memory: undefined as ModuleLayout['memory'],
    globalCount: 0,
    exports: [] as Export[],
    bodies: [] as { start: number; end: number }[],
    mutableGlobals: [] as ModuleLayout['mutableGlobals'][number][],
    dataSegments: [] as { offset: number; bytes: Uint8Array }[] | undefined,
  };
  let lastId = 0;
  while (!reader.atEnd) {
    const id = reader.u8();
    const size = reader.u32();
    const start = reader.pos;
    const end = start + size;
    if (end > bytes.length) invalid(`section ${id} runs past the end of the module`);
    if (id !== SectionId.Custom) {
      if (id > SectionId.Data)
        invalid(
          id === DATA_COUNT_SECTION ? 'bulk memory (data count section) is not supported' : `unknown section ${id}`,
        );
      if (id <= lastId) invalid(`section ${id} out of order or repeated`);
      lastId = id;
    }
    sections.push({ id, start, end });
    const body = new BinaryReader(bytes, start, end);
    parseSection(id, body, layout);
    if (id !== SectionId.Custom && body.pos !== end) invalid(`section ${id} has ${end - body.pos} trailing bytes`);
    reader.pos = end;
  }
  if (layout.bodies.length !== layout.functionTypes.length) invalid('function and code sections disagree');
  return layout;
}

type MutableLayout = {
  types: FuncType[];
  imports: Import[];
  functionTypes: number[];
  memory: ModuleLayout['memory'];
  globalCount: number;
  exports: Export[];
  bodies: { start: number; end: number }[];
  mutableGlobals: ModuleLayout['mutableGlobals'][number][];
  dataSegments: { offset: number; bytes: Uint8Array }[] | undefined;
};

function count(reader: BinaryReader, limit: number, what: string): number {
  const n = reader.u32();
  if (n > limit) invalid(`too many ${what}: ${n} > ${limit}`);
  return n;
}

function valType(reader: BinaryReader): number {
  const type = reader.u8();
  if (!MVP_VALTYPES.has(type))
    invalid(
      type === TYPE_BYTE.v128
        ? 'SIMD (v128) is not supported'
        : type === TYPE_BYTE.funcref || type === TYPE_BYTE.externref
          ? 'reference types are not supported'
          : `unknown value type 0x${type.toString(16)}`,
    );
  return type;
}

function limits(reader: BinaryReader, what: string): { min: number; max: number | undefined } {
  const flags = reader.u8();
  if (flags > 1)
    invalid(flags & 2 ? `shared ${what} (threads) is not supported` : `${what} limits flag ${flags} is not supported`);
  const min = reader.u32();
  const max = flags === 1 ? reader.u32() : undefined;
  if (max !== undefined && max < min) invalid(`${what} maximum below its minimum`);
  return { min, max };
}

/** A constant expression of MVP: one i32/i64.const or global.get, then end. Float constants are rejected. */
function constExpr(reader: BinaryReader): void {
  const op = reader.u8();
  if (op === OP.I32Const) reader.skipSigned(32);
  else if (op === OP.I64Const) reader.skipSigned(64);
  else if (op === OP.GlobalGet) reader.u32();
  else if (op === OP.F32Const || op === OP.F64Const) invalid('float constants are not allowed');
  else invalid(`constant expression opcode 0x${op.toString(16)} is not supported`);
  if (reader.u8() !== OP.End) invalid('constant expression must be a single instruction');
}

function parseSection(id: number, reader: BinaryReader, layout: MutableLayout): void {
  switch (id) {
    case SectionId.Custom:
      reader.name(WASM_LIMITS.nameBytes);
      return;
    case SectionId.Type:
      for (let i = count(reader, WASM_LIMITS.types, 'types'); i > 0; i--) {
        if (reader.u8() !== TYPE_BYTE.func) invalid('type is not a function type');
        const params = Array.from({ length: count(reader, WASM_LIMITS.paramsOrResults, 'params') }, () =>
          valType(reader),
        );
        const results = Array.from({ length: count(reader, WASM_LIMITS.paramsOrResults, 'results') }, () =>
          valType(reader),
        );
        if (results.length > 1) invalid('multi-value (more than one result) is not supported');
        layout.types.push({ params, results });
      }
      return;
    case SectionId.Import:
      for (let i = count(reader, WASM_LIMITS.imports, 'imports'); i > 0; i--) {
        const module = reader.name(WASM_LIMITS.nameBytes);
        const name = reader.name(WASM_LIMITS.nameBytes);
        const kind = reader.u8();
        if (kind !== EXPORT_KIND.func)
          invalid(`import ${module}.${name} is not a function: only function imports are allowed`);
        const typeIndex = reader.u32();
        if (typeIndex >= layout.types.length) invalid(`import ${module}.${name} has an unknown type`);
        layout.imports.push({ module, name, typeIndex });
      }
      return;
    case SectionId.Function:
      for (let i = count(reader, WASM_LIMITS.functions, 'functions'); i > 0; i--) {
        const typeIndex = reader.u32();
        if (typeIndex >= layout.types.length) invalid('function with an unknown type');
        layout.functionTypes.push(typeIndex);
      }
      return;
    case SectionId.Table: {
      const n = reader.u32();
      if (n > 1) invalid('more than one table (reference types) is not supported');
      if (n === 1) {
        if (reader.u8() !== TYPE_BYTE.funcref) invalid('table element type must be funcref');
        const { min, max } = limits(reader, 'table');
        if (min > WASM_LIMITS.tableEntries || (max ?? 0) > WASM_LIMITS.tableEntries) invalid('table too large');
      }
      return;
    }
    case SectionId.Memory: {
      const n = reader.u32();
      if (n > 1) invalid('more than one memory is not supported');
      if (n === 1) {
        const memory = limits(reader, 'memory');
        if (memory.min > MAX_MEMORY_PAGES)
          invalid(`initial memory of ${memory.min} pages exceeds the cap of ${MAX_MEMORY_PAGES}`);
        if (memory.max !== undefined && memory.max > SPEC_MAX_MEMORY_PAGES)
          invalid(`memory maximum above ${SPEC_MAX_MEMORY_PAGES} pages`);
        layout.memory = memory;
      }
      return;
    }
    case SectionId.Global:
      for (let i = count(reader, WASM_LIMITS.globals, 'globals'); i > 0; i--) {
        valType(reader);
        const mutability = reader.u8();
        if (mutability > 1) invalid('bad global mutability');
        const start = reader.pos;
        constExpr(reader);
        if (mutability === 1)
          layout.mutableGlobals.push({ index: layout.globalCount, init: { start, end: reader.pos - 1 } });
        layout.globalCount++;
      }
      return;
    case SectionId.Export:
      for (let i = count(reader, WASM_LIMITS.exports, 'exports'); i > 0; i--) {
        const name = reader.name(WASM_LIMITS.nameBytes);
        const kind = reader.u8();
        if (kind > 3) invalid(`export ${name} has an unknown kind`);
        const index = reader.u32();
        // past the module's own, it would export an injected function or global of the rewritten module
        if (kind === EXPORT_KIND.func && index >= layout.imports.length + layout.functionTypes.length)
          invalid(`export ${name} of function ${index}, which does not exist`);
        if (kind === EXPORT_KIND.global && index >= layout.globalCount)
          invalid(`export ${name} of global ${index}, which does not exist`);
        layout.exports.push({ name, kind, index });
      }
      return;
    case SectionId.Start:
      return invalid('start functions are not supported (they would run before the gas limit is set)');
    case SectionId.Element:
      for (let i = count(reader, WASM_LIMITS.elementSegments, 'element segments'); i > 0; i--) {
        if (reader.u32() !== 0)
          invalid('only active element segments of table 0 are supported (bulk memory / reference types)');
        constExpr(reader);
        for (let n = reader.u32(); n > 0; n--)
          if (reader.u32() >= layout.imports.length + layout.functionTypes.length)
            invalid('element segment of a function that does not exist');
      }
      return;
    case SectionId.Code:
      for (let i = count(reader, WASM_LIMITS.functions, 'function bodies'); i > 0; i--) {
        const size = reader.u32();
        if (size > WASM_LIMITS.functionBodyBytes)
          invalid(`function body of ${size} bytes exceeds ${WASM_LIMITS.functionBodyBytes}`);
        layout.bodies.push({ start: reader.pos, end: reader.pos + size });
        reader.bytesOf(size);
      }
      return;
    case SectionId.Data:
      for (let i = count(reader, WASM_LIMITS.dataSegments, 'data segments'); i > 0; i--) {
        if (reader.u32() !== 0) invalid('only active data segments of memory 0 are supported (bulk memory)');
        const exprStart = reader.pos;
        constExpr(reader);
        const offset =
          reader.bytes[exprStart] === OP.I32Const
            ? new BinaryReader(reader.bytes, exprStart + 1, reader.pos).s32()
            : undefined;
        const bytes = reader.bytesOf(reader.u32());
        if (offset === undefined) layout.dataSegments = undefined;
        else layout.dataSegments?.push({ offset, bytes });
      }
      return;
  }
}

/** True when the opcode table allows `byte` at all (used by tests to enumerate). */
export const isAllowedSingleByteOpcode = (byte: number): boolean => SINGLE_BYTE_OPCODES[byte]?.float === false;
