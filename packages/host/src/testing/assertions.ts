/**
 * Assertions for contract tests that work under any test runner: `expectFailure` (a transaction that must fail,
 * with its code and message) and `assertAccount` (an account's state, with a line diff when it differs).
 */
import { createHash } from 'node:crypto';
import { diffLines } from 'diff';
import { ReturnCode, returnCodeString } from '@vm/protocol';
import { TestAssertionError, TestInputError, TxFailure, describeTransaction } from './errors';
import { hexOf, shortAddress, showBytes, showKey } from './format';
import {
  addressValue,
  amountValue,
  bytesValue,
  codeValue,
  kindOf,
  optional,
  readFields,
  type AddressLike,
  type Reader,
} from './inputs';
import type { TestWorld } from './world';

export interface ExpectedFailure {
  /** The ReturnCode, by number (4) or name ('UserError'). */
  code?: ReturnCode | keyof typeof ReturnCode;
  /** The ReturnMessage: exactly this text, or matching this pattern. */
  message?: string | RegExp;
}

/** TxFailure for an action that returned a value; a promise of it when the action is (or returns) a promise. */
export type FailureOutcome<R> = [Extract<R, PromiseLike<unknown>>] extends [never]
  ? TxFailure
  : [Exclude<R, PromiseLike<unknown>>] extends [never]
    ? Promise<TxFailure>
    : TxFailure | Promise<TxFailure>;

/**
 * Runs `action` (a function, or a promise already made) and returns the TxFailure it must end with; throws
 * TestAssertionError when it succeeds, fails otherwise, or fails with another code or message.
 */
export function expectFailure(action: PromiseLike<unknown>, expected?: ExpectedFailure): Promise<TxFailure>;
export function expectFailure<R>(action: () => R, expected?: ExpectedFailure): FailureOutcome<R>;
export function expectFailure(
  action: PromiseLike<unknown> | (() => unknown),
  expected: ExpectedFailure = {},
): TxFailure | Promise<TxFailure> {
  const want = readExpected(expected);
  let result: unknown;
  try {
    result = typeof action === 'function' ? action() : action;
  } catch (error) {
    return check(error, want);
  }
  if (isPromiseLike(result))
    return Promise.resolve(result).then(
      (value) => check(succeeded(value), want),
      (error: unknown) => check(error, want),
    );
  if (typeof action !== 'function')
    throw new TestInputError(`expectFailure: expected a function or a promise, got ${kindOf(action)}`);
  return check(succeeded(result), want);
}

interface Wanted {
  code: ReturnCode | undefined;
  message: string | RegExp | undefined;
}

function readExpected(expected: ExpectedFailure): Wanted {
  const o = readFields('expectFailure', expected, {
    code: optional((value, where): ReturnCode => {
      if (typeof value === 'number' && ReturnCode[value] !== undefined) return value;
      if (typeof value === 'string' && typeof ReturnCode[value as keyof typeof ReturnCode] === 'number')
        return ReturnCode[value as keyof typeof ReturnCode];
      const names = Object.keys(ReturnCode).filter((k) => Number.isNaN(Number(k)));
      throw new TestInputError(`${where}: not a return code: ${kindOf(value)} (one of 0..11 or ${names.join(', ')})`);
    }),
    message: optional((value, where): string | RegExp => {
      if (typeof value === 'string' || value instanceof RegExp) return value;
      throw new TestInputError(`${where}: expected a string or a RegExp, got ${kindOf(value)}`);
    }),
  });
  return { code: o.code, message: o.message };
}

const SUCCEEDED = Symbol('succeeded');
const succeeded = (value: unknown) => ({ [SUCCEEDED]: value });

function check(outcome: unknown, want: Wanted): TxFailure {
  if (typeof outcome === 'object' && outcome !== null && SUCCEEDED in outcome) {
    const value = (outcome as Record<typeof SUCCEEDED, unknown>)[SUCCEEDED];
    const what =
      typeof value === 'object' && value !== null && 'transaction' in value
        ? describeTransaction((value as { transaction: TxFailure['transaction'] }).transaction)
        : 'the action';
    throw new TestAssertionError(`expected a failing transaction, but ${what} succeeded`);
  }
  if (!(outcome instanceof TxFailure)) {
    const text = outcome instanceof Error ? `${outcome.name}: ${outcome.message}` : String(outcome);
    throw new TestAssertionError(`expected a failing transaction, got another error: ${text}`, { cause: outcome });
  }
  const problems: string[] = [];
  if (want.code !== undefined && outcome.returnCode !== want.code)
    problems.push(`return code: expected ${codeText(want.code)}, got ${codeText(outcome.returnCode)}`);
  const message = outcome.returnMessage;
  if (
    want.message !== undefined &&
    !(typeof want.message === 'string' ? message === want.message : want.message.test(message))
  )
    problems.push(
      `message: expected ${typeof want.message === 'string' ? JSON.stringify(want.message) : want.message}, got ${JSON.stringify(message)}`,
    );
  if (problems.length > 0)
    throw new TestAssertionError(
      `${describeTransaction(outcome.transaction)} failed differently:\n  ${problems.join('\n  ')}`,
      {
        cause: outcome,
      },
    );
  return outcome;
}

const codeText = (code: ReturnCode) => `${code} (${returnCodeString(code)})`;

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

// ------------------------------------------------------------------ assertAccount

export interface ExpectedAccount {
  balance?: bigint;
  nonce?: bigint;
  /**
   * Every storage entry (no more, no fewer): keys as text, or `0x` hex for binary keys; values as bytes (codecs).
   * An empty value stands for an absent entry.
   */
  storage?: Record<string, Uint8Array>;
  /** The code: bytes or the path of the .wasm file deployed. */
  code?: Uint8Array | string;
}

const storageValue: Reader<Map<string, Uint8Array>> = (value, where) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array)
    throw new TestInputError(`${where}: expected an object of key → bytes, got ${kindOf(value)}`);
  const entries = new Map<string, Uint8Array>();
  for (const [key, bytes] of Object.entries(value)) {
    const keyBytes = key.startsWith('0x') ? bytesValue(key, `${where} key ${key}`) : Buffer.from(key, 'utf8');
    if (!(bytes instanceof Uint8Array))
      throw new TestInputError(`${where}.${key}: expected bytes (e.g. biguint(12n), str('x')), got ${kindOf(bytes)}`);
    if (bytes.length > 0) entries.set(hexOf(keyBytes), bytes); // an empty value is no entry, as on chain
  }
  return entries;
};

/** Throws TestAssertionError with a diff (`- expected`, `+ actual`) when the account differs in a field given. */
export function assertAccount(world: TestWorld<boolean>, address: AddressLike, expected: ExpectedAccount): void {
  const at = addressValue(address, 'assertAccount: address');
  const want = readFields('assertAccount', expected, {
    balance: optional(amountValue),
    nonce: optional(amountValue),
    storage: optional(storageValue),
    code: optional(codeValue),
  });
  const account = world.chain.account(at);
  if (!account) throw new TestAssertionError(`assertAccount: no account ${shortAddress(at)}`);
  const expectedLines: string[] = [];
  const actualLines: string[] = [];
  for (const field of ['balance', 'nonce'] as const) {
    if (want[field] === undefined) continue;
    expectedLines.push(`${field}: ${want[field]}`);
    actualLines.push(`${field}: ${account[field]}`);
  }
  if (want.storage) {
    expectedLines.push(...storageLines(want.storage));
    actualLines.push(...storageLines(account.storage));
  }
  if (want.code) {
    expectedLines.push(codeLine(want.code));
    actualLines.push(codeLine(account.code));
  }
  const expectedText = expectedLines.join('\n') + '\n';
  const actualText = actualLines.join('\n') + '\n';
  if (expectedText === actualText) return;
  const diff = diffLines(expectedText, actualText)
    .flatMap((part) =>
      part.value
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => `${part.added ? '+' : part.removed ? '-' : ' '} ${line}`),
    )
    .join('\n');
  throw new TestAssertionError(`account ${shortAddress(at)} differs (- expected, + actual):\n${diff}`);
}

function storageLines(storage: ReadonlyMap<string, Uint8Array>): string[] {
  return [...storage]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `storage ${showKey(Buffer.from(key, 'hex'))}: ${showBytes(value)}`);
}

function codeLine(code: Uint8Array): string {
  if (code.length === 0) return 'code: none';
  return `code: ${code.length} bytes, sha256 ${createHash('sha256').update(code).digest('hex').slice(0, 16)}…`;
}
