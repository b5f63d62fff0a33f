/**
 * Go's `[]byte` in JSON: padded standard base64 (BASE64_PATTERN), checked by decoding. Node's decoder skips
 * characters outside its alphabets and also accepts the URL-safe one, so a string is strict base64 exactly when
 * its length is a multiple of 4, it has no '-' or '_', and it decodes to three quarters of its length minus its
 * padding (property-tested against the pattern). Decoding is the costly part, so a long string's bytes are kept
 * for the decoder's next step instead of being decoded twice.
 */
import type { DecodeState } from './decodeState';

const REMEMBER_FROM = 256;

/** The pattern's language without nested groups: quick on short strings (which are decoded once, later). */
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;

/** Whether `text` is strict base64; a long one's bytes are kept in `state` (when given) for base64Bytes. */
export function isStrictBase64(text: string, state?: DecodeState): boolean {
  if (text.length < REMEMBER_FROM) return text.length % 4 === 0 && BASE64_CHARS.test(text);
  const seen = recentlyDecoded.find(text);
  if (seen) {
    state?.remembered.push({ text, bytes: Buffer.from(seen) });
    return true;
  }
  if (text.length % 4 !== 0 || text.indexOf('-') !== -1 || text.indexOf('_') !== -1) return false;
  const bytes = Buffer.from(text, 'base64');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (bytes.length !== (text.length / 4) * 3 - padding) return false;
  if (text.length >= MEMO_FROM) recentlyDecoded.add(text, Buffer.from(bytes));
  state?.remembered.push({ text, bytes });
  return true;
}

/** Padded standard base64 of `bytes`; a long one seen lately comes from the memo below. */
export function encodeBase64(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < MEMO_FROM) return buffer.toString('base64');
  const seen = recentlyEncoded.find(buffer);
  if (seen !== undefined) return seen;
  const text = buffer.toString('base64');
  recentlyEncoded.add(Buffer.from(buffer), text);
  return text;
}

/**
 * Long byte strings cross the wire again and again in the reference's protocol: the node sends a contract's whole
 * code with every account answer. The last few long base64 texts and their bytes are kept (outside any message's
 * state: a plain cache, it changes no result), so the same code is encoded and decoded once; a hit costs a
 * memcmp, and every decoded hit is a copy of its own.
 */
const MEMO_FROM = 1024;
const MEMO_MAX = 512 * 1024;
const MEMO_ENTRIES = 4;

class RecentPairs<K extends string | Buffer, V> {
  private readonly keys: K[] = [];
  private readonly values: V[] = [];

  constructor(private readonly same: (a: K, b: K) => boolean) {}

  find(key: K): V | undefined {
    for (let i = 0; i < this.keys.length; i++) if (this.same(this.keys[i], key)) return this.values[i];
    return undefined;
  }

  add(key: K, value: V): void {
    if (key.length > MEMO_MAX) return;
    this.keys.unshift(key);
    this.values.unshift(value);
    if (this.keys.length > MEMO_ENTRIES) {
      this.keys.pop();
      this.values.pop();
    }
  }
}

const recentlyDecoded = new RecentPairs<string, Buffer>((a, b) => a.length === b.length && a === b);
const recentlyEncoded = new RecentPairs<Buffer, string>((a, b) => a.length === b.length && a.equals(b));

/** The bytes of a base64 string; each remembered decode is handed out once (two equal fields never share bytes). */
export function base64Bytes(text: string, state?: DecodeState): Buffer {
  const remembered = state?.remembered;
  if (remembered && text.length >= REMEMBER_FROM && remembered.length > 0) {
    const i = remembered.findIndex((entry) => entry.text === text);
    if (i !== -1) return remembered.splice(i, 1)[0].bytes;
  }
  return Buffer.from(text, 'base64');
}
