/**
 * Compiled modules, keyed by (code hash, gas schedule): validation, instrumentation and compilation happen once
 * per code; every execution gets an instance that is exactly fresh, pooled or new (execution/instances.ts; the
 * reference never keeps memory between calls).
 */
import { createHash } from 'node:crypto';
import type { GasSchedule } from '../gas/gasSchedule';
import { InvalidModule } from '../wasm/binary';
import { instrumentModule } from '../wasm/instrument';
import { checkImports, type EeiRow } from '../eei/table';
import { describeExports, type CompiledContract } from './instance';

export type CompileResult = { ok: true; contract: CompiledContract } | { ok: false; reason: string };

export class ModuleCache {
  private readonly entries = new Map<string, CompileResult>();
  /**
   * The same code array again (as an in-memory world returns it) skips hashing; its bytes are still compared
   * with a private copy (a memcmp, far cheaper than a hash), so a mutated array can never run stale code.
   */
  private readonly byIdentity = new WeakMap<Uint8Array, { copy: Buffer; result: CompileResult }>();
  /** Recently seen codes by length: a code arriving as a new array (over the pipe) is found by a memcmp, not a hash. */
  private readonly byLength = new Map<number, { copy: Buffer; result: CompileResult }[]>();
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
    if (known && known.copy.equals(code)) return known.result;
    const sameLength = this.byLength.get(code.length) ?? [];
    const seen = sameLength.find((entry) => entry.copy.equals(code));
    if (seen) return seen.result;
    const entry = { copy: Buffer.from(code), result: this.getByHash(code) };
    this.byIdentity.set(code, entry);
    sameLength.push(entry);
    if (sameLength.length > 4) sameLength.shift();
    this.byLength.set(code.length, sameLength);
    if (this.byLength.size > this.capacity) this.byLength.delete(this.byLength.keys().next().value as number);
    return entry.result;
  }

  private getByHash(code: Uint8Array): CompileResult {
    const key = createHash('sha256').update(code).digest('hex');
    const cached = this.entries.get(key);
    if (cached) {
      this.entries.delete(key); // most recently used last
      this.entries.set(key, cached);
      return cached;
    }
    const result = this.compile(code);
    this.entries.set(key, result);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return result;
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
