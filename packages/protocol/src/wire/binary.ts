/**
 * The binary codec (MarshalizerKind.Binary, ours): the same shapes as the JSON codec, written as raw bytes, for
 * the pipe between two dme-vm processes. No text, no base64, no schema pass: the layout below is the validation,
 * and every length is checked against the bytes that remain before anything is allocated.
 *
 * A payload is the byte 0xB1 (a JSON payload starts with `{`), then every field of the kind's shape, envelope
 * first, in shape order. Integers are little-endian.
 *
 * | field | bytes |
 * |---|---|
 * | bytes | u32 length, then the bytes; length 0xFFFFFFFF = nil |
 * | bytesList | u32 count (0xFFFFFFFF = nil), then each element as `bytes` |
 * | bigInt | u8 0 = nil, 1 = non-negative, 2 = negative; then u32 length and the magnitude, big-endian, without leading zero bytes (zero: length 0, non-negative) |
 * | u64 / u32 / int / bool | 8 / 4 / 8 (two's complement) / 1 (0 or 1) bytes |
 * | string | u32 count of UTF-16 code units, then the units (every JavaScript string round-trips) |
 * | struct | by value: its fields; pointer: u8 0 = nil, 1 = present, then its fields |
 * | structList | u32 count (0xFFFFFFFF = nil), then each element's fields |
 * | keyedList, bytesMap | u32 count (0xFFFFFFFF = nil), then the items in strictly ascending order of their key bytes (a bytesMap entry: key as `bytes`, never nil, then value as `bytes`) |
 * | nameSet | u32 count (0xFFFFFFFF = nil), then the names as `string`, strictly ascending by UTF-8 bytes |
 * | gasSchedule | u32 section count (0xFFFFFFFF = nil); each section: name, u32 count, then name and u64 per cost; names strictly ascending by UTF-8 bytes |
 *
 * The encoding of a message is canonical (one value, one byte string) and refuses what the JSON codec refuses.
 */
import { VMError, ErrorCode } from '../errors';
import { GO_INT_RANGES } from './goJson';
import type { Bytes, BytesMapEntry, Field, GasScheduleMap, Shape } from './fields';

export const BINARY_MAGIC = 0xb1;

const NIL = 0xffffffff;
/** Magnitudes up to here are converted through a JS number (exact below 2^53), not through hex text. */
const SMALL_MAGNITUDE = BigInt(Number.MAX_SAFE_INTEGER);

/** Byte order of two keys (short: a loop is cheaper than a call into Buffer.compare). */
function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
const UINT64_MAX = GO_INT_RANGES.uint64[1];
const [INT_MIN, INT_MAX] = GO_INT_RANGES.int;

/** A field-level problem; the path is added on the way out, only when there is one. */
class FieldError extends Error {
  path = '';
  constructor(readonly what: string) {
    super(what);
  }
}

/** Runs `action` for the part of a value at `place` (a field name or a list index), naming it in any FieldError. */
function at<T>(place: string | number, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof FieldError)
      error.path = `${typeof place === 'number' ? `[${place}]` : `.${place}`}${error.path}`;
    throw error;
  }
}

// ---------------------------------------------------------------- encoding

/** A growable byte buffer, reused by every encode (encoding is synchronous, so never re-entered). */
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

const writer = new ByteWriter();

/**
 * Encodes `value` of `shape` after `headroom` bytes (left for a preamble). Throws InvalidMessage naming the field,
 * as the JSON codec does.
 */
export function encodeBinary(shape: Shape, value: Record<string, unknown>, name: string, headroom = 0): Buffer {
  writer.length = 0;
  writer.reserve(headroom);
  writer.length = headroom;
  try {
    writer.u8(BINARY_MAGIC);
    writeShape(shape, value);
  } catch (error) {
    writer.length = 0;
    if (error instanceof FieldError) throw new VMError(ErrorCode.InvalidMessage, `${name}${error.path} ${error.what}`);
    throw error;
  }
  return writer.take(0);
}

function writeShape(shape: Shape, value: Record<string, unknown>): void {
  if (value === null || typeof value !== 'object') throw new FieldError('must be an object');
  for (const name in shape) {
    try {
      writeField(shape[name], value[name]); // (not through `at`: no closure per field on the hot path)
    } catch (error) {
      if (error instanceof FieldError) error.path = `.${name}${error.path}`;
      throw error;
    }
  }
}

function writeField(field: Field, value: unknown): void {
  if (value === undefined && field.extension) value = field.t === 'u32' ? 0 : null; // left out: its zero
  switch (field.t) {
    case 'bytes':
      return writeBytes(value);
    case 'bytesList':
      return writeList(value, writeBytes);
    case 'bigInt':
      return writeBigInt(value);
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
      if (!field.nullable) return writeShape(field.shape, value as Record<string, unknown>);
      if (value === null) return writer.u8(0);
      writer.u8(1);
      return writeShape(field.shape, value as Record<string, unknown>);
    case 'structList':
      return writeList(value, (item) => writeShape(field.shape, item as Record<string, unknown>));
    case 'keyedList':
      return writeKeyed(
        value,
        (item) => (item as Record<string, unknown> | null)?.[field.keyField],
        field.keyField,
        'must be bytes (it is the map key)',
        (item) => writeShape(field.shape, item as Record<string, unknown>),
      );
    case 'bytesMap':
      return writeKeyed(
        value,
        (entry) => (entry as BytesMapEntry | null)?.key,
        'key',
        'must be bytes',
        (entry) => {
          writeBytes((entry as BytesMapEntry).key);
          at('value', () => writeBytes((entry as BytesMapEntry).value));
        },
      );
    case 'nameSet':
      if (value === null) return writer.u32(NIL);
      if (!Array.isArray(value)) throw new FieldError('must be an array or null');
      return writeNamed(
        value.map((name) => {
          if (typeof name !== 'string') throw new FieldError('must contain strings');
          return [name, undefined] as const;
        }),
        () => undefined,
      );
    case 'gasSchedule': {
      if (value === null) return writer.u32(NIL);
      if (typeof value !== 'object') throw new FieldError('must be an object or null');
      return writeNamed(Object.entries(value as GasScheduleMap), (section, costs) =>
        at(section, () => {
          if (costs === null || typeof costs !== 'object') throw new FieldError('must be an object');
          writeNamed(Object.entries(costs), (op, cost) =>
            at(op, () => writer.u64(integer(cost, 0n, UINT64_MAX, 'uint64'))),
          );
        }),
      );
    }
  }
}

function writeBytes(value: unknown): void {
  if (value === null) return writer.u32(NIL);
  if (!(value instanceof Uint8Array)) throw new FieldError('must be a Uint8Array or null');
  if (value.length >= NIL) throw new FieldError('is too long for a frame');
  writer.u32(value.length);
  writer.raw(value);
}

function writeBigInt(value: unknown): void {
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

function writeList(value: unknown, writeItem: (item: unknown) => void): void {
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
function writeNamed<T>(entries: readonly (readonly [string, T])[], writeValue: (name: string, value: T) => void): void {
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

// ---------------------------------------------------------------- decoding

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
    const reader = new ByteReader(payload.subarray(1));
    const value = readShape(shape, reader);
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
