/** Reading and writing the WebAssembly binary encoding (LEB128 and friends). */

/** A module that breaks a rule: the deploy fails with ContractInvalid; `reason` is for logs and tests. */
export class InvalidModule extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidModule';
  }
}

export function invalid(reason: string): never {
  throw new InvalidModule(reason);
}

/** Decoding is stateless without `stream`, so one decoder serves every name. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export class BinaryReader {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
    readonly end = bytes.length,
  ) {}

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) invalid(`unexpected end at byte ${this.pos}`);
    return this.bytes[this.pos++];
  }

  /** Unsigned LEB128, at most 32 bits. */
  u32(): number {
    const pos = this.pos;
    const first = this.bytes[pos];
    if (first < 0x80 && pos < this.end) {
      this.pos = pos + 1; // one byte: most indices, counts and sizes
      return first;
    }
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (i === 4 && byte > 0x0f) invalid(`u32 out of range at byte ${this.pos - 1}`);
        return result;
      }
      scale *= 128;
    }
    return invalid(`u32 too long at byte ${this.pos}`);
  }

  /** Signed LEB128, 32 bits. */
  s32(): number {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = this.u8();
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80 && shift < 35);
    if (shift < 32 && byte & 0x40) result |= -1 << shift;
    return result;
  }

  /** Skips a signed LEB128 of at most `bits` bits (the value itself is not needed). */
  skipSigned(bits: 32 | 33 | 64): void {
    const maxBytes = bits === 64 ? 10 : 5;
    const bytes = this.bytes;
    const limit = Math.min(this.pos + maxBytes, this.end);
    for (let pos = this.pos; pos < limit; pos++)
      if ((bytes[pos] & 0x80) === 0) {
        this.pos = pos + 1;
        return;
      }
    if (limit === this.end && limit - this.pos < maxBytes) invalid(`unexpected end at byte ${this.end}`);
    this.pos = limit;
    invalid(`signed LEB128 too long at byte ${this.pos}`);
  }

  bytesOf(length: number): Uint8Array {
    if (this.pos + length > this.end) invalid(`unexpected end at byte ${this.pos}`);
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  name(maxLength: number): string {
    const length = this.u32();
    if (length > maxLength) invalid(`name longer than ${maxLength} bytes`);
    try {
      return UTF8.decode(this.bytesOf(length));
    } catch (error) {
      if (error instanceof InvalidModule) throw error;
      return invalid('name is not valid UTF-8');
    }
  }
}

/** Bytes of the unsigned LEB128 encoding of `value`. */
const lebLength = (value: number): number =>
  value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;

/** A plain Uint8Array over memory that is not zeroed first: every byte of it is written before it is read. */
function uninitialized(length: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
}

/** Below this many bytes a plain loop copies faster than a `subarray` view plus `set`. */
const SHORT_COPY = 32;

/** One growable output buffer per module rewritten; length-prefixed parts are sized after they are written. */
export class BinaryWriter {
  private buffer: Uint8Array;
  private size = 0;

  constructor(capacity = 256) {
    this.buffer = uninitialized(capacity);
  }

  private reserve(extra: number): void {
    if (this.size + extra <= this.buffer.length) return;
    const grown = uninitialized(Math.max(this.buffer.length * 2, this.size + extra));
    grown.set(this.buffer.subarray(0, this.size));
    this.buffer = grown;
  }

  u8(value: number): this {
    this.reserve(1);
    this.buffer[this.size++] = value;
    return this;
  }

  u32(value: number): this {
    this.reserve(5);
    do {
      let byte = value & 0x7f;
      value = Math.floor(value / 128);
      if (value !== 0) byte |= 0x80;
      this.buffer[this.size++] = byte;
    } while (value !== 0);
    return this;
  }

  /** Signed LEB128 of a non-negative integer up to 2^53 (an i64 constant), as the i64 encoding writes it. */
  s64(value: number): this {
    this.reserve(10);
    for (;;) {
      const byte = value % 128;
      value = Math.floor(value / 128);
      const done = value === 0 && (byte & 0x40) === 0;
      this.buffer[this.size++] = done ? byte : byte | 0x80;
      if (done) return this;
    }
  }

  /** Signed LEB128 of a 32-bit value. */
  s32(value: number): this {
    this.reserve(5);
    for (;;) {
      const byte = value & 0x7f;
      value >>= 7;
      const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
      this.buffer[this.size++] = done ? byte : byte | 0x80;
      if (done) return this;
    }
  }

  bytes(data: Uint8Array): this {
    return this.copy(data, 0, data.length);
  }

  /** Copies `source[from, to)`: unchanged instructions and sections go out as slices of the input. */
  copy(source: Uint8Array, from: number, to: number): this {
    const length = to - from;
    this.reserve(length);
    const buffer = this.buffer;
    let size = this.size;
    if (length < SHORT_COPY) for (let i = from; i < to; i++) buffer[size++] = source[i];
    else {
      buffer.set(source.subarray(from, to), size);
      size += length;
    }
    this.size = size;
    return this;
  }

  /** Starts a length-prefixed part (a section, a body): returns the mark to pass to `endSized`. */
  startSized(): number {
    this.reserve(5);
    const mark = this.size;
    this.size += 5;
    return mark;
  }

  /** Writes the part's length at its mark, in the fewest bytes (the part moves back over the unused ones). */
  endSized(mark: number): this {
    const length = this.size - mark - 5;
    const prefix = lebLength(length);
    if (prefix < 5) this.buffer.copyWithin(mark + prefix, mark + 5, this.size);
    this.size = mark;
    this.u32(length);
    this.size = mark + prefix + length;
    return this;
  }

  /** A length-prefixed byte vector. */
  sized(data: Uint8Array): this {
    return this.u32(data.length).bytes(data);
  }

  get length(): number {
    return this.size;
  }

  /** Starts over (the buffer is kept): for a small scratch writer reused per function. */
  clear(): this {
    this.size = 0;
    return this;
  }

  /** A view of bytes [from, to) written so far, without a copy: valid until the writer is cleared or grows. */
  view(from: number, to: number): Uint8Array {
    return this.buffer.subarray(from, to);
  }

  /** The bytes written, in an ArrayBuffer of their own (consumers may read `.buffer` whole). */
  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.size);
  }
}
