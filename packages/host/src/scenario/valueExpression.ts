/**
 * Scenario value expressions, exactly as this version of the format evaluates them (scenario-format.md §4.2):
 * every scalar is a string that evaluates to bytes, then is read per field as an address, an unsigned or
 * signed big integer, or a u64.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { keccak256 } from '../eei/keccak';
import { magnitudeBytes, fromUnsignedBytes, fromSignedBytes, signedBytes } from '../eei/bytes';

/** Where a bad value or a bad file was found: the file, the JSON path, and for JSON syntax the line and column. */
export interface ScenarioErrorLocation {
  readonly file?: string;
  readonly jsonPath?: string;
  readonly line?: number;
  readonly column?: number;
}

/** Every malformed file, step or value, and every runner error (a missing sender, gas that cannot be paid...). */
export class ScenarioError extends Error {
  readonly file?: string;
  readonly jsonPath?: string;
  readonly line?: number;
  readonly column?: number;

  constructor(message: string, location: ScenarioErrorLocation = {}) {
    super(message);
    this.name = 'ScenarioError';
    Object.assign(this, location);
  }
}

export interface EvalContext {
  /** Directory of the file being parsed: `file:` paths are relative to it. */
  readonly baseDir: string;
  /** `file:` path rewrites (exact match on the text after `file:`). */
  readonly replacements: ReadonlyMap<string, string>;
  /** false: `file:` values are not read and evaluate to no bytes (formatting needs only the text). Default true. */
  readonly readFiles?: boolean;
}

const EMPTY = new Uint8Array(0);

export function evalBytes(expression: string, ctx: EvalContext): Uint8Array {
  if (expression === '') return EMPTY;
  if (expression.startsWith('file:')) {
    const written = expression.slice(5);
    if (ctx.readFiles === false) return EMPTY;
    const replacement = ctx.replacements.get(written);
    const file =
      replacement === undefined ? path.resolve(ctx.baseDir, written) : resolveReplacement(ctx.baseDir, replacement);
    try {
      return new Uint8Array(readFileSync(file));
    } catch (error) {
      throw new ScenarioError(`cannot read ${file}: ${(error as Error).message}`);
    }
  }
  if (expression.startsWith('keccak256:')) return keccak256(evalBytes(expression.slice(10), ctx));
  if (expression.includes('|')) return concat(expression.split('|').map((part) => evalBytes(part, ctx)));
  if (expression === 'false') return EMPTY;
  if (expression === 'true') return Uint8Array.of(1);
  if (expression.startsWith('``') || expression.startsWith("''"))
    return new Uint8Array(Buffer.from(expression.slice(2), 'utf8'));
  const extension = evalExtension(expression, ctx);
  if (extension) return extension;
  if (expression[0] === '-' || expression[0] === '+') {
    const magnitude = fromUnsignedBytes(unsignedBytes(expression.slice(1)));
    return signedBytes(expression[0] === '-' ? -magnitude : magnitude);
  }
  return unsignedBytes(expression);
}

const FIXED_WIDTH: Record<string, { width: number; signed: boolean }> = {
  'u8:': { width: 1, signed: false },
  'u16:': { width: 2, signed: false },
  'u32:': { width: 4, signed: false },
  'u64:': { width: 8, signed: false },
  'i8:': { width: 1, signed: true },
  'i16:': { width: 2, signed: true },
  'i32:': { width: 4, signed: true },
  'i64:': { width: 8, signed: true },
};

/**
 * The later dialect's prefixes, accepted as an extension: each was a parse error at this version, so no v0.3 file
 * changes meaning. `str:` text; `address:NAME` NAME padded with `_` to 32 bytes; `sc:NAME` 8 zero bytes then NAME
 * padded with `_` to 24; `u8:`..`u64:` / `i8:`..`i64:` fixed width (two's complement for `i`); `biguint:N` and
 * `nested:X` with a 4-byte big-endian length before the bytes.
 */
function evalExtension(expression: string, ctx: EvalContext): Uint8Array | undefined {
  const colon = expression.indexOf(':');
  if (colon < 0) return undefined;
  const prefix = expression.slice(0, colon + 1);
  const rest = expression.slice(colon + 1);
  switch (prefix) {
    case 'str:':
      return new Uint8Array(Buffer.from(rest, 'utf8'));
    case 'address:':
      return padName(rest, 32, expression);
    case 'sc:': {
      const address = new Uint8Array(32);
      address.set(padName(rest, 24, expression), 8);
      return address;
    }
    case 'biguint:':
      return lengthPrefixed(magnitudeBytes(fromUnsignedBytes(unsignedBytes(rest))));
    case 'nested:':
      return lengthPrefixed(evalBytes(rest, ctx));
  }
  const fixed = FIXED_WIDTH[prefix];
  if (!fixed) return undefined;
  const signed = rest[0] === '-' || rest[0] === '+';
  if (signed && !fixed.signed) throw new ScenarioError(`${prefix} takes no sign: ${JSON.stringify(expression)}`);
  const magnitude = fromUnsignedBytes(unsignedBytes(signed ? rest.slice(1) : rest));
  const value = rest[0] === '-' ? -magnitude : magnitude;
  const bits = BigInt(fixed.width * 8);
  const fits = fixed.signed ? value >= -(1n << (bits - 1n)) && value < 1n << (bits - 1n) : value < 1n << bits;
  if (!fits) throw new ScenarioError(`${JSON.stringify(expression)} does not fit in ${fixed.width} bytes`);
  const unsigned = value < 0n ? value + (1n << bits) : value;
  return new Uint8Array(Buffer.from(unsigned.toString(16).padStart(fixed.width * 2, '0'), 'hex'));
}

function padName(name: string, width: number, expression: string): Uint8Array {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length > width) throw new ScenarioError(`${JSON.stringify(expression)} is longer than ${width} bytes`);
  const out = new Uint8Array(width).fill(0x5f); // '_'
  out.set(bytes, 0);
  return out;
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

/** A replacement path: against the scenario's directory, then each of its ancestors; the first that exists. */
function resolveReplacement(baseDir: string, replacement: string): string {
  if (path.isAbsolute(replacement)) return replacement;
  for (let dir = baseDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, replacement);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.resolve(baseDir, replacement);
  }
}

function unsignedBytes(text: string): Uint8Array {
  if (/^0x/i.test(text)) {
    const hex = text.slice(2);
    if (!/^[0-9a-f]*$/i.test(hex)) throw new ScenarioError(`invalid hex value ${JSON.stringify(text)}`);
    return new Uint8Array(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
  }
  if (/^0b/i.test(text)) {
    const bits = text.slice(2).replace(/[_,]/g, '');
    if (!/^[01]*$/.test(bits)) throw new ScenarioError(`invalid binary value ${JSON.stringify(text)}`);
    return magnitudeBytes(bits === '' ? 0n : BigInt(`0b${bits}`));
  }
  const digits = text.replace(/[_,]/g, '');
  if (!/^\d+$/.test(digits)) throw new ScenarioError(`could not parse base 10 value ${JSON.stringify(text)}`);
  return magnitudeBytes(BigInt(digits));
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export function evalAddress(expression: string, ctx: EvalContext): Uint8Array {
  if (expression === '') throw new ScenarioError('missing account address');
  const bytes = evalBytes(expression, ctx);
  if (bytes.length !== 32)
    throw new ScenarioError(`account address is not 32 bytes in length: ${JSON.stringify(expression)}`);
  return bytes;
}

export const evalBigUint = (expression: string, ctx: EvalContext): bigint =>
  fromUnsignedBytes(evalBytes(expression, ctx));
export const evalSigned = (expression: string, ctx: EvalContext): bigint => fromSignedBytes(evalBytes(expression, ctx));

export function evalU64(expression: string, ctx: EvalContext): bigint {
  const value = evalBigUint(expression, ctx);
  if (value >= 1n << 64n) throw new ScenarioError(`value is not uint64: ${JSON.stringify(expression)}`);
  return value;
}
