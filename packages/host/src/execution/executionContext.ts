/**
 * Everything a host function needs about the running contract: its input, address, instance, and the contexts
 * (output, storage, blockchain, big integers), with the reference's gas and fault helpers.
 */
import { ReturnCode, type ContractCallInput, type CryptoHook } from '@vm/protocol';
import type { BigIntContext } from '../contexts/bigInts';
import type { BlockchainContext } from '../contexts/blockchain';
import type { OutputContext } from '../contexts/output';
import type { StorageContext } from '../contexts/storage';
import { gasCost, type GasKey, type GasSchedule } from '../gas/gasSchedule';
import { Breakpoint, BreakpointSignal } from './breakpoints';
import type { ContractInstance } from './instance';
import type { ContractError } from './vmErrors';

/** The parts of the transaction input the contract API reads. */
export interface CallState {
  readonly caller: Uint8Array;
  readonly arguments: readonly Uint8Array[];
  readonly callValue: bigint;
  readonly function: string;
  readonly gasPrice: bigint;
  readonly originalTxHash: Uint8Array;
  readonly currentTxHash: Uint8Array;
}

/** A legacy `asyncCall` waiting for its breakpoint to be handled (reference digest §3.7). */
export interface PendingAsyncCall {
  readonly destination: Uint8Array;
  readonly data: Uint8Array;
  readonly gasLimit: bigint;
  readonly value: bigint;
}

/** A "promise" made with createAsyncCall (§3.8). Status: 0 pending, 1 resolved, 2 rejected. */
export interface AsyncGeneratedCall {
  status: number;
  readonly destination: Uint8Array;
  readonly data: Uint8Array;
  gasLimit: bigint;
  readonly valueBytes: Uint8Array;
  readonly successCallback: string;
  readonly errorCallback: string;
  readonly providedGas: bigint;
}

export interface AsyncContext {
  callback: string;
  readonly calls: AsyncGeneratedCall[];
}

/** The top-level transaction, shared by every frame of an execution. */
export interface TxState {
  readonly function: string;
  readonly arguments: readonly Uint8Array[];
  /** The Ethereum-style call data, built once per transaction from the top-level call (reference: host.ethInput). */
  ethCallData?: Uint8Array;
}

/** Nested executions, provided by the host (reference digest §3.3). Each throws a ContractError on failure. */
export interface NestedCalls {
  executeOnDestContext(parent: ExecutionContext, input: ContractCallInput): void;
  executeOnSameContext(parent: ExecutionContext, input: ContractCallInput, readOnly: boolean): void;
  /** Deploys `code` from the running contract; returns the new address. */
  createNewContract(
    parent: ExecutionContext,
    value: bigint,
    code: Uint8Array,
    args: Uint8Array[],
    gas: bigint,
    metadata?: Uint8Array | null,
  ): Uint8Array;
}

export class ExecutionContext {
  instance!: ContractInstance;
  /** Set by asyncCall; handled when the contract has stopped. */
  asyncCall: PendingAsyncCall | undefined;
  /** Promises by context id, in creation order (the reference iterates a Go map: random order). */
  readonly asyncContexts = new Map<string, AsyncContext>();
  /** Gas that was locked for an asynchronous step's callback, once given back (UnlockGasIfAsyncStep). */
  unlockedGas = 0n;
  /** A failed async callback leaves the caller no gas (the reference sets vmInput.GasProvided to 0). */
  gasExhausted = false;

  constructor(
    readonly call: CallState,
    readonly scAddress: Uint8Array,
    readonly schedule: GasSchedule,
    readonly output: OutputContext,
    readonly storage: StorageContext,
    readonly blockchain: BlockchainContext,
    readonly bigInts: BigIntContext,
    readonly crypto: CryptoHook,
    readonly blockGasLimit: bigint,
    readonly nested: NestedCalls,
    readonly tx: TxState,
  ) {}

  /** The running contract's code. */
  code: Uint8Array = new Uint8Array(0);

  get readOnly(): boolean {
    return this.storage.readOnly;
  }

  cost(key: GasKey): bigint {
    return gasCost(this.schedule, key);
  }

  useGas(amount: bigint): void {
    this.instance.usePoints(amount);
  }

  /** A refund, paid back to the sender by the protocol. */
  freeGas(amount: bigint): void {
    this.output.gasRefund += amount;
  }

  /** RestoreGas: gas a nested call did not use comes back (only if no more than was used). */
  restoreGas(amount: bigint): void {
    if (amount <= this.instance.pointsUsed) this.instance.pointsUsed -= amount;
  }

  /** GasLeft: the limit plus any unlocked async gas, minus what was used; 0 after a failed callback. */
  get gasLeft(): bigint {
    if (this.gasExhausted) return 0n;
    const left = this.instance.gasLimit + this.unlockedGas - this.instance.pointsUsed;
    return left > 0n ? left : 0n;
  }

  readonly charges = { useGas: (n: bigint) => this.useGas(n), freeGas: (n: bigint) => this.freeGas(n) };

  /** `WithFault(err, ctx, true)`: burn all remaining gas, fail with the error's message, stop. */
  fault(error: ContractError): never {
    this.useGas(this.gasLeft);
    this.output.returnCode = ReturnCode.ExecutionFailed;
    this.output.returnMessage = error.message;
    throw new BreakpointSignal(Breakpoint.ExecutionFailed);
  }

  /** `signalError`: a user error with the contract's message; execution stops. */
  signalError(message: string): never {
    this.output.returnCode = ReturnCode.UserError;
    this.output.returnMessage = message;
    throw new BreakpointSignal(Breakpoint.SignalError);
  }

  load(offset: number, length: number): Uint8Array {
    return this.instance.load(offset, length);
  }

  store(offset: number, data: Uint8Array): void {
    this.instance.store(offset, data);
  }

  /** A 32-byte address argument. */
  loadAddress(offset: number): Uint8Array {
    return this.instance.load(offset, 32);
  }

  perByte(key: 'DataCopyPerByte' | 'PersistPerByte', bytes: number): bigint {
    return this.schedule.costs.BaseOperationCost[key] * BigInt(bytes);
  }
}
