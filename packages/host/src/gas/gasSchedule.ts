/**
 * The gas schedule: the reference's sections and keys (config/gasCost.go), validated the way the reference
 * validates them (every key present and non-zero), loadable from the reference's TOML or JSON.
 */
import { readFileSync } from 'node:fs';
import { parseJsonLossless, VMError, type GasScheduleMap } from '@vm/protocol';
import { HostError } from '../errors';
import { OPCODE_COST_KEYS } from './opcodeCostKeys';

/** The sections the VM reads, each with its exact keys (BuiltInCost and MetaChainSystemSCsCost are ignored). */
export const GAS_SECTION_KEYS = {
  BaseOperationCost: ['StorePerByte', 'ReleasePerByte', 'DataCopyPerByte', 'PersistPerByte', 'CompilePerByte'],
  Kalyan3104APICost: [
    'GetSCAddress',
    'GetOwnerAddress',
    'IsSmartContract',
    'GetShardOfAddress',
    'GetExternalBalance',
    'GetBlockHash',
    'TransferValue',
    'GetArgument',
    'GetFunction',
    'GetNumArguments',
    'StorageStore',
    'StorageLoad',
    'GetCaller',
    'GetCallValue',
    'Log',
    'Finish',
    'SignalError',
    'GetBlockTimeStamp',
    'GetGasLeft',
    'Int64GetArgument',
    'Int64StorageStore',
    'Int64StorageLoad',
    'Int64Finish',
    'GetStateRootHash',
    'GetBlockNonce',
    'GetBlockEpoch',
    'GetBlockRound',
    'GetBlockRandomSeed',
    'ExecuteOnSameContext',
    'ExecuteOnDestContext',
    'DelegateExecution',
    'ExecuteReadOnly',
    'AsyncCallStep',
    'AsyncCallbackGasLock',
    'CreateContract',
    'GetReturnData',
    'GetNumReturnData',
    'GetReturnDataSize',
  ],
  EthAPICost: [
    'UseGas',
    'GetAddress',
    'GetExternalBalance',
    'GetBlockHash',
    'Call',
    'CallDataCopy',
    'GetCallDataSize',
    'CallCode',
    'CallDelegate',
    'CallStatic',
    'StorageStore',
    'StorageLoad',
    'GetCaller',
    'GetCallValue',
    'CodeCopy',
    'GetCodeSize',
    'GetBlockCoinbase',
    'Create',
    'GetBlockDifficulty',
    'ExternalCodeCopy',
    'GetExternalCodeSize',
    'GetGasLeft',
    'GetBlockGasLimit',
    'GetTxGasPrice',
    'Log',
    'GetBlockNumber',
    'GetTxOrigin',
    'Finish',
    'Revert',
    'GetReturnDataSize',
    'ReturnDataCopy',
    'SelfDestruct',
    'GetBlockTimeStamp',
  ],
  BigIntAPICost: [
    'BigIntNew',
    'BigIntUnsignedByteLength',
    'BigIntSignedByteLength',
    'BigIntGetUnsignedBytes',
    'BigIntGetSignedBytes',
    'BigIntSetUnsignedBytes',
    'BigIntSetSignedBytes',
    'BigIntIsInt64',
    'BigIntGetInt64',
    'BigIntSetInt64',
    'BigIntAdd',
    'BigIntSub',
    'BigIntMul',
    'BigIntTDiv',
    'BigIntTMod',
    'BigIntEDiv',
    'BigIntEMod',
    'BigIntAbs',
    'BigIntNeg',
    'BigIntSign',
    'BigIntCmp',
    'BigIntNot',
    'BigIntAnd',
    'BigIntOr',
    'BigIntXor',
    'BigIntShr',
    'BigIntShl',
    'BigIntFinishUnsigned',
    'BigIntFinishSigned',
    'BigIntStorageLoadUnsigned',
    'BigIntStorageStoreUnsigned',
    'BigIntGetUnsignedArgument',
    'BigIntGetSignedArgument',
    'BigIntGetCallValue',
    'BigIntGetExternalBalance',
  ],
  CryptoAPICost: ['SHA256', 'Keccak256'],
  WASMOpcodeCost: OPCODE_COST_KEYS,
} as const;

type Sections = typeof GAS_SECTION_KEYS;
export type GasSection = keyof Sections;
/** `Section.Key`, so a typo in a cost reference is a compile error. */
export type GasKey = { [S in GasSection]: `${S}.${Sections[S][number]}` }[GasSection];
/** A key of one section (`GasKeyOf<'EthAPICost'>`: `'UseGas' | 'GetAddress' | ...`). */
export type GasKeyOf<S extends GasSection> = Sections[S][number];

/** A validated schedule: every cost as a bigint, plus the dense opcode-cost table (index = wasmer opcode index). */
export interface GasSchedule {
  readonly costs: { readonly [S in GasSection]: { readonly [K in Sections[S][number]]: bigint } };
  readonly opcodeCosts: readonly bigint[];
  /** Every cost by its `Section.Key`. */
  readonly byKey: ReadonlyMap<string, bigint>;
  /** The schedule's identity, for caches keyed by it. */
  readonly fingerprint: string;
}

/** Validates a schedule map: every key of the six sections present and non-zero (the reference's rule and message). */
export function createGasSchedule(map: GasScheduleMap): GasSchedule {
  const costs: Record<string, Record<string, bigint>> = {};
  for (const [section, keys] of Object.entries(GAS_SECTION_KEYS)) {
    const given = map[section] ?? {};
    const out: Record<string, bigint> = {};
    for (const key of keys) {
      const value = given[key];
      if (typeof value !== 'bigint' || value <= 0n)
        throw new VMError(
          HostError.InvalidGasSchedule,
          `Gas cost for operation ${key} has been set to 0 or is not set.`,
        );
      const bits = section === 'WASMOpcodeCost' ? 32n : 64n; // opcode costs are uint32 in the reference
      if (value >= 1n << bits)
        throw new VMError(HostError.InvalidGasSchedule, `Gas cost for operation ${key} does not fit in ${bits} bits.`);
      out[key] = value;
    }
    costs[section] = Object.freeze(out);
  }
  const opcodeCosts = Object.freeze(OPCODE_COST_KEYS.map((key) => costs.WASMOpcodeCost[key]));
  const fingerprint = Object.entries(costs)
    .map(([section, values]) => `${section}:${Object.values(values).join(',')}`)
    .join(';');
  const byKey = new Map<string, bigint>();
  for (const [section, values] of Object.entries(costs))
    for (const [key, value] of Object.entries(values)) byKey.set(`${section}.${key}`, value);
  return Object.freeze({ costs: Object.freeze(costs) as GasSchedule['costs'], opcodeCosts, byKey, fingerprint });
}

/** Reads a schedule map from a `.toml` (the reference's format) or `.json` file. Unknown sections are kept (and ignored). */
export function readGasScheduleFile(path: string): GasScheduleMap {
  const text = readFileSync(path, 'utf8');
  // smol-toml is required only for a TOML file: the VM process gets its schedule as JSON and never loads it
  const raw = path.endsWith('.toml')
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('smol-toml') as typeof import('smol-toml')).parse(text, { integersAsBigInt: true })
    : parseJsonLossless(text);
  return toGasScheduleMap(raw, path);
}

export function loadGasSchedule(path: string): GasSchedule {
  return createGasSchedule(readGasScheduleFile(path));
}

function toGasScheduleMap(raw: unknown, source: string): GasScheduleMap {
  if (raw === null || typeof raw !== 'object')
    throw new VMError(HostError.InvalidGasSchedule, `${source}: not a table of sections`);
  const map: GasScheduleMap = {};
  for (const [section, values] of Object.entries(raw)) {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) continue; // comments and other non-sections
    const costs: Record<string, bigint> = {};
    for (const [key, value] of Object.entries(values)) {
      if (typeof value === 'bigint') costs[key] = value;
      else if (typeof value === 'number' && Number.isSafeInteger(value)) costs[key] = BigInt(value);
      else throw new VMError(HostError.InvalidGasSchedule, `${source}: ${section}.${key} is not an integer`);
    }
    map[section] = costs;
  }
  return map;
}

/** The cost of `Section.Key`. */
export function gasCost(schedule: GasSchedule, key: GasKey): bigint {
  return schedule.byKey.get(key) as bigint;
}
