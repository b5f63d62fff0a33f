/**
 * The `dumpState` step (a later dialect's, accepted as an extension): the world in scenario syntax, ready to paste
 * into a setState. Accounts sorted by address, storage keys sorted, keys under the protected prefix omitted, code
 * omitted (as the later reference does), values shown readably: text when printable, decimal when a small number,
 * else hex.
 */
import type { Account } from './model';
import type { ScenarioWorld } from './memoryWorld';
import { writeAccounts } from './write';

/** Printable ASCII without `|` (which would split the expression) as `''text`; up to 8 bytes as a number; else hex. */
export function readableBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return '';
  const buffer = Buffer.from(bytes);
  const text = buffer.toString('latin1');
  if (/^[\x20-\x7b\x7d\x7e]+$/.test(text)) return `''${text}`;
  if (bytes.length <= 8 && bytes[0] !== 0) return BigInt(`0x${buffer.toString('hex')}`).toString();
  return `0x${buffer.toString('hex')}`;
}

/** `world state dump:` and the accounts map. */
export function dumpWorld(world: ScenarioWorld, protectedKeyPrefix: string): string {
  const protectedHex = Buffer.from(protectedKeyPrefix).toString('hex');
  const accounts: Account[] = [...world.accounts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, account]) => ({
      address: { original: readableBytes(account.address), value: account.address },
      nonce: { original: account.nonce.toString(), value: account.nonce },
      balance: { original: account.balance.toString(), value: account.balance },
      storage: [...account.storage.entries()]
        .filter(([key, value]) => value.length > 0 && !(protectedHex && key.startsWith(protectedHex)))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => {
          const keyBytes = new Uint8Array(Buffer.from(key, 'hex'));
          return {
            key: { original: readableBytes(keyBytes), value: keyBytes },
            value: { original: readableBytes(value), value },
          };
        }),
      ...(account.asyncCallData ? { asyncCallData: account.asyncCallData } : {}),
    }));
  return `world state dump:\n${writeAccounts(accounts)}`;
}
