/**
 * The binary codec's layout (MarshalizerKind.Binary, ours): the same shapes as the JSON codec, written as raw
 * bytes, for the pipe between two dme-vm processes (encoder.ts, decoder.ts). No text, no base64, no schema pass: the layout below is the validation,
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
import { GO_INT_RANGES } from '../json/goJson';

export const BINARY_MAGIC = 0xb1;

export const NIL = 0xffffffff;
/** Magnitudes up to here are converted through a JS number (exact below 2^53), not through hex text. */
export const SMALL_MAGNITUDE = BigInt(Number.MAX_SAFE_INTEGER);

/** Byte order of two keys (short: a loop is cheaper than a call into Buffer.compare). */
export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
export const UINT64_MAX = GO_INT_RANGES.uint64[1];
export const [INT_MIN, INT_MAX] = GO_INT_RANGES.int;

/** A field-level problem; the path is added on the way out, only when there is one. */
export class FieldError extends Error {
  path = '';
  constructor(readonly what: string) {
    super(what);
  }
}

/** Runs `action` for the part of a value at `place` (a field name or a list index), naming it in any FieldError. */
export function at<T>(place: string | number, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof FieldError)
      error.path = `${typeof place === 'number' ? `[${place}]` : `.${place}`}${error.path}`;
    throw error;
  }
}
