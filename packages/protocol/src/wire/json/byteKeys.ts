/**
 * Lossless map keys for Go `map[string]…` keyed by raw bytes.
 *
 * Go renders such keys as strings, replacing invalid UTF-8 with U+FFFD, so distinct keys collide and entries are
 * lost. We map bytes to a string the way PEP 383's "surrogateescape" does: valid UTF-8 sequences become their
 * characters (so ordinary keys are byte-identical to Go's), and each byte of an invalid sequence becomes the lone
 * surrogate U+DC80..U+DCFF. Valid UTF-8 never yields a lone surrogate, so the mapping is injective and reversible;
 * a Go peer reads such a key as U+FFFD, no worse than its own encoding.
 */

import { isUtf8 } from 'node:buffer';
import { goQuote } from './goJson';

const ESCAPE_BASE = 0xdc00;
const SURROGATE = /[\ud800-\udfff]/;

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Bytes -> key string. */
export function bytesToKey(bytes: Uint8Array): string {
  if (isUtf8(bytes)) return asBuffer(bytes).toString('utf8');
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i];
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i += 1;
      continue;
    }
    const length = validSequenceLength(bytes, i);
    if (length === 0) {
      out += String.fromCharCode(ESCAPE_BASE + b0);
      i += 1;
      continue;
    }
    let cp = b0 & (length === 2 ? 0x1f : length === 3 ? 0x0f : 0x07);
    for (let k = 1; k < length; k++) cp = (cp << 6) | (bytes[i + k] & 0x3f);
    out += String.fromCodePoint(cp);
    i += length;
  }
  return out;
}

/** Each ASCII character inside a Go JSON string literal (escaped as Go escapes it). */
const QUOTED_ASCII = Array.from({ length: 0x80 }, (_, code) => goQuote(String.fromCharCode(code)).slice(1, -1));

/**
 * `goQuote(bytesToKey(bytes))` straight from the bytes, without building the key string and escaping it again
 * (map keys are the bulk of a VMOutput's encoding).
 */
export function quoteByteKey(bytes: Uint8Array): string {
  let out = '"';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i];
    if (b0 < 0x80) {
      out += QUOTED_ASCII[b0];
      i += 1;
      continue;
    }
    const length = validSequenceLength(bytes, i);
    if (length === 0) {
      out += `\\u${(ESCAPE_BASE + b0).toString(16)}`; // a lone surrogate, as JSON.stringify writes it
      i += 1;
      continue;
    }
    let cp = b0 & (length === 2 ? 0x1f : length === 3 ? 0x0f : 0x07);
    for (let k = 1; k < length; k++) cp = (cp << 6) | (bytes[i + k] & 0x3f);
    out += cp === 0x2028 || cp === 0x2029 ? `\\u${cp.toString(16)}` : String.fromCodePoint(cp);
    i += length;
  }
  return out + '"';
}

/** Key string -> bytes (the inverse of bytesToKey). */
export function keyToBytes(key: string): Uint8Array {
  if (!SURROGATE.test(key)) return new Uint8Array(Buffer.from(key, 'utf8'));
  const out: number[] = [];
  for (let i = 0; i < key.length; i++) {
    const unit = key.charCodeAt(i);
    if (unit >= 0xdc80 && unit <= 0xdcff) {
      out.push(unit - ESCAPE_BASE);
      continue;
    }
    const cp = key.codePointAt(i) as number;
    if (cp > 0xffff) i += 1;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Length of the well-formed UTF-8 sequence at `i` (Unicode Table 3-7), or 0 if there is none. */
function validSequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i];
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean =>
    i + k < bytes.length && bytes[i + k] >= lo && bytes[i + k] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** Go's map-key order: byte-wise comparison of the raw keys. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}
