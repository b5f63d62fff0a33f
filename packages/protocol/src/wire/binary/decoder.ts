/**
 * The binary codec's decoder (layout.ts): bytes -> a value of a shape, checking every length against the bytes
 * left before allocating; all its state is on its ByteReader. A reader generated per shape (compiledReader) does
 * the work; the generic field walk (readShape) runs only for a payload the generated reader refuses, to name the
 * field in the error.
 */
import { VMError, ErrorCode } from '../../errors';
import type { Bytes, GasScheduleMap, Shape, Field } from '../fields';
import { at, BINARY_MAGIC, compareKeys, FieldError, INT_MAX, INT_MIN, NIL } from './layout';

class ByteReader {
  private offset = 0;
  private readonly buffer: Buffer;

  constructor(payload: Uint8Array) {
    // a copy: the decoded byte fields are views of it, and the caller may reuse payload
    this.buffer = Buffer.allocUnsafe(payload.length);
    this.buffer.set(payload);
  }

  private need(n: number): void {
    if (n > this.buffer.length - this.offset)
      throw new FieldError(
        `truncated: ${n} bytes needed at offset ${this.offset}, ${this.buffer.length - this.offset} left`,
      );
  }

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  u8(): number {
    this.need(1);
    return this.buffer[this.offset++];
  }

  u32(): number {
    this.need(4);
    const value = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  u64(): bigint {
    this.need(8);
    const value = this.buffer.readBigUInt64LE(this.offset);
    this.offset += 8;
    return value;
  }

  i64(): bigint {
    this.need(8);
    const value = this.buffer.readBigInt64LE(this.offset);
    this.offset += 8;
    return value;
  }

  /** `n` bytes as a view (the reader owns its copy of the payload). */
  view(n: number): Uint8Array {
    this.need(n);
    const view = new Uint8Array(this.buffer.buffer, this.buffer.byteOffset + this.offset, n);
    this.offset += n;
    return view;
  }

  utf16(): string {
    const units = this.u32();
    this.need(units * 2);
    const text = this.buffer.toString('utf16le', this.offset, this.offset + units * 2);
    this.offset += units * 2;
    return text;
  }

  /** A list's count, or null for nil; each item takes at least `minItemBytes`, so a count cannot outgrow the payload. */
  count(minItemBytes: number): number | null {
    const n = this.u32();
    if (n === NIL) return null;
    if (n * minItemBytes > this.remaining)
      throw new FieldError(`count ${n} at offset ${this.offset - 4} exceeds the ${this.remaining} bytes left`);
    return n;
  }
}

/** Decodes a payload of `shape`. Throws InvalidBinary (in the BadFrame family) for anything but the exact layout. */
export function decodeBinary(shape: Shape, payload: Uint8Array, name: string): Record<string, unknown> {
  try {
    if (payload.length === 0 || payload[0] !== BINARY_MAGIC) {
      const json = payload.length > 0 && payload[0] === 0x7b;
      throw new FieldError(
        json
          ? 'this is a JSON payload: both ends must use the same marshalizer'
          : `starts with byte ${payload[0] ?? 'none'}, not ${BINARY_MAGIC}`,
      );
    }
    const body = payload.subarray(1);
    let reader = new ByteReader(body);
    let value: Record<string, unknown>;
    try {
      value = compiledReader(shape)(reader);
    } catch {
      // refused (or anything unexpected): the field walk again, from the start, for its exact error
      reader = new ByteReader(body);
      value = readShape(shape, reader);
    }
    if (reader.remaining > 0) throw new FieldError(`${reader.remaining} bytes after the last field`);
    return value;
  } catch (error) {
    if (error instanceof FieldError) throw new VMError(ErrorCode.InvalidBinary, `${name}${error.path}: ${error.what}`);
    throw error;
  }
}

function readShape(shape: Shape, reader: ByteReader): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in shape) {
    try {
      out[name] = readField(shape[name], reader);
    } catch (error) {
      if (error instanceof FieldError) error.path = `.${name}${error.path}`;
      throw error;
    }
  }
  return out;
}

function readField(field: Field, reader: ByteReader): unknown {
  switch (field.t) {
    case 'bytes':
      return readBytes(reader);
    case 'bytesList':
      return readList(reader, 4, () => readBytes(reader));
    case 'bigInt':
      return readBigInt(reader);
    case 'u64':
      return reader.u64();
    case 'u32':
      return reader.u32();
    case 'int': {
      const value = reader.i64();
      if (value < INT_MIN || value > INT_MAX) throw new FieldError('must be an int integer');
      return Number(value);
    }
    case 'bool': {
      const value = reader.u8();
      if (value > 1) throw new FieldError(`bool byte ${value}`);
      return value === 1;
    }
    case 'string':
      return reader.utf16();
    case 'struct':
      if (field.nullable && !readPresent(reader)) return null;
      return readShape(field.shape, reader);
    case 'structList':
      return readList(reader, 1, () => readShape(field.shape, reader));
    case 'keyedList':
      return readKeyed(
        reader,
        (item) => item[field.keyField] as Bytes,
        () => readShape(field.shape, reader),
      );
    case 'bytesMap':
      return readKeyed(
        reader,
        (entry) => entry.key as Bytes,
        () => {
          const key = readBytes(reader);
          return { key, value: at('value', () => readBytes(reader)) };
        },
      );
    case 'nameSet':
      return readNamed(reader, () => true)?.map(([name]) => name) ?? null;
    case 'gasSchedule': {
      const sections = readNamed(reader, () => {
        const costs: Record<string, bigint> = Object.create(null);
        for (const [op, cost] of readNamed(reader, () => reader.u64(), false) ?? []) costs[op] = cost;
        return costs;
      });
      if (sections === null) return null;
      const schedule: GasScheduleMap = Object.create(null);
      for (const [section, costs] of sections) schedule[section] = costs;
      return schedule;
    }
  }
}

/** A pointer's tag: present (1) or nil (0). */
function readPresent(reader: ByteReader): boolean {
  const tag = reader.u8();
  if (tag > 1) throw new FieldError(`pointer tag ${tag}`);
  return tag === 1;
}

function readBytes(reader: ByteReader): Bytes {
  const length = reader.u32();
  return length === NIL ? null : reader.view(length);
}

function readBigInt(reader: ByteReader): bigint | null {
  const sign = reader.u8();
  if (sign === 0) return null;
  if (sign > 2) throw new FieldError(`bigInt sign byte ${sign}`);
  const magnitude = reader.view(reader.u32());
  if (magnitude.length === 0) {
    if (sign === 2) throw new FieldError('negative zero');
    return 0n;
  }
  if (magnitude[0] === 0) throw new FieldError('bigInt magnitude with a leading zero byte');
  if (magnitude.length <= 6) {
    let small = 0; // < 2^48: exact in a JS number
    for (let i = 0; i < magnitude.length; i++) small = small * 256 + magnitude[i];
    return BigInt(sign === 2 ? -small : small);
  }
  const value = BigInt(`0x${Buffer.from(magnitude.buffer, magnitude.byteOffset, magnitude.length).toString('hex')}`);
  return sign === 2 ? -value : value;
}

function readList<T>(reader: ByteReader, minItemBytes: number, readItem: () => T): T[] | null {
  const n = reader.count(minItemBytes);
  if (n === null) return null;
  const items = new Array<T>(n);
  for (let i = 0; i < n; i++) items[i] = at(i, readItem);
  return items;
}

function readKeyed<T extends Record<string, unknown>>(
  reader: ByteReader,
  keyOf: (item: T) => Bytes,
  readItem: () => T,
): T[] | null {
  const items = readList(reader, 4, readItem);
  if (items === null) return null;
  for (let i = 0; i < items.length; i++) {
    const key = keyOf(items[i]);
    if (key === null) throw Object.assign(new FieldError('an item without its key'), { path: `[${i}]` });
    if (i > 0 && compareKeys(keyOf(items[i - 1]) as Uint8Array, key) >= 0)
      throw Object.assign(new FieldError('keys not in strictly ascending order'), { path: `[${i}]` });
  }
  return items;
}

function readNamed<T>(reader: ByteReader, readValue: () => T, nullable = true): [string, T][] | null {
  const n = reader.count(4);
  if (n === null) {
    if (!nullable) throw new FieldError('nil where a map is required');
    return null;
  }
  const entries: [string, T][] = [];
  let previous: Buffer | null = null;
  for (let i = 0; i < n; i++) {
    const name = reader.utf16();
    const utf8 = Buffer.from(name, 'utf8');
    if (previous && Buffer.compare(previous, utf8) >= 0)
      throw new FieldError(`names not in strictly ascending order at ${JSON.stringify(name)}`);
    previous = utf8;
    entries.push([name, at(name, readValue)]);
  }
  return entries;
}

// ---------------------------------------------------------------- compiled readers (the fast path)

type ShapeReader = (reader: ByteReader) => Record<string, unknown>;

/**
 * A reader per shape, generated once: one object literal with the shape's fields in order (every decoded value of
 * a shape has the same hidden class), each read by the read function of its type, with no dispatch per field. It
 * reads exactly what readShape reads and refuses (throws) whatever readShape refuses; its errors carry no path, so
 * decodeBinary then runs readShape for the exact error.
 */
const readers = new WeakMap<Shape, ShapeReader>();

function compiledReader(shape: Shape): ShapeReader {
  let reader = readers.get(shape);
  if (!reader) readers.set(shape, (reader = compileReader(shape)));
  return reader;
}

/** Reads of the compiled readers (passed to the generated code). */
const READ = {
  bytes: readBytes,
  bigInt: readBigInt,
  bytesList(reader: ByteReader): Bytes[] | null {
    const n = reader.count(4);
    if (n === null) return null;
    const items = new Array<Bytes>(n);
    for (let i = 0; i < n; i++) items[i] = readBytes(reader);
    return items;
  },
  int(reader: ByteReader): number {
    const value = reader.i64();
    if (value < INT_MIN || value > INT_MAX) throw new FieldError('must be an int integer');
    return Number(value);
  },
  bool(reader: ByteReader): boolean {
    const value = reader.u8();
    if (value > 1) throw new FieldError(`bool byte ${value}`);
    return value === 1;
  },
  present: readPresent,
  structList(reader: ByteReader, read: ShapeReader): Record<string, unknown>[] | null {
    const n = reader.count(1);
    if (n === null) return null;
    const items = new Array<Record<string, unknown>>(n);
    for (let i = 0; i < n; i++) items[i] = read(reader);
    return items;
  },
  keyedList(reader: ByteReader, keyField: string, read: ShapeReader): Record<string, unknown>[] | null {
    return readKeyed(
      reader,
      (item) => item[keyField] as Bytes,
      () => read(reader),
    );
  },
  field: readField,
};

function compileReader(shape: Shape): ShapeReader {
  const nested: ShapeReader[] = []; // (shapes never nest themselves: compiled depth first, once)
  const fields: Field[] = [];
  const values = Object.keys(shape).map((name) => {
    const field = shape[name];
    let read: string;
    switch (field.t) {
      case 'bytes':
      case 'bytesList':
      case 'bigInt':
      case 'int':
      case 'bool':
        read = `R.${field.t}(r)`;
        break;
      case 'u64':
        read = 'r.u64()';
        break;
      case 'u32':
        read = 'r.u32()';
        break;
      case 'string':
        read = 'r.utf16()';
        break;
      case 'struct': {
        const sub = `N[${nested.push(compiledReader(field.shape)) - 1}](r)`;
        read = field.nullable ? `(R.present(r) ? ${sub} : null)` : sub;
        break;
      }
      case 'structList':
        read = `R.structList(r, N[${nested.push(compiledReader(field.shape)) - 1}])`;
        break;
      case 'keyedList':
        read = `R.keyedList(r, ${JSON.stringify(field.keyField)}, N[${nested.push(compiledReader(field.shape)) - 1}])`;
        break;
      default:
        read = `R.field(F[${fields.push(field) - 1}], r)`;
    }
    return `${JSON.stringify(name)}: ${read}`;
  });
  // object literal properties are evaluated in order: the fields are read in shape order
  const make = new Function('R', 'N', 'F', `return function read(r) {\nreturn {\n${values.join(',\n')}\n};\n};`);
  return make(READ, nested, fields) as ShapeReader;
}
