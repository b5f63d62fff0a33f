/** Contract inputs for tests: the reference's defaults (direct call, 1,000,000 gas, a fixed caller), overridable. */
import { CallType, type ContractCallInput, type ContractCreateInput } from '@vm/protocol';

/** A 32-byte address made readable: the name padded with '_'. */
export const address = (name: string) => Buffer.from(name.padEnd(32, '_'));
export const CALLER = address('caller');

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

export const hex = (b: Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString('hex'));
export const text = (b: Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString('latin1'));
