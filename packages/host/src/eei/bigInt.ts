/**
 * `env`: the big-integer API (reference arwen/kalyan3104api/bigintOps.go). Many operations charge
 * BigIntAPICost.BigIntSub instead of their own key: a reference bug kept for equal gas.
 */
import { fromSignedBytes, fromUnsignedBytes, isInt64, lowInt64, magnitudeBytes, signedBytes } from './bytes';
import { row, type EeiRow } from './table';
import type { ExecutionContext } from '../execution/executionContext';
import { halt } from '../execution/contractErrors';

type Handle = number;

/** dest = op(a, b), charged BigIntSub unless another key is given. */
const binary = (
  name: string,
  op: (a: bigint, b: bigint) => bigint,
  gas: 'BigIntAPICost.BigIntSub' | 'BigIntAPICost.BigIntMul' | 'BigIntAPICost.BigIntTDiv' = 'BigIntAPICost.BigIntSub',
): EeiRow =>
  row(name, 'iii', '', gas, (ctx, dest: Handle, a: Handle, b: Handle) => {
    const x = ctx.bigInts.get(a);
    const y = ctx.bigInts.get(b);
    ctx.bigInts.set(dest, op(x, y));
  });

const nonZero = (b: bigint): bigint => (b === 0n ? halt('divZero') : b);
const nonNegative = (...values: bigint[]): void => {
  if (values.some((v) => v < 0n)) halt('bitwiseNegative');
};
/** Euclidean division: the remainder is never negative. */
const euclidMod = (a: bigint, b: bigint): bigint => {
  const r = a % b;
  return r < 0n ? r + (b < 0n ? -b : b) : r;
};
const euclidDiv = (a: bigint, b: bigint): bigint => (a - euclidMod(a, b)) / b;
const MAX_SHIFT = 1n << 20n; // keeps a shift's result bounded; larger shifts cost far more gas than any block has

/** Finishes a new encoding (its caller's own array). */
function finish(ctx: ExecutionContext, bytes: Uint8Array): void {
  ctx.useGas(ctx.perByte('PersistPerByte', bytes.length));
  ctx.output.finishOwned(bytes);
}

export const BIG_INT_EEI: readonly EeiRow[] = [
  row('bigIntNew', 'I', 'i', 'BigIntAPICost.BigIntNew', (ctx, small: bigint) => ctx.bigInts.put(small)),
  row(
    'bigIntUnsignedByteLength',
    'i',
    'i',
    'BigIntAPICost.BigIntUnsignedByteLength',
    (ctx, h: Handle) => magnitudeBytes(ctx.bigInts.get(h)).length,
  ),
  row(
    'bigIntSignedByteLength',
    'i',
    'i',
    'BigIntAPICost.BigIntSignedByteLength',
    (ctx, h: Handle) => signedBytes(ctx.bigInts.get(h)).length,
  ),
  row('bigIntGetUnsignedBytes', 'ii', 'i', 'BigIntAPICost.BigIntGetUnsignedBytes', (ctx, h: Handle, ptr: number) => {
    const bytes = magnitudeBytes(ctx.bigInts.get(h));
    ctx.store(ptr, bytes);
    ctx.useGas(ctx.perByte('DataCopyPerByte', bytes.length));
    return bytes.length;
  }),
  row('bigIntGetSignedBytes', 'ii', 'i', 'BigIntAPICost.BigIntGetSignedBytes', (ctx, h: Handle, ptr: number) => {
    const bytes = signedBytes(ctx.bigInts.get(h));
    ctx.store(ptr, bytes);
    ctx.useGas(ctx.perByte('DataCopyPerByte', bytes.length));
    return bytes.length;
  }),
  row(
    'bigIntSetUnsignedBytes',
    'iii',
    '',
    'BigIntAPICost.BigIntSetUnsignedBytes',
    (ctx, dest: Handle, ptr: number, length: number) => {
      const bytes = ctx.load(ptr, length);
      ctx.useGas(ctx.perByte('DataCopyPerByte', bytes.length));
      ctx.bigInts.set(dest, fromUnsignedBytes(bytes));
    },
  ),
  row(
    'bigIntSetSignedBytes',
    'iii',
    '',
    'BigIntAPICost.BigIntSetSignedBytes',
    (ctx, dest: Handle, ptr: number, length: number) => {
      const bytes = ctx.load(ptr, length);
      ctx.useGas(ctx.perByte('DataCopyPerByte', bytes.length));
      ctx.bigInts.set(dest, fromSignedBytes(bytes));
    },
  ),
  row('bigIntIsInt64', 'i', 'i', 'BigIntAPICost.BigIntIsInt64', (ctx, h: Handle) =>
    isInt64(ctx.bigInts.get(h)) ? 1 : 0,
  ),
  row('bigIntGetInt64', 'i', 'I', 'BigIntAPICost.BigIntGetInt64', (ctx, h: Handle) => lowInt64(ctx.bigInts.get(h))),
  row('bigIntSetInt64', 'iI', '', 'BigIntAPICost.BigIntSub', (ctx, dest: Handle, value: bigint) =>
    ctx.bigInts.set(dest, value),
  ),
  binary('bigIntAdd', (a, b) => a + b),
  binary('bigIntSub', (a, b) => a - b),
  binary('bigIntMul', (a, b) => a * b, 'BigIntAPICost.BigIntMul'),
  binary('bigIntTDiv', (a, b) => a / nonZero(b), 'BigIntAPICost.BigIntTDiv'),
  binary('bigIntTMod', (a, b) => a % nonZero(b)),
  binary('bigIntEDiv', (a, b) => euclidDiv(a, nonZero(b))),
  binary('bigIntEMod', (a, b) => euclidMod(a, nonZero(b))),
  row('bigIntAbs', 'ii', '', 'BigIntAPICost.BigIntSub', (ctx, dest: Handle, a: Handle) => {
    const x = ctx.bigInts.get(a);
    ctx.bigInts.set(dest, x < 0n ? -x : x);
  }),
  row('bigIntNeg', 'ii', '', 'BigIntAPICost.BigIntSub', (ctx, dest: Handle, a: Handle) =>
    ctx.bigInts.set(dest, -ctx.bigInts.get(a)),
  ),
  row('bigIntSign', 'i', 'i', 'BigIntAPICost.BigIntSign', (ctx, a: Handle) => {
    const x = ctx.bigInts.get(a);
    return x < 0n ? -1 : x > 0n ? 1 : 0;
  }),
  row('bigIntCmp', 'ii', 'i', 'BigIntAPICost.BigIntCmp', (ctx, a: Handle, b: Handle) => {
    const x = ctx.bigInts.get(a);
    const y = ctx.bigInts.get(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }),
  row('bigIntNot', 'ii', '', 'BigIntAPICost.BigIntSub', (ctx, dest: Handle, a: Handle) => {
    const x = ctx.bigInts.get(a);
    nonNegative(x);
    ctx.bigInts.set(dest, -x - 1n);
  }),
  binary('bigIntAnd', (a, b) => (nonNegative(a, b), a & b)),
  binary('bigIntOr', (a, b) => (nonNegative(a, b), a | b)),
  binary('bigIntXor', (a, b) => (nonNegative(a, b), a ^ b)),
  row('bigIntShr', 'iii', '', 'BigIntAPICost.BigIntSub', (ctx, dest: Handle, a: Handle, bits: number) => {
    const x = ctx.bigInts.get(a);
    if (x < 0n || bits < 0) halt('shiftNegative');
    ctx.bigInts.set(dest, x >> BigInt(bits));
  }),
  row('bigIntShl', 'iii', '', 'BigIntAPICost.BigIntSub', (ctx, dest: Handle, a: Handle, bits: number) => {
    const x = ctx.bigInts.get(a);
    if (x < 0n || bits < 0) halt('shiftNegative');
    if (BigInt(bits) > MAX_SHIFT && x !== 0n) halt('shiftNegative');
    ctx.bigInts.set(dest, x << BigInt(bits));
  }),
  row('bigIntFinishUnsigned', 'i', '', 'BigIntAPICost.BigIntFinishUnsigned', (ctx, h: Handle) =>
    finish(ctx, magnitudeBytes(ctx.bigInts.get(h))),
  ),
  row('bigIntFinishSigned', 'i', '', 'BigIntAPICost.BigIntFinishSigned', (ctx, h: Handle) =>
    finish(ctx, signedBytes(ctx.bigInts.get(h))),
  ),
  row(
    'bigIntStorageStoreUnsigned',
    'iii',
    'i',
    'BigIntAPICost.BigIntStorageStoreUnsigned',
    (ctx, keyPtr: number, keyLen: number, src: Handle) => {
      const key = ctx.peek(keyPtr, keyLen); // copied by the storage context if kept
      return ctx.storage.set(key, magnitudeBytes(ctx.bigInts.get(src)), ctx.metering);
    },
  ),
  row(
    'bigIntStorageLoadUnsigned',
    'iii',
    'i',
    'BigIntAPICost.BigIntStorageLoadUnsigned',
    (ctx, keyPtr: number, keyLen: number, dest: Handle) => {
      const value = ctx.storage.get(ctx.peek(keyPtr, keyLen));
      ctx.useGas(ctx.perByte('DataCopyPerByte', value.length));
      ctx.bigInts.set(dest, fromUnsignedBytes(value));
      return value.length;
    },
  ),
  row(
    'bigIntGetUnsignedArgument',
    'ii',
    '',
    'BigIntAPICost.BigIntGetUnsignedArgument',
    (ctx, id: number, dest: Handle) => {
      if (id < 0) halt('argIndexOutOfRange');
      const arg = ctx.call.arguments[id];
      if (arg) ctx.bigInts.set(dest, fromUnsignedBytes(arg));
    },
  ),
  row('bigIntGetSignedArgument', 'ii', '', 'BigIntAPICost.BigIntGetSignedArgument', (ctx, id: number, dest: Handle) => {
    if (id < 0) halt('argIndexOutOfRange');
    const arg = ctx.call.arguments[id];
    if (arg) ctx.bigInts.set(dest, fromSignedBytes(arg));
  }),
  row('bigIntGetCallValue', 'i', '', 'BigIntAPICost.BigIntGetCallValue', (ctx, dest: Handle) =>
    ctx.bigInts.set(dest, ctx.call.callValue),
  ),
  row(
    'bigIntGetExternalBalance',
    'ii',
    '',
    'BigIntAPICost.BigIntGetExternalBalance',
    (ctx, addrPtr: number, dest: Handle) => ctx.bigInts.set(dest, ctx.blockchain.getBalance(ctx.loadAddress(addrPtr))),
  ),
];
