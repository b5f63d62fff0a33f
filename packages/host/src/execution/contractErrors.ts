/**
 * The contract-visible errors, one frozen table (the reference's arwen/errors.go and the host functions' texts): a
 * failed execution is a VMOutput whose ReturnCode and ReturnMessage come from one of these rows. `halt(name)`
 * throws the row's ContractError (as ethereumjs's EVMError table and `trap`); the boundaries that turn it into an
 * outcome (the host-function wrapper, the flows in `execution/`) catch ContractError and nothing else, so a bug
 * never passes as a failed contract.
 */
import { ReturnCode } from '@vm/protocol';

export class ContractError extends Error {
  constructor(
    message: string,
    readonly returnCode: ReturnCode,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

const { ExecutionFailed, OutOfGas, ContractInvalid, ContractNotFound, FunctionNotFound, UserError } = ReturnCode;

interface ErrorRow {
  readonly code: ReturnCode;
  readonly message: string | ((...args: never[]) => string);
}

export const CONTRACT_ERRORS = Object.freeze({
  // the host's flows (arwen/errors.go)
  notEnoughGas: { code: OutOfGas, message: 'not enough gas' },
  contractInvalid: { code: ContractInvalid, message: 'invalid contract code' },
  contractNotFound: { code: ContractNotFound, message: 'invalid contract code (not found)' },
  funcNotFound: { code: FunctionNotFound, message: 'invalid function (not found)' },
  initCalledInRun: { code: UserError, message: 'invalid function (calling init() directly is forbidden)' },
  callBackCalledInRun: { code: UserError, message: 'invalid function (calling callBack() directly is forbidden)' },
  unexpectedCallback: { code: UserError, message: 'invalid function (unexpected callback was received)' },
  upgradeInvalidArguments: { code: ReturnCode.UpgradeFailed, message: 'upgrade failed (invalid arguments)' },
  executionFailed: { code: ExecutionFailed, message: (text?: string) => text ?? 'execution failed' },
  returnCodeNotOk: { code: ExecutionFailed, message: 'return not is not ok' },
  maxInstancesReached: { code: ExecutionFailed, message: 'execution failed (max instances reached)' },
  unhandledBreakpoint: { code: ExecutionFailed, message: 'unhandled runtime breakpoint' },
  callStackOverflow: { code: ReturnCode.CallStackOverFlow, message: 'call stack overflow' },
  readOnly: { code: ExecutionFailed, message: 'operation not permitted in read only mode' },
  // ours: the output bound (a VMOutput must fit in a frame, see OutputContext)
  outputTooLarge: {
    code: ExecutionFailed,
    message: (size: number, limit: number) => `execution failed (output too large: ${size} bytes, limit ${limit})`,
  },
  // memory (MemLoad / MemStore)
  memLoadBadBounds: { code: ExecutionFailed, message: 'mem load: bad bounds' },
  memLoadNegativeLength: { code: ExecutionFailed, message: 'mem load: negative length' },
  badLowerBounds: { code: ExecutionFailed, message: 'bad bounds (lower)' },
  badUpperBounds: { code: ExecutionFailed, message: 'bad bounds (upper)' },
  memoryGrowFailed: { code: ExecutionFailed, message: (why: string) => `Failed to grow the memory:\n    ${why}` },
  negativeLength2D: { code: ExecutionFailed, message: (n: number) => `GuardedMakeByteSlice2D: negative length (${n})` },
  bytesSliceNegativeLength: { code: ExecutionFailed, message: 'GuardedGetBytesSlice: negative length' },
  bytesSliceBadBounds: { code: ExecutionFailed, message: 'GuardedGetBytesSlice: bad bounds' },
  // the contract API
  reservedKey: { code: ExecutionFailed, message: 'cannot write to storage under Kalyan3104 reserved key' },
  argIndexOutOfRange: { code: ExecutionFailed, message: 'argument index out of range' },
  argOutOfRange: { code: ExecutionFailed, message: 'argument out of range' },
  divZero: { code: ExecutionFailed, message: 'division by 0' },
  bitwiseNegative: { code: ExecutionFailed, message: 'bitwise operations only allowed on positive integers' },
  shiftNegative: {
    code: ExecutionFailed,
    message: 'bitwise shift operations only allowed on positive integers and by a positive amount',
  },
  negativeValue: { code: ExecutionFailed, message: 'failed transfer (negative value)' },
  insufficientFunds: { code: ReturnCode.OutOfFunds, message: 'failed transfer (insufficient funds)' },
  invalidApiCall: { code: ExecutionFailed, message: 'invalid API call' },
  systemContractMissing: {
    code: ExecutionFailed,
    message: (address: string) => `invalid EEI system contract call - missing: ${address}`,
  },
  systemContractFailed: {
    code: ExecutionFailed,
    message: (why: string) => `erroneous EEI system contract call: ${why}`,
  },
  // asynchronous calls and promises
  asyncContextNotCreated: { code: ExecutionFailed, message: 'async context was not created yet' },
  tokenizeFailed: { code: ExecutionFailed, message: 'tokenize failed' },
  functionNil: { code: ExecutionFailed, message: 'smart contract function is nil' },
  additionOverflow: { code: ExecutionFailed, message: 'addition overflow' },
  invalidStoredAsyncContext: { code: ExecutionFailed, message: 'invalid stored async context' },
} satisfies Record<string, ErrorRow>);

export type ContractErrorName = keyof typeof CONTRACT_ERRORS;
type ErrorArgs<N extends ContractErrorName> = (typeof CONTRACT_ERRORS)[N]['message'] extends (
  ...args: infer A
) => string
  ? A
  : [];

/** The row's ContractError. */
export function contractError<N extends ContractErrorName>(name: N, ...args: ErrorArgs<N>): ContractError {
  const row: ErrorRow = CONTRACT_ERRORS[name];
  const message = typeof row.message === 'string' ? row.message : (row.message as (...a: unknown[]) => string)(...args);
  return new ContractError(message, row.code);
}

/** Stops the execution with the row's error. */
export function halt<N extends ContractErrorName>(name: N, ...args: ErrorArgs<N>): never {
  throw contractError(name, ...args);
}

/** A nested call's own outcome, passed on to its caller (its code and message, not a row of the table). */
export function outcomeError(returnCode: ReturnCode, message: string): ContractError {
  return new ContractError(message, returnCode);
}
