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
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (i === 4 && byte > 0x0f) invalid(`u32 out of range at byte ${this.pos - 1}`);
        return result;
      }
      shift += 7;
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
    const maxBytes = Math.ceil(bits / 7);
    for (let i = 0; i < maxBytes; i++) if ((this.u8() & 0x80) === 0) return;
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
      return new TextDecoder('utf-8', { fatal: true }).decode(this.bytesOf(length));
    } catch (error) {
      if (error instanceof InvalidModule) throw error;
      return invalid('name is not valid UTF-8');
    }
  }
}

export class BinaryWriter {
  private buffer = new Uint8Array(256);
  private size = 0;

  private reserve(extra: number): void {
    if (this.size + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.size + extra));
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

  s64(value: bigint): this {
    this.reserve(10);
    for (;;) {
      const byte = Number(value & 0x7fn);
      value >>= 7n;
      const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
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
    this.reserve(data.length);
    this.buffer.set(data, this.size);
    this.size += data.length;
    return this;
  }

  /** A length-prefixed byte vector (sections, bodies). */
  sized(data: Uint8Array): this {
    return this.u32(data.length).bytes(data);
  }

  get length(): number {
    return this.size;
  }

  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.size);
  }
}
