/**
 * The payload of every message kind (the keys after the envelope), in the reference's field order.
 * A kind missing here carries the envelope only.
 */
import { MessageKind as K } from '../messageKinds';
import { f, type Shape, type ShapeValue } from './fields';
import {
  ArwenArgumentsShape,
  ContractCallInputShape,
  ContractCreateInputShape,
  AccountShape,
  PrefetchShape,
  VMOutputShape,
} from './shapes';

/** `DialogueNonce`, `Kind`, `ErrorMessage`: the first three keys of every payload. */
export const EnvelopeShape = {
  DialogueNonce: f.u32,
  Kind: f.u32,
  ErrorMessage: f.string,
} as const;

const result = <F>(field: F) => ({ Result: field }) as const;
/** Ours (AccountPrefetch, StoragePrefetch): left out when nothing was read ahead. */
const prefetch = { Prefetch: f.extension(f.pointer(PrefetchShape)) } as const;
const version = { Version: f.string, Build: f.string } as const;
const address = { Address: f.bytes } as const;

export const PAYLOAD_SHAPES = {
  [K.Initialize]: { Arguments: f.struct(ArwenArgumentsShape) },
  [K.Stop]: {},
  [K.ContractDeployRequest]: { CreateInput: f.pointer(ContractCreateInputShape), ...prefetch },
  [K.ContractCallRequest]: { CallInput: f.pointer(ContractCallInputShape), ...prefetch },
  [K.ContractResponse]: { VMOutput: f.pointer(VMOutputShape) },
  [K.BlockchainNewAddressRequest]: { CreatorAddress: f.bytes, CreatorNonce: f.u64, VmType: f.bytes },
  [K.BlockchainNewAddressResponse]: result(f.bytes),
  [K.BlockchainGetStorageDataRequest]: { Address: f.bytes, Index: f.bytes },
  [K.BlockchainGetStorageDataResponse]: { Data: f.bytes },
  [K.BlockchainGetBlockhashRequest]: { Nonce: f.u64 },
  [K.BlockchainGetBlockhashResponse]: result(f.bytes),
  [K.BlockchainLastNonceRequest]: {},
  [K.BlockchainLastNonceResponse]: result(f.u64),
  [K.BlockchainLastRoundRequest]: {},
  [K.BlockchainLastRoundResponse]: result(f.u64),
  [K.BlockchainLastTimeStampRequest]: {},
  [K.BlockchainLastTimeStampResponse]: result(f.u64),
  [K.BlockchainLastRandomSeedRequest]: {},
  [K.BlockchainLastRandomSeedResponse]: result(f.bytes),
  [K.BlockchainLastEpochRequest]: {},
  [K.BlockchainLastEpochResponse]: result(f.u32),
  [K.BlockchainGetStateRootHashRequest]: {},
  [K.BlockchainGetStateRootHashResponse]: result(f.bytes),
  [K.BlockchainCurrentNonceRequest]: {},
  [K.BlockchainCurrentNonceResponse]: result(f.u64),
  [K.BlockchainCurrentRoundRequest]: {},
  [K.BlockchainCurrentRoundResponse]: result(f.u64),
  [K.BlockchainCurrentTimeStampRequest]: {},
  [K.BlockchainCurrentTimeStampResponse]: result(f.u64),
  [K.BlockchainCurrentRandomSeedRequest]: {},
  [K.BlockchainCurrentRandomSeedResponse]: result(f.bytes),
  [K.BlockchainCurrentEpochRequest]: {},
  [K.BlockchainCurrentEpochResponse]: result(f.u32),
  [K.BlockchainProcessBuiltinFunctionRequest]: { CallInput: f.struct(ContractCallInputShape) },
  [K.BlockchainProcessBuiltinFunctionResponse]: { VMOutput: f.pointer(VMOutputShape) },
  [K.BlockchainGetBuiltinFunctionNamesRequest]: {},
  [K.BlockchainGetBuiltinFunctionNamesResponse]: { FunctionNames: f.nameSet },
  [K.BlockchainGetAllStateRequest]: address,
  [K.BlockchainGetAllStateResponse]: { AllState: f.bytesMap },
  [K.BlockchainGetUserAccountRequest]: address,
  [K.BlockchainGetUserAccountResponse]: { Account: f.pointer(AccountShape) },
  [K.BlockchainGetShardOfAddressRequest]: address,
  [K.BlockchainGetShardOfAddressResponse]: { Shard: f.u32 },
  [K.BlockchainIsSmartContractRequest]: address,
  [K.BlockchainIsSmartContractResponse]: result(f.bool),
  [K.DiagnoseWaitRequest]: { Milliseconds: f.u32 },
  [K.DiagnoseWaitResponse]: {},
  [K.UndefinedRequestOrResponse]: {},
  // ours (capabilities.ts)
  [K.InitializeAcknowledge]: { ...version, Capabilities: f.u32 },
  [K.VersionRequest]: {},
  [K.VersionResponse]: version,
  [K.GasScheduleChangeRequest]: { GasSchedule: f.gasSchedule },
  [K.GasScheduleChangeResponse]: {},
  [K.BlockchainGetCodeRequest]: { Address: f.bytes, CodeHash: f.bytes },
  [K.BlockchainGetCodeResponse]: { Code: f.bytes },
} as const satisfies Record<number, Shape>;

/** The kinds a frame may carry (1 .. 48, and ours from 50). */
export type WireKind = keyof typeof PAYLOAD_SHAPES;

/** The full shape (envelope + payload) of a kind. */
export function messageShape(kind: WireKind): Shape {
  return { ...EnvelopeShape, ...PAYLOAD_SHAPES[kind] };
}

/** The decoded message of kind `K`. */
export type MessageOf<Kind extends WireKind> = {
  DialogueNonce: number;
  Kind: Kind;
  ErrorMessage: string;
} & ShapeValue<(typeof PAYLOAD_SHAPES)[Kind]>;

/** Any message. `Kind` discriminates the union. */
export type Message = { [Kind in WireKind]: MessageOf<Kind> }[WireKind];
