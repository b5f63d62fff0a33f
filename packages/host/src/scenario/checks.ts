/**
 * The scenario checks (scenario-format.md §5.3, §8), each mismatch a structured Difference whose values are shown
 * in the notation the scenario used: a decimal expectation is compared as a number (`expected 13, got 12`), a text
 * one as text, a status with its name (`expected 0 (ok), got 4 (user error)`), anything else in hex.
 */
import { returnCodeString, type VMOutput } from '@vm/protocol';
import { fromSignedBytes, fromUnsignedBytes, magnitudeBytes } from '../eei/bytes';
import { ANY, type CheckAccounts, type TxExpect } from './model';
import type { ScenarioWorld } from './memoryWorld';

/** One mismatch: what (`status`, `out[0]`, `account 0x… balance`), both sides as shown to a reader. */
export interface Difference {
  readonly field: string;
  readonly expected: string;
  readonly got: string;
}

export const describeDifference = (d: Difference): string => `${d.field}: expected ${d.expected}, got ${d.got}`;

export function showBytes(bytes: Uint8Array | null | undefined): string {
  if (!bytes || bytes.length === 0) return '""';
  const buffer = Buffer.from(bytes);
  const text = buffer.toString('latin1');
  const printable = /^[\x20-\x7e]+$/.test(text) ? ` ("${text}")` : '';
  return `0x${buffer.toString('hex')}${printable}`;
}

const DECIMAL = /^-?[0-9][0-9,_]*$/;
const TEXT = /^(''|``|str:)/;
const hex = (bytes: Uint8Array) => (bytes.length === 0 ? '""' : `0x${Buffer.from(bytes).toString('hex')}`);

/**
 * Both sides of a bytes mismatch in the expectation's notation. For numbers the hex is added when the decimal
 * alone would hide the difference (a leading zero byte, or empty against 0).
 */
export function showPair(original: string | undefined, want: Uint8Array, got: Uint8Array): [string, string] {
  if (original !== undefined && DECIMAL.test(original)) {
    const signed = original.startsWith('-');
    const number = signed ? fromSignedBytes(got) : fromUnsignedBytes(got);
    const canonical = !signed && same(magnitudeBytes(number), got);
    return [original, canonical || signed ? `${number}` : `${number} (${hex(got)})`];
  }
  if (original !== undefined && TEXT.test(original)) {
    const text = Buffer.from(got).toString('utf8');
    const printable = /^[\x20-\x7e]*$/.test(text) && same(Buffer.from(text, 'utf8'), got);
    return [original, printable ? `''${text}` : hex(got)];
  }
  const wanted =
    original === undefined || original === '' || original.startsWith('0x')
      ? showBytes(want)
      : `${original} (${hex(want)})`;
  return [wanted, showBytes(got)];
}

const EMPTY = new Uint8Array(0);
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
const status = (code: bigint | number) => `${code} (${returnCodeString(Number(code))})`;

/** Mismatches between a transaction's expectations and its VMOutput (empty: all good); omitted fields mean zero. */
export function expectDifferences(expect: TxExpect, output: VMOutput, checkGas: boolean): Difference[] {
  const problems: Difference[] = [];
  const add = (field: string, expected: string, got: string) => problems.push({ field, expected, got });
  const wantStatus = expect.status?.value ?? 0n;
  const message = expect.message ?? '';
  const wantOut = expect.out ?? [];
  if (BigInt(output.ReturnCode) !== wantStatus) add('status', status(wantStatus), status(output.ReturnCode));
  if (output.ReturnMessage !== message) add('message', JSON.stringify(message), JSON.stringify(output.ReturnMessage));
  const out = output.ReturnData ?? [];
  if (out.length !== wantOut.length)
    add('out', `${wantOut.length} values`, `${out.length}: [${out.map(showBytes).join(', ')}]`);
  else
    wantOut.forEach((want, i) => {
      if (want.value !== ANY && !same(want.value, out[i] ?? EMPTY))
        add(`out[${i}]`, ...showPair(want.original, want.value, out[i] ?? EMPTY));
    });
  const refund = expect.refund?.value ?? ANY;
  if (refund !== ANY && output.GasRefund !== refund) add('refund', `${refund}`, `${output.GasRefund}`);
  const gas = expect.gas?.value ?? ANY;
  if (checkGas && gas !== ANY && output.GasRemaining !== gas) add('gas', `${gas}`, `${output.GasRemaining}`);
  if (expect.logs === '*') return problems;
  // Any other string is the reference's legacy log hash: no logs.
  const wantLogs = typeof expect.logs === 'string' ? [] : (expect.logs ?? []);
  const logs = output.Logs ?? [];
  if (logs.length !== wantLogs.length) add('logs', `${wantLogs.length}`, `${logs.length}`);
  else
    wantLogs.forEach((want, i) => {
      const got = logs[i];
      if (!same(want.address.value, got.Address ?? EMPTY))
        add(`logs[${i}].address`, showBytes(want.address.value), showBytes(got.Address));
      if (!same(want.identifier.value, got.Identifier ?? EMPTY))
        add(
          `logs[${i}].identifier`,
          ...showPair(want.identifier.original, want.identifier.value, got.Identifier ?? EMPTY),
        );
      const topics = got.Topics ?? [];
      const wantTopics = (want.topics ?? []).map((t) => t.value);
      if (topics.length !== wantTopics.length || wantTopics.some((t, k) => !same(t, topics[k] ?? EMPTY)))
        add(`logs[${i}].topics`, `[${wantTopics.map(showBytes).join(', ')}]`, `[${topics.map(showBytes).join(', ')}]`);
      const data = fromUnsignedBytes(got.Data ?? EMPTY);
      const wantData = fromUnsignedBytes(want.data?.value ?? EMPTY);
      if (data !== wantData) add(`logs[${i}].data`, `${wantData}`, `${data}`);
    });
  return problems;
}

/** Mismatches between the world and a checkState map; omitted fields mean zero / empty. */
export function stateDifferences(expected: CheckAccounts, world: ScenarioWorld): Difference[] {
  const problems: Difference[] = [];
  const add = (field: string, want: string, got: string) => problems.push({ field, expected: want, got });
  const listed = new Set(expected.accounts.map((a) => Buffer.from(a.address.value).toString('hex')));
  if (expected.othersAllowed === undefined) {
    for (const [key, account] of world.accounts)
      if (!listed.has(key)) add(`account ${showBytes(account.address)}`, 'no such account', 'an account');
  }
  for (const check of expected.accounts) {
    const name = showBytes(check.address.value);
    const account = world.account(check.address.value);
    if (!account) {
      add(`account ${name}`, 'an account', 'none');
      continue;
    }
    const nonce = check.nonce?.value ?? 0n;
    if (nonce !== ANY && account.nonce !== nonce) add(`account ${name} nonce`, `${nonce}`, `${account.nonce}`);
    const balance = check.balance.value;
    if (balance !== ANY && account.balance !== balance)
      add(`account ${name} balance`, check.balance.original ?? `${balance}`, `${account.balance}`);
    const code = check.code?.value ?? EMPTY;
    if (code !== ANY && !same(code, account.code))
      add(`account ${name} code`, `${code.length} bytes`, `${account.code.length} bytes`);
    const asyncCallData = check.asyncCallData ?? '';
    if (account.asyncCallData !== asyncCallData)
      add(`account ${name} asyncCallData`, JSON.stringify(asyncCallData), JSON.stringify(account.asyncCallData));
    if (check.storage === ANY) continue;
    const wanted = new Map(
      (check.storage ?? []).map((e) => [Buffer.from(e.key.value).toString('hex'), e.value] as const),
    );
    const keys = new Set([...wanted.keys(), ...account.storage.keys()]);
    for (const key of [...keys].sort()) {
      const want = wanted.get(key);
      const actual = account.storage.get(key) ?? EMPTY;
      if (!same(want?.value ?? EMPTY, actual))
        add(
          `account ${name} storage ${showBytes(Buffer.from(key, 'hex'))}`,
          ...showPair(want?.original, want?.value ?? EMPTY, actual),
        );
    }
  }
  return problems;
}

/** The same mismatches as text lines. */
export const checkState = (expected: CheckAccounts, world: ScenarioWorld): string[] =>
  stateDifferences(expected, world).map(describeDifference);
