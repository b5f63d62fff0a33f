import type { Account, BlockchainHook, BytesMapEntry, ContractCallInput, VMOutput } from '@vm/protocol';

/** Hex of the bytes in place (`Buffer.from(b)` would copy them first). */
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export interface FakeAccount {
  nonce?: bigint;
  balance?: bigint;
  code?: Uint8Array;
  owner?: Uint8Array;
  storage?: Map<string, Uint8Array>;
}

/** A small stateful BlockchainHook for tests: accounts by address, storage by key, fixed block info. */
export class FakeBlockchainHook implements BlockchainHook {
  readonly accounts = new Map<string, FakeAccount>();
  newAddressResult = Buffer.alloc(32, 0xaa);
  newAddressCalls: { creator: Uint8Array; nonce: bigint }[] = [];
  currentBlock = { nonce: 7n, round: 8n, timestamp: 1000n, epoch: 2, randomSeed: Buffer.alloc(48, 3) };
  lastBlock = { nonce: 6n, round: 7n, timestamp: 900n, epoch: 1, randomSeed: Buffer.alloc(48, 4) };

  setAccount(address: Uint8Array, account: FakeAccount): this {
    this.accounts.set(hex(address), { storage: new Map(), ...account });
    return this;
  }

  setStorage(address: Uint8Array, key: Uint8Array, value: Uint8Array): this {
    const account = this.accounts.get(hex(address)) ?? this.setAccount(address, {}).accounts.get(hex(address))!;
    account.storage!.set(hex(key), value);
    return this;
  }

  newAddress(creatorAddress: Uint8Array, creatorNonce: bigint): Uint8Array {
    this.newAddressCalls.push({ creator: creatorAddress, nonce: creatorNonce });
    return this.newAddressResult;
  }
  getStorageData(accountAddress: Uint8Array, index: Uint8Array): Uint8Array {
    return this.accounts.get(hex(accountAddress))?.storage?.get(hex(index)) ?? new Uint8Array(0);
  }
  getBlockhash(nonce: bigint): Uint8Array {
    return Buffer.alloc(32, Number(nonce % 256n));
  }
  lastNonce = () => this.lastBlock.nonce;
  lastRound = () => this.lastBlock.round;
  lastTimeStamp = () => this.lastBlock.timestamp;
  lastRandomSeed = () => this.lastBlock.randomSeed;
  lastEpoch = () => this.lastBlock.epoch;
  getStateRootHash = () => Buffer.alloc(32, 9);
  currentNonce = () => this.currentBlock.nonce;
  currentRound = () => this.currentBlock.round;
  currentTimeStamp = () => this.currentBlock.timestamp;
  currentRandomSeed = () => this.currentBlock.randomSeed;
  currentEpoch = () => this.currentBlock.epoch;
  processBuiltInFunction(_input: ContractCallInput): VMOutput | null {
    return null;
  }
  getBuiltinFunctionNames = () => [];
  getAllState(address: Uint8Array): BytesMapEntry[] {
    return [...(this.accounts.get(hex(address))?.storage ?? new Map<string, Uint8Array>())].map(([k, v]) => ({
      key: Buffer.from(k, 'hex'),
      value: v,
    }));
  }
  getUserAccount(address: Uint8Array): Account | null {
    const a = this.accounts.get(hex(address));
    if (!a) return null;
    return {
      Nonce: a.nonce ?? 0n,
      Balance: a.balance ?? 0n,
      CodeHash: null,
      RootHash: null,
      Address: address,
      DeveloperReward: 0n,
      OwnerAddress: a.owner ?? null,
      UserName: null,
      CodeMetadata: null,
      Code: a.code ?? null,
    };
  }
  getShardOfAddress = (address: Uint8Array) => address[address.length - 1] % 3;
  isSmartContract = (address: Uint8Array) => (this.accounts.get(hex(address))?.code?.length ?? 0) > 0;
}
