/**
 * ExecuteOnDestContext (digest §3.3): the callee runs at its own address, with its own storage and a fresh
 * big-integer table, on a censored output (no return data, logs, refund or status of the caller's); on success the
 * output is merged, on failure it goes back to what it was.
 */
import { ReturnCode, type ContractCallInput } from '@vm/protocol';
import { BigIntContext } from '../contexts/bigInts';
import type { ChildResult } from './asyncCalls';
import { executeChild } from './call';
import { ContractError, outcomeError } from './contractErrors';
import { NO_BYTES, type ExecutionContext } from './executionContext';
import { nestedFrame } from './frame';
import type { Host } from './host';
import { errorMessage } from './outcome';

/** The contract API's executeOnDestContext: a failed callee fails the call (the caller sees 1). */
export function executeOnDestContext(host: Host, parent: ExecutionContext, input: ContractCallInput): void {
  const result = runOnDestContext(host, parent, input);
  if (result.returnCode !== ReturnCode.Ok) throw outcomeError(result.returnCode, result.returnMessage);
}

/** ExecuteOnDestContext, returning the callee's VMOutput (an error one if it failed) as the reference does. */
export function runOnDestContext(host: Host, parent: ExecutionContext, input: ContractCallInput): ChildResult {
  const { output, storage } = parent;
  output.pushState();
  output.censor();
  storage.pushState();
  try {
    storage.address = input.RecipientAddr ?? NO_BYTES;
    const child = nestedFrame(host, parent, input, new BigIntContext());
    const { gasProvided, pendingAsync } = executeChild(host, parent, child, input);
    // GetVMOutput after the callee's instance is gone: its gas measured against the caller's counter (a reference quirk).
    const used = parent.instance.pointsUsed;
    const result: ChildResult = {
      returnCode: output.returnCode,
      returnMessage: output.returnMessage,
      returnData: [...output.returnData],
      gasRemaining: gasProvided > used ? gasProvided - used : 0n,
      pendingAsync,
    };
    output.popMergeActiveState();
    return result;
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    const result: ChildResult = {
      returnCode: error.returnCode,
      returnMessage: errorMessage(error, output),
      returnData: [],
      gasRemaining: host.asyncLock.locked,
      pendingAsync: false,
    };
    output.popSetActiveState();
    return result;
  } finally {
    storage.popSetActiveState();
  }
}
