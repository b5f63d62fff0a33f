/** Scenario steps after parsing: every value expression already evaluated (scenario-format.md §3, §5). */

/** `*` where the format allows it. */
export const ANY = Symbol('any');
export type Check<T> = T | typeof ANY;

export interface AccountState {
  readonly address: Uint8Array;
  readonly nonce: bigint;
  readonly balance: bigint;
  readonly storage: ReadonlyMap<string, Uint8Array>;
  readonly code: Uint8Array;
  readonly asyncCallData: string;
}

export interface BlockInfoInput {
  readonly timestamp: bigint;
  readonly nonce: bigint;
  readonly round: bigint;
  readonly epoch: number;
}

export interface SetStateStep {
  readonly kind: 'setState';
  readonly accounts: AccountState[];
  readonly newAddresses: { creator: Uint8Array; nonce: bigint; address: Uint8Array }[];
  readonly previousBlockInfo: BlockInfoInput | null;
  readonly currentBlockInfo: BlockInfoInput | null;
  readonly blockHashes: Uint8Array[];
}

export interface AccountCheck {
  readonly address: Uint8Array;
  readonly nonce: Check<bigint>;
  readonly balance: Check<bigint>;
  readonly storage: Check<ReadonlyMap<string, Uint8Array>>;
  readonly code: Check<Uint8Array>;
  readonly asyncCallData: string;
}

export interface CheckStateStep {
  readonly kind: 'checkState';
  readonly accounts: AccountCheck[];
  /** `"+"` in the map: other accounts may exist. */
  readonly othersAllowed: boolean;
}

export interface LogCheck {
  readonly address: Uint8Array;
  readonly identifier: Uint8Array;
  readonly topics: Uint8Array[];
  readonly data: bigint;
}

export interface TxExpect {
  readonly out: Check<Uint8Array>[];
  readonly status: bigint;
  readonly message: string;
  readonly logs: Check<LogCheck[]>;
  readonly gas: Check<bigint>;
  readonly refund: Check<bigint>;
}

export interface TxStep {
  readonly kind: 'scDeploy' | 'scCall' | 'transfer' | 'validatorReward';
  readonly txId: string;
  readonly from: Uint8Array | null;
  readonly to: Uint8Array | null;
  readonly value: bigint;
  readonly function: string;
  readonly arguments: Uint8Array[];
  readonly contractCode: Uint8Array;
  readonly gasLimit: bigint;
  readonly gasPrice: bigint;
  readonly expect: TxExpect | null;
}

export interface ExternalStepsStep {
  readonly kind: 'externalSteps';
  readonly path: string;
}

export type Step = SetStateStep | CheckStateStep | TxStep | ExternalStepsStep;

export interface Scenario {
  readonly file: string;
  readonly name: string;
  readonly checkGas: boolean;
  readonly steps: Step[];
}
