/**
 * The runtime context of one running contract (a frame): its input, address, code and instance, and the contexts
 * it works on (output, storage, blockchain, big integers). Beside it, as in the reference's contexts: its gas
 * (`metering`, execution/metering.ts), its asynchronous-call bookkeeping (`async`, execution/asyncBookkeeping.ts)
 * and its memory, reached through `load`/`store` (ContractInstance). Host functions receive the frame.
 */
import { ReturnCode, type ContractCallInput, type CryptoHook } from '@vm/protocol';
import type { BigIntContext } from '../contexts/bigInts';
import type { BlockchainContext } from '../contexts/blockchain';
import type { OutputContext } from '../contexts/output';
import type { StorageContext } from '../contexts/storage';
import { gasCost, type GasKey, type GasSchedule } from '../gas/gasSchedule';
import { AsyncBookkeeping } from './asyncBookkeeping';
import { Breakpoint, BreakpointSignal } from './breakpoints';
import type { ContractError } from './contractErrors';
import type { ContractInstance } from './instance';
import { Metering } from './metering';

/** Empty bytes (a missing address, argument or hash), shared. */
export const NO_BYTES = new Uint8Array(0);

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

/** The top-level transaction, shared by every frame of an execution. */
export interface TxState {
  readonly function: string;
  readonly arguments: readonly Uint8Array[];
  /** The Ethereum-style call data, built once per transaction from the top-level call (reference: host.ethInput). */
  ethCallData?: Uint8Array;
}

export interface CreateContractOptions {
  readonly value: bigint;
  readonly code: Uint8Array;
  readonly args: Uint8Array[];
  readonly gas: bigint;
  /** Default: upgradeable (the reference's createContract metadata). */
  readonly metadata?: Uint8Array | null;
}

/** Nested executions, provided by the host (reference digest §3.3). Each throws a ContractError on failure. */
export interface NestedCalls {
  executeOnDestContext(parent: ExecutionContext, input: ContractCallInput): void;
  executeOnSameContext(parent: ExecutionContext, input: ContractCallInput, readOnly: boolean): void;
  /** Deploys code from the running contract; returns the new address. */
  createNewContract(parent: ExecutionContext, options: CreateContractOptions): Uint8Array;
}

/** What every frame of a host shares: built once per host (the transaction: once per execution). */
export interface FrameHost extends NestedCalls {
  readonly schedule: GasSchedule;
  readonly crypto: CryptoHook;
  readonly blockGasLimit: bigint;
  readonly tx: TxState;
}

export interface FrameOptions {
  readonly call: CallState;
  readonly address: Uint8Array;
  readonly output: OutputContext;
  readonly storage: StorageContext;
  readonly blockchain: BlockchainContext;
  readonly bigInts: BigIntContext;
  readonly host: FrameHost;
}

export class ExecutionContext {
  readonly call: CallState;
  readonly scAddress: Uint8Array;
  readonly output: OutputContext;
  readonly storage: StorageContext;
  readonly blockchain: BlockchainContext;
  readonly bigInts: BigIntContext;
  readonly schedule: GasSchedule;
  readonly crypto: CryptoHook;
  readonly blockGasLimit: bigint;
  readonly nested: NestedCalls;
  readonly tx: TxState;
  readonly metering: Metering;
  readonly async = new AsyncBookkeeping();
  instance!: ContractInstance;
  /** The running contract's code. */
  code: Uint8Array = NO_BYTES;

  constructor(options: FrameOptions) {
    this.call = options.call;
    this.scAddress = options.address;
    this.output = options.output;
    this.storage = options.storage;
    this.blockchain = options.blockchain;
    this.bigInts = options.bigInts;
    const host = options.host;
    this.schedule = host.schedule;
    this.crypto = host.crypto;
    this.blockGasLimit = host.blockGasLimit;
    this.nested = host;
    this.tx = host.tx;
    this.metering = new Metering(options.output);
  }

  /** The frame's instance starts: its gas counter is the instance's. */
  attach(instance: ContractInstance, code: Uint8Array): void {
    this.instance = instance;
    this.metering.instance = instance;
    this.code = code;
  }

  get readOnly(): boolean {
    return this.storage.readOnly;
  }

  cost(key: GasKey): bigint {
    return gasCost(this.schedule, key);
  }

  useGas(amount: bigint): void {
    this.instance.usePoints(amount);
  }

  freeGas(amount: bigint): void {
    this.metering.freeGas(amount);
  }

  get gasLeft(): bigint {
    return this.metering.gasLeft;
  }

  perByte(key: 'DataCopyPerByte' | 'PersistPerByte', bytes: number): bigint {
    return this.schedule.costs.BaseOperationCost[key] * BigInt(bytes);
  }

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

  // the memory façade (MemLoad / MemStore on the running instance)

  load(offset: number, length: number): Uint8Array {
    return this.instance.load(offset, length);
  }

  /** `load` without the copy where it can: for bytes read at once and never kept (see ContractInstance.peek). */
  peek(offset: number, length: number): Uint8Array {
    return this.instance.peek(offset, length);
  }

  store(offset: number, data: Uint8Array): void {
    this.instance.store(offset, data);
  }

  /** A 32-byte address argument. */
  loadAddress(offset: number): Uint8Array {
    return this.instance.load(offset, 32);
  }
}
