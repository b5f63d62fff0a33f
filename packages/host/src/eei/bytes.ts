/** Big-integer <-> byte conversions with Go's semantics (big.Int.Bytes/SetBytes and two's-complement helpers). */

/** big.Int.Bytes(): the magnitude, minimal big-endian (0 -> empty). */
export function magnitudeBytes(value: bigint): Uint8Array {
  const v = value < 0n ? -value : value;
  if (v === 0n) return new Uint8Array(0);
  const hex = v.toString(16);
  return Uint8Array.from(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
}

/** big.Int.SetBytes(): unsigned big-endian. */
export function fromUnsignedBytes(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/** twos.SetBytes: two's-complement big-endian. */
export function fromSignedBytes(bytes: Uint8Array): bigint {
  const unsigned = fromUnsignedBytes(bytes);
  return bytes.length > 0 && bytes[0] & 0x80 ? unsigned - (1n << BigInt(bytes.length * 8)) : unsigned;
}

/** twos.ToBytes: minimal two's-complement big-endian (0 -> empty, -1 -> FF, 128 -> 00 80). */
export function signedBytes(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  let length = 1;
  while (value < -(1n << BigInt(length * 8 - 1)) || value >= 1n << BigInt(length * 8 - 1)) length++;
  const unsigned = value < 0n ? value + (1n << BigInt(length * 8)) : value;
  const hex = unsigned.toString(16).padStart(length * 2, '0');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** PadBytesLeft(data, size): zeros on the left up to `size` (longer data unchanged). */
export function padLeft(data: Uint8Array, size: number): Uint8Array {
  if (data.length >= size || data.length === 0) return data;
  const out = new Uint8Array(size);
  out.set(data, size - data.length);
  return out;
}

/** Go's big.Int.Int64() on a non-negative value: its low 64 bits as a signed integer. */
export const lowInt64 = (value: bigint): bigint =>
  BigInt.asIntN(64, value < 0n ? -BigInt.asUintN(64, -value) : BigInt.asUintN(64, value));

export const isInt64 = (value: bigint): boolean => value >= -(1n << 63n) && value < 1n << 63n;
