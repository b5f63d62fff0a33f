/**
 * `env`: asynchronous calls (reference digest §3.7, §3.8). `asyncCall` stops the contract; the host then runs the
 * call (same shard) or emits it (other shard). `createAsyncCall` records a "promise"; no gas is charged for it.
 */
import { fromUnsignedBytes } from './bytes';
import { row, type EeiRow } from './table';
import { Breakpoint, BreakpointSignal } from '../execution/breakpoints';
import type { ExecutionContext } from '../execution/executionContext';
import { PromiseStatus } from '../execution/asyncBookkeeping';
import { halt } from '../execution/contractErrors';

const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

export const ASYNC_EEI: readonly EeiRow[] = [
  row(
    'asyncCall',
    'iiii',
    '',
    'Kalyan3104APICost.AsyncCallStep',
    (ctx: ExecutionContext, dstPtr: number, valuePtr: number, dataPtr: number, length: number) => {
      const destination = ctx.loadAddress(dstPtr);
      const value = fromUnsignedBytes(ctx.load(valuePtr, 32));
      const data = ctx.load(dataPtr, length);
      ctx.useGas(ctx.perByte('DataCopyPerByte', length));
      const gasLimit = ctx.gasLeft;
      const api = ctx.schedule.costs.Kalyan3104APICost;
      if (gasLimit < 2n * api.AsyncCallStep + api.AsyncCallbackGasLock) throw new BreakpointSignal(Breakpoint.OutOfGas);
      ctx.async.pendingCall = { destination, data, gasLimit, value };
      throw new BreakpointSignal(Breakpoint.AsyncCall);
    },
  ),
  row(
    'createAsyncCall',
    'iiiiiiiiiiI',
    '',
    undefined,
    (
      ctx: ExecutionContext,
      idPtr: number,
      idLen: number,
      dstPtr: number,
      valuePtr: number,
      dataPtr: number,
      dataLen: number,
      succPtr: number,
      succLen: number,
      errPtr: number,
      errLen: number,
      gas: bigint,
    ) => {
      const id = utf8(ctx.load(idPtr, idLen));
      const call = {
        status: PromiseStatus.Pending,
        destination: ctx.loadAddress(dstPtr),
        valueBytes: ctx.load(valuePtr, 32),
        data: ctx.load(dataPtr, dataLen),
        successCallback: utf8(ctx.load(succPtr, succLen)),
        errorCallback: utf8(ctx.load(errPtr, errLen)),
        providedGas: BigInt.asUintN(64, gas),
        gasLimit: 0n,
      };
      ctx.async.context(id).calls.push(call);
    },
  ),
  row(
    'setAsyncContextCallback',
    'iiii',
    'i',
    undefined,
    (ctx: ExecutionContext, idPtr: number, idLen: number, cbPtr: number, cbLen: number) => {
      const context = ctx.async.contexts.get(utf8(ctx.load(idPtr, idLen)));
      if (!context) halt('asyncContextNotCreated');
      context.callback = utf8(ctx.load(cbPtr, cbLen));
      return 0;
    },
  ),
];
