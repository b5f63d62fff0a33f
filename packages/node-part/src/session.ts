/**
 * What the node part knows of one VM connection beyond the reference protocol: the capabilities agreed in the
 * handshake, and an observer of every request the VM sends during a dialogue (round trips, storage keys read).
 */
import { codeHash, type Account, type Message } from '@vm/protocol';

export interface NodeSession {
  /** The capabilities both sides agreed on (capabilities.ts of @vm/protocol); 0 with a reference VM. */
  readonly capabilities: number;
  /** Called with each request the VM sends in a dialogue (a hook call or a code asked by hash), before the answer. */
  onVmRequest?(request: Message): void;
}

/**
 * Hashes by code array: an in-memory world hands out the same array every time. The bytes are compared with a
 * private copy (a memcmp, far cheaper than a hash), so a mutated array is hashed again, never named wrongly.
 */
const hashes = new WeakMap<Uint8Array, { copy: Buffer; hash: Uint8Array }>();

function hashOf(code: Uint8Array): Uint8Array {
  const known = hashes.get(code);
  if (known && known.copy.equals(code)) return known.hash;
  const hash = codeHash(code);
  hashes.set(code, { copy: Buffer.from(code), hash });
  return hash;
}

/** The account as sent under CodeByHash: its code named by hash and size instead of its bytes. */
export function accountByHash(account: Account | null): Account | null {
  if (!account?.Code || account.Code.length === 0) return account;
  // the fields written out (AccountShape's order), not a spread: one allocation of a known shape, per request
  const { Nonce, Balance, CodeHash, RootHash, Address, DeveloperReward, OwnerAddress, UserName, CodeMetadata } =
    account;
  const code = account.Code;
  return {
    Nonce,
    Balance,
    CodeHash,
    RootHash,
    Address,
    DeveloperReward,
    OwnerAddress,
    UserName,
    CodeMetadata,
    Code: null,
    CodeByHash: hashOf(code),
    CodeSize: code.length,
  };
}
