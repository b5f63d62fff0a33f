/**
 * An in-memory blockchain implementing BlockchainHook: the embedded world contract developers run against, and
 * the scenario runner's state (scenario-format.md §6.2, §9).
 */
import type { Account, BlockchainHook, BytesMapEntry, ContractCallInput, VMOutput } from '@vm/protocol';

export interface WorldAccount {
  readonly address: Uint8Array;
  nonce: bigint;
  balance: bigint;
  readonly storage: Map<string, Uint8Array>;
  code: Uint8Array;
  /** The data of the last transfers that reached this account (cross-shard calls, callbacks). */
  asyncCallData: string;
  owner: Uint8Array;
}

export interface BlockInfo {
  timestamp: bigint;
  nonce: bigint;
  round: bigint;
  epoch: number;
}

export interface NewAddressMock {
  readonly creator: Uint8Array;
  readonly nonce: bigint;
  readonly address: Uint8Array;
}

const hex = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
const EMPTY = new Uint8Array(0);

export class MemoryWorld implements BlockchainHook {
  readonly accounts = new Map<string, WorldAccount>();
  currentBlock: BlockInfo | null = null;
  previousBlock: BlockInfo | null = null;
  blockHashes: Uint8Array[] = [];
  readonly newAddressMocks: NewAddressMock[] = [];

  /** Removes every account and block hash (block info and address mocks stay, as in the reference runner). */
  clear(): void {
    this.accounts.clear();
    this.blockHashes = [];
  }

  account(address: Uint8Array): WorldAccount | undefined {
    return this.accounts.get(hex(address));
  }

  /** The account, created empty if missing. */
  accountOrNew(address: Uint8Array): WorldAccount {
    let account = this.account(address);
    if (!account) {
      account = {
        address: Uint8Array.from(address),
        nonce: 0n,
        balance: 0n,
        storage: new Map(),
        code: EMPTY,
        asyncCallData: '',
        owner: EMPTY,
      };
      this.accounts.set(hex(address), account);
    }
    return account;
  }

  setAccount(account: WorldAccount): void {
    this.accounts.set(hex(account.address), account);
  }

  // ------------------------------------------------------------------ BlockchainHook

  newAddress(creatorAddress: Uint8Array, creatorNonce: bigint): Uint8Array {
    const mock = this.newAddressMocks.find(
      (m) => Buffer.compare(m.creator, creatorAddress) === 0 && m.nonce === creatorNonce,
    );
    if (mock) return mock.address;
    // The reference runner's generator: 10 zero bytes, 0x11 x4, creator[0..15), the nonce's low byte, creator[30..32).
    const address = new Uint8Array(32);
    address.fill(0x11, 10, 14);
    address.set(creatorAddress.subarray(0, 15), 14);
    address[29] = Number(creatorNonce & 0xffn);
    address.set(creatorAddress.subarray(30, 32), 30);
    return address;
  }

  getStorageData(accountAddress: Uint8Array, index: Uint8Array): Uint8Array {
    return this.account(accountAddress)?.storage.get(hex(index)) ?? EMPTY;
  }

  getBlockhash(nonce: bigint): Uint8Array | null {
    return nonce < BigInt(this.blockHashes.length) ? this.blockHashes[Number(nonce)] : null;
  }

  lastNonce = (): bigint => this.previousBlock?.nonce ?? 0n;
  lastRound = (): bigint => this.previousBlock?.round ?? 0n;
  lastTimeStamp = (): bigint => this.previousBlock?.timestamp ?? 0n;
  lastRandomSeed = (): Uint8Array | null => null;
  lastEpoch = (): number => this.previousBlock?.epoch ?? 0;
  getStateRootHash = (): Uint8Array | null => null;
  currentNonce = (): bigint => this.currentBlock?.nonce ?? 0n;
  currentRound = (): bigint => this.currentBlock?.round ?? 0n;
  currentTimeStamp = (): bigint => this.currentBlock?.timestamp ?? 0n;
  currentRandomSeed = (): Uint8Array | null => null;
  currentEpoch = (): number => this.currentBlock?.epoch ?? 0;

  /** No built-in functions in this world: an empty output. */
  processBuiltInFunction(input: ContractCallInput): VMOutput {
    return {
      ReturnData: [],
      ReturnCode: 0,
      ReturnMessage: '',
      GasRemaining: input.GasProvided,
      GasRefund: 0n,
      OutputAccounts: [],
      DeletedAccounts: [],
      TouchedAccounts: [],
      Logs: [],
    };
  }

  getBuiltinFunctionNames = (): string[] => [];

  getAllState(address: Uint8Array): BytesMapEntry[] {
    return [...(this.account(address)?.storage ?? [])].map(([key, value]) => ({ key: Buffer.from(key, 'hex'), value }));
  }

  getUserAccount(address: Uint8Array): Account | null {
    const a = this.account(address);
    if (!a) return null;
    return {
      Nonce: a.nonce,
      Balance: a.balance,
      CodeHash: null,
      RootHash: null,
      Address: a.address,
      DeveloperReward: 0n,
      OwnerAddress: a.owner,
      UserName: null,
      CodeMetadata: null,
      Code: a.code,
    };
  }

  getShardOfAddress = (): number => 0;
  isSmartContract = (): boolean => false;

  // ------------------------------------------------------------------ applying results

  /**
   * Applies a successful VMOutput (reference runner §6 step 4): balances, nonces, code, async call data, storage.
   * New accounts are owned by `owner` (the transaction's sender).
   */
  applyOutput(output: VMOutput, owner: Uint8Array): void {
    for (const out of output.OutputAccounts ?? []) {
      if (!out.Address) continue;
      const existed = this.account(out.Address) !== undefined;
      const account = this.accountOrNew(out.Address);
      if (!existed) account.owner = Uint8Array.from(owner);
      account.balance += out.BalanceDelta ?? 0n;
      if (out.Nonce > account.nonce) account.nonce = out.Nonce;
      if (out.Code && out.Code.length > 0) account.code = out.Code;
      if (out.Data && out.Data.length > 0) account.asyncCallData = Buffer.from(out.Data).toString('latin1');
      for (const update of out.StorageUpdates ?? []) {
        if (!update.Offset) continue;
        if (!update.Data || update.Data.length === 0) account.storage.delete(hex(update.Offset));
        else account.storage.set(hex(update.Offset), update.Data);
      }
    }
    for (const deleted of output.DeletedAccounts ?? []) if (deleted) this.accounts.delete(hex(deleted));
  }
}

/** What the scenario executor needs of a world: MemoryWorld, or any object with the same state and methods. */
export type ScenarioWorld = Pick<
  MemoryWorld,
  | 'accounts'
  | 'account'
  | 'accountOrNew'
  | 'setAccount'
  | 'applyOutput'
  | 'clear'
  | 'newAddressMocks'
  | 'currentBlock'
  | 'previousBlock'
  | 'blockHashes'
>;
