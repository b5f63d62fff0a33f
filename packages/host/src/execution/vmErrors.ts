/**
 * The reference's contract-visible errors (arwen/errors.go): a failed execution is a VMOutput whose
 * ReturnMessage is one of these texts and whose ReturnCode follows from the error (resolveReturnCodeFromError).
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

const err = (message: string, code: ReturnCode = ReturnCode.ExecutionFailed) => new ContractError(message, code);

export const VM_ERRORS = Object.freeze({
  notEnoughGas: () => err('not enough gas', ReturnCode.OutOfGas),
  contractInvalid: () => err('invalid contract code', ReturnCode.ContractInvalid),
  contractNotFound: () => err('invalid contract code (not found)', ReturnCode.ContractNotFound),
  funcNotFound: () => err('invalid function (not found)', ReturnCode.FunctionNotFound),
  initCalledInRun: () => err('invalid function (calling init() directly is forbidden)', ReturnCode.UserError),
  callBackCalledInRun: () => err('invalid function (calling callBack() directly is forbidden)', ReturnCode.UserError),
  upgradeInvalidArguments: () => err('upgrade failed (invalid arguments)', ReturnCode.UpgradeFailed),
  executionFailed: (message = 'execution failed') => err(message),
  returnCodeNotOk: () => err('return not is not ok'),
  maxInstancesReached: () => err('execution failed (max instances reached)'),
  unhandledBreakpoint: () => err('unhandled runtime breakpoint'),
  callStackOverflow: () => err('call stack overflow', ReturnCode.CallStackOverFlow),
  // ours: the output bound (a VMOutput must fit in a frame, see OutputContext)
  outputTooLarge: (size: number, limit: number) =>
    err(`execution failed (output too large: ${size} bytes, limit ${limit})`),
});

/** Host-function error texts that become ReturnMessages. */
export const EEI_MESSAGES = Object.freeze({
  memLoadBadBounds: 'mem load: bad bounds',
  memLoadNegativeLength: 'mem load: negative length',
  badLowerBounds: 'bad bounds (lower)',
  badUpperBounds: 'bad bounds (upper)',
  reservedKey: 'cannot write to storage under Kalyan3104 reserved key',
  argIndexOutOfRange: 'argument index out of range',
  argOutOfRange: 'argument out of range',
  divZero: 'division by 0',
  bitwiseNegative: 'bitwise operations only allowed on positive integers',
  shiftNegative: 'bitwise shift operations only allowed on positive integers and by a positive amount',
  negativeValue: 'failed transfer (negative value)',
  insufficientFunds: 'failed transfer (insufficient funds)',
  invalidAccount: 'account does not exist',
  negativeLength2D: (n: number) => `GuardedMakeByteSlice2D: negative length (${n})`,
  readOnly: 'operation not permitted in read only mode',
});
