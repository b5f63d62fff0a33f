/**
 * The scenario checks (scenario-format.md §5.3, §8), each mismatch described readably: hex, and text where the
 * bytes are printable.
 */
import type { VMOutput } from '@vm/protocol';
import { fromUnsignedBytes } from '../eei/bytes';
import { ANY, type CheckAccounts, type TxExpect } from './model';
import type { ScenarioWorld } from './memoryWorld';

export function showBytes(bytes: Uint8Array | null | undefined): string {
  if (!bytes || bytes.length === 0) return '""';
  const buffer = Buffer.from(bytes);
  const text = buffer.toString('latin1');
  const printable = /^[\x20-\x7e]+$/.test(text) ? ` ("${text}")` : '';
  return `0x${buffer.toString('hex')}${printable}`;
}

const EMPTY = new Uint8Array(0);
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/** Mismatches between a transaction's expectations and its VMOutput (empty: all good). */
/** Mismatches between a transaction's expectations and its VMOutput (empty: all good); omitted fields mean zero. */
export function checkExpect(expect: TxExpect, output: VMOutput, checkGas: boolean): string[] {
  const problems: string[] = [];
  const status = expect.status?.value ?? 0n;
  const message = expect.message ?? '';
  const wantOut = (expect.out ?? []).map((o) => o.value);
  if (BigInt(output.ReturnCode) !== status) problems.push(`status: expected ${status}, got ${output.ReturnCode}`);
  if (output.ReturnMessage !== message)
    problems.push(`message: expected ${JSON.stringify(message)}, got ${JSON.stringify(output.ReturnMessage)}`);
  const out = output.ReturnData ?? [];
  if (out.length !== wantOut.length)
    problems.push(`out: expected ${wantOut.length} values, got ${out.length}: [${out.map(showBytes).join(', ')}]`);
  else
    wantOut.forEach((want, i) => {
      if (want !== ANY && !same(want, out[i] ?? EMPTY))
        problems.push(`out[${i}]: expected ${showBytes(want)}, got ${showBytes(out[i])}`);
    });
  const refund = expect.refund?.value ?? ANY;
  if (refund !== ANY && output.GasRefund !== refund)
    problems.push(`refund: expected ${refund}, got ${output.GasRefund}`);
  const gas = expect.gas?.value ?? ANY;
  if (checkGas && gas !== ANY && output.GasRemaining !== gas)
    problems.push(`gas: expected ${gas}, got ${output.GasRemaining}`);
  if (expect.logs === '*') return problems;
  // Any other string is the reference's legacy log hash: no logs.
  const wantLogs = typeof expect.logs === 'string' ? [] : (expect.logs ?? []);
  const logs = output.Logs ?? [];
  if (logs.length !== wantLogs.length) problems.push(`logs: expected ${wantLogs.length}, got ${logs.length}`);
  else
    wantLogs.forEach((want, i) => {
      const got = logs[i];
      if (!same(want.address.value, got.Address ?? EMPTY))
        problems.push(`logs[${i}].address: expected ${showBytes(want.address.value)}, got ${showBytes(got.Address)}`);
      if (!same(want.identifier.value, got.Identifier ?? EMPTY))
        problems.push(
          `logs[${i}].identifier: expected ${showBytes(want.identifier.value)}, got ${showBytes(got.Identifier)}`,
        );
      const topics = got.Topics ?? [];
      const wantTopics = (want.topics ?? []).map((t) => t.value);
      if (topics.length !== wantTopics.length || wantTopics.some((t, k) => !same(t, topics[k] ?? EMPTY)))
        problems.push(
          `logs[${i}].topics: expected [${wantTopics.map(showBytes).join(', ')}], got [${topics.map(showBytes).join(', ')}]`,
        );
      const data = fromUnsignedBytes(got.Data ?? EMPTY);
      const wantData = fromUnsignedBytes(want.data?.value ?? EMPTY);
      if (data !== wantData) problems.push(`logs[${i}].data: expected ${wantData}, got ${data}`);
    });
  return problems;
}

/** Mismatches between the world and a checkState map; omitted fields mean zero / empty. */
export function checkState(expected: CheckAccounts, world: ScenarioWorld): string[] {
  const problems: string[] = [];
  const listed = new Set(expected.accounts.map((a) => Buffer.from(a.address.value).toString('hex')));
  if (expected.othersAllowed === undefined) {
    for (const [key, account] of world.accounts)
      if (!listed.has(key)) problems.push(`unexpected account ${showBytes(account.address)}`);
  }
  for (const check of expected.accounts) {
    const want: {
      nonce: bigint | typeof ANY;
      balance: bigint | typeof ANY;
      code: Uint8Array | typeof ANY;
      asyncCallData: string;
      storage: Map<string, Uint8Array> | typeof ANY;
    } = {
      nonce: check.nonce?.value ?? 0n,
      balance: check.balance.value,
      code: check.code?.value ?? EMPTY,
      asyncCallData: check.asyncCallData ?? '',
      storage:
        check.storage === ANY
          ? ANY
          : new Map((check.storage ?? []).map((e) => [Buffer.from(e.key.value).toString('hex'), e.value.value])),
    };
    const name = showBytes(check.address.value);
    const account = world.account(check.address.value);
    if (!account) {
      problems.push(`account ${name}: does not exist`);
      continue;
    }
    if (want.nonce !== ANY && account.nonce !== want.nonce)
      problems.push(`account ${name} nonce: expected ${want.nonce}, got ${account.nonce}`);
    if (want.balance !== ANY && account.balance !== want.balance)
      problems.push(`account ${name} balance: expected ${want.balance}, got ${account.balance}`);
    if (want.code !== ANY && !same(want.code, account.code))
      problems.push(`account ${name} code: expected ${want.code.length} bytes, got ${account.code.length} bytes`);
    if (account.asyncCallData !== want.asyncCallData)
      problems.push(
        `account ${name} asyncCallData: expected ${JSON.stringify(want.asyncCallData)}, got ${JSON.stringify(account.asyncCallData)}`,
      );
    if (want.storage !== ANY) {
      const keys = new Set([...want.storage.keys(), ...account.storage.keys()]);
      for (const key of [...keys].sort()) {
        const wanted = want.storage.get(key) ?? EMPTY;
        const actual = account.storage.get(key) ?? EMPTY;
        if (!same(wanted, actual))
          problems.push(
            `account ${name} storage ${showBytes(Buffer.from(key, 'hex'))}: expected ${showBytes(wanted)}, got ${showBytes(actual)}`,
          );
      }
    }
  }
  return problems;
}
