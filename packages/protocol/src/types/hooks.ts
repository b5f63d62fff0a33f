/**
 * The interfaces the packages implement: the blockchain hook (node state, as seen by the VM), the crypto hook,
 * and the execution handler (what a node calls to run a contract).
 */
import type { Bytes, BytesMapEntry } from '../wire/fields';
import type { Account, ContractCallInput, ContractCreateInput, VMOutput } from '../wire/shapes';

export type Awaitable<T> = T | Promise<T>;

/**
 * vmcommon's BlockchainHook, one method per hook message pair. An absent account or key is a normal answer (null,
 * or an empty value). A method that throws means the node could not answer: the VM aborts the execution with
 * `HookFailed` (never runs on a made-up value). A built-in function's own failure is reported by throwing
 * `VMError(ErrorCode.BuiltinFunctionFailed, message)` from processBuiltInFunction: the execution then fails with
 * that message, as in the reference.
 */
export interface BlockchainHook {
  newAddress(creatorAddress: Uint8Array, creatorNonce: bigint, vmType: Uint8Array): Bytes;
  getStorageData(accountAddress: Uint8Array, index: Uint8Array): Bytes;
  getBlockhash(nonce: bigint): Bytes;
  lastNonce(): bigint;
  lastRound(): bigint;
  lastTimeStamp(): bigint;
  lastRandomSeed(): Bytes;
  lastEpoch(): number;
  getStateRootHash(): Bytes;
  currentNonce(): bigint;
  currentRound(): bigint;
  currentTimeStamp(): bigint;
  currentRandomSeed(): Bytes;
  currentEpoch(): number;
  processBuiltInFunction(input: ContractCallInput): VMOutput | null;
  getBuiltinFunctionNames(): string[];
  getAllState(address: Uint8Array): BytesMapEntry[];
  /** null: no such account. */
  getUserAccount(address: Uint8Array): Account | null;
  getShardOfAddress(address: Uint8Array): number;
  isSmartContract(address: Uint8Array): boolean;
}

/** The node side may answer hooks asynchronously (e.g. from a database). */
export type AsyncBlockchainHook = {
  [M in keyof BlockchainHook]: (...args: Parameters<BlockchainHook[M]>) => Awaitable<ReturnType<BlockchainHook[M]>>;
};

/** The hash functions of the contract API. Inputs may be views into contract memory: read them, never keep them. */
export interface CryptoHook {
  sha256(data: Uint8Array): Uint8Array;
  /** Legacy Keccak-256 (not SHA3-256). */
  keccak256(data: Uint8Array): Uint8Array;
  ripemd160(data: Uint8Array): Uint8Array;
  ecrecover(hash: Uint8Array, recoveryId: Uint8Array, r: Uint8Array, s: Uint8Array): Uint8Array;
}

/** What runs contracts: the in-process VM host, or the driver of a VM process. */
export interface VMExecutionHandler {
  runSmartContractCreate(input: ContractCreateInput): Awaitable<VMOutput>;
  runSmartContractCall(input: ContractCallInput): Awaitable<VMOutput>;
}
