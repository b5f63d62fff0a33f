/**
 * Scenarios as data (scenario-format.md §3, §5, §10). Every value keeps the text it was written as (`original`)
 * next to what it evaluates to (`value`), as the reference's model does; every object keeps the order of the keys
 * it was read with (`keys`), so the writer gives back what was read. A field that was not written is `undefined`
 * (the executor applies the format's defaults). Values built in code may leave `original` out: the writer then
 * writes hex (bytes) or decimal (numbers).
 */

/** `*` where the format allows it. */
export const ANY = Symbol('any');

export interface Value<T> {
  readonly original?: string;
  readonly value: T;
}
export type Bytes = Value<Uint8Array>;
export type BigValue = Value<bigint>;
export type CheckBytes = Value<Uint8Array | typeof ANY>;
export type CheckBig = Value<bigint | typeof ANY>;

/** The keys of an object in the order they were read; the writer follows it, then its own order for the rest. */
export interface Ordered {
  readonly keys?: readonly string[];
}

export interface StorageEntry {
  readonly key: Bytes;
  readonly value: Bytes;
}

export interface Account extends Ordered {
  readonly address: Bytes;
  readonly comment?: string;
  readonly nonce?: BigValue;
  readonly balance: BigValue;
  readonly storage?: readonly StorageEntry[];
  readonly code?: Bytes;
  readonly asyncCallData?: string;
}

export interface CheckAccount extends Ordered {
  readonly address: Bytes;
  readonly comment?: string;
  readonly nonce?: CheckBig;
  readonly balance: CheckBig;
  /** `ANY` for `"storage": "*"`. */
  readonly storage?: readonly StorageEntry[] | typeof ANY;
  readonly code?: CheckBytes;
  readonly asyncCallData?: string;
}

/** A checkState map: the accounts, and `"+"` (other accounts may exist) with the text of its value. */
export interface CheckAccounts extends Ordered {
  readonly accounts: readonly CheckAccount[];
  readonly othersAllowed?: string;
}

export interface NewAddressMock extends Ordered {
  readonly creatorAddress: Bytes;
  readonly creatorNonce: BigValue;
  readonly newAddress: Bytes;
}

export interface BlockInfo extends Ordered {
  readonly blockTimestamp?: BigValue;
  readonly blockNonce?: BigValue;
  readonly blockRound?: BigValue;
  readonly blockEpoch?: BigValue;
}

export interface LogEntry extends Ordered {
  readonly address: Bytes;
  readonly identifier: Bytes;
  readonly topics?: readonly Bytes[];
  /** Compared as an unsigned big integer. */
  readonly data?: Bytes;
}

export interface TxExpect extends Ordered {
  readonly out?: readonly CheckBytes[];
  readonly status?: BigValue;
  readonly message?: string;
  /** A list; `"*"` (not checked); any other string means no logs (the reference's legacy log hash). */
  readonly logs?: readonly LogEntry[] | string;
  readonly gas?: CheckBig;
  readonly refund?: CheckBig;
}

export interface Tx extends Ordered {
  readonly from?: Bytes;
  readonly to?: Bytes;
  readonly value?: BigValue;
  readonly function?: string;
  readonly contractCode?: Bytes;
  readonly arguments?: readonly Bytes[];
  readonly gasLimit?: BigValue;
  readonly gasPrice?: BigValue;
  readonly nonce?: BigValue;
}

export type TxKind = 'scDeploy' | 'scCall' | 'transfer' | 'validatorReward' | 'scQuery';

export interface ExternalStepsStep extends Ordered {
  readonly kind: 'externalSteps';
  /** As written: relative to the directory of the file that contains the step. */
  readonly path: string;
}

export interface SetStateStep extends Ordered {
  readonly kind: 'setState';
  readonly comment?: string;
  readonly accounts?: readonly Account[];
  readonly newAddresses?: readonly NewAddressMock[];
  readonly previousBlockInfo?: BlockInfo;
  readonly currentBlockInfo?: BlockInfo;
  readonly blockHashes?: readonly Bytes[];
}

export interface CheckStateStep extends Ordered {
  readonly kind: 'checkState';
  readonly comment?: string;
  readonly accounts: CheckAccounts;
}

export interface TxStep extends Ordered {
  readonly kind: TxKind;
  readonly txId?: string;
  readonly comment?: string;
  readonly tx: Tx;
  readonly expect?: TxExpect;
}

/** Extension (a later dialect's step): prints the world in scenario syntax. */
export interface DumpStateStep extends Ordered {
  readonly kind: 'dumpState';
  readonly comment?: string;
}

export type Step = ExternalStepsStep | SetStateStep | CheckStateStep | TxStep | DumpStateStep;

export interface Scenario extends Ordered {
  /** The file it was read from, if any (not written). */
  readonly file?: string;
  readonly name?: string;
  readonly comment?: string;
  /** Absent means true. */
  readonly checkGas?: boolean;
  readonly steps: readonly Step[];
}

// ------------------------------------------------------------------ the legacy `.test.json` format

export interface BlockHeader extends Ordered {
  readonly gasLimit?: BigValue;
  readonly number?: BigValue;
  readonly difficulty?: BigValue;
  readonly timestamp?: BigValue;
  readonly coinbase?: BigValue;
}

export interface LegacyBlock extends Ordered {
  /** One per transaction, in the same order. */
  readonly results?: readonly TxExpect[];
  /** An empty or absent `to` is a deploy. */
  readonly transactions?: readonly Tx[];
  readonly blockHeader?: BlockHeader;
}

export interface LegacyTest extends Ordered {
  readonly name: string;
  readonly checkGas?: boolean;
  readonly pre?: readonly Account[];
  readonly blocks?: readonly LegacyBlock[];
  readonly network?: string;
  readonly blockHashes?: readonly Bytes[];
  readonly postState?: CheckAccounts;
}

export interface TestFile {
  readonly file?: string;
  readonly tests: readonly LegacyTest[];
}

/** A legacy transaction is a deploy when its `to` is absent or empty. */
export const isDeploy = (tx: Tx): boolean => tx.to === undefined || tx.to.value.length === 0;
