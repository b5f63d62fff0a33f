/**
 * The "promises" API's processing (reference digest §3.8; experimental in the reference, but its scenarios are in
 * the suite): after a successful call, every call made with createAsyncCall gets its gas, runs at once if its
 * destination has code here (then its success or error callback), and the rest is saved in contract storage, in
 * the reference's exact JSON, and sent on as output transfers. Contexts and calls go in creation order (the
 * reference iterates a Go map, in random order).
 */
import {
  CallType,
  ReturnCode,
  decodeAsyncContextInfo,
  encodeAsyncContextInfo,
  type AsyncContextInfo,
  type AsyncGeneratedCallRecord,
} from '@vm/protocol';
import { fromUnsignedBytes } from '../eei/bytes';
import { hasCode, parseCallData, runCallback, sendAsyncCallToDestination, type AsyncHost } from './asyncCalls';
import { CALLBACK_FUNCTION, PromiseStatus, type AsyncGeneratedCall } from './asyncBookkeeping';
import { halt, outcomeError } from './contractErrors';
import { NO_BYTES, type ExecutionContext } from './executionContext';

export const ASYNC_CALLS_KEY_SUFFIX = 'asyncCalls';
const UINT64_MAX = (1n << 64n) - 1n;

/** processAsyncInfo: returns true when calls remain pending (sent to other shards). */
export function processAsyncInfo(host: AsyncHost, ctx: ExecutionContext): boolean {
  if (!ctx.async.hasPromises) return false;
  setupAsyncCallsGas(ctx);
  for (const call of allCalls(ctx)) {
    if (hasCode(ctx, call.destination)) processAsyncCall(host, ctx, call);
  }
  const pending = allCalls(ctx).filter((c) => c.status === PromiseStatus.Pending);
  if (pending.length === 0) return false;
  ctx.storage.set(asyncCallsKey(ctx), new Uint8Array(Buffer.from(asyncContextInfoJson(ctx), 'utf8')), ctx.metering);
  setupAsyncCallsGas(ctx);
  // Only calls to other shards leave. A local destination already ran (it is pending on promises of its own):
  // sending it on as well would run it a second time (ours; the reference sends every pending call).
  for (const call of pending)
    if (!hasCode(ctx, call.destination))
      sendAsyncCallToDestination(ctx, {
        destination: call.destination,
        value: fromUnsignedBytes(call.valueBytes),
        data: call.data,
        gasLimit: call.gasLimit,
      });
  return true;
}

function allCalls(ctx: ExecutionContext): AsyncGeneratedCall[] {
  return ctx.async.allCalls();
}

/** Calls with gas keep it; the others share what is left equally. Nothing is charged yet. */
function setupAsyncCallsGas(ctx: ExecutionContext): void {
  const calls = allCalls(ctx);
  let needed = 0n;
  for (const call of calls) {
    needed += call.providedGas;
    if (needed > UINT64_MAX) halt('additionOverflow');
  }
  const left = ctx.gasLeft;
  if (needed > left) halt('notEnoughGas');
  const withoutGas = calls.filter((c) => c.providedGas === 0n);
  if (withoutGas.length > 0 && left <= needed) halt('notEnoughGas');
  const share = withoutGas.length > 0 ? (left - needed) / BigInt(withoutGas.length) : 0n;
  for (const call of calls) call.gasLimit = call.providedGas > 0n ? call.providedGas : share;
}

function processAsyncCall(host: AsyncHost, ctx: ExecutionContext, call: AsyncGeneratedCall): void {
  const step = host.schedule.costs.Kalyan3104APICost.AsyncCallStep;
  if (call.gasLimit <= step) halt('executionFailed'); // the reference dereferences nil here
  const { fn, args } = parseCallData(call.data);
  const result = host.runOnDestContext(ctx, {
    CallerAddr: ctx.scAddress,
    Arguments: args,
    CallValue: fromUnsignedBytes(call.valueBytes),
    CallType: CallType.AsynchronousCall,
    GasPrice: ctx.call.gasPrice,
    GasProvided: call.gasLimit - step,
    OriginalTxHash: ctx.call.originalTxHash,
    CurrentTxHash: ctx.call.currentTxHash,
    RecipientAddr: call.destination,
    Function: fn,
  });
  if (result.pendingAsync) return;
  call.status = result.returnCode === ReturnCode.Ok ? PromiseStatus.Resolved : PromiseStatus.Rejected;
  runCallback(host, ctx, {
    destination: call.destination,
    result,
    callback: result.returnCode === ReturnCode.Ok ? call.successCallback : call.errorCallback,
  });
}

/** Our strings hold a name's bytes one per character; the record's strings are their UTF-8 reading (Go's). */
const goString = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');

/** The AsyncContextInfo record of the frame's promises (the protocol's shapes, in Go's encoding). */
export function asyncContextInfoJson(ctx: ExecutionContext): string {
  return encodeAsyncContextInfo({
    CallerAddr: ctx.call.caller,
    ReturnData: null,
    AsyncContextMap: [...ctx.async.contexts].map(([id, context]) => ({
      id: Buffer.from(id, 'latin1'),
      context: {
        Callback: goString(context.callback),
        AsyncCalls: context.calls.map((c) => ({
          Status: c.status,
          Destination: c.destination,
          Data: c.data,
          GasLimit: c.gasLimit,
          ValueBytes: c.valueBytes,
          SuccessCallback: goString(c.successCallback),
          ErrorCallback: goString(c.errorCallback),
          ProvidedGas: c.providedGas,
        })),
      },
    })),
  });
}

function asyncCallsKey(ctx: ExecutionContext): Uint8Array {
  return new Uint8Array(Buffer.concat([ctx.call.originalTxHash, Buffer.from(ASYNC_CALLS_KEY_SUFFIX)]));
}

/** The pending promises saved by an earlier call, if any. */
function loadAsyncContextInfo(ctx: ExecutionContext): AsyncContextInfo | undefined {
  const stored = ctx.storage.get(asyncCallsKey(ctx));
  if (stored.length === 0) return undefined;
  return decodeAsyncContextInfo(Buffer.from(stored).toString('utf8')) ?? halt('invalidStoredAsyncContext');
}

const targets = (call: AsyncGeneratedCallRecord, address: Uint8Array) =>
  Buffer.compare(call.Destination ?? NO_BYTES, address) === 0;

/** For a top-level callback: the success callback of the promise that targeted the caller, if one is stored. */
export function callbackFunctionFor(ctx: ExecutionContext, fallback: string): string {
  const info = loadAsyncContextInfo(ctx);
  for (const { context } of info?.AsyncContextMap ?? []) {
    const call = context.AsyncCalls?.find((c) => targets(c, ctx.call.caller));
    if (call) return call.SuccessCallback;
  }
  return fallback;
}

/**
 * processCallbackStack, after a successful top-level callback: the answered promise is removed; when none is left,
 * the stored record is deleted and the original caller is called back.
 */
export function processCallbackStack(host: AsyncHost, ctx: ExecutionContext): void {
  const info = loadAsyncContextInfo(ctx);
  if (!info) return;
  const calls = info.AsyncContextMap.map(({ context }) => context.AsyncCalls ?? []);
  const answered = calls.find((list) => list.some((call) => targets(call, ctx.call.caller)));
  if (!answered) return halt('unexpectedCallback');
  const index = answered.findIndex((call) => targets(call, ctx.call.caller));
  answered[index] = answered[answered.length - 1]; // swap-remove, as the reference does
  answered.pop();
  if (calls.some((list) => list.some((call) => call.Status === PromiseStatus.Pending))) return;
  ctx.storage.set(asyncCallsKey(ctx), new Uint8Array(0), ctx.metering);
  const callerAddr = info.CallerAddr ?? NO_BYTES;
  if (hasCode(ctx, callerAddr)) {
    const result = host.runOnDestContext(ctx, {
      CallerAddr: ctx.scAddress,
      Arguments: [],
      CallValue: 0n,
      CallType: CallType.AsynchronousCallBack,
      GasPrice: ctx.call.gasPrice,
      GasProvided: ctx.gasLeft,
      OriginalTxHash: ctx.call.originalTxHash,
      CurrentTxHash: ctx.call.currentTxHash,
      RecipientAddr: callerAddr,
      Function: CALLBACK_FUNCTION,
    });
    if (result.returnCode !== ReturnCode.Ok) throw outcomeError(result.returnCode, result.returnMessage);
  } else {
    const data = `@${Buffer.from('ok').toString('hex')}`;
    ctx.blockchain.transfer({
      destination: callerAddr,
      sender: ctx.scAddress,
      value: 0n,
      gasLimit: ctx.gasLeft,
      data: new Uint8Array(Buffer.from(data)),
    });
    ctx.output.account(callerAddr).callType = CallType.AsynchronousCallBack;
  }
}
