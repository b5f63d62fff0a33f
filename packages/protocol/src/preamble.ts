import { VMError, ErrorCode } from './errors';

/** Every main-channel frame starts with 8 bytes: payload length (u32 LE), then the kind (u32 LE). */
export const PREAMBLE_SIZE = 8;

export interface Preamble {
  readonly length: number;
  readonly kind: number;
}

export function encodePreamble(
  length: number,
  kind: number,
  target: Uint8Array = new Uint8Array(PREAMBLE_SIZE),
  offset = 0,
): Uint8Array {
  if (!isU32(length) || !isU32(kind)) {
    throw new VMError(ErrorCode.InvalidPreamble, `length ${length} and kind ${kind} must be unsigned 32-bit integers`);
  }
  const view = new DataView(target.buffer, target.byteOffset + offset, PREAMBLE_SIZE);
  view.setUint32(0, length, true);
  view.setUint32(4, kind, true);
  return target;
}

export function decodePreamble(bytes: Uint8Array, offset = 0): Preamble {
  if (bytes.length - offset < PREAMBLE_SIZE) {
    throw new VMError(ErrorCode.TruncatedPreamble, `${bytes.length - offset} of ${PREAMBLE_SIZE} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, PREAMBLE_SIZE);
  return { length: view.getUint32(0, true), kind: view.getUint32(4, true) };
}

const isU32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
