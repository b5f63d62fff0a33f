import { encodePreamble } from '@vm/protocol';

/** A frame with an arbitrary preamble and payload text, for feeding malformed input. */
export function rawFrame(kind: number, payload: string | Buffer, declaredLength?: number): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([encodePreamble(declaredLength ?? body.length, kind), body]);
}

/** Splits bytes into chunks of `size` bytes. */
export function chunked(bytes: Buffer, size = 1): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}
