/**
 * The opcodes a contract may use: one row per opcode, with its immediates and its index in the reference's
 * opcode-cost table (wasmer's `get_opcode_index`). Anything not in this table is rejected at deploy, and rows
 * marked `float` are rejected too (the reference runs wasmer with deterministic-only validation).
 */
import { OPCODE_COST_KEYS, type OpcodeCostKey } from '../gas/opcodeCostKeys';

export type Immediate =
  | 'none'
  | 'blockType'
  | 'label'
  | 'labelTable'
  | 'func'
  | 'callIndirect'
  | 'index'
  | 'memArg'
  | 'zeroByte'
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64';

/**
 * How metering treats an opcode (the reference's wasmer middleware): `flush` adds the cost accumulated since the
 * last flush to the gas counter before the opcode (block boundaries, branches, calls, return, unreachable);
 * `check` flushes and then traps when the gas used reaches the limit (branches and calls).
 */
export type MeterClass = 'accumulate' | 'flush' | 'check';

export interface OpcodeInfo {
  readonly name: OpcodeCostKey;
  readonly byte: number;
  /** Index into the dense opcode-cost table. */
  readonly costIndex: number;
  readonly immediate: Immediate;
  readonly meter: MeterClass;
  /** Produces or consumes an arbitrary float value: rejected. */
  readonly float: boolean;
}

const FLOAT = 'float';
const FLUSH = 'flush';
const CHECK = 'check';
type Column = typeof FLOAT | typeof FLUSH | typeof CHECK;

/** [opcode byte, cost key, immediate, metering class or float] for the single-byte opcodes of MVP and sign extension. */
const SINGLE_BYTE: [number, OpcodeCostKey, Immediate, Column?][] = [
  [0x00, 'Unreachable', 'none', FLUSH],
  [0x01, 'Nop', 'none'],
  [0x02, 'Block', 'blockType', FLUSH],
  [0x03, 'Loop', 'blockType', FLUSH],
  [0x04, 'If', 'blockType', FLUSH],
  [0x05, 'Else', 'none', FLUSH],
  [0x0b, 'End', 'none', FLUSH],
  [0x0c, 'Br', 'label', CHECK],
  [0x0d, 'BrIf', 'label', CHECK],
  [0x0e, 'BrTable', 'labelTable', CHECK],
  [0x0f, 'Return', 'none', FLUSH],
  [0x10, 'Call', 'func', CHECK],
  [0x11, 'CallIndirect', 'callIndirect', CHECK],
  [0x1a, 'Drop', 'none'],
  [0x1b, 'Select', 'none'],
  [0x20, 'LocalGet', 'index'],
  [0x21, 'LocalSet', 'index'],
  [0x22, 'LocalTee', 'index'],
  [0x23, 'GlobalGet', 'index'],
  [0x24, 'GlobalSet', 'index'],
  [0x28, 'I32Load', 'memArg'],
  [0x29, 'I64Load', 'memArg'],
  [0x2a, 'F32Load', 'memArg', FLOAT],
  [0x2b, 'F64Load', 'memArg', FLOAT],
  [0x2c, 'I32Load8S', 'memArg'],
  [0x2d, 'I32Load8U', 'memArg'],
  [0x2e, 'I32Load16S', 'memArg'],
  [0x2f, 'I32Load16U', 'memArg'],
  [0x30, 'I64Load8S', 'memArg'],
  [0x31, 'I64Load8U', 'memArg'],
  [0x32, 'I64Load16S', 'memArg'],
  [0x33, 'I64Load16U', 'memArg'],
  [0x34, 'I64Load32S', 'memArg'],
  [0x35, 'I64Load32U', 'memArg'],
  [0x36, 'I32Store', 'memArg'],
  [0x37, 'I64Store', 'memArg'],
  [0x38, 'F32Store', 'memArg', FLOAT],
  [0x39, 'F64Store', 'memArg', FLOAT],
  [0x3a, 'I32Store8', 'memArg'],
  [0x3b, 'I32Store16', 'memArg'],
  [0x3c, 'I64Store8', 'memArg'],
  [0x3d, 'I64Store16', 'memArg'],
  [0x3e, 'I64Store32', 'memArg'],
  [0x3f, 'MemorySize', 'zeroByte'],
  [0x40, 'MemoryGrow', 'zeroByte'],
  [0x41, 'I32Const', 'i32'],
  [0x42, 'I64Const', 'i64'],
  [0x43, 'F32Const', 'f32', FLOAT],
  [0x44, 'F64Const', 'f64', FLOAT],
];

/** 0x45..0xC4: numeric operators without immediates, in spec order (cost indices 53..180). */
const NUMERIC_FIRST = 0x45;
const NUMERIC_LAST = 0xc4;
const NUMERIC_COST_BASE = OPCODE_COST_KEYS.indexOf('I32Eqz');
/** Numeric operators that produce a float (or compare/operate on floats): 0x5b..0x66, 0x8b..0xa6, converts, reinterpret to float. */
const isFloatNumeric = (op: number): boolean =>
  (op >= 0x5b && op <= 0x66) || (op >= 0x8b && op <= 0xa6) || (op >= 0xb2 && op <= 0xbb) || op === 0xbe || op === 0xbf;

/** The 0xFC prefix: only the saturating truncations (0..7) are allowed; 8.. are bulk memory and tables. */
export const PREFIX_FC = 0xfc;
const TRUNC_SAT_COST_BASE = OPCODE_COST_KEYS.indexOf('I32TruncSatF32S');
export const TRUNC_SAT_COUNT = 8;

function info(byte: number, name: OpcodeCostKey, immediate: Immediate, column?: Column): OpcodeInfo {
  const costIndex = OPCODE_COST_KEYS.indexOf(name);
  if (costIndex < 0) throw new Error(`no cost key ${name}`);
  const meter = column === FLUSH || column === CHECK ? column : 'accumulate';
  return Object.freeze({ name, byte, costIndex, immediate, meter, float: column === FLOAT });
}

/** Dense table by opcode byte; undefined = not an allowed single-byte opcode. */
export const SINGLE_BYTE_OPCODES: readonly (OpcodeInfo | undefined)[] = (() => {
  const table: (OpcodeInfo | undefined)[] = new Array(256).fill(undefined);
  for (const [byte, name, immediate, column] of SINGLE_BYTE) table[byte] = info(byte, name, immediate, column);
  for (let op = NUMERIC_FIRST; op <= NUMERIC_LAST; op++)
    table[op] = info(
      op,
      OPCODE_COST_KEYS[NUMERIC_COST_BASE + op - NUMERIC_FIRST],
      'none',
      isFloatNumeric(op) ? FLOAT : undefined,
    );
  return Object.freeze(table);
})();

/** The 0xFC sub-opcodes allowed (saturating truncations), by sub-opcode; `byte` is the sub-opcode. */
export const TRUNC_SAT_OPCODES: readonly OpcodeInfo[] = Object.freeze(
  Array.from({ length: TRUNC_SAT_COUNT }, (_, i) => info(i, OPCODE_COST_KEYS[TRUNC_SAT_COST_BASE + i], 'none')),
);

/**
 * Opcode byte by cost-key name, derived from the table, so the rewriter and the layout parser name what they emit
 * and read. Only names of allowed single-byte rows are present (TypedSelect, the 0xFC rows, ... are not).
 */
export const OP = Object.freeze(
  Object.fromEntries(SINGLE_BYTE_OPCODES.flatMap((row) => (row ? [[row.name, row.byte]] : []))),
) as Readonly<Record<OpcodeCostKey, number>>;

/** Names of features the reference rejects, by the opcode byte that introduces them (for clear messages). */
export const UNSUPPORTED_OPCODE_FEATURES: Readonly<Record<number, string>> = Object.freeze({
  0x06: 'exception handling',
  0x07: 'exception handling',
  0x08: 'exception handling',
  0x09: 'exception handling',
  0x18: 'exception handling',
  0x19: 'exception handling',
  0x12: 'tail calls',
  0x13: 'tail calls',
  0x1c: 'reference types (typed select)',
  0x25: 'reference types (table.get)',
  0x26: 'reference types (table.set)',
  0xd0: 'reference types',
  0xd1: 'reference types',
  0xd2: 'reference types',
  0xfd: 'SIMD',
  0xfe: 'threads',
});

/** Dense columns of the table, by opcode byte, for the rewriter's loop (one typed-array read per instruction). */
export const enum ImmediateCode {
  Invalid = 0,
  Float,
  None,
  BlockType,
  U32,
  LabelTable,
  CallIndirect,
  MemArg,
  ZeroByte,
  I32,
  I64,
}
export const enum MeterCode {
  Accumulate = 0,
  Flush,
  Check,
}
const IMMEDIATE_CODES: Readonly<Record<Immediate, ImmediateCode>> = {
  none: ImmediateCode.None,
  blockType: ImmediateCode.BlockType,
  label: ImmediateCode.U32,
  func: ImmediateCode.U32,
  index: ImmediateCode.U32,
  labelTable: ImmediateCode.LabelTable,
  callIndirect: ImmediateCode.CallIndirect,
  memArg: ImmediateCode.MemArg,
  zeroByte: ImmediateCode.ZeroByte,
  i32: ImmediateCode.I32,
  i64: ImmediateCode.I64,
  f32: ImmediateCode.Float,
  f64: ImmediateCode.Float,
};
const METER_CODES: Readonly<Record<MeterClass, MeterCode>> = {
  accumulate: MeterCode.Accumulate,
  flush: MeterCode.Flush,
  check: MeterCode.Check,
};
export const OPCODE_COLUMNS = (() => {
  const immediate = new Uint8Array(256);
  const meter = new Uint8Array(256);
  const costIndex = new Int16Array(256).fill(-1);
  for (const row of SINGLE_BYTE_OPCODES) {
    if (!row) continue;
    immediate[row.byte] = row.float ? ImmediateCode.Float : IMMEDIATE_CODES[row.immediate];
    meter[row.byte] = METER_CODES[row.meter];
    costIndex[row.byte] = row.costIndex;
  }
  return Object.freeze({ immediate, meter, costIndex });
})();
