/**
 * A debug world: MemoryWorld with what the reference's debug world adds (code metadata, user names, shards, its
 * address generator), read from and written to `<db>/worlds/<World>.json` in the reference's layout.
 */
import { readFile } from 'node:fs/promises';
import type { VMOutput } from '@vm/protocol';
import { MemoryWorld, type BlockInfo } from '../scenario/memoryWorld';
import { writeFileAtomic } from '../atomicFile';
import { goJson } from './goJson';

/** A world file that cannot be read as a world: reported, never overwritten. */
export class WorldFileError extends Error {
  override name = 'WorldFileError';
}

/** Per account, what MemoryWorld does not keep. */
interface AccountExtra {
  codeMetadata: Uint8Array;
  userName: Uint8Array;
  shardId: number;
}

/** One account in the world file, as the reference writes it. */
export interface AccountJson {
  AddressHex: string;
  Nonce: bigint;
  Balance: bigint;
  CodeHex: string;
  CodeMetadataHex: string;
  OwnerAddressHex: string;
  UserNameHex: string;
  Storage: Record<string, string>;
  ShardID: number;
}

const EMPTY = new Uint8Array(0);
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const CONTRACT_PREFIX = Buffer.from('contract');

/** A transaction as the world's log keeps it (an extension of the file: `Transactions`), JSON-safe. */
export type TransactionRecord = Record<string, unknown> & { ID: number };

export class DebugWorld extends MemoryWorld {
  readonly extras = new Map<string, AccountExtra>();
  /** How many deploys, upgrades and runs were executed (their records: the world's transaction log). */
  transactionCount = 0;
  /**
   * Whether the world is exactly what its last transaction record left (no account created, block set or world
   * loaded since): the next record then needs no copy of the state before it (see scenarioExport.ts).
   */
  atLastTransaction = false;
  /** The current block's random seed (`POST /worlds/:id/block` `RandomSeed`), empty when never set. */
  randomSeed: Uint8Array = EMPTY;

  constructor(readonly id: string) {
    super();
  }

  extra(address: Uint8Array): AccountExtra {
    const key = hex(address);
    let extra = this.extras.get(key);
    if (!extra) this.extras.set(key, (extra = { codeMetadata: EMPTY, userName: EMPTY, shardId: 0 }));
    return extra;
  }

  /** The reference debug world's generator: the creator's address, "contract" over its first 8 bytes, the decimal nonce from byte 8. */
  override newAddress(creatorAddress: Uint8Array, creatorNonce: bigint): Uint8Array {
    if (creatorAddress.length !== 32) throw new Error('bad creator address: expected 32 bytes');
    const address = Uint8Array.from(creatorAddress);
    address.set(CONTRACT_PREFIX, 0);
    address.set(Buffer.from(creatorNonce.toString()).subarray(0, 24), 8);
    return address;
  }

  override isSmartContract = (address?: Uint8Array): boolean =>
    (address ? (this.account(address)?.code.length ?? 0) : 0) > 0;
  override currentRandomSeed = (): Uint8Array | null => (this.randomSeed.length > 0 ? this.randomSeed : null);
  override getShardOfAddress = (address?: Uint8Array): number =>
    (address && this.extras.get(hex(address))?.shardId) ?? 0;

  /** MemoryWorld's merge, plus the code metadata of (re)deployed code. */
  override applyOutput(output: VMOutput, owner: Uint8Array): void {
    super.applyOutput(output, owner);
    for (const out of output.OutputAccounts ?? [])
      if (out.Address && out.Code && out.Code.length > 0)
        this.extra(out.Address).codeMetadata = out.CodeMetadata ?? EMPTY;
  }

  accountJson(address: Uint8Array): AccountJson | undefined {
    const account = this.account(address);
    if (!account) return undefined;
    const extra = this.extras.get(hex(address));
    return {
      AddressHex: hex(account.address),
      Nonce: account.nonce,
      Balance: account.balance,
      CodeHex: hex(account.code),
      CodeMetadataHex: hex(extra?.codeMetadata ?? EMPTY),
      OwnerAddressHex: hex(account.owner),
      UserNameHex: hex(extra?.userName ?? EMPTY),
      Storage: Object.fromEntries(
        [...account.storage].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, hex(v)]),
      ),
      ShardID: extra?.shardId ?? 0,
    };
  }

  /**
   * The world file's content: the reference's layout, accounts sorted by address, plus `Block`,
   * `TransactionCount` and `AtLastTransaction` when any.
   */
  toFileObject(): Record<string, unknown> {
    const keys = [...this.accounts.keys()].sort();
    const accounts = Object.fromEntries(keys.map((k) => [k, this.accountJson(Buffer.from(k, 'hex'))]));
    const block = this.currentBlock || this.randomSeed.length > 0 ? blockJson(this) : undefined;
    const count = this.transactionCount > 0 ? this.transactionCount : undefined;
    return {
      ID: this.id,
      Accounts: accounts,
      Block: block,
      TransactionCount: count,
      AtLastTransaction: this.atLastTransaction || undefined,
    };
  }

  /** The world file's text (tab-indented, as the reference writes it). */
  toFileText(): string {
    return `${goJson(this.toFileObject(), '\t')}\n`;
  }
}

function blockJson(world: DebugWorld) {
  const b: BlockInfo = world.currentBlock ?? { nonce: 0n, round: 0n, timestamp: 0n, epoch: 0 };
  const seed = world.randomSeed.length > 0 ? hex(world.randomSeed) : undefined;
  return { Nonce: b.nonce, Round: b.round, Timestamp: b.timestamp, Epoch: b.epoch, RandomSeedHex: seed };
}

/** Reads a world file; a missing file is an empty world (as in the reference), anything unreadable a WorldFileError. */
export async function loadWorld(file: string, id: string): Promise<DebugWorld> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new DebugWorld(id);
    throw error;
  }
  try {
    return parseWorld(text, id);
  } catch (error) {
    throw new WorldFileError(`world file ${file} is corrupt (${(error as Error).message}); it is left as it is`);
  }
}

/** Writes the world atomically. */
export function saveWorld(file: string, world: DebugWorld): Promise<void> {
  return writeFileAtomic(file, world.toFileText());
}

// Go writes Balance (a *big.Int) and Nonce as bare numbers, beyond what a JS number holds exactly: quote them first.
const BIG_NUMBER_FIELDS = /("(?:Balance|Nonce|Round|Timestamp)"\s*:\s*)(-?\d+)/g;

/** A world from its file's text (or a transaction record's `Before`); throws on anything that is not a world. */
export function parseWorld(text: string, id: string): DebugWorld {
  const root = JSON.parse(text.replace(BIG_NUMBER_FIELDS, '$1"$2"')) as unknown;
  if (!isObject(root)) throw new Error('not a JSON object');
  const world = new DebugWorld(id);
  const accounts = root.Accounts ?? {};
  if (!isObject(accounts)) throw new Error('Accounts is not an object');
  for (const [key, value] of Object.entries(accounts)) {
    if (!isObject(value)) throw new Error(`account ${key} is not an object`);
    const at = `account ${key}`;
    const address = hexField(value.AddressHex ?? key, `${at} AddressHex`);
    const account = world.accountOrNew(address);
    account.nonce = bigField(value.Nonce, `${at} Nonce`);
    account.balance = bigField(value.Balance, `${at} Balance`);
    account.code = hexField(value.CodeHex, `${at} CodeHex`);
    account.owner = hexField(value.OwnerAddressHex, `${at} OwnerAddressHex`);
    const extra = world.extra(address);
    extra.codeMetadata = hexField(value.CodeMetadataHex, `${at} CodeMetadataHex`);
    extra.userName = hexField(value.UserNameHex, `${at} UserNameHex`);
    extra.shardId = Number(bigField(value.ShardID, `${at} ShardID`));
    const storage = value.Storage ?? {};
    if (!isObject(storage)) throw new Error(`${at} Storage is not an object`);
    for (const [k, v] of Object.entries(storage)) {
      const data = hexField(v, `${at} Storage ${k}`);
      // The reference keeps a deleted key as "": absent here.
      if (data.length > 0) account.storage.set(hex(hexField(k, `${at} Storage key`)), data);
    }
  }
  if (root.Block !== undefined) {
    if (!isObject(root.Block)) throw new Error('Block is not an object');
    const b = root.Block;
    world.currentBlock = {
      nonce: bigField(b.Nonce, 'Block Nonce'),
      round: bigField(b.Round, 'Block Round'),
      timestamp: bigField(b.Timestamp, 'Block Timestamp'),
      epoch: Number(bigField(b.Epoch, 'Block Epoch')),
    };
    world.randomSeed = hexField(b.RandomSeedHex, 'Block RandomSeedHex');
  }
  world.atLastTransaction = root.AtLastTransaction === true;
  if (root.TransactionCount !== undefined)
    world.transactionCount = Number(bigField(root.TransactionCount, 'TransactionCount'));
  return world;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hexField(value: unknown, where: string): Uint8Array {
  if (value === undefined || value === null || value === '') return EMPTY;
  if (typeof value !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(value)) throw new Error(`${where} is not hex`);
  return Uint8Array.from(Buffer.from(value, 'hex'));
}

function bigField(value: unknown, where: string): bigint {
  if (value === undefined || value === null) return 0n;
  if ((typeof value === 'string' && /^\d+$/.test(value)) || (typeof value === 'number' && Number.isInteger(value)))
    return BigInt(value);
  throw new Error(`${where} is not a whole number`);
}
