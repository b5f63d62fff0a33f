import { CallType, type ContractCallInput, type ContractCreateInput } from '@vm/protocol';
import { FakeBlockchainHook } from '@vm/testkit';
import { VMHost, createGasSchedule, GAS_SECTION_KEYS } from '@vm/host';

export const address = (name: string) => Buffer.from(name.padEnd(32, '_'));
export const CALLER = address('caller');

/** The reference's test schedule: every cost 1, AsyncCallbackGasLock 100000 (MakeGasMapForTests). */
export function testSchedule(overrides: Record<string, Record<string, bigint>> = {}) {
  const map: Record<string, Record<string, bigint>> = {};
  for (const [section, keys] of Object.entries(GAS_SECTION_KEYS)) {
    map[section] = Object.fromEntries(keys.map((k) => [k, 1n]));
    Object.assign(map[section], overrides[section] ?? {});
  }
  map.Kalyan3104APICost.AsyncCallbackGasLock = overrides.Kalyan3104APICost?.AsyncCallbackGasLock ?? 100000n;
  return createGasSchedule(map);
}

export function newHost(hook = new FakeBlockchainHook(), schedule = testSchedule()) {
  return { hook, vm: new VMHost({ blockchainHook: hook, gasSchedule: schedule, blockGasLimit: 10_000_000n }) };
}

export function createInput(code: Uint8Array, extra: Partial<ContractCreateInput> = {}): ContractCreateInput {
  return {
    CallerAddr: CALLER,
    Arguments: [],
    CallValue: 0n,
    CallType: CallType.DirectCall,
    GasPrice: 0n,
    GasProvided: 1_000_000n,
    OriginalTxHash: null,
    CurrentTxHash: null,
    ContractCode: code,
    ContractCodeMetadata: Uint8Array.of(1, 0),
    ...extra,
  };
}

export function callInput(
  recipient: Uint8Array,
  fn: string,
  extra: Partial<ContractCallInput> = {},
): ContractCallInput {
  return {
    CallerAddr: CALLER,
    Arguments: [],
    CallValue: 0n,
    CallType: CallType.DirectCall,
    GasPrice: 0n,
    GasProvided: 1_000_000n,
    OriginalTxHash: null,
    CurrentTxHash: null,
    RecipientAddr: recipient,
    Function: fn,
    ...extra,
  };
}

export const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'));
export const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('latin1'));
