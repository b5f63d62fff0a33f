/**
 * `env`: the main contract API (reference arwen/kalyan3104api/kalyan3104ei.go). Semantics, gas keys and failure
 * behaviour follow the reference digest §1.1, quirks included (e.g. getPrevBlock* charge the current-block keys,
 * getCallValue writes nothing for a zero value).
 */
import { fromSignedBytes, fromUnsignedBytes, isInt64, lowInt64, magnitudeBytes, padLeft, signedBytes } from './bytes';
import { row, type EeiRow } from './table';
import type { ExecutionContext } from '../execution/executionContext';
import { ContractError, halt } from '../execution/contractErrors';

const TIMELOCK_SUFFIX = Buffer.from('timelock');
const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

function argument(ctx: ExecutionContext, id: number): Uint8Array | undefined {
  return id >= 0 && id < ctx.call.arguments.length ? ctx.call.arguments[id] : undefined;
}

/** The key in contract memory, as a view where it can be (the storage context copies what it keeps). */
function storageKey(ctx: ExecutionContext, keyPtr: number, keyLen: number): Uint8Array {
  return ctx.peek(keyPtr, keyLen);
}

function setStorage(ctx: ExecutionContext, key: Uint8Array, value: Uint8Array): number {
  return ctx.storage.set(key, value, ctx.metering);
}

function timelockKey(ctx: ExecutionContext, keyPtr: number, keyLen: number): Uint8Array {
  return Buffer.concat([storageKey(ctx, keyPtr, keyLen), TIMELOCK_SUFFIX]);
}

function setStorageLock(ctx: ExecutionContext, keyPtr: number, keyLen: number, timestamp: bigint): number {
  return setStorage(ctx, timelockKey(ctx, keyPtr, keyLen), magnitudeBytes(timestamp));
}

function getStorageLock(ctx: ExecutionContext, keyPtr: number, keyLen: number): bigint {
  return lowInt64(fromUnsignedBytes(ctx.storage.get(timelockKey(ctx, keyPtr, keyLen))));
}

/** Block getters: current and previous block, all charged with the current-block keys (a reference quirk). */
const blockGetters: EeiRow[] = [
  row('getBlockTimestamp', '', 'I', 'Kalyan3104APICost.GetBlockTimeStamp', (ctx) =>
    ctx.blockchain.hook.currentTimeStamp(),
  ),
  row('getBlockNonce', '', 'I', 'Kalyan3104APICost.GetBlockNonce', (ctx) => ctx.blockchain.hook.currentNonce()),
  row('getBlockRound', '', 'I', 'Kalyan3104APICost.GetBlockRound', (ctx) => ctx.blockchain.hook.currentRound()),
  row('getBlockEpoch', '', 'I', 'Kalyan3104APICost.GetBlockEpoch', (ctx) => BigInt(ctx.blockchain.hook.currentEpoch())),
  row('getBlockRandomSeed', 'i', '', 'Kalyan3104APICost.GetBlockRandomSeed', (ctx, ptr: number) =>
    ctx.store(ptr, ctx.blockchain.hook.currentRandomSeed() ?? new Uint8Array(0)),
  ),
  row('getStateRootHash', 'i', '', 'Kalyan3104APICost.GetStateRootHash', (ctx, ptr: number) =>
    ctx.store(ptr, ctx.blockchain.hook.getStateRootHash() ?? new Uint8Array(0)),
  ),
  row('getPrevBlockTimestamp', '', 'I', 'Kalyan3104APICost.GetBlockTimeStamp', (ctx) =>
    ctx.blockchain.hook.lastTimeStamp(),
  ),
  row('getPrevBlockNonce', '', 'I', 'Kalyan3104APICost.GetBlockNonce', (ctx) => ctx.blockchain.hook.lastNonce()),
  row('getPrevBlockRound', '', 'I', 'Kalyan3104APICost.GetBlockRound', (ctx) => ctx.blockchain.hook.lastRound()),
  row('getPrevBlockEpoch', '', 'I', 'Kalyan3104APICost.GetBlockEpoch', (ctx) =>
    BigInt(ctx.blockchain.hook.lastEpoch()),
  ),
  row('getPrevBlockRandomSeed', 'i', '', 'Kalyan3104APICost.GetBlockRandomSeed', (ctx, ptr: number) =>
    ctx.store(ptr, ctx.blockchain.hook.lastRandomSeed() ?? new Uint8Array(0)),
  ),
];

export const MAIN_EEI: readonly EeiRow[] = [
  row('getSCAddress', 'i', '', 'Kalyan3104APICost.GetSCAddress', (ctx, ptr: number) => ctx.store(ptr, ctx.scAddress)),
  row('getOwnerAddress', 'i', '', 'Kalyan3104APICost.GetOwnerAddress', (ctx, ptr: number) => {
    const owner = ctx.blockchain.getOwnerAddress(ctx.scAddress);
    if (owner) ctx.store(ptr, owner);
  }),
  row('getShardOfAddress', 'i', 'i', 'Kalyan3104APICost.GetShardOfAddress', (ctx, ptr: number) =>
    ctx.blockchain.hook.getShardOfAddress(ctx.loadAddress(ptr)),
  ),
  row('isSmartContract', 'i', 'i', 'Kalyan3104APICost.IsSmartContract', (ctx, ptr: number) =>
    ctx.blockchain.hook.isSmartContract(ctx.loadAddress(ptr)) ? 1 : 0,
  ),
  row(
    'getExternalBalance',
    'ii',
    '',
    'Kalyan3104APICost.GetExternalBalance',
    (ctx, addrPtr: number, resultPtr: number) => {
      ctx.store(resultPtr, magnitudeBytes(ctx.blockchain.getBalance(ctx.loadAddress(addrPtr))));
    },
  ),
  row('getBlockHash', 'Ii', 'i', 'Kalyan3104APICost.GetBlockHash', (ctx, nonce: bigint, resultPtr: number) => {
    const hash = nonce >= 0n ? ctx.blockchain.hook.getBlockhash(nonce) : null;
    if (hash) ctx.store(resultPtr, hash);
    return 0;
  }),
  row(
    'transferValue',
    'iiii',
    'i',
    'Kalyan3104APICost.TransferValue',
    (ctx, dstPtr: number, valuePtr: number, dataPtr: number, length: number) => {
      const destination = ctx.loadAddress(dstPtr);
      const value = fromUnsignedBytes(ctx.load(valuePtr, 32));
      const data = ctx.load(dataPtr, length);
      ctx.useGas(ctx.perByte('PersistPerByte', length));
      try {
        ctx.blockchain.transfer({ destination, sender: ctx.scAddress, value, data });
        return 0;
      } catch (error) {
        if (error instanceof ContractError) return 1;
        throw error;
      }
    },
  ),
  row(
    'getArgumentLength',
    'i',
    'i',
    'Kalyan3104APICost.GetArgument',
    (ctx, id: number) => argument(ctx, id)?.length ?? -1,
  ),
  row('getArgument', 'ii', 'i', 'Kalyan3104APICost.GetArgument', (ctx, id: number, ptr: number) => {
    const arg = argument(ctx, id);
    if (!arg) return -1;
    ctx.store(ptr, arg);
    return arg.length;
  }),
  row('getFunction', 'i', 'i', 'Kalyan3104APICost.GetFunction', (ctx, ptr: number) => {
    const name = Buffer.from(ctx.call.function, 'utf8');
    ctx.store(ptr, name);
    return name.length;
  }),
  row('getNumArguments', '', 'i', 'Kalyan3104APICost.GetNumArguments', (ctx) => ctx.call.arguments.length),
  row(
    'storageStore',
    'iiii',
    'i',
    'Kalyan3104APICost.StorageStore',
    (ctx, keyPtr: number, keyLen: number, dataPtr: number, dataLen: number) =>
      setStorage(ctx, storageKey(ctx, keyPtr, keyLen), ctx.load(dataPtr, dataLen)),
  ),
  row(
    'storageLoadLength',
    'ii',
    'i',
    'Kalyan3104APICost.StorageLoad',
    (ctx, keyPtr: number, keyLen: number) => ctx.storage.get(storageKey(ctx, keyPtr, keyLen)).length,
  ),
  row(
    'storageLoad',
    'iii',
    'i',
    'Kalyan3104APICost.StorageLoad',
    (ctx, keyPtr: number, keyLen: number, dataPtr: number) => {
      const value = ctx.storage.get(storageKey(ctx, keyPtr, keyLen));
      ctx.useGas(ctx.perByte('DataCopyPerByte', value.length));
      ctx.store(dataPtr, value);
      return value.length;
    },
  ),
  row(
    'setStorageLock',
    'iiI',
    'i',
    'Kalyan3104APICost.Int64StorageStore',
    (ctx, keyPtr: number, keyLen: number, timestamp: bigint) => setStorageLock(ctx, keyPtr, keyLen, timestamp),
  ),
  row('getStorageLock', 'ii', 'I', 'Kalyan3104APICost.StorageLoad', (ctx, keyPtr: number, keyLen: number) =>
    getStorageLock(ctx, keyPtr, keyLen),
  ),
  row('isStorageLocked', 'ii', 'i', 'Kalyan3104APICost.StorageLoad', (ctx, keyPtr: number, keyLen: number) => {
    const lock = getStorageLock(ctx, keyPtr, keyLen);
    ctx.useGas(ctx.cost('Kalyan3104APICost.GetBlockTimeStamp'));
    if (lock < 0n) return -1;
    return lock <= ctx.blockchain.hook.currentTimeStamp() ? 0 : 1;
  }),
  row('clearStorageLock', 'ii', 'i', 'Kalyan3104APICost.Int64StorageStore', (ctx, keyPtr: number, keyLen: number) =>
    setStorageLock(ctx, keyPtr, keyLen, 0n),
  ),
  row('getCaller', 'i', '', 'Kalyan3104APICost.GetCaller', (ctx, ptr: number) => ctx.store(ptr, ctx.call.caller)),
  row('getCallValue', 'i', 'i', 'Kalyan3104APICost.GetCallValue', (ctx, ptr: number) => {
    const value = padLeft(magnitudeBytes(ctx.call.callValue), 32);
    ctx.store(ptr, value);
    return value.length;
  }),
  row(
    'writeLog',
    'iiii',
    '',
    'Kalyan3104APICost.Log',
    (ctx, dataPtr: number, length: number, topicsPtr: number, numTopics: number) => {
      if (numTopics < 0) halt('negativeLength2D', numTopics);
      const topics = new Array<Uint8Array>(numTopics);
      for (let i = 0; i < numTopics; i++) topics[i] = ctx.load(topicsPtr + 32 * i, 32);
      const data = ctx.load(dataPtr, length);
      ctx.useGas(ctx.perByte('PersistPerByte', 32 * numTopics + length));
      if (!ctx.readOnly) ctx.output.writeLog(ctx.scAddress, topics, data);
    },
  ),
  row('finish', 'ii', '', 'Kalyan3104APICost.Finish', (ctx, ptr: number, length: number) => {
    const data = ctx.load(ptr, length);
    ctx.useGas(ctx.perByte('PersistPerByte', length));
    ctx.output.finishOwned(data);
  }),
  row('signalError', 'ii', '', 'Kalyan3104APICost.SignalError', (ctx, ptr: number, length: number) =>
    ctx.signalError(utf8(ctx.load(ptr, length))),
  ),
  ...blockGetters,
  row('getGasLeft', '', 'I', 'Kalyan3104APICost.GetGasLeft', (ctx) => ctx.gasLeft),
  row('getNumReturnData', '', 'i', 'Kalyan3104APICost.GetNumReturnData', (ctx) => ctx.output.returnData.length),
  row('getReturnDataSize', 'i', 'i', 'Kalyan3104APICost.GetReturnDataSize', (ctx, index: number) => {
    if (index < 0) halt('argIndexOutOfRange');
    return ctx.output.returnData[index]?.length ?? 0;
  }),
  row('getReturnData', 'ii', 'i', 'Kalyan3104APICost.GetReturnData', (ctx, index: number, ptr: number) => {
    if (index < 0) halt('argIndexOutOfRange');
    const data = ctx.output.returnData[index];
    if (!data) return 0;
    ctx.store(ptr, data);
    return data.length;
  }),
  row('int64getArgument', 'i', 'I', 'Kalyan3104APICost.Int64GetArgument', (ctx, id: number) => {
    const arg = argument(ctx, id);
    if (!arg) return halt('argIndexOutOfRange');
    const value = fromSignedBytes(arg);
    if (!isInt64(value)) halt('argOutOfRange');
    return value;
  }),
  row(
    'int64storageStore',
    'iiI',
    'i',
    'Kalyan3104APICost.Int64StorageStore',
    (ctx, keyPtr: number, keyLen: number, value: bigint) =>
      setStorage(ctx, storageKey(ctx, keyPtr, keyLen), magnitudeBytes(value)),
  ),
  row('int64storageLoad', 'ii', 'I', 'Kalyan3104APICost.Int64StorageLoad', (ctx, keyPtr: number, keyLen: number) =>
    lowInt64(fromUnsignedBytes(ctx.storage.get(storageKey(ctx, keyPtr, keyLen)))),
  ),
  row('int64finish', 'I', '', 'Kalyan3104APICost.Int64Finish', (ctx, value: bigint) =>
    ctx.output.finishOwned(signedBytes(value)),
  ),
];
