/**
 * The composite wire shapes of the reference (vmcommon v0.0.1 + ipc/common), field for field, in Go field order.
 * Embedded Go structs are spread (flattened), exactly as encoding/json renders them.
 */
import { f, type ShapeValue } from './fields';

export const VMInputShape = {
  CallerAddr: f.bytes,
  Arguments: f.bytesList,
  CallValue: f.bigInt,
  CallType: f.int,
  GasPrice: f.u64,
  GasProvided: f.u64,
  OriginalTxHash: f.bytes,
  CurrentTxHash: f.bytes,
} as const;

export const ContractCreateInputShape = {
  ...VMInputShape,
  ContractCode: f.bytes,
  ContractCodeMetadata: f.bytes,
} as const;

export const ContractCallInputShape = {
  ...VMInputShape,
  RecipientAddr: f.bytes,
  Function: f.string,
} as const;

export const StorageUpdateShape = {
  Offset: f.bytes,
  Data: f.bytes,
} as const;

export const OutputAccountShape = {
  Address: f.bytes,
  Nonce: f.u64,
  Balance: f.bigInt,
  BalanceDelta: f.bigInt,
  StorageUpdates: f.keyedList(StorageUpdateShape, 'Offset'),
  Code: f.bytes,
  CodeMetadata: f.bytes,
  Data: f.bytes,
  GasLimit: f.u64,
  CallType: f.int,
} as const;

export const LogEntryShape = {
  Identifier: f.bytes,
  Address: f.bytes,
  Topics: f.bytesList,
  Data: f.bytes,
} as const;

export const VMOutputShape = {
  ReturnData: f.bytesList,
  ReturnCode: f.int,
  ReturnMessage: f.string,
  GasRemaining: f.u64,
  GasRefund: f.bigInt,
  OutputAccounts: f.keyedList(OutputAccountShape, 'Address'),
  DeletedAccounts: f.bytesList,
  TouchedAccounts: f.bytesList,
  Logs: f.structList(LogEntryShape),
} as const;

/** ipc/common/account.go: the account the node returns for GetUserAccount. */
export const AccountShape = {
  Nonce: f.u64,
  Balance: f.bigInt,
  CodeHash: f.bytes,
  RootHash: f.bytes,
  Address: f.bytes,
  DeveloperReward: f.bigInt,
  OwnerAddress: f.bytes,
  UserName: f.bytes,
  CodeMetadata: f.bytes,
  Code: f.bytes,
  /**
   * Ours (capability CodeByHash): the SHA-256 of the code, sent instead of it (`Code` null); the VM uses its own
   * copy, or asks for the bytes with BlockchainGetCode. A reference node never sends it.
   */
  CodeByHash: f.extension(f.bytes),
  /** Ours, with CodeByHash: the code's length in bytes. */
  CodeSize: f.extensionU32,
} as const;

/** arwen/common.go VMHostParameters. */
export const VMHostParametersShape = {
  VMType: f.bytes,
  BlockGasLimit: f.u64,
  GasSchedule: f.gasSchedule,
  ProtocolBuiltinFunctions: f.nameSet,
  Kalyan3104ProtectedKeyPrefix: f.bytes,
} as const;

/** ipc/common/arguments.go ArwenArguments: the Initialize payload. */
export const ArwenArgumentsShape = {
  ...VMHostParametersShape,
  LogsMarshalizer: f.u32,
  MessagesMarshalizer: f.u32,
  /** Ours: the node's frame limit, both directions (0: DEFAULT_MAX_FRAME_SIZE). A reference node omits it. */
  MaxFrameSize: f.extensionU32,
  /**
   * Ours: the extensions the node offers (a bit set of Capability). 0 (left out, as by a reference node): none, and
   * the VM answers nothing; otherwise a dme-vm VM answers with InitializeAcknowledge before anything else.
   */
  Capabilities: f.extensionU32,
} as const;

/** An account the node read for the request (capability AccountPrefetch): `Account` null = no such account. */
export const PrefetchedAccountShape = {
  Address: f.bytes,
  Account: f.pointer(AccountShape),
} as const;

/** A storage value the node read for the request (capability StoragePrefetch). */
export const PrefetchedStorageShape = {
  Address: f.bytes,
  Index: f.bytes,
  Data: f.bytes,
} as const;

/**
 * Ours: what the node read for a request before sending it, exactly as its hook answered; the VM takes these
 * answers instead of asking. An answer left out is asked for as usual.
 */
export const PrefetchShape = {
  Accounts: f.structList(PrefetchedAccountShape),
  Storage: f.structList(PrefetchedStorageShape),
} as const;

export type VMInput = ShapeValue<typeof VMInputShape>;
export type ContractCreateInput = ShapeValue<typeof ContractCreateInputShape>;
export type ContractCallInput = ShapeValue<typeof ContractCallInputShape>;
export type StorageUpdate = ShapeValue<typeof StorageUpdateShape>;
export type OutputAccount = ShapeValue<typeof OutputAccountShape>;
export type LogEntry = ShapeValue<typeof LogEntryShape>;
export type VMOutput = ShapeValue<typeof VMOutputShape>;
export type Account = ShapeValue<typeof AccountShape>;
export type VMHostParameters = ShapeValue<typeof VMHostParametersShape>;
export type Prefetch = ShapeValue<typeof PrefetchShape>;
export type PrefetchedAccount = ShapeValue<typeof PrefetchedAccountShape>;
export type PrefetchedStorage = ShapeValue<typeof PrefetchedStorageShape>;
export type ArwenArguments = ShapeValue<typeof ArwenArgumentsShape>;
