/**
 * How each BlockchainHook method crosses the pipe: its request kind (the response is the next kind), how the
 * method's arguments become the request payload and back, and how its result becomes the response payload and
 * back. The VM's gateway and the node's repliers are both driven by this one table.
 */
import { MessageKind as K } from '../messageKinds';
import type { BlockchainHook } from './hooks';

type Payload = Record<string, unknown>;

export interface HookCall {
  readonly method: keyof BlockchainHook;
  /** The reference's signature returns an error: the response's ErrorMessage carries it. */
  readonly canFail: boolean;
  /** Method arguments -> request payload. */
  readonly toRequest: (...args: never[]) => Payload;
  /** Request payload -> method arguments. */
  readonly fromRequest: (payload: Payload) => unknown[];
  /** Method result -> response payload (also used for the zero value sent with an error). */
  readonly toResponse: (result: unknown) => Payload;
  /** Response payload -> method result. */
  readonly fromResponse: (payload: Payload) => unknown;
}

const noArgs = { toRequest: () => ({}), fromRequest: () => [] };
const address = {
  toRequest: (a: Uint8Array) => ({ Address: a }),
  fromRequest: (p: Payload) => [p.Address ?? new Uint8Array(0)],
};
const result = (zero: unknown) => ({
  toResponse: (r: unknown) => ({ Result: r ?? zero }),
  fromResponse: (p: Payload) => p.Result,
});
const call = (method: keyof BlockchainHook, canFail: boolean, rest: Omit<HookCall, 'method' | 'canFail'>): HookCall =>
  Object.freeze({ method, canFail, ...rest });

/** The BlockchainHook's method names, in table order. */
export function blockchainHookMethods(): (keyof BlockchainHook)[] {
  return Object.values(HOOK_CALLS).map((call) => call.method);
}

export const HOOK_CALLS: Readonly<Record<number, HookCall>> = Object.freeze({
  [K.BlockchainNewAddressRequest]: call('newAddress', true, {
    toRequest: (creator: Uint8Array, nonce: bigint, vmType: Uint8Array) => ({
      CreatorAddress: creator,
      CreatorNonce: nonce,
      VmType: vmType,
    }),
    fromRequest: (p) => [p.CreatorAddress ?? new Uint8Array(0), p.CreatorNonce, p.VmType ?? new Uint8Array(0)],
    ...result(null),
  }),
  [K.BlockchainGetStorageDataRequest]: call('getStorageData', true, {
    toRequest: (a: Uint8Array, index: Uint8Array) => ({ Address: a, Index: index }),
    fromRequest: (p) => [p.Address ?? new Uint8Array(0), p.Index ?? new Uint8Array(0)],
    toResponse: (r) => ({ Data: r ?? null }),
    fromResponse: (p) => p.Data,
  }),
  [K.BlockchainGetBlockhashRequest]: call('getBlockhash', true, {
    toRequest: (nonce: bigint) => ({ Nonce: nonce }),
    fromRequest: (p) => [p.Nonce],
    ...result(null),
  }),
  [K.BlockchainLastNonceRequest]: call('lastNonce', false, { ...noArgs, ...result(0n) }),
  [K.BlockchainLastRoundRequest]: call('lastRound', false, { ...noArgs, ...result(0n) }),
  [K.BlockchainLastTimeStampRequest]: call('lastTimeStamp', false, { ...noArgs, ...result(0n) }),
  [K.BlockchainLastRandomSeedRequest]: call('lastRandomSeed', false, { ...noArgs, ...result(null) }),
  [K.BlockchainLastEpochRequest]: call('lastEpoch', false, { ...noArgs, ...result(0) }),
  [K.BlockchainGetStateRootHashRequest]: call('getStateRootHash', false, { ...noArgs, ...result(null) }),
  [K.BlockchainCurrentNonceRequest]: call('currentNonce', false, { ...noArgs, ...result(0n) }),
  [K.BlockchainCurrentRoundRequest]: call('currentRound', false, { ...noArgs, ...result(0n) }),
  [K.BlockchainCurrentTimeStampRequest]: call('currentTimeStamp', false, { ...noArgs, ...result(0n) }),
  [K.BlockchainCurrentRandomSeedRequest]: call('currentRandomSeed', false, { ...noArgs, ...result(null) }),
  [K.BlockchainCurrentEpochRequest]: call('currentEpoch', false, { ...noArgs, ...result(0) }),
  [K.BlockchainProcessBuiltinFunctionRequest]: call('processBuiltInFunction', true, {
    toRequest: (input: unknown) => ({ CallInput: input }),
    fromRequest: (p) => [p.CallInput],
    toResponse: (r) => ({ VMOutput: r ?? null }),
    fromResponse: (p) => p.VMOutput,
  }),
  [K.BlockchainGetBuiltinFunctionNamesRequest]: call('getBuiltinFunctionNames', false, {
    ...noArgs,
    toResponse: (r) => ({ FunctionNames: r ?? [] }),
    fromResponse: (p) => p.FunctionNames ?? [],
  }),
  [K.BlockchainGetAllStateRequest]: call('getAllState', true, {
    ...address,
    toResponse: (r) => ({ AllState: r ?? null }),
    fromResponse: (p) => p.AllState ?? [],
  }),
  [K.BlockchainGetUserAccountRequest]: call('getUserAccount', true, {
    ...address,
    toResponse: (r) => ({ Account: r ?? null }),
    fromResponse: (p) => p.Account,
  }),
  [K.BlockchainGetShardOfAddressRequest]: call('getShardOfAddress', false, {
    ...address,
    toResponse: (r) => ({ Shard: r ?? 0 }),
    fromResponse: (p) => p.Shard,
  }),
  [K.BlockchainIsSmartContractRequest]: call('isSmartContract', false, { ...address, ...result(false) }),
});
