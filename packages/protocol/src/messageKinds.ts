/**
 * The message kinds of the node <-> VM protocol: one table, one row per kind, in the reference's numbering.
 * The enum, the names, the predicates and the request -> response pairing are all derived from it.
 */

export type KindFamily = 'sentinel' | 'control' | 'contract' | 'hook' | 'diagnose' | 'undefined' | 'extension';
/** N2A: node -> VM (fd 3 / fd 4); A2N: VM -> node (fd 5). */
export type KindDirection = 'N2A' | 'A2N' | 'either' | 'none';

interface KindRow {
  readonly name: string;
  readonly family: KindFamily;
  readonly direction: KindDirection;
}

const row = (name: string, family: KindFamily, direction: KindDirection): KindRow => ({ name, family, direction });
/** A hook request (VM -> node) immediately followed by its response (node -> VM). */
const hook = (name: string): KindRow[] => [row(`${name}Request`, 'hook', 'A2N'), row(`${name}Response`, 'hook', 'N2A')];

/** Row index == kind number. */
export const MESSAGE_KIND_TABLE: readonly KindRow[] = Object.freeze([
  row('FirstKind', 'sentinel', 'none'),
  row('Initialize', 'control', 'N2A'),
  row('Stop', 'control', 'N2A'),
  row('ContractDeployRequest', 'contract', 'N2A'),
  row('ContractCallRequest', 'contract', 'N2A'),
  row('ContractResponse', 'contract', 'A2N'),
  ...hook('BlockchainNewAddress'),
  ...hook('BlockchainGetStorageData'),
  ...hook('BlockchainGetBlockhash'),
  ...hook('BlockchainLastNonce'),
  ...hook('BlockchainLastRound'),
  ...hook('BlockchainLastTimeStamp'),
  ...hook('BlockchainLastRandomSeed'),
  ...hook('BlockchainLastEpoch'),
  ...hook('BlockchainGetStateRootHash'),
  ...hook('BlockchainCurrentNonce'),
  ...hook('BlockchainCurrentRound'),
  ...hook('BlockchainCurrentTimeStamp'),
  ...hook('BlockchainCurrentRandomSeed'),
  ...hook('BlockchainCurrentEpoch'),
  ...hook('BlockchainProcessBuiltinFunction'),
  ...hook('BlockchainGetBuiltinFunctionNames'),
  ...hook('BlockchainGetAllState'),
  ...hook('BlockchainGetUserAccount'),
  ...hook('BlockchainGetShardOfAddress'),
  ...hook('BlockchainIsSmartContract'),
  row('DiagnoseWaitRequest', 'diagnose', 'N2A'),
  row('DiagnoseWaitResponse', 'diagnose', 'A2N'),
  row('UndefinedRequestOrResponse', 'undefined', 'either'),
  row('LastKind', 'sentinel', 'none'),
  // Ours, past the reference's table (a reference peer never sees them: each is spoken only once negotiated in
  // Initialize, see capabilities.ts).
  row('InitializeAcknowledge', 'extension', 'A2N'),
  row('VersionRequest', 'extension', 'N2A'),
  row('VersionResponse', 'extension', 'A2N'),
  row('GasScheduleChangeRequest', 'extension', 'N2A'),
  row('GasScheduleChangeResponse', 'extension', 'A2N'),
  row('BlockchainGetCodeRequest', 'extension', 'A2N'),
  row('BlockchainGetCodeResponse', 'extension', 'N2A'),
]);

/** The reference's MessageKind numbers (iota order). Checked against the table by the tests. */
export enum MessageKind {
  FirstKind = 0,
  Initialize,
  Stop,
  ContractDeployRequest,
  ContractCallRequest,
  ContractResponse,
  BlockchainNewAddressRequest,
  BlockchainNewAddressResponse,
  BlockchainGetStorageDataRequest,
  BlockchainGetStorageDataResponse,
  BlockchainGetBlockhashRequest,
  BlockchainGetBlockhashResponse,
  BlockchainLastNonceRequest,
  BlockchainLastNonceResponse,
  BlockchainLastRoundRequest,
  BlockchainLastRoundResponse,
  BlockchainLastTimeStampRequest,
  BlockchainLastTimeStampResponse,
  BlockchainLastRandomSeedRequest,
  BlockchainLastRandomSeedResponse,
  BlockchainLastEpochRequest,
  BlockchainLastEpochResponse,
  BlockchainGetStateRootHashRequest,
  BlockchainGetStateRootHashResponse,
  BlockchainCurrentNonceRequest,
  BlockchainCurrentNonceResponse,
  BlockchainCurrentRoundRequest,
  BlockchainCurrentRoundResponse,
  BlockchainCurrentTimeStampRequest,
  BlockchainCurrentTimeStampResponse,
  BlockchainCurrentRandomSeedRequest,
  BlockchainCurrentRandomSeedResponse,
  BlockchainCurrentEpochRequest,
  BlockchainCurrentEpochResponse,
  BlockchainProcessBuiltinFunctionRequest,
  BlockchainProcessBuiltinFunctionResponse,
  BlockchainGetBuiltinFunctionNamesRequest,
  BlockchainGetBuiltinFunctionNamesResponse,
  BlockchainGetAllStateRequest,
  BlockchainGetAllStateResponse,
  BlockchainGetUserAccountRequest,
  BlockchainGetUserAccountResponse,
  BlockchainGetShardOfAddressRequest,
  BlockchainGetShardOfAddressResponse,
  BlockchainIsSmartContractRequest,
  BlockchainIsSmartContractResponse,
  DiagnoseWaitRequest,
  DiagnoseWaitResponse,
  UndefinedRequestOrResponse,
  LastKind,
  InitializeAcknowledge,
  VersionRequest,
  VersionResponse,
  GasScheduleChangeRequest,
  GasScheduleChangeResponse,
  BlockchainGetCodeRequest,
  BlockchainGetCodeResponse,
}

/** Name of a kind, or undefined for numbers outside the table. */
export function kindName(kind: number): string | undefined {
  return MESSAGE_KIND_TABLE[kind]?.name;
}

/** True for a kind that can appear in a frame (1 .. 48, and ours from 50): not a sentinel, not out of range. */
export function isKnownKind(kind: number): kind is MessageKind {
  const entry = Number.isInteger(kind) ? MESSAGE_KIND_TABLE[kind] : undefined;
  return entry !== undefined && entry.family !== 'sentinel';
}

export const isHookCall = (kind: number): boolean => MESSAGE_KIND_TABLE[kind]?.family === 'hook';
export const isHookRequest = (kind: number): boolean =>
  isHookCall(kind) && MESSAGE_KIND_TABLE[kind].direction === 'A2N';
export const isDiagnose = (kind: number): boolean => MESSAGE_KIND_TABLE[kind]?.family === 'diagnose';
export const isContractResponse = (kind: number): boolean => kind === MessageKind.ContractResponse;
export const isStopRequest = (kind: number): boolean => kind === MessageKind.Stop;

/** The response kind that answers a hook request (the next row), or undefined for anything else. */
export function responseKindOf(kind: number): MessageKind | undefined {
  return isHookRequest(kind) ||
    kind === MessageKind.DiagnoseWaitRequest ||
    kind === MessageKind.BlockchainGetCodeRequest
    ? ((kind + 1) as MessageKind)
    : undefined;
}

/** A request the VM sends the node in the middle of a dialogue: a hook call, or a code asked by hash. */
export const isVmRequest = (kind: number): boolean =>
  isHookRequest(kind) || kind === MessageKind.BlockchainGetCodeRequest;

/** The VM's answers that end a dialogue (the node part returns them to its caller). */
export const endsDialogue = (kind: number): boolean =>
  kind === MessageKind.ContractResponse ||
  isDiagnose(kind) ||
  kind === MessageKind.VersionResponse ||
  kind === MessageKind.GasScheduleChangeResponse;

/** Every hook request kind, in table order. */
export const HOOK_REQUEST_KINDS: readonly MessageKind[] = Object.freeze(
  MESSAGE_KIND_TABLE.map((_, kind) => kind).filter(isHookRequest) as MessageKind[],
);
