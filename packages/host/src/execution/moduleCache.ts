/**
 * Compiled modules, keyed by their code (one cache per gas schedule): validation, instrumentation and compilation happen once
 * per code; every execution gets an instance that is exactly fresh, pooled or new (execution/instances.ts; the
 * reference never keeps memory between calls).
 */
import type { GasSchedule } from '../gas/gasSchedule';
import { InvalidModule } from '../wasm/binary';
import { instrumentModule } from '../wasm/instrument';
import { checkImports, type EeiRow } from '../eei/table';
import { describeExports, type CompiledContract } from './instance';

export type CompileResult = { ok: true; contract: CompiledContract } | { ok: false; reason: string };

/** A compiled code and the private copy of the bytes it was compiled from (compared on every lookup). */
interface Entry {
  readonly copy: Buffer;
  readonly result: CompileResult;
  evicted: boolean;
}

/** Distinct codes of one length kept at most: a miss compares with each (a memcmp, stopping at the first difference). */
const PER_LENGTH = 16;

/**
 * Compiled codes found by their bytes, never by a hash of them (hashing a code costs more than comparing it, and a
 * VM process would load node:crypto for it): by length, then a memcmp with a private copy, so a mutated array can
 * never run stale code.
 */
export class ModuleCache {
  /** The same code array again (as an in-memory world returns it) is found at once, then compared. */
  private readonly byIdentity = new WeakMap<Uint8Array, Entry>();
  /** The codes of each length, the least recently used length first and, in each, the least recently used first. */
  private readonly byLength = new Map<number, Entry[]>();
  private size = 0;
  /** How many modules were compiled (not served from the cache): a cached call never recompiles. */
  compilations = 0;
  private readonly opcodeCosts: readonly number[];

  constructor(
    schedule: GasSchedule,
    private readonly rows: ReadonlyMap<string, EeiRow>,
    private readonly capacity = 512,
  ) {
    this.opcodeCosts = schedule.opcodeCosts.map(Number);
  }

  get(code: Uint8Array): CompileResult {
    const known = this.byIdentity.get(code);
    if (known && !known.evicted && known.copy.equals(code)) return known.result;
    const bucket = this.byLength.get(code.length) ?? [];
    const at = bucket.findIndex((entry) => entry.copy.equals(code));
    const entry = at >= 0 ? bucket.splice(at, 1)[0] : this.add(code);
    bucket.push(entry);
    this.byLength.delete(code.length); // most recently used last
    this.byLength.set(code.length, bucket);
    this.byIdentity.set(code, entry);
    if (bucket.length > PER_LENGTH) this.evict(bucket);
    while (this.size > this.capacity) this.evict(this.byLength.values().next().value as Entry[]);
    return entry.result;
  }

  private add(code: Uint8Array): Entry {
    this.size++;
    return { copy: Buffer.from(code), result: this.compile(code), evicted: false };
  }

  /** Drops the least recently used code of a bucket (and the bucket once empty). */
  private evict(bucket: Entry[]): void {
    const oldest = bucket.shift()!;
    oldest.evicted = true;
    this.size--;
    if (bucket.length === 0) this.byLength.delete(oldest.copy.length);
  }

  private compile(code: Uint8Array): CompileResult {
    this.compilations++;
    try {
      const { bytes, layout, memory, tracksStores, storeReach } = instrumentModule(code, this.opcodeCosts);
      checkImports(layout, this.rows);
      const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
      return {
        ok: true,
        contract: { module, layout, memory, tracksStores, storeReach, ...describeExports(layout) },
      };
    } catch (error) {
      if (error instanceof InvalidModule || error instanceof WebAssembly.CompileError)
        return { ok: false, reason: (error as Error).message };
      throw error;
    }
  }
}
