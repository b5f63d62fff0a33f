/**
 * Contract storage with the reference's costs and refunds (§3.6): reads are cached as storage updates, writes
 * are classified (unchanged / added / deleted / modified) and charged per byte.
 */
import type { BlockchainHook } from '@vm/protocol';
import { halt } from '../execution/contractErrors';
import type { GasSchedule } from '../gas/gasSchedule';
import { byteKey, sameBytes, type OutputContext, type StorageEntry } from './output';
import type { StateStack } from './stateStack';

export enum StorageStatus {
  Unchanged = 0,
  Modified = 1,
  Added = 2,
  Deleted = 3,
}

export interface StorageCharges {
  useGas(amount: bigint): void;
  freeGas(amount: bigint): void;
}

const EMPTY = new Uint8Array(0);
const EMPTY_ID = byteKey(EMPTY);

/** The storage context's own state: whose storage it is, and whether writes are ignored. */
interface StorageState {
  readonly address: Uint8Array;
  readonly readOnly: boolean;
}

/**
 * Keys given to `get` and `set` may be views into contract memory (read at once, never kept): a key is copied
 * only when the context keeps it (a new entry, or the hook's read). Values given to `set` are owned by the context
 * from then on: every caller passes a fresh array, so a plain Uint8Array is kept as it is (a Buffer is copied into
 * a plain array of its own). Values read from the hook are copied (the hook may keep and change its own arrays);
 * an empty one is shared.
 */
export class StorageContext implements StateStack {
  /** Whose storage reads and writes go to. */
  address: Uint8Array = EMPTY;
  readOnly = false;
  /** Made on the first push (most frames never nest). */
  private saved: StorageState[] | undefined = undefined;

  constructor(
    private readonly hook: BlockchainHook,
    private readonly output: OutputContext,
    private readonly schedule: GasSchedule,
    private readonly protectedPrefix: Uint8Array,
  ) {}

  /** A nested call switches the address (destination context) or the read-only mode; its end puts them back. */
  pushState(): void {
    (this.saved ??= []).push({ address: this.address, readOnly: this.readOnly });
  }

  popSetActiveState(): void {
    const state = this.saved!.pop()!;
    this.address = state.address;
    this.readOnly = state.readOnly;
  }

  /** The values stay in the output's accounts; only the address and mode come back, as for popSetActiveState. */
  popMergeActiveState(): void {
    this.popSetActiveState();
  }

  popDiscard(): void {
    this.saved!.pop();
  }

  get(key: Uint8Array): Uint8Array {
    const account = this.output.account(this.address);
    return this.cachedEntry(account.storage, this.idOf(key), key)?.data ?? EMPTY;
  }

  /** The map key of the key last looked up, and that key's bytes (a copy of its own, kept by the entry). */
  private lastKey: Uint8Array = EMPTY;
  private lastId = EMPTY_ID;

  /** byteKey(key), without making the string again for the key just used (a read, then a write, of one key). */
  private idOf(key: Uint8Array): string {
    if (sameBytes(key, this.lastKey)) return this.lastId;
    return byteKey(key);
  }

  /** The account's storage entry for `key` (its map key `id`), read from the hook once and cached. */
  private cachedEntry(storage: Map<string, StorageEntry>, id: string, key: Uint8Array): StorageEntry | undefined {
    const cached = storage.get(id);
    if (cached) return this.remember(cached, id);
    const kept = copy(key);
    const value = this.hook.getStorageData(this.address, kept);
    if (value == null) return undefined;
    const entry = { key: kept, data: value.length === 0 ? EMPTY : copy(value) };
    storage.set(id, entry);
    return this.remember(entry, id);
  }

  private remember(entry: StorageEntry, id: string): StorageEntry {
    this.lastKey = entry.key;
    this.lastId = id;
    return entry;
  }

  set(key: Uint8Array, value: Uint8Array, charges: StorageCharges): StorageStatus {
    if (startsWith(key, this.protectedPrefix)) halt('reservedKey');
    if (this.readOnly) return StorageStatus.Unchanged;
    const { storage } = this.output.account(this.address);
    const id = this.idOf(key);
    let entry = this.cachedEntry(storage, id, key);
    if (!entry) {
      entry = { key: copy(key), data: EMPTY };
      storage.set(id, entry);
    }
    const old = entry.data;
    const base = this.schedule.costs.BaseOperationCost;
    const length = BigInt(value.length);
    const oldLength = BigInt(old.length);
    entry.data = own(value);
    if (old.length === value.length && Buffer.compare(old, value) === 0) {
      charges.useGas(base.DataCopyPerByte * length);
      return StorageStatus.Unchanged;
    }
    if (old.length === 0) {
      charges.useGas(base.StorePerByte * length);
      return StorageStatus.Added;
    }
    if (value.length === 0) {
      charges.freeGas(base.ReleasePerByte * oldLength);
      return StorageStatus.Deleted;
    }
    if (length > oldLength) charges.useGas(base.PersistPerByte * oldLength + base.StorePerByte * (length - oldLength));
    else if (length < oldLength) {
      charges.useGas(base.PersistPerByte * length);
      charges.freeGas(base.ReleasePerByte * (oldLength - length));
    }
    return StorageStatus.Modified;
  }
}

/** A plain Uint8Array copy (of a Buffer too), without Uint8Array.from's iteration. */
const copy = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);
/** A fresh plain Uint8Array as it is; anything else (a Buffer, maybe a view of a shared pool) copied. */
const own = (bytes: Uint8Array): Uint8Array => (bytes.constructor === Uint8Array ? bytes : copy(bytes));

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length === 0 || key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}
