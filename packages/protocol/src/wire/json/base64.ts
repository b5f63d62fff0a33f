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
  if (text.length % 4 !== 0 || text.indexOf('-') !== -1 || text.indexOf('_') !== -1) return false;
  const bytes = Buffer.from(text, 'base64');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (bytes.length !== (text.length / 4) * 3 - padding) return false;
  state?.remembered.push({ text, bytes });
  return true;
}

/** The bytes of a base64 string; each remembered decode is handed out once (two equal fields never share bytes). */
export function base64Bytes(text: string, state?: DecodeState): Buffer {
  const remembered = state?.remembered;
  if (remembered && text.length >= REMEMBER_FROM && remembered.length > 0) {
    const i = remembered.findIndex((entry) => entry.text === text);
    if (i !== -1) return remembered.splice(i, 1)[0].bytes;
  }
  return Buffer.from(text, 'base64');
}
