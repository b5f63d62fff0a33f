/**
 * The "promises" API's processing (reference digest §3.8; experimental in the reference, but its scenarios are in
 * the suite): after a successful call, every call made with createAsyncCall gets its gas, runs at once if its
 * destination has code here (then its success or error callback), and the rest is saved in contract storage, in
 * the reference's exact JSON, and sent on as output transfers. Contexts and calls go in creation order (the
 * reference iterates a Go map, in random order).
 */
import { goQuote } from '@vm/protocol';
import { CallType, ReturnCode } from '@vm/protocol';
import { fromUnsignedBytes } from '../eei/bytes';
import { parseCallData, runCallback, sendAsyncCallToDestination, type AsyncHost } from './asyncCalls';
import type { AsyncGeneratedCall, ExecutionContext } from './executionContext';
import { ContractError, VM_ERRORS } from './vmErrors';

export const ASYNC_CALLS_KEY_SUFFIX = 'asyncCalls';
const PENDING = 0;
const RESOLVED = 1;
const REJECTED = 2;
const UINT64_MAX = (1n << 64n) - 1n;

/** processAsyncInfo: returns true when calls remain pending (sent to other shards). */
export function processAsyncInfo(host: AsyncHost, ctx: ExecutionContext): boolean {
  if (ctx.asyncContexts.size === 0) return false;
  setupAsyncCallsGas(ctx);
  for (const call of allCalls(ctx)) {
    if (hasCode(ctx, call.destination)) processAsyncCall(host, ctx, call);
  }
  const pending = allCalls(ctx).filter((c) => c.status === PENDING);
  if (pending.length === 0) return false;
  const key = new Uint8Array(Buffer.concat([ctx.call.originalTxHash, Buffer.from(ASYNC_CALLS_KEY_SUFFIX)]));
  ctx.storage.set(key, new Uint8Array(Buffer.from(asyncContextInfoJson(ctx), 'utf8')), ctx.charges);
  setupAsyncCallsGas(ctx);
  for (const call of pending) sendAsyncCallToDestination(ctx, call.destination, fromUnsignedBytes(call.valueBytes), call.data, call.gasLimit);
  return true;
}

function allCalls(ctx: ExecutionContext): AsyncGeneratedCall[] {
  return [...ctx.asyncContexts.values()].flatMap((context) => context.calls);
}

function hasCode(ctx: ExecutionContext, address: Uint8Array): boolean {
  try {
    ctx.blockchain.getCode(address);
    return true;
  } catch (error) {
    if (error instanceof ContractError) return false;
    throw error;
  }
}

/** Calls with gas keep it; the others share what is left equally. Nothing is charged yet. */
function setupAsyncCallsGas(ctx: ExecutionContext): void {
  const calls = allCalls(ctx);
  let needed = 0n;
  for (const call of calls) {
    needed += call.providedGas;
    if (needed > UINT64_MAX) throw VM_ERRORS.executionFailed('addition overflow');
  }
  const left = ctx.gasLeft;
  if (needed > left) throw VM_ERRORS.notEnoughGas();
  const withoutGas = calls.filter((c) => c.providedGas === 0n);
  if (withoutGas.length > 0 && left <= needed) throw VM_ERRORS.notEnoughGas();
  const share = withoutGas.length > 0 ? (left - needed) / BigInt(withoutGas.length) : 0n;
  for (const call of calls) call.gasLimit = call.providedGas > 0n ? call.providedGas : share;
}

function processAsyncCall(host: AsyncHost, ctx: ExecutionContext, call: AsyncGeneratedCall): void {
  const step = host.schedule.costs.Kalyan3104APICost.AsyncCallStep;
  if (call.gasLimit <= step) throw VM_ERRORS.executionFailed(); // the reference dereferences nil here
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
  call.status = result.returnCode === ReturnCode.Ok ? RESOLVED : REJECTED;
  runCallback(host, ctx, call.destination, result, result.returnCode === ReturnCode.Ok ? call.successCallback : call.errorCallback);
}

const b64 = (bytes: Uint8Array | null) => (bytes === null ? 'null' : `"${Buffer.from(bytes).toString('base64')}"`);
const name = (latin1: string) => goQuote(Buffer.from(latin1, 'latin1').toString('utf8'));

/** Go encoding/json of AsyncContextInfo: struct field order, map keys sorted by bytes, []byte as base64. */
export function asyncContextInfoJson(ctx: ExecutionContext): string {
  const contexts = [...ctx.asyncContexts.entries()].sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')));
  const map = contexts
    .map(([id, context]) => {
      const calls = context.calls
        .map(
          (c) =>
            `{"Status":${c.status},"Destination":${b64(c.destination)},"Data":${b64(c.data)},"GasLimit":${c.gasLimit},"ValueBytes":${b64(c.valueBytes)},` +
            `"SuccessCallback":${name(c.successCallback)},"ErrorCallback":${name(c.errorCallback)},"ProvidedGas":${c.providedGas}}`,
        )
        .join(',');
      return `${name(id)}:{"Callback":${name(context.callback)},"AsyncCalls":[${calls}]}`;
    })
    .join(',');
  return `{"CallerAddr":${b64(ctx.call.caller)},"ReturnData":null,"AsyncContextMap":{${map}}}`;
}
