/**
 * Names a contract may not export: every host-function name of both namespaces (implemented or not, as in the
 * reference), `upgradeContract`, and the protocol's built-in functions.
 */
const ENV_NAMES = `getSCAddress getOwnerAddress getShardOfAddress isSmartContract getExternalBalance getBlockHash transferValue asyncCall
createAsyncCall setAsyncContextCallback getArgumentLength getArgument getFunction getNumArguments storageStore storageLoadLength
storageLoad setStorageLock getStorageLock isStorageLocked clearStorageLock getCaller getCallValue writeLog finish signalError
getBlockTimestamp getBlockNonce getBlockRound getBlockEpoch getBlockRandomSeed getStateRootHash getPrevBlockTimestamp
getPrevBlockNonce getPrevBlockRound getPrevBlockEpoch getPrevBlockRandomSeed getGasLeft executeOnDestContext executeOnSameContext
delegateExecution executeReadOnly createContract getNumReturnData getReturnDataSize getReturnData int64getArgument int64storageStore
int64storageLoad int64finish bigIntNew bigIntUnsignedByteLength bigIntSignedByteLength bigIntGetUnsignedBytes bigIntGetSignedBytes
bigIntSetUnsignedBytes bigIntSetSignedBytes bigIntIsInt64 bigIntGetInt64 bigIntSetInt64 bigIntAdd bigIntSub bigIntMul bigIntTDiv
bigIntTMod bigIntEDiv bigIntEMod bigIntAbs bigIntNeg bigIntSign bigIntCmp bigIntNot bigIntAnd bigIntOr bigIntXor bigIntShr bigIntShl
bigIntFinishUnsigned bigIntFinishSigned bigIntStorageStoreUnsigned bigIntStorageLoadUnsigned bigIntGetUnsignedArgument
bigIntGetSignedArgument bigIntGetCallValue bigIntGetExternalBalance sha256 keccak256`;

const ETHEREUM_NAMES = `useGas getAddress getExternalBalance getBlockHash call callCode callDelegate callStatic callDataCopy getCallDataSize
storageStore storageLoad getCaller getTxOrigin getCallValue codeCopy getCodeSize externalCodeCopy getExternalCodeSize
getBlockCoinbase getBlockDifficulty getGasLeft getBlockGasLimit getTxGasPrice log getBlockNumber getBlockTimestamp finish revert
getReturnDataSize returnDataCopy selfDestruct create`;

export const ENV_FUNCTION_NAMES: readonly string[] = ENV_NAMES.split(/\s+/);
export const ETHEREUM_FUNCTION_NAMES: readonly string[] = ETHEREUM_NAMES.split(/\s+/);

export function reservedExportNames(builtinFunctions: readonly string[]): ReadonlySet<string> {
  return new Set([...ENV_FUNCTION_NAMES, ...ETHEREUM_FUNCTION_NAMES, 'upgradeContract', ...builtinFunctions]);
}

/** The reference's validator: non-empty, under 256 bytes, ASCII only, not reserved. */
export function isValidExportName(name: string, reserved: ReadonlySet<string>): boolean {
  return name.length > 0 && name.length < 256 && isAscii(name) && !reserved.has(name);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
