/**
 * Reads of chain state through the BlockchainHook, cached in the output accounts as the reference does
 * (balances, nonces), plus address generation and code lookup.
 */
import type { BlockchainHook } from '@vm/protocol';
import { halt } from '../execution/contractErrors';
import type { OutputContext } from './output';

/** A value moving between accounts; gas and data go with it to another shard (an output transfer). */
export interface Transfer {
  readonly destination: Uint8Array;
  readonly sender: Uint8Array;
  readonly value: bigint;
  /** Default 0. */
  readonly gasLimit?: bigint;
  readonly data?: Uint8Array | null;
}

export class BlockchainContext {
  constructor(
    readonly hook: BlockchainHook,
    private readonly output: OutputContext,
    private readonly vmType: Uint8Array,
  ) {}

  /** Cached on-chain balance + the delta of this transaction. */
  getBalance(address: Uint8Array): bigint {
    const account = this.output.account(address);
    if (account.balance === null) {
      const onChain = this.hook.getUserAccount(address)?.Balance ?? null;
      if (onChain === null) return account.balanceDelta;
      account.balance = onChain;
    }
    return account.balance + account.balanceDelta;
  }

  getNonce(address: Uint8Array): bigint {
    const account = this.output.account(address);
    if (!account.nonceLoaded) {
      account.nonce = this.hook.getUserAccount(address)?.Nonce ?? 0n;
      account.nonceLoaded = true;
    }
    return account.nonce;
  }

  increaseNonce(address: Uint8Array): void {
    const nonce = this.getNonce(address);
    this.output.account(address).nonce = nonce + 1n;
  }

  /** The new contract address: the hook's, from the creator's nonce minus one (the protocol already increased it). */
  newAddress(creator: Uint8Array): Uint8Array {
    const nonce = this.getNonce(creator);
    const address = this.hook.newAddress(creator, nonce > 0n ? nonce - 1n : 0n, this.vmType);
    return address ?? new Uint8Array(0);
  }

  /** The code of an account; none is ContractNotFound. */
  getCode(address: Uint8Array): Uint8Array {
    const code = this.hook.getUserAccount(address)?.Code;
    if (!code || code.length === 0) halt('contractNotFound');
    return code;
  }

  getOwnerAddress(address: Uint8Array): Uint8Array | null {
    return this.hook.getUserAccount(address)?.OwnerAddress ?? null;
  }

  /** `Transfer`: moves value between output accounts (§3.5). */
  transfer({ destination, sender, value, gasLimit = 0n, data = null }: Transfer): void {
    if (value < 0n) halt('negativeValue');
    if (this.getBalance(sender) < value) halt('insufficientFunds');
    const output = this.output;
    const from = output.account(sender);
    const to = output.account(destination);
    from.balanceDelta -= value;
    to.balanceDelta += value;
    if (data && data.length > 0) to.data = to.data ? Buffer.concat([to.data, data]) : Uint8Array.from(data);
    to.gasLimit = gasLimit;
  }
}
