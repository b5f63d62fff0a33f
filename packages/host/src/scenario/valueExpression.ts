/**
 * Scenario value expressions, exactly as this version of the format evaluates them (scenario-format.md §4.2):
 * every scalar is a string that evaluates to bytes, then is read per field as an address, an unsigned or
 * signed big integer, or a u64.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { keccak256 } from '../eei/keccak';
import { magnitudeBytes, fromUnsignedBytes, fromSignedBytes, signedBytes } from '../eei/bytes';

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export interface EvalContext {
  /** Directory of the file being parsed: `file:` paths are relative to it. */
  readonly baseDir: string;
  /** `file:` path rewrites (exact match on the text after `file:`). */
  readonly replacements: ReadonlyMap<string, string>;
}

const EMPTY = new Uint8Array(0);

export function evalBytes(expression: string, ctx: EvalContext): Uint8Array {
  if (expression === '') return EMPTY;
  if (expression.startsWith('file:')) {
    const written = expression.slice(5);
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
  if (expression[0] === '-' || expression[0] === '+') {
    const magnitude = fromUnsignedBytes(unsignedBytes(expression.slice(1)));
    return signedBytes(expression[0] === '-' ? -magnitude : magnitude);
  }
  return unsignedBytes(expression);
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
