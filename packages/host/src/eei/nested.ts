/**
 * `env`: synchronous nested calls and contract creation (reference digest §1.1 and §3.3). A memory error while
 * reading the arguments returns 1 without failing the caller (the reference's WithFault(..., false)); so does a
 * failed nested call, whose gas is lost.
 */
import { CallType, type ContractCallInput } from '@vm/protocol';
import { fromUnsignedBytes } from './bytes';
import { row, zeroOrOne, type EeiRow } from './table';
import type { ExecutionContext } from '../execution/executionContext';
import { halt } from '../execution/contractErrors';

/** nArgs little-endian i32 lengths at argLensPtr, the arguments concatenated at dataPtr. */
function loadArguments(ctx: ExecutionContext, nArgs: number, argLensPtr: number, dataPtr: number): Uint8Array[] {
  if (nArgs < 0) halt('negativeLength2D', nArgs);
  const lengths = ctx.load(argLensPtr, nArgs * 4);
  const view = new DataView(lengths.buffer, lengths.byteOffset, lengths.byteLength);
  const args: Uint8Array[] = [];
  let offset = dataPtr;
  for (let i = 0; i < nArgs; i++) {
    const length = view.getInt32(i * 4, true);
    args.push(ctx.load(offset, length));
    offset += length;
  }
  return args;
}

const totalLength = (args: Uint8Array[]) => args.reduce((sum, a) => sum + a.length, 0);
const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

/** A nested call the contract asks for (its gas capped at what is left). */
export interface NestedCall {
  readonly caller: Uint8Array;
  readonly recipient: Uint8Array;
  readonly value: bigint;
  readonly fn: string;
  readonly args: Uint8Array[];
  /** As the contract passed it (an i64, read as unsigned). */
  readonly gas: bigint;
}

export function nestedCallInput(ctx: ExecutionContext, call: NestedCall): ContractCallInput {
  const left = ctx.gasLeft;
  const requested = BigInt.asUintN(64, call.gas);
  return {
    CallerAddr: call.caller,
    Arguments: call.args,
    CallValue: call.value,
    CallType: CallType.DirectCall,
    GasPrice: ctx.call.gasPrice,
    GasProvided: requested < left ? requested : left,
    OriginalTxHash: ctx.call.originalTxHash,
    CurrentTxHash: ctx.call.currentTxHash,
    RecipientAddr: call.recipient,
    Function: call.fn,
  };
}

/** executeOnDestContext / executeOnSameContext: (gas, addr, value, fn, fnLen, nArgs, argLens, data) -> i32. */
function executeWithValue(kind: 'dest' | 'same') {
  return (
    ctx: ExecutionContext,
    gas: bigint,
    addrPtr: number,
    valuePtr: number,
    fnPtr: number,
    fnLen: number,
    nArgs: number,
    argLensPtr: number,
    dataPtr: number,
  ): number =>
    zeroOrOne(() => {
      const recipient = ctx.loadAddress(addrPtr);
      const value = fromUnsignedBytes(ctx.load(valuePtr, 32));
      const fn = utf8(ctx.load(fnPtr, fnLen));
      const args = loadArguments(ctx, nArgs, argLensPtr, dataPtr);
      ctx.useGas(ctx.perByte('DataCopyPerByte', totalLength(args)));
      const input = nestedCallInput(ctx, { caller: ctx.scAddress, recipient, value, fn, args, gas });
      if (kind === 'dest') ctx.nested.executeOnDestContext(ctx, input);
      else ctx.nested.executeOnSameContext(ctx, input, false);
    });
}

/** delegateExecution / executeReadOnly: the current call's caller and value, sent on (twice, as the reference does). */
function delegate(readOnly: boolean) {
  return (
    ctx: ExecutionContext,
    gas: bigint,
    addrPtr: number,
    fnPtr: number,
    fnLen: number,
    nArgs: number,
    argLensPtr: number,
    dataPtr: number,
  ): number => {
    const recipient = ctx.loadAddress(addrPtr); // memory errors here fail the caller (WithFault(..., true))
    const fn = utf8(ctx.load(fnPtr, fnLen));
    const args = loadArguments(ctx, nArgs, argLensPtr, dataPtr);
    ctx.useGas(ctx.perByte('DataCopyPerByte', totalLength(args)));
    return zeroOrOne(() => {
      ctx.blockchain.transfer({ destination: recipient, sender: ctx.scAddress, value: ctx.call.callValue });
      const input = nestedCallInput(ctx, {
        caller: ctx.call.caller,
        recipient,
        value: ctx.call.callValue,
        fn,
        args,
        gas,
      });
      ctx.nested.executeOnSameContext(ctx, input, readOnly || ctx.readOnly);
    });
  };
}

export const NESTED_EEI: readonly EeiRow[] = [
  row('executeOnDestContext', 'Iiiiiiii', 'i', 'Kalyan3104APICost.ExecuteOnDestContext', executeWithValue('dest')),
  row('executeOnSameContext', 'Iiiiiiii', 'i', 'Kalyan3104APICost.ExecuteOnSameContext', executeWithValue('same')),
  row('delegateExecution', 'Iiiiiii', 'i', 'Kalyan3104APICost.DelegateExecution', delegate(false)),
  row('executeReadOnly', 'Iiiiiii', 'i', 'Kalyan3104APICost.ExecuteReadOnly', delegate(true)),
  row(
    'createContract',
    'iiiiiii',
    'i',
    'Kalyan3104APICost.CreateContract',
    (
      ctx,
      valuePtr: number,
      codePtr: number,
      codeLen: number,
      resultPtr: number,
      nArgs: number,
      argLensPtr: number,
      dataPtr: number,
    ) => {
      const value = fromUnsignedBytes(ctx.load(valuePtr, 32));
      const code = ctx.load(codePtr, codeLen);
      const args = loadArguments(ctx, nArgs, argLensPtr, dataPtr);
      ctx.useGas(ctx.perByte('DataCopyPerByte', totalLength(args)));
      let address: Uint8Array | undefined;
      const failed = zeroOrOne(
        () => (address = ctx.nested.createNewContract(ctx, { value, code, args, gas: ctx.gasLeft })),
      );
      if (address) ctx.store(resultPtr, address);
      return failed;
    },
  ),
];
