/**
 * The VMOutput being built: accounts touched (with cached balances and nonces, balance deltas, storage updates,
 * code, transfer data), return data, logs, refunds. Accounts keep insertion order; the wire codec sorts them.
 */
import { CallType, ReturnCode, type LogEntry, type OutputAccount, type VMOutput } from '@vm/protocol';

export interface StorageEntry {
  readonly key: Uint8Array;
  data: Uint8Array;
}

export interface AccountState {
  readonly address: Uint8Array;
  nonce: bigint;
  nonceLoaded: boolean;
  /** The on-chain balance read from the hook, or null if never read. */
  balance: bigint | null;
  balanceDelta: bigint;
  readonly storage: Map<string, StorageEntry>;
  code: Uint8Array | null;
  codeMetadata: Uint8Array | null;
  data: Uint8Array | null;
  gasLimit: bigint;
  callType: CallType;
}

export const hexKey = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

export class OutputContext {
  readonly accounts = new Map<string, AccountState>();
  returnData: Uint8Array[] = [];
  returnCode: ReturnCode = ReturnCode.Ok;
  returnMessage = '';
  logs: LogEntry[] = [];
  gasRefund = 0n;

  account(address: Uint8Array): AccountState {
    const key = hexKey(address);
    let account = this.accounts.get(key);
    if (!account) {
      account = {
        address: Uint8Array.from(address),
        nonce: 0n,
        nonceLoaded: false,
        balance: null,
        balanceDelta: 0n,
        storage: new Map(),
        code: null,
        codeMetadata: null,
        data: null,
        gasLimit: 0n,
        callType: CallType.DirectCall,
      };
      this.accounts.set(key, account);
    }
    return account;
  }

  hasAccount(address: Uint8Array): boolean {
    return this.accounts.has(hexKey(address));
  }

  finish(data: Uint8Array): void {
    this.returnData.push(Uint8Array.from(data));
  }

  writeLog(address: Uint8Array, topics: Uint8Array[], data: Uint8Array): void {
    this.logs.push({ Identifier: topics.length > 0 ? topics[0] : null, Address: Uint8Array.from(address), Topics: topics.slice(1), Data: Uint8Array.from(data) });
  }

  deployCode(address: Uint8Array, code: Uint8Array, metadata: Uint8Array | null): void {
    const account = this.account(address);
    account.code = Uint8Array.from(code);
    account.codeMetadata = metadata === null ? null : Uint8Array.from(metadata);
  }

  /** The successful VMOutput (§2.5 of the reference digest). */
  toVMOutput(gasRemaining: bigint): VMOutput {
    return {
      ReturnData: this.returnData,
      ReturnCode: this.returnCode,
      ReturnMessage: this.returnMessage,
      GasRemaining: gasRemaining,
      GasRefund: this.gasRefund,
      OutputAccounts: [...this.accounts.values()].map(toOutputAccount),
      DeletedAccounts: [],
      TouchedAccounts: [],
      Logs: this.logs,
    };
  }
}

function toOutputAccount(a: AccountState): OutputAccount {
  return {
    Address: a.address,
    Nonce: a.nonce,
    Balance: a.balance,
    BalanceDelta: a.balanceDelta,
    StorageUpdates: [...a.storage.values()].map((e) => ({ Offset: e.key, Data: e.data })),
    Code: a.code,
    CodeMetadata: a.codeMetadata,
    Data: a.data,
    GasLimit: a.gasLimit,
    CallType: a.callType,
  };
}

/** `CreateVMOutputInCaseOfError`: a fresh output with only the code, the message and the locked gas. */
export function errorVMOutput(returnCode: ReturnCode, message: string, gasRemaining: bigint): VMOutput {
  return {
    ReturnData: null,
    ReturnCode: returnCode,
    ReturnMessage: message,
    GasRemaining: gasRemaining,
    GasRefund: 0n,
    OutputAccounts: null,
    DeletedAccounts: null,
    TouchedAccounts: null,
    Logs: null,
  };
}
