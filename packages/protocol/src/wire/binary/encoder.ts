/**
 * The binary codec's encoder (layout.ts): a value of a shape -> its canonical bytes. Every encode has its own
 * ByteWriter, passed to every write function (idle writers are kept, so no buffer is allocated per message). A
 * writer generated per shape (compiledWriter) does the work; the generic field walk (writeShape) runs only for
 * a value the generated writer refuses, to name the field in the error.
 */
import { VMError, ErrorCode } from '../../errors';
import type { BytesMapEntry, Field, GasScheduleMap, Shape } from '../fields';
import {
  at,
  BINARY_MAGIC,
  compareKeys,
  FieldError,
  INT_MAX,
  INT_MIN,
  NIL,
  SMALL_MAGNITUDE,
  UINT64_MAX,
} from './layout';

/** A growable byte buffer: one encode's state (kept for the next encode once that one is done). */
class ByteWriter {
  private static readonly KEEP = 1 << 20; // a larger buffer (a big deploy) is dropped after use
  buffer = Buffer.allocUnsafe(64 * 1024);
  length = 0;

  reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + n));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  u32(value: number): void {
    this.reserve(4);
    this.buffer.writeUInt32LE(value, this.length);
    this.length += 4;
  }

  u64(value: bigint): void {
    this.reserve(8);
    this.buffer.writeBigUInt64LE(value, this.length);
    this.length += 8;
  }

  i64(value: bigint): void {
    this.reserve(8);
    this.buffer.writeBigInt64LE(value, this.length);
    this.length += 8;
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** u32 length and the big-endian bytes of a safe integer, without leading zero bytes (none at all for 0). */
  smallMagnitude(value: number): void {
    let length = 0;
    for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) length++;
    this.u32(length);
    this.reserve(length);
    for (let i = length - 1, rest = value; i >= 0; i--, rest = Math.floor(rest / 256))
      this.buffer[this.length + i] = rest % 256;
    this.length += length;
  }

  hex(digits: string): void {
    this.reserve(digits.length / 2);
    this.length += this.buffer.write(digits, this.length, 'hex');
  }

  utf16(text: string): void {
    this.u32(text.length);
    this.reserve(text.length * 2);
    this.length += this.buffer.write(text, this.length, 'utf16le');
  }

  /** The bytes written from `start`, copied out; the buffer is then free for the next encode. */
  take(start: number): Buffer {
    const out = Buffer.allocUnsafe(this.length - start);
    this.buffer.copy(out, 0, start, this.length);
    if (this.buffer.length > ByteWriter.KEEP) this.buffer = Buffer.allocUnsafe(64 * 1024);
    this.length = 0;
    return out;
  }
}

/** Writers not in use: each encode takes one (a nested encode, e.g. from a getter, takes another). */
const idle: ByteWriter[] = [];

/**
 * Encodes `value` of `shape` after `headroom` bytes (left for a preamble). Throws InvalidMessage naming the field,
 * as the JSON codec does.
 */
export function encodeBinary(shape: Shape, value: Record<string, unknown>, name: string, headroom = 0): Buffer {
  const writer = idle.pop() ?? new ByteWriter();
  try {
    const start = (): void => {
      writer.length = 0;
      writer.reserve(headroom);
      writer.length = headroom;
      writer.u8(BINARY_MAGIC);
    };
    start();
    try {
      compiledWriter(shape)(writer, value);
    } catch {
      // refused (or anything unexpected): the field walk again, from the start, for its exact error
      start();
      writeShape(writer, shape, value);
    }
    return writer.take(0);
  } catch (error) {
    if (error instanceof FieldError) throw new VMError(ErrorCode.InvalidMessage, `${name}${error.path} ${error.what}`);
    throw error;
  } finally {
    writer.length = 0;
    idle.push(writer);
  }
}

function writeShape(writer: ByteWriter, shape: Shape, value: Record<string, unknown>): void {
  if (value === null || typeof value !== 'object') throw new FieldError('must be an object');
  for (const name in shape) {
    try {
      writeField(writer, shape[name], value[name]); // (not through `at`: no closure per field on the hot path)
    } catch (error) {
      if (error instanceof FieldError) error.path = `.${name}${error.path}`;
      throw error;
    }
  }
}

function writeField(writer: ByteWriter, field: Field, value: unknown): void {
  if (value === undefined && field.extension) value = field.t === 'u32' ? 0 : null; // left out: its zero
  switch (field.t) {
    case 'bytes':
      return writeBytes(writer, value);
    case 'bytesList':
      return writeList(writer, value, (item) => writeBytes(writer, item));
    case 'bigInt':
      return writeBigInt(writer, value);
    case 'u64':
      return writer.u64(integer(value, 0n, UINT64_MAX, 'uint64'));
    case 'u32':
      return writer.u32(Number(integer(value, 0n, 0xffffffffn, 'uint32')));
    case 'int':
      return writer.i64(integer(value, INT_MIN, INT_MAX, 'int'));
    case 'bool':
      if (typeof value !== 'boolean') throw new FieldError('must be a boolean');
      return writer.u8(value ? 1 : 0);
    case 'string':
      if (typeof value !== 'string') throw new FieldError('must be a string');
      return writer.utf16(value);
    case 'struct':
      if (!field.nullable) return writeShape(writer, field.shape, value as Record<string, unknown>);
      if (value === null) return writer.u8(0);
      writer.u8(1);
      return writeShape(writer, field.shape, value as Record<string, unknown>);
    case 'structList':
      return writeList(writer, value, (item) => writeShape(writer, field.shape, item as Record<string, unknown>));
    case 'keyedList':
      return writeKeyed(
        writer,
        value,
        (item) => (item as Record<string, unknown> | null)?.[field.keyField],
        field.keyField,
        'must be bytes (it is the map key)',
        (item) => writeShape(writer, field.shape, item as Record<string, unknown>),
      );
    case 'bytesMap':
      return writeKeyed(
        writer,
        value,
        (entry) => (entry as BytesMapEntry | null)?.key,
        'key',
        'must be bytes',
        (entry) => {
          writeBytes(writer, (entry as BytesMapEntry).key);
          at('value', () => writeBytes(writer, (entry as BytesMapEntry).value));
        },
      );
    case 'nameSet':
      if (value === null) return writer.u32(NIL);
      if (!Array.isArray(value)) throw new FieldError('must be an array or null');
      return writeNamed(
        writer,
        value.map((name) => {
          if (typeof name !== 'string') throw new FieldError('must contain strings');
          return [name, undefined] as const;
        }),
        () => undefined,
      );
    case 'gasSchedule': {
      if (value === null) return writer.u32(NIL);
      if (typeof value !== 'object') throw new FieldError('must be an object or null');
      return writeNamed(writer, Object.entries(value as GasScheduleMap), (section, costs) =>
        at(section, () => {
          if (costs === null || typeof costs !== 'object') throw new FieldError('must be an object');
          writeNamed(writer, Object.entries(costs), (op, cost) =>
            at(op, () => writer.u64(integer(cost, 0n, UINT64_MAX, 'uint64'))),
          );
        }),
      );
    }
  }
}

function writeBytes(writer: ByteWriter, value: unknown): void {
  if (value === null) return writer.u32(NIL);
  if (!(value instanceof Uint8Array)) throw new FieldError('must be a Uint8Array or null');
  if (value.length >= NIL) throw new FieldError('is too long for a frame');
  writer.u32(value.length);
  writer.raw(value);
}

function writeBigInt(writer: ByteWriter, value: unknown): void {
  if (value === null) return writer.u8(0);
  if (typeof value !== 'bigint') throw new FieldError('must be a bigint or null');
  const negative = value < 0n;
  writer.u8(negative ? 2 : 1);
  const magnitude = negative ? -value : value;
  if (magnitude <= SMALL_MAGNITUDE) return writer.smallMagnitude(Number(magnitude)); // most balances and deltas
  let digits = magnitude.toString(16);
  if (digits.length % 2 === 1) digits = `0${digits}`;
  writer.u32(digits.length / 2);
  writer.hex(digits);
}

function integer(value: unknown, min: bigint, max: bigint, type: string): bigint {
  const exact =
    typeof value === 'bigint'
      ? value
      : typeof value === 'number' && Number.isSafeInteger(value)
        ? BigInt(value)
        : undefined;
  if (exact === undefined || exact < min || exact > max) throw new FieldError(`must be a ${type} integer`);
  return exact;
}

function writeList(writer: ByteWriter, value: unknown, writeItem: (item: unknown) => void): void {
  if (value === null) return writer.u32(NIL);
  if (!Array.isArray(value)) throw new FieldError('must be an array or null');
  writer.u32(value.length);
  writeItems(value, writeItem);
}

/** Writes each item, naming its index in any FieldError (no closure per item: VMOutput lists are hot). */
function writeItems(
  items: readonly unknown[],
  writeItem: (item: unknown) => void,
  indexOf: (position: number) => number = (position) => position,
): void {
  for (let position = 0; position < items.length; position++) {
    try {
      writeItem(items[position]);
    } catch (error) {
      if (error instanceof FieldError) error.path = `[${indexOf(position)}]${error.path}`;
      throw error;
    }
  }
}

/** Items of a Go map keyed by raw bytes: written in ascending key order; two equal keys cannot be a map. */
function writeKeyed(
  writer: ByteWriter,
  value: unknown,
  keyOf: (item: unknown) => unknown,
  keyName: string,
  keyError: string,
  writeItem: (item: unknown) => void,
): void {
  if (value === null) return writer.u32(NIL);
  if (!Array.isArray(value)) throw new FieldError('must be an array or null');
  const keyed = value.map((item, i) => {
    const key = keyOf(item);
    if (!(key instanceof Uint8Array)) throw Object.assign(new FieldError(keyError), { path: `[${i}].${keyName}` });
    return { key, item, i };
  });
  if (keyed.length > 1) keyed.sort((a, b) => compareKeys(a.key, b.key));
  for (let k = 1; k < keyed.length; k++) {
    if (compareKeys(keyed[k - 1].key, keyed[k].key) === 0)
      throw new FieldError(`duplicate key ${Buffer.from(keyed[k].key).toString('hex')}`);
  }
  writer.u32(keyed.length);
  writeItems(
    keyed.map((k) => k.item),
    writeItem,
    (position) => keyed[position].i, // errors name the item's place in the given list
  );
}

/** Named entries (a Go map keyed by strings): ascending by UTF-8 bytes, as Go sorts them. */
function writeNamed<T>(
  writer: ByteWriter,
  entries: readonly (readonly [string, T])[],
  writeValue: (name: string, value: T) => void,
): void {
  const named = entries.map(([name, value]) => ({ name, utf8: Buffer.from(name, 'utf8'), value }));
  named.sort((a, b) => Buffer.compare(a.utf8, b.utf8));
  for (let k = 1; k < named.length; k++) {
    if (Buffer.compare(named[k - 1].utf8, named[k].utf8) === 0)
      throw new FieldError(`duplicate key ${named[k].utf8.toString('hex')}`);
  }
  writer.u32(named.length);
  for (const { name, value } of named) {
    writer.utf16(name);
    writeValue(name, value);
  }
}

// ---------------------------------------------------------------- compiled writers (the fast path)

type ShapeWriter = (writer: ByteWriter, value: Record<string, unknown>) => void;

/**
 * A writer per shape, generated once: the shape's fields in order, each read by its literal name and written by
 * the write function of its type, with no dispatch per field. It writes exactly what writeShape writes and refuses
 * (throws) whatever writeShape refuses; its errors carry no path, so encodeBinary then runs writeShape for the
 * exact error.
 */
const writers = new WeakMap<Shape, ShapeWriter>();

function compiledWriter(shape: Shape): ShapeWriter {
  let writer = writers.get(shape);
  if (!writer) writers.set(shape, (writer = compileWriter(shape)));
  return writer;
}

/** Writes of the compiled writers (passed to the generated code). */
const WRITE = {
  bytes: writeBytes,
  bigInt: writeBigInt,
  bytesList(writer: ByteWriter, value: unknown): void {
    if (value === null) return writer.u32(NIL);
    if (!Array.isArray(value)) throw new FieldError('must be an array or null');
    writer.u32(value.length);
    for (let i = 0; i < value.length; i++) writeBytes(writer, value[i]);
  },
  u64: (writer: ByteWriter, value: unknown) => writer.u64(integer(value, 0n, UINT64_MAX, 'uint64')),
  u32(writer: ByteWriter, value: unknown): void {
    if (typeof value === 'number' && value >>> 0 === value) return writer.u32(value);
    writer.u32(Number(integer(value, 0n, 0xffffffffn, 'uint32')));
  },
  int(writer: ByteWriter, value: unknown): void {
    // a safe integer is within INT_MIN..INT_MAX (that range is exactly the safe integers)
    if (typeof value === 'number' && Number.isSafeInteger(value)) return writer.i64(BigInt(value));
    writer.i64(integer(value, INT_MIN, INT_MAX, 'int'));
  },
  bool(writer: ByteWriter, value: unknown): void {
    if (typeof value !== 'boolean') throw new FieldError('must be a boolean');
    writer.u8(value ? 1 : 0);
  },
  string(writer: ByteWriter, value: unknown): void {
    if (typeof value !== 'string') throw new FieldError('must be a string');
    writer.utf16(value);
  },
  object(value: unknown): void {
    if (value === null || typeof value !== 'object') throw new FieldError('must be an object');
  },
  structList(writer: ByteWriter, value: unknown, write: ShapeWriter): void {
    if (value === null) return writer.u32(NIL);
    if (!Array.isArray(value)) throw new FieldError('must be an array or null');
    writer.u32(value.length);
    for (let i = 0; i < value.length; i++) write(writer, value[i] as Record<string, unknown>);
  },
  keyedList(writer: ByteWriter, value: unknown, keyField: string, write: ShapeWriter): void {
    writeKeyed(
      writer,
      value,
      (item) => (item as Record<string, unknown> | null)?.[keyField],
      keyField,
      'must be bytes (it is the map key)',
      (item) => write(writer, item as Record<string, unknown>),
    );
  },
  field: writeField,
};

function compileWriter(shape: Shape): ShapeWriter {
  const nested: ShapeWriter[] = []; // (shapes never nest themselves: compiled depth first, once)
  const fields: Field[] = [];
  const lines = ['W.object(v);'];
  for (const name of Object.keys(shape)) {
    const field = shape[name];
    const at = `v[${JSON.stringify(name)}]`;
    // an extension left out is written as its zero (as writeField does)
    const value = field.extension ? `(${at} === undefined ? ${field.t === 'u32' ? '0' : 'null'} : ${at})` : at;
    switch (field.t) {
      case 'bytes':
      case 'bytesList':
      case 'bigInt':
      case 'u64':
      case 'u32':
      case 'int':
      case 'bool':
      case 'string':
        lines.push(`W.${field.t}(w, ${value});`);
        break;
      case 'struct': {
        const sub = nested.push(compiledWriter(field.shape)) - 1;
        if (field.nullable)
          lines.push(`{ const x = ${value}; if (x === null) w.u8(0); else { w.u8(1); N[${sub}](w, x); } }`);
        else lines.push(`N[${sub}](w, ${value});`);
        break;
      }
      case 'structList':
        lines.push(`W.structList(w, ${value}, N[${nested.push(compiledWriter(field.shape)) - 1}]);`);
        break;
      case 'keyedList':
        lines.push(
          `W.keyedList(w, ${value}, ${JSON.stringify(field.keyField)}, N[${nested.push(compiledWriter(field.shape)) - 1}]);`,
        );
        break;
      default:
        lines.push(`W.field(w, F[${fields.push(field) - 1}], ${value});`);
    }
  }
  const make = new Function('W', 'N', 'F', `return function write(w, v) {\n${lines.join('\n')}\n};`);
  return make(WRITE, nested, fields) as ShapeWriter;
}
