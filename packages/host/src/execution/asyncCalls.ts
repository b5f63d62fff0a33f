/**
 * What happens after a contract stops at `asyncCall` (reference digest §3.7), and the callback sent back by a
 * top-level asynchronous call. A destination with code in this world runs synchronously, then the caller's
 * `callBack`; otherwise the call leaves as an output transfer (Data = the call data, GasLimit = the gas).
 */
import { CallType, ReturnCode, returnCodeString, type ContractCallInput } from '@vm/protocol';
import { magnitudeBytes } from '../eei/bytes';
import type { GasSchedule } from '../gas/gasSchedule';
import { CALLBACK_FUNCTION, type PendingAsyncCall } from './asyncBookkeeping';
import { ContractError, halt } from './contractErrors';
import type { ExecutionContext } from './executionContext';

/** The VMOutput fields of a nested call that async processing reads. */
export interface ChildResult {
  readonly returnCode: ReturnCode;
  readonly returnMessage: string;
  readonly returnData: Uint8Array[];
  readonly gasRemaining: bigint;
  /** The callee left promises pending (sent to other shards). */
  readonly pendingAsync: boolean;
}

export interface AsyncHost {
  readonly schedule: GasSchedule;
  /** ExecuteOnDestContext returning the child's VMOutput (an error one on failure) instead of throwing. */
  runOnDestContext(parent: ExecutionContext, input: ContractCallInput): ChildResult;
  isBuiltinFunction(name: string): boolean;
}

/** `func@hex@hex...` (vm-common's call-data parser). */
export interface CallData {
  readonly fn: string;
  readonly args: Uint8Array[];
}

export function parseCallData(data: Uint8Array): CallData {
  const text = Buffer.from(data).toString('latin1');
  const tokens = text.split('@');
  if (text.length === 0 || tokens.some((t, i) => i > 0 && (t.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(t))))
    halt('tokenizeFailed');
  if (tokens[0] === '') halt('functionNil');
  return { fn: tokens[0], args: tokens.slice(1).map((t) => new Uint8Array(Buffer.from(t, 'hex'))) };
}

export function handleAsyncCallBreakpoint(host: AsyncHost, ctx: ExecutionContext): void {
  const call = ctx.async.pendingCall!;
  ctx.async.pendingCall = undefined;
  const parsed = parseCallData(call.data);
  const local = hasCode(ctx, call.destination) || host.isBuiltinFunction(parsed.fn); // every account of this world is in this shard
  if (local) return syncAsyncCall(host, ctx, call, parsed);
  sendAsyncCallToDestination(ctx, call);
}

/** Whether the address has code in this world (so a call to it runs here, synchronously). */
export function hasCode(ctx: ExecutionContext, address: Uint8Array): boolean {
  try {
    ctx.blockchain.getCode(address);
    return true;
  } catch (error) {
    if (error instanceof ContractError) return false;
    throw error;
  }
}

function syncAsyncCall(host: AsyncHost, ctx: ExecutionContext, call: PendingAsyncCall, { fn, args }: CallData): void {
  const api = host.schedule.costs.Kalyan3104APICost;
  if (call.gasLimit <= api.AsyncCallStep) halt('notEnoughGas');
  const destination = host.runOnDestContext(ctx, {
    CallerAddr: ctx.scAddress,
    Arguments: args,
    CallValue: call.value,
    CallType: CallType.AsynchronousCall,
    GasPrice: ctx.call.gasPrice,
    GasProvided: call.gasLimit - api.AsyncCallStep,
    OriginalTxHash: ctx.call.originalTxHash,
    CurrentTxHash: ctx.call.currentTxHash,
    RecipientAddr: call.destination,
    Function: fn,
  });
  runCallback(host, ctx, { destination: call.destination, result: destination, callback: CALLBACK_FUNCTION });
}

/** The callback after a synchronous async call: its arguments are the status, then the data or the message. */
/** Which callback runs, after which call. */
export interface Callback {
  /** The called destination (the callback's caller). */
  readonly destination: Uint8Array;
  readonly result: ChildResult;
  /** The callback function's name. */
  readonly callback: string;
}

export function runCallback(
  host: AsyncHost,
  ctx: ExecutionContext,
  { destination, result, callback: callbackName }: Callback,
): void {
  const api = host.schedule.costs.Kalyan3104APICost;
  const args = [
    magnitudeBytes(BigInt(result.returnCode)),
    ...(result.returnCode === ReturnCode.Ok ? result.returnData : [new Uint8Array(Buffer.from(result.returnMessage))]),
  ];
  const dataLength = BigInt(callbackName.length + args.length + args.reduce((sum, a) => sum + a.length, 0));
  const gas =
    result.gasRemaining - api.AsyncCallStep - host.schedule.costs.BaseOperationCost.DataCopyPerByte * dataLength;
  // The reference panics here (no VMOutput at all); we fail the execution instead.
  if (gas < 0n) halt('executionFailed');
  const callback = host.runOnDestContext(ctx, {
    CallerAddr: destination,
    Arguments: args,
    CallValue: 0n,
    CallType: CallType.AsynchronousCallBack,
    GasPrice: ctx.call.gasPrice,
    GasProvided: gas,
    OriginalTxHash: ctx.call.originalTxHash,
    CurrentTxHash: ctx.call.currentTxHash,
    RecipientAddr: ctx.scAddress,
    Function: callbackName,
  });
  if (callback.returnCode !== ReturnCode.Ok) {
    // A failed callback: the caller keeps no gas, and its output says why.
    ctx.metering.gasExhausted = true;
    ctx.output.finish(new Uint8Array(Buffer.from(returnCodeString(callback.returnCode))));
    ctx.output.finish(ctx.call.currentTxHash);
  }
}

/** A cross-shard call: an output transfer carrying the call data and the gas; no gas is consumed for it here. */
export function sendAsyncCallToDestination(ctx: ExecutionContext, call: PendingAsyncCall): void {
  const { destination } = call;
  ctx.blockchain.transfer({
    destination,
    sender: ctx.scAddress,
    value: call.value,
    gasLimit: call.gasLimit,
    data: call.data,
  });
  ctx.output.account(destination).callType = CallType.AsynchronousCall;
}

/**
 * The end of a top-level asynchronous call with nothing pending: the callback goes back to the caller as a transfer
 * of the received value, with data `@hex("ok")@hex(result)...` (hex of the status *text*, as the reference does).
 */
export function sendCallbackToCurrentCaller(ctx: ExecutionContext): void {
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
  const data = [returnCodeString(ctx.output.returnCode), ...ctx.output.returnData]
    .map((part, i) => `@${i === 0 ? Buffer.from(part as string).toString('hex') : hex(part as Uint8Array)}`)
    .join('');
  ctx.blockchain.transfer({
    destination: ctx.call.caller,
    sender: ctx.scAddress,
    value: ctx.call.callValue,
    gasLimit: ctx.gasLeft,
    data: new Uint8Array(Buffer.from(data)),
  });
  ctx.output.account(ctx.call.caller).callType = CallType.AsynchronousCallBack;
}
