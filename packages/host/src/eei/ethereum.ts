/**
 * `ethereum`: the ewasm-style contract API (reference arwen/ethapi/ethereumei.go, digest §1.4), quirks included:
 * call values are 32-byte little-endian, `call` and `callDelegate` transfer the value twice, `callCode`'s CallValue
 * is read big-endian, `finish` clears earlier return data, `selfDestruct` does nothing.
 */
import { keccak256 } from './keccak';
import type { ContractCallInput } from '@vm/protocol';
import { fromUnsignedBytes, magnitudeBytes, padLeft } from './bytes';
import { nestedCallInput, type NestedCall } from './nested';
import { row, zeroOrOne, type EeiRow, type TypedImpl } from './table';
import type { GasKeyOf } from '../gas/gasSchedule';
import type { ExecutionContext } from '../execution/executionContext';
import { ContractError, halt } from '../execution/contractErrors';

const eth = <P extends string, R extends string>(
  name: string,
  params: P,
  results: R,
  gasKey: GasKeyOf<'EthAPICost'>,
  impl: TypedImpl<P, R>,
): EeiRow => row(name, params, results, `EthAPICost.${gasKey}`, impl, 'ethereum');

const littleEndian = (bytes: Uint8Array): bigint => fromUnsignedBytes(Uint8Array.from(bytes).reverse());
/** value as `size` little-endian bytes; zeros when it does not fit (the reference's quirk). */
function toLittleEndian(value: bigint, size: number): Uint8Array {
  const big = magnitudeBytes(value);
  if (big.length > size) return new Uint8Array(size);
  return padLeft(big, size).reverse();
}

/** keccak256(function)[0..4] followed by every argument left-padded to 32 bytes, once per transaction. */
function callData(ctx: ExecutionContext): Uint8Array {
  if (!ctx.tx.ethCallData) {
    const parts = [keccak256(Buffer.from(ctx.tx.function)).subarray(0, 4)];
    for (const arg of ctx.tx.arguments) {
      if (arg.length > 32) halt('executionFailed'); // the reference panics on an argument longer than 32 bytes
      parts.push(padLeft(arg, 32));
    }
    ctx.tx.ethCallData = new Uint8Array(Buffer.concat(parts));
  }
  return ctx.tx.ethCallData;
}

/** GuardedGetBytesSlice. */
function slice(data: Uint8Array, offset: number, length: number): Uint8Array {
  if (length < 0) halt('bytesSliceNegativeLength');
  if (offset < 0 || offset + length > data.length) halt('bytesSliceBadBounds');
  return data.subarray(offset, offset + length);
}

/** A nested call of the contract's `main` with the data as its one argument. */
function mainCall(
  ctx: ExecutionContext,
  call: Omit<NestedCall, 'fn' | 'args'> & { data: Uint8Array },
): ContractCallInput {
  return nestedCallInput(ctx, { ...call, fn: 'main', args: [call.data] });
}

/** Predefined contracts at 0x…01 .. 0x…09 (20-byte addresses), for callStatic. */
const PREDEFINED: Record<number, (ctx: ExecutionContext, input: Uint8Array) => Uint8Array> = {
  1: (ctx, input) => ecrecover(ctx, input),
  2: (ctx, input) => ctx.crypto.sha256(input),
  3: (ctx, input) => ctx.crypto.ripemd160(input),
  4: (_ctx, input) => input,
  9: (ctx, input) => ctx.crypto.keccak256(input),
};

/**
 * Ethereum's precompile 0x01: input hash(32) | v(32) | r(32) | s(32), output the signer's address left-padded to
 * 32 bytes, or nothing when the signature does not recover.
 */
function ecrecover(ctx: ExecutionContext, input: Uint8Array): Uint8Array {
  const padded = new Uint8Array(128);
  padded.set(input.subarray(0, 128));
  const v = padded.subarray(32, 64);
  if (v.subarray(0, 31).some((b) => b !== 0) || (v[31] !== 27 && v[31] !== 28)) return new Uint8Array(0);
  try {
    return padLeft(
      ctx.crypto.ecrecover(padded.subarray(0, 32), v, padded.subarray(64, 96), padded.subarray(96, 128)),
      32,
    );
  } catch {
    return new Uint8Array(0);
  }
}

function predefinedId(address: Uint8Array): number | undefined {
  for (let i = 0; i < address.length - 1; i++) if (address[i] !== 0) return undefined;
  return address[address.length - 1];
}

export const ETHEREUM_EEI: readonly EeiRow[] = [
  eth('useGas', 'I', '', 'UseGas', (ctx, gas: bigint) => ctx.useGas(BigInt.asUintN(64, gas))),
  eth('getAddress', 'i', '', 'GetAddress', (ctx, ptr: number) => ctx.store(ptr, ctx.scAddress)),
  eth('getExternalBalance', 'ii', '', 'GetExternalBalance', (ctx, addrPtr: number, ptr: number) =>
    ctx.store(ptr, magnitudeBytes(ctx.blockchain.getBalance(ctx.loadAddress(addrPtr)))),
  ),
  eth('getBlockHash', 'Ii', 'i', 'GetBlockHash', (ctx, nonce: bigint, ptr: number) => {
    const hash = nonce >= 0n ? ctx.blockchain.hook.getBlockhash(nonce) : null;
    if (!hash || hash.length === 0) return 0;
    return zeroOrOne(() => ctx.store(ptr, hash!)) === 0 ? 1 : 0;
  }),
  eth(
    'call',
    'Iiiii',
    'i',
    'Call',
    (ctx, gas: bigint, addrPtr: number, valuePtr: number, dataPtr: number, length: number) =>
      zeroOrOne(() => {
        const destination = ctx.loadAddress(addrPtr);
        const value = littleEndian(ctx.load(valuePtr, 32));
        const data = ctx.load(dataPtr, length);
        ctx.useGas(ctx.perByte('DataCopyPerByte', length));
        ctx.blockchain.transfer({ destination, sender: ctx.scAddress, value });
        ctx.nested.executeOnDestContext(
          ctx,
          mainCall(ctx, { caller: ctx.scAddress, recipient: destination, value, data, gas }),
        );
      }),
  ),
  eth(
    'callCode',
    'Iiiii',
    'i',
    'CallCode',
    (ctx, gas: bigint, addrPtr: number, valuePtr: number, dataPtr: number, length: number) =>
      zeroOrOne(() => {
        const destination = ctx.loadAddress(addrPtr);
        const valueBytes = ctx.load(valuePtr, 32);
        const data = ctx.load(dataPtr, length);
        ctx.useGas(ctx.perByte('DataCopyPerByte', length));
        ctx.blockchain.transfer({ destination, sender: ctx.scAddress, value: littleEndian(valueBytes) });
        ctx.nested.executeOnSameContext(
          ctx,
          mainCall(ctx, {
            caller: ctx.scAddress,
            recipient: destination,
            value: fromUnsignedBytes(valueBytes),
            data,
            gas,
          }),
          ctx.readOnly,
        );
      }),
  ),
  eth(
    'callDelegate',
    'Iiii',
    'i',
    'CallDelegate',
    (ctx, gas: bigint, addrPtr: number, dataPtr: number, length: number) =>
      zeroOrOne(() => {
        const destination = ctx.loadAddress(addrPtr);
        const data = ctx.load(dataPtr, length);
        ctx.useGas(ctx.perByte('DataCopyPerByte', length));
        ctx.blockchain.transfer({ destination, sender: ctx.scAddress, value: ctx.call.callValue });
        ctx.nested.executeOnSameContext(
          ctx,
          mainCall(ctx, { caller: ctx.call.caller, recipient: destination, value: ctx.call.callValue, data, gas }),
          ctx.readOnly,
        );
      }),
  ),
  eth('callStatic', 'Iiii', 'i', 'CallStatic', (ctx, gas: bigint, addrPtr: number, dataPtr: number, length: number) =>
    zeroOrOne(() => {
      const address20 = ctx.load(addrPtr, 20);
      const data = ctx.load(dataPtr, length);
      ctx.useGas(ctx.perByte('DataCopyPerByte', length));
      const id = predefinedId(address20);
      if (id !== undefined) {
        const contract = PREDEFINED[id] ?? halt('systemContractMissing', Buffer.from(address20).toString('hex'));
        let result: Uint8Array;
        try {
          result = contract(ctx, data);
        } catch (error) {
          if (error instanceof ContractError) throw error;
          return halt('systemContractFailed', (error as Error).message);
        }
        ctx.output.returnData = [Uint8Array.from(result)];
        return;
      }
      ctx.nested.executeOnSameContext(
        ctx,
        mainCall(ctx, { caller: ctx.scAddress, recipient: padLeft(address20, 32), value: 0n, data, gas }),
        true,
      );
    }),
  ),
  eth('callDataCopy', 'iii', '', 'CallDataCopy', (ctx, ptr: number, offset: number, length: number) => {
    const data = slice(callData(ctx), offset, length);
    ctx.useGas(ctx.perByte('DataCopyPerByte', length));
    ctx.store(ptr, data);
  }),
  eth('getCallDataSize', '', 'i', 'GetCallDataSize', (ctx) => callData(ctx).length),
  eth('storageStore', 'ii', '', 'StorageStore', (ctx, keyPtr: number, valuePtr: number) => {
    ctx.storage.set(ctx.load(keyPtr, 32), ctx.load(valuePtr, 32), ctx.metering);
  }),
  eth('storageLoad', 'ii', '', 'StorageLoad', (ctx, keyPtr: number, ptr: number) => {
    const value = ctx.storage.get(ctx.load(keyPtr, 32));
    if (value.length > 32) halt('executionFailed'); // the reference panics here
    ctx.useGas(ctx.perByte('DataCopyPerByte', value.length));
    ctx.store(ptr, padLeft(value, 32));
  }),
  eth('getCaller', 'i', '', 'GetCaller', (ctx, ptr: number) =>
    ctx.store(ptr, ctx.call.caller.subarray(Math.max(0, ctx.call.caller.length - 20))),
  ),
  eth('getTxOrigin', 'i', '', 'GetTxOrigin', (ctx, ptr: number) =>
    ctx.store(ptr, ctx.call.caller.subarray(Math.max(0, ctx.call.caller.length - 20))),
  ),
  eth('getCallValue', 'i', '', 'GetCallValue', (ctx, ptr: number) =>
    ctx.store(ptr, toLittleEndian(ctx.call.callValue, 16)),
  ),
  eth('codeCopy', 'iii', '', 'CodeCopy', (ctx, ptr: number, offset: number, length: number) => {
    const code = slice(ctx.code, offset, length);
    ctx.useGas(ctx.perByte('DataCopyPerByte', length));
    ctx.store(ptr, code);
  }),
  eth('getCodeSize', '', 'i', 'GetCodeSize', (ctx) => ctx.code.length),
  eth(
    'externalCodeCopy',
    'iiii',
    '',
    'ExternalCodeCopy',
    (ctx, addrPtr: number, ptr: number, offset: number, length: number) => {
      const code = slice(externalCode(ctx, ctx.loadAddress(addrPtr)), offset, length);
      ctx.useGas(ctx.perByte('DataCopyPerByte', length));
      ctx.store(ptr, code);
    },
  ),
  eth(
    'getExternalCodeSize',
    'i',
    'i',
    'GetExternalCodeSize',
    (ctx, addrPtr: number) => externalCode(ctx, ctx.loadAddress(addrPtr)).length,
  ),
  eth('getBlockCoinbase', 'i', '', 'GetBlockCoinbase', (ctx, ptr: number) =>
    ctx.store(ptr, ctx.blockchain.hook.currentRandomSeed() ?? new Uint8Array(0)),
  ),
  eth('getBlockDifficulty', 'i', '', 'GetBlockCoinbase', (ctx, ptr: number) =>
    ctx.store(ptr, ctx.blockchain.hook.currentRandomSeed() ?? new Uint8Array(0)),
  ),
  eth('getGasLeft', '', 'I', 'GetGasLeft', (ctx) => ctx.gasLeft),
  eth('getBlockGasLimit', '', 'I', 'GetBlockGasLimit', (ctx) => ctx.blockGasLimit),
  eth('getTxGasPrice', 'i', '', 'GetTxGasPrice', (ctx, ptr: number) =>
    ctx.store(ptr, padLeft(magnitudeBytes(ctx.call.gasPrice), 16)),
  ),
  eth(
    'log',
    'iiiiiii',
    '',
    'Log',
    (ctx, dataPtr: number, length: number, numTopics: number, ...topicPtrs: number[]) => {
      if (numTopics < 0 || numTopics > 4) halt('executionFailed'); // the reference panics on more than 4 topics
      const topics = topicPtrs.slice(0, numTopics).map((p) => ctx.load(p, 32));
      const data = ctx.load(dataPtr, length);
      ctx.useGas(ctx.perByte('PersistPerByte', 4 * 32 + length));
      if (!ctx.readOnly) ctx.output.writeLog(ctx.scAddress, topics, data);
    },
  ),
  eth('getBlockNumber', '', 'I', 'GetBlockNumber', (ctx) => ctx.blockchain.hook.currentNonce()),
  eth('getBlockTimestamp', '', 'I', 'GetBlockTimeStamp', (ctx) => ctx.blockchain.hook.currentTimeStamp()),
  eth('finish', 'ii', '', 'Finish', (ctx, ptr: number, length: number) => {
    const data = ctx.load(ptr, length);
    ctx.useGas(ctx.perByte('PersistPerByte', length));
    ctx.output.returnData = [];
    ctx.output.finish(data);
  }),
  eth('revert', 'ii', '', 'Revert', (ctx, ptr: number, length: number) => {
    const data = ctx.load(ptr, length);
    ctx.useGas(ctx.perByte('PersistPerByte', length));
    ctx.output.returnData = [];
    ctx.output.finish(data);
    ctx.signalError('revert');
  }),
  eth('getReturnDataSize', '', 'i', 'GetReturnDataSize', (ctx) =>
    ctx.output.returnData.reduce((sum, d) => sum + d.length, 0),
  ),
  eth('returnDataCopy', 'iii', '', 'ReturnDataCopy', (ctx, ptr: number, offset: number, length: number) => {
    const all = Buffer.concat(ctx.output.returnData);
    if (offset < 0 || length < 0 || offset + length > all.length) halt('invalidApiCall');
    ctx.store(ptr, new Uint8Array(all.subarray(offset, offset + length)));
  }),
  eth('selfDestruct', 'i', '', 'SelfDestruct', () => undefined),
  eth('create', 'iiii', 'i', 'Create', (ctx, valuePtr: number, dataPtr: number, length: number, resultPtr: number) => {
    const value = littleEndian(ctx.load(valuePtr, 32));
    const code = ctx.load(dataPtr, length);
    let address: Uint8Array | undefined;
    const result = zeroOrOne(
      () => (address = ctx.nested.createNewContract(ctx, { value, code, args: [], gas: ctx.gasLeft, metadata: null })),
    );
    if (address) ctx.store(resultPtr, address);
    return result;
  }),
];

function externalCode(ctx: ExecutionContext, address: Uint8Array): Uint8Array {
  return ctx.blockchain.hook.getUserAccount(address)?.Code ?? new Uint8Array(0);
}
