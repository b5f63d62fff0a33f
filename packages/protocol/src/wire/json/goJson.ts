/**
 * JSON text exactly as Go's encoding/json writes it, and a parser that keeps big integers exact.
 */
import { parse as losslessParse } from 'lossless-json';

const UINT64_MAX = (1n << 64n) - 1n;
export const GO_INT_RANGES = {
  uint64: [0n, UINT64_MAX],
  uint32: [0n, 0xffffffffn],
  /** Go `int` is 64-bit, but its fields (ReturnCode, CallType) are small: kept to what a JS number holds exactly. */
  int: [-(2n ** 53n - 1n), 2n ** 53n - 1n],
  bigInt: [undefined, undefined],
} as const;
export type GoIntegerType = keyof typeof GO_INT_RANGES;

/**
 * Parses JSON, keeping integers exact: safe integers become numbers, larger ones bigints.
 */
export function parseJsonLossless(text: string): unknown {
  const parsed = parseJsonFast(text);
  return parsed.marked ? reviveMarkers(parsed.value) : parsed.value;
}

/**
 * The decoder's parser. The native parser is exact for every integer a double holds exactly, so its result is
 * kept unless it holds a number that is not a safe integer (one that may have lost digits). Only then one regex
 * pass over the tokens rewrites each long integer literal (16 digits or more) into a marked string (NUL, '#',
 * digits) before a second native parse, and the result is `marked`: its long integers are marked strings, which
 * only `integerValue(value, true)` reads as integers (the flag travels in the message's DecodeState). A genuine string starting with an escaped
 * NUL could imitate a marker, so such text is parsed by lossless-json instead (real bigints, unmarked). No digit
 * is ever lost.
 */
export function parseJsonFast(text: string): { value: unknown; marked: boolean } {
  const value: unknown = JSON.parse(text);
  if (!holdsUnsafeNumber(value)) return { value, marked: false };
  let forgeable = false;
  const markedText = text.replace(STRING_OR_LONG_NUMBER, (token: string) => {
    if (token.charCodeAt(0) === 0x22 /* " */) {
      if (token.startsWith('"\\u0000')) forgeable = true;
      return token;
    }
    return INTEGER_LITERAL.test(token) ? `"\\u0000#${token}"` : token;
  });
  if (forgeable) return { value: losslessParse(text, null, parseNumber), marked: false };
  return { value: JSON.parse(markedText), marked: true };
}

/** Whether a parsed JSON value holds a number outside the safe integers (walked without recursion). */
function holdsUnsafeNumber(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' || typeof item === 'number') pending.push(item);
    } else if (value !== null && typeof value === 'object') {
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (typeof item === 'object' || typeof item === 'number') pending.push(item);
      }
    }
  }
  return false;
}

function reviveMarkers(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith(BIG_MARKER) ? BigInt(value.slice(BIG_MARKER.length)) : value;
  if (Array.isArray(value)) return value.map(reviveMarkers);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = reviveMarkers(v);
    return out;
  }
  return value;
}

/** A JSON string token, or a number token with at least 16 leading digits. */
const STRING_OR_LONG_NUMBER = /"[^"\\]*(?:\\.[^"\\]*)*"|-?\d{16,}(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const INTEGER_LITERAL = /^-?\d+$/;
const BIG_MARKER = '\u0000#';

function parseNumber(literal: string): number | bigint {
  if (INTEGER_LITERAL.test(literal)) {
    const n = Number(literal);
    return Number.isSafeInteger(n) ? n : BigInt(literal);
  }
  return Number(literal);
}

/**
 * A JSON integer value (as parsed above) as a bigint, or undefined when it is not an integer. `marked`: the value
 * comes from a marked parse, whose marked strings are integers.
 */
export function integerValue(value: unknown, marked = false): bigint | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'bigint') return value;
  if (marked && typeof value === 'string' && value.startsWith(BIG_MARKER))
    return BigInt(value.slice(BIG_MARKER.length));
  return undefined;
}

export function inGoRange(value: bigint, type: GoIntegerType): boolean {
  const [min, max] = GO_INT_RANGES[type];
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

const PLAIN_ASCII = /^[\x20-\x21\x23-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e]*$/;
const GO_EXTRA_ESCAPES = /[<>&\u2028\u2029]|\\[bf\\]/g;
const GO_ESCAPE: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
  '\\b': '\\u0008',
  '\\f': '\\u000c',
  '\\\\': '\\\\',
};

/**
 * A JSON string literal as Go writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped, \b and \f as \u0008 and \u000c.
 * (Escapes in JSON.stringify's output are matched left to right as pairs, so an escaped backslash is never split.)
 */
export function goQuote(s: string): string {
  if (PLAIN_ASCII.test(s)) return `"${s}"`;
  return JSON.stringify(s).replace(GO_EXTRA_ESCAPES, (m) => GO_ESCAPE[m]);
}
