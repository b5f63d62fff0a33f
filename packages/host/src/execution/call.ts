/**
 * Calls (digest §2.3): the top-level call flow (`runCall`: the init/callBack rules, the `main` fallback, the async
 * steps after the call) and `executeChild`, the reference's host.execute for a nested call (a built-in function,
 * or the callee's code in its own instance), with `callExport`, which runs an export and maps how it stopped.
 */
import { CallType, ErrorCode, ReturnCode, VMError, type ContractCallInput, type VMOutput } from '@vm/protocol';
import type { BlockchainContext } from '../contexts/blockchain';
import type { OutputContext } from '../contexts/output';
import { CALLBACK_FUNCTION } from './asyncBookkeeping';
import { handleAsyncCallBreakpoint, sendCallbackToCurrentCaller } from './asyncCalls';
import { Breakpoint, BreakpointSignal } from './breakpoints';
import { halt } from './contractErrors';
import { NO_BYTES, type ExecutionContext } from './executionContext';
import { topFrame } from './frame';
import type { Host } from './host';
import { AsyncStepLock } from './metering';
import { breakpointError } from './outcome';
import { callbackFunctionFor, processAsyncInfo, processCallbackStack } from './promises';

export const INIT_FUNCTIONS: readonly string[] = ['init', 'solidity.ctor'];
const MAIN_FUNCTION = 'main';

/** RunSmartContractCall for anything but an upgrade. */
export function runCall(
  host: Host,
  input: ContractCallInput,
  output: OutputContext,
  blockchain: BlockchainContext,
): VMOutput {
  const recipient = input.RecipientAddr ?? NO_BYTES;
  output.account(recipient).balanceDelta += input.CallValue ?? 0n;
  const code = blockchain.getCode(recipient);
  const { schedule } = host.config;
  const gas = host.asyncLock.deductForExecution(schedule, input.GasProvided, code, input.CallType);
  const ctx = topFrame(host, { input, address: recipient, fn: input.Function, output, blockchain });
  host.instances.start(ctx, code, gas);
  const callback = input.CallType === CallType.AsynchronousCallBack;
  const requested = callback ? callbackFunctionFor(ctx, input.Function) : input.Function;
  callExport(host, ctx, functionToCall(ctx, requested, input.CallType));
  if (callback) processCallbackStack(host, ctx);
  else {
    const pending = processAsyncInfo(host, ctx);
    if (input.CallType === CallType.AsynchronousCall && !pending) sendCallbackToCurrentCaller(ctx);
  }
  host.asyncLock.unlock(ctx.metering, AsyncStepLock.lockOf(schedule, input.CallType));
  return output.toVMOutput(ctx.gasLeft);
}

/** verifyAllowedFunctionCall and GetFunctionToCall: no init, callBack only as a callback, else `main`. */
function functionToCall(ctx: ExecutionContext, fn: string, callType: CallType): string {
  if (INIT_FUNCTIONS.includes(fn)) halt('initCalledInRun');
  if (fn === CALLBACK_FUNCTION && callType !== CallType.AsynchronousCallBack) halt('callBackCalledInRun');
  if (ctx.instance.hasFunction(fn)) return fn;
  if (ctx.instance.hasFunction(MAIN_FUNCTION)) return MAIN_FUNCTION;
  return halt('funcNotFound');
}

/** What a nested call's execution leaves for its caller. */
export interface ChildExecution {
  /** The callee's final GasProvided. */
  readonly gasProvided: bigint;
  /** The callee left promises pending (sent to other shards). */
  readonly pendingAsync: boolean;
}

/** host.execute: a built-in function, or the callee's code in its own instance (the `child` frame). */
export function executeChild(
  host: Host,
  parent: ExecutionContext,
  child: ExecutionContext,
  input: ContractCallInput,
): ChildExecution {
  if (host.config.builtinFunctions.has(input.Function)) {
    callBuiltinFunction(host, parent, input);
    return { gasProvided: input.GasProvided, pendingAsync: false };
  }
  parent.useGas(input.GasProvided);
  if (INIT_FUNCTIONS.includes(input.Function)) halt('initCalledInRun');
  const code = parent.blockchain.getCode(input.RecipientAddr ?? NO_BYTES);
  const { schedule } = host.config;
  const gas = host.asyncLock.deductForExecution(schedule, input.GasProvided, code, input.CallType);
  const lock = AsyncStepLock.lockOf(schedule, input.CallType);
  host.instances.start(child, code, gas);
  try {
    const fn = child.instance.hasFunction(input.Function)
      ? input.Function
      : child.instance.hasFunction(MAIN_FUNCTION)
        ? MAIN_FUNCTION
        : halt('funcNotFound');
    callExport(host, child, fn);
    if (child.output.returnCode !== ReturnCode.Ok) halt('returnCodeNotOk');
    // processAsyncInfo runs here, while the callee's instance still counts its gas (the reference runs it
    // after the instance is gone, against the caller's counter).
    const pendingAsync = input.CallType !== CallType.AsynchronousCallBack && processAsyncInfo(host, child);
    host.asyncLock.unlock(child.metering, lock);
    parent.metering.restoreGas(child.gasLeft);
    return { gasProvided: child.metering.gasExhausted ? 0n : gas + lock, pendingAsync };
  } finally {
    host.instances.end(child);
  }
}

/** A built-in function: the node runs it (processBuiltInFunction); its output joins the active state. */
function callBuiltinFunction(host: Host, parent: ExecutionContext, input: ContractCallInput): void {
  let result: VMOutput | null;
  try {
    result = host.config.hook.processBuiltInFunction(input);
  } catch (error) {
    if (!VMError.is(error, ErrorCode.BuiltinFunctionFailed)) throw error;
    parent.useGas(input.GasProvided);
    return halt('executionFailed', (error as VMError).detail ?? error.message);
  }
  if (!result) {
    parent.useGas(input.GasProvided);
    return halt('executionFailed');
  }
  parent.useGas(input.GasProvided - result.GasRemaining);
  parent.output.addToActiveState(result);
}

/** Calls an export and maps how it stopped (breakpoint, trap) to the reference's errors. */
export function callExport(host: Host, ctx: ExecutionContext, name: string): void {
  if ((ctx.instance.contract.functions.get(name)?.params.length ?? 0) > 0) halt('executionFailed');
  try {
    ctx.instance.call(name);
  } catch (error) {
    if (error instanceof BreakpointSignal && error.breakpoint === Breakpoint.AsyncCall)
      return handleAsyncCallBreakpoint(host, ctx);
    throw breakpointError(ctx, error);
  }
}
