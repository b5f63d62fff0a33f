/** How the test API shows bytes and addresses in its messages. */

export const hexOf = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** `0x01010101…01010101` for a long address, the whole hex for a short one. */
export function shortAddress(address: Uint8Array): string {
  const hex = hexOf(address);
  return hex.length > 16 ? `0x${hex.slice(0, 8)}…${hex.slice(-8)}` : `0x${hex}`;
}

const PRINTABLE = /^[\x20-\x7e]+$/;

/** `0x0c (12)`, `0x73756d ("sum")`, `"" (empty)`: the hex, and what it reads as when that is likely to help. */
export function showBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return '"" (empty)';
  const hex = hexOf(bytes);
  const text = Buffer.from(bytes).toString('latin1');
  if (bytes.length > 1 && PRINTABLE.test(text)) return `0x${hex} ("${text}")`;
  if (bytes.length <= 32) return `0x${hex} (${BigInt(`0x${hex}`)})`;
  return `0x${hex}`;
}

/** A storage key: the text when it is printable (`"sum"`), else the hex. */
export function showKey(key: Uint8Array): string {
  const text = Buffer.from(key).toString('latin1');
  return key.length > 0 && PRINTABLE.test(text) ? `"${text}"` : `0x${hexOf(key)}`;
}
