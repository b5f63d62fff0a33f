/**
 * The VMOutput being built: accounts touched (with cached balances and nonces, balance deltas, storage updates,
 * code, transfer data), return data, logs, refunds. Accounts keep insertion order; the wire codec sorts them.
 *
 * The output is bounded (ours; the reference is bounded only by memory and gas): its `outputSize` may not exceed
 * `maxBytes`, so any output the VM returns fits in a frame (outputLimitForFrame). Return data and logs are
 * counted as they are written, so a contract cannot build a huge output in memory first; the host measures the
 * whole output once more before returning it. Either way the execution fails with ExecutionFailed, in process
 * and through the stack alike.
 */
import {
  CallType,
  DEFAULT_MAX_OUTPUT_BYTES,
  ReturnCode,
  type LogEntry,
  type OutputAccount,
  type VMOutput,
} from '@vm/protocol';
import { halt } from '../execution/contractErrors';
import type { StateStack } from './stateStack';
import { latin1 } from '../eei/bytes';

/** What each item (a return value, a topic, a storage entry...) counts against the bound besides its bytes. */
const ITEM_BYTES = 32;
/** What each output account counts besides its byte strings (its numbers and keys, as JSON). */
const ACCOUNT_BYTES = 160;

const byteLength = (bytes: Uint8Array | null | undefined): number => ITEM_BYTES + (bytes?.length ?? 0);

function logSize(log: LogEntry): number {
  return byteLength(log.Identifier) + byteLength(log.Address) + byteLength(log.Data) + sumOf(log.Topics, byteLength);
}

function sumOf<T>(items: readonly T[] | null | undefined, size: (item: T) => number): number {
  let total = 0;
  for (const item of items ?? []) total += size(item);
  return total;
}

/** A message counts its worst JSON escape (`\u0000`) per character. */
const MESSAGE_BYTES_PER_CHAR = 6;

/**
 * The size of an output as the bound counts it: every byte string, plus a fixed amount per item and account,
 * and the message at its worst escape.
 */
export function outputSize(output: VMOutput): number {
  return (
    ITEM_BYTES +
    MESSAGE_BYTES_PER_CHAR * output.ReturnMessage.length +
    sumOf(output.ReturnData, byteLength) +
    sumOf(output.Logs, logSize) +
    sumOf(
      output.OutputAccounts,
      (a) =>
        ACCOUNT_BYTES +
        (a.Address?.length ?? 0) +
        byteLength(a.Code) +
        byteLength(a.CodeMetadata) +
        byteLength(a.Data) +
        sumOf(a.StorageUpdates, (u) => byteLength(u.Offset) + byteLength(u.Data)),
    )
  );
}

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

/**
 * The map key of a byte string (accounts, storage keys): one latin1 character per byte, so equal bytes give equal
 * keys and the key never needs decoding; cheaper than a hex string (half the length, no nibble formatting).
 */
export const byteKey: (bytes: Uint8Array) => string = latin1;

/** Equal bytes: a loop, cheaper than a native compare for keys and addresses. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface OutputSnapshot {
  readonly accounts: ReadonlyMap<string, AccountState>;
  readonly returnData: Uint8Array[];
  readonly returnCode: ReturnCode;
  readonly returnMessage: string;
  readonly logs: LogEntry[];
  readonly gasRefund: bigint;
  readonly resultBytes: number;
}

export class OutputContext implements StateStack {
  readonly accounts = new Map<string, AccountState>();
  returnData: Uint8Array[] = [];
  returnCode: ReturnCode = ReturnCode.Ok;
  returnMessage = '';
  logs: LogEntry[] = [];
  gasRefund = 0n;
  /** The counted size of the return data and logs (the part a contract writes directly). */
  private resultBytes = 0;
  /** Made on the first push (most executions never nest). */
  private saved: OutputSnapshot[] | undefined = undefined;

  constructor(readonly maxBytes: number = DEFAULT_MAX_OUTPUT_BYTES) {}

  account(address: Uint8Array): AccountState {
    const last = this.lastAccount;
    // storage and the call flow look the same account up again and again, mostly with the same array
    if (last !== undefined && address === this.lastAddress && sameBytes(address, last.address)) return last;
    const key = byteKey(address);
    let account = this.accounts.get(key);
    if (!account) {
      account = {
        address: new Uint8Array(address),
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
    this.lastAddress = address;
    this.lastAccount = account;
    return account;
  }

  /** The account `account` returned last and the array it was asked with (forgotten when accounts are restored). */
  private lastAddress: Uint8Array | undefined;
  private lastAccount: AccountState | undefined;

  hasAccount(address: Uint8Array): boolean {
    return this.accounts.has(byteKey(address));
  }

  finish(data: Uint8Array): void {
    this.finishOwned(new Uint8Array(data));
  }

  /** `finish` of an array made for it (a copy out of memory, a new encoding): kept as it is, not copied again. */
  finishOwned(data: Uint8Array): void {
    this.grow(byteLength(data));
    this.returnData.push(data);
  }

  writeLog(address: Uint8Array, topics: Uint8Array[], data: Uint8Array): void {
    const log: LogEntry = {
      Identifier: topics.length > 0 ? topics[0] : null,
      Address: new Uint8Array(address),
      Topics: topics.slice(1),
      Data: new Uint8Array(data),
    };
    this.grow(logSize(log));
    this.logs.push(log);
  }

  /** Counts `bytes` more of return data or logs; fails the execution past the bound (nothing is added). */
  private grow(bytes: number): void {
    const size = this.resultBytes + bytes;
    if (size > this.maxBytes) halt('outputTooLarge', size, this.maxBytes);
    this.resultBytes = size;
  }

  /** PushState: a copy of everything, to go back to. */
  pushState(): void {
    const accounts = new Map<string, AccountState>();
    for (const [key, a] of this.accounts)
      accounts.set(key, { ...a, storage: new Map([...a.storage].map(([k, e]) => [k, { key: e.key, data: e.data }])) });
    (this.saved ??= []).push({
      accounts,
      returnData: [...this.returnData],
      returnCode: this.returnCode,
      returnMessage: this.returnMessage,
      logs: [...this.logs],
      gasRefund: this.gasRefund,
      resultBytes: this.resultBytes,
    });
  }

  /** PopSetActiveState: back to the saved state (a failed nested call). */
  popSetActiveState(): void {
    const snapshot = this.saved!.pop()!;
    this.lastAccount = undefined;
    this.accounts.clear();
    for (const [key, a] of snapshot.accounts) this.accounts.set(key, a);
    this.returnData = snapshot.returnData;
    this.returnCode = snapshot.returnCode;
    this.returnMessage = snapshot.returnMessage;
    this.logs = snapshot.logs;
    this.gasRefund = snapshot.gasRefund;
    this.resultBytes = snapshot.resultBytes;
  }

  /**
   * PopMergeActiveState after a successful destination-context call: accounts as they are now (they evolved from
   * the saved ones), return data and logs appended after the saved ones; refund, status and message are the
   * child's (so refunds accrued before the call are dropped, as in the reference).
   */
  popMergeActiveState(): void {
    const snapshot = this.saved!.pop()!;
    this.returnData = [...snapshot.returnData, ...this.returnData];
    this.logs = [...snapshot.logs, ...this.logs];
    this.resultBytes += snapshot.resultBytes;
  }

  /** PopDiscard: the saved state is dropped, what the call did stays (a successful same-context call). */
  popDiscard(): void {
    this.saved!.pop();
  }

  /** CensorVMOutput: a destination-context call starts with no return data, logs, refund or status, but the same accounts. */
  censor(): void {
    this.returnData = [];
    this.returnCode = ReturnCode.Ok;
    this.returnMessage = '';
    this.logs = [];
    this.gasRefund = 0n;
    this.resultBytes = 0;
  }

  /** AddToActiveState: a built-in function's output, whose balance deltas are relative to this state. */
  addToActiveState(result: VMOutput): void {
    for (const given of result.OutputAccounts ?? []) {
      if (!given.Address) continue;
      const account = this.account(given.Address);
      account.balanceDelta += given.BalanceDelta ?? 0n;
      if (given.Nonce > account.nonce) account.nonce = given.Nonce;
      for (const update of given.StorageUpdates ?? [])
        if (update.Offset)
          account.storage.set(byteKey(update.Offset), { key: update.Offset, data: update.Data ?? new Uint8Array(0) });
      if (given.Code && given.Code.length > 0) account.code = given.Code;
      if (given.Data && given.Data.length > 0)
        account.data = account.data ? Buffer.concat([account.data, given.Data]) : given.Data;
    }
    this.resultBytes += sumOf(result.ReturnData, byteLength) + sumOf(result.Logs, logSize);
    this.returnData.push(...(result.ReturnData ?? []).map((d) => d ?? new Uint8Array(0)));
    this.logs.push(...(result.Logs ?? []));
    this.gasRefund += result.GasRefund ?? 0n;
  }

  deployCode(address: Uint8Array, code: Uint8Array, metadata: Uint8Array | null): void {
    const account = this.account(address);
    account.code = Uint8Array.from(code);
    account.codeMetadata = metadata === null ? null : Uint8Array.from(metadata);
  }

  /** The successful VMOutput (§2.5 of the reference digest). */
  toVMOutput(gasRemaining: bigint): VMOutput {
    const output: VMOutput = {
      ReturnData: this.returnData,
      ReturnCode: this.returnCode,
      ReturnMessage: this.returnMessage,
      GasRemaining: gasRemaining,
      GasRefund: this.gasRefund,
      // in the order the wire gives them (Go's map keys, sorted by their bytes), so both VMOutputs list alike
      OutputAccounts: sortedByKey(this.accounts.values(), (a) => a.address, toOutputAccount),
      DeletedAccounts: [],
      TouchedAccounts: [],
      Logs: this.logs,
    };
    return output;
  }
}

const byBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b);

/** `map` of the values sorted by their byte keys, in one array (most outputs have one account and few updates). */
function sortedByKey<T, R>(values: Iterable<T>, key: (value: T) => Uint8Array, map: (value: T) => R): R[] {
  const sorted = Array.from(values);
  if (sorted.length > 1) sorted.sort((a, b) => byBytes(key(a), key(b)));
  const out = new Array<R>(sorted.length);
  for (let i = 0; i < sorted.length; i++) out[i] = map(sorted[i]);
  return out;
}

const toStorageUpdate = (e: StorageEntry) => ({ Offset: e.key, Data: e.data });

function toOutputAccount(a: AccountState): OutputAccount {
  return {
    Address: a.address,
    Nonce: a.nonce,
    Balance: a.balance,
    BalanceDelta: a.balanceDelta,
    StorageUpdates: sortedByKey(a.storage.values(), (e) => e.key, toStorageUpdate),
    Code: a.code,
    CodeMetadata: a.codeMetadata,
    Data: a.data,
    GasLimit: a.gasLimit,
    CallType: a.callType,
  };
}
