/**
 * The scenario checks (scenario-format.md §5.3, §8), each mismatch described readably: hex, and text where the
 * bytes are printable.
 */
import type { VMOutput } from '@vm/protocol';
import { fromUnsignedBytes } from '../eei/bytes';
import { ANY, type CheckStateStep, type TxExpect } from './model';
import type { MemoryWorld } from './memoryWorld';

export function showBytes(bytes: Uint8Array | null | undefined): string {
  if (!bytes || bytes.length === 0) return '""';
  const buffer = Buffer.from(bytes);
  const text = buffer.toString('latin1');
  const printable = /^[\x20-\x7e]+$/.test(text) ? ` ("${text}")` : '';
  return `0x${buffer.toString('hex')}${printable}`;
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/** Mismatches between a transaction's expectations and its VMOutput (empty: all good). */
export function checkExpect(expect: TxExpect, output: VMOutput, checkGas: boolean): string[] {
  const problems: string[] = [];
  if (BigInt(output.ReturnCode) !== expect.status)
    problems.push(`status: expected ${expect.status}, got ${output.ReturnCode}`);
  if (output.ReturnMessage !== expect.message)
    problems.push(`message: expected ${JSON.stringify(expect.message)}, got ${JSON.stringify(output.ReturnMessage)}`);
  const out = output.ReturnData ?? [];
  if (out.length !== expect.out.length)
    problems.push(`out: expected ${expect.out.length} values, got ${out.length}: [${out.map(showBytes).join(', ')}]`);
  else
    expect.out.forEach((want, i) => {
      if (want !== ANY && !same(want, out[i] ?? new Uint8Array(0)))
        problems.push(`out[${i}]: expected ${showBytes(want)}, got ${showBytes(out[i])}`);
    });
  if (expect.refund !== ANY && output.GasRefund !== expect.refund)
    problems.push(`refund: expected ${expect.refund}, got ${output.GasRefund}`);
  if (checkGas && expect.gas !== ANY && output.GasRemaining !== expect.gas)
    problems.push(`gas: expected ${expect.gas}, got ${output.GasRemaining}`);
  if (expect.logs !== ANY) {
    const logs = output.Logs ?? [];
    if (logs.length !== expect.logs.length) problems.push(`logs: expected ${expect.logs.length}, got ${logs.length}`);
    else
      expect.logs.forEach((want, i) => {
        const got = logs[i];
        if (!same(want.address, got.Address ?? new Uint8Array(0)))
          problems.push(`logs[${i}].address: expected ${showBytes(want.address)}, got ${showBytes(got.Address)}`);
        if (!same(want.identifier, got.Identifier ?? new Uint8Array(0)))
          problems.push(
            `logs[${i}].identifier: expected ${showBytes(want.identifier)}, got ${showBytes(got.Identifier)}`,
          );
        const topics = got.Topics ?? [];
        if (
          topics.length !== want.topics.length ||
          want.topics.some((t, k) => !same(t, topics[k] ?? new Uint8Array(0)))
        )
          problems.push(
            `logs[${i}].topics: expected [${want.topics.map(showBytes).join(', ')}], got [${topics.map(showBytes).join(', ')}]`,
          );
        const data = fromUnsignedBytes(got.Data ?? new Uint8Array(0));
        if (data !== want.data) problems.push(`logs[${i}].data: expected ${want.data}, got ${data}`);
      });
  }
  return problems;
}

/** Mismatches between the world and a checkState step. */
export function checkState(step: CheckStateStep, world: MemoryWorld): string[] {
  const problems: string[] = [];
  const listed = new Set(step.accounts.map((a) => Buffer.from(a.address).toString('hex')));
  if (!step.othersAllowed) {
    for (const [key, account] of world.accounts)
      if (!listed.has(key)) problems.push(`unexpected account ${showBytes(account.address)}`);
  }
  for (const want of step.accounts) {
    const name = showBytes(want.address);
    const account = world.account(want.address);
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
        const expected = want.storage.get(key) ?? new Uint8Array(0);
        const actual = account.storage.get(key) ?? new Uint8Array(0);
        if (!same(expected, actual))
          problems.push(
            `account ${name} storage ${showBytes(Buffer.from(key, 'hex'))}: expected ${showBytes(expected)}, got ${showBytes(actual)}`,
          );
      }
    }
  }
  return problems;
}
