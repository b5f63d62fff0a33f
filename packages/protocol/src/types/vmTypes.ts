/** Enumerations and constants shared by the node and the VM (vmcommon v0.0.1). */

export enum CallType {
  DirectCall = 0,
  AsynchronousCall = 1,
  AsynchronousCallBack = 2,
}

export enum ReturnCode {
  Ok = 0,
  FunctionNotFound = 1,
  FunctionWrongSignature = 2,
  ContractNotFound = 3,
  UserError = 4,
  OutOfGas = 5,
  AccountCollision = 6,
  OutOfFunds = 7,
  CallStackOverFlow = 8,
  ContractInvalid = 9,
  ExecutionFailed = 10,
  UpgradeFailed = 11,
}

const RETURN_CODE_STRINGS: Readonly<Record<number, string>> = Object.freeze({
  [ReturnCode.Ok]: 'ok',
  [ReturnCode.FunctionNotFound]: 'function not found',
  [ReturnCode.FunctionWrongSignature]: 'wrong signature for function',
  [ReturnCode.ContractNotFound]: 'contract not found',
  [ReturnCode.UserError]: 'user error',
  [ReturnCode.OutOfGas]: 'out of gas',
  [ReturnCode.AccountCollision]: 'account collision',
  [ReturnCode.OutOfFunds]: 'out of funds',
  [ReturnCode.CallStackOverFlow]: 'call stack overflow',
  [ReturnCode.ContractInvalid]: 'contract invalid',
  [ReturnCode.ExecutionFailed]: 'execution failed',
});

/** The reference's ReturnCode.String(): UpgradeFailed (11) has no case there, so it reads "unknown error, code: 11". */
export function returnCodeString(code: number): string {
  return RETURN_CODE_STRINGS[code] ?? `unknown error, code: ${code}`;
}

/** The storage-key prefix reserved to the protocol; contracts may not write keys starting with it. */
export const DEFAULT_PROTECTED_KEY_PREFIX = 'KALYAN3104';

/** ContractCodeMetadata byte 0, bit 0: the contract may be upgraded. */
export const METADATA_UPGRADEABLE = 1;

/** The VM type id the reference's tests use. */
export const DEFAULT_VM_TYPE = Uint8Array.of(5, 0);
