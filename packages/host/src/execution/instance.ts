/**
 * One contract execution's wasm instance: its memory (re-read after every grow), the injected gas and depth
 * globals, and the breakpoint the injected code sets before trapping.
 */
import { INJECTED, RESET_EXPORT, USE_GAS_EXPORT } from '../wasm/instrument';
import { EXPORT_KIND, type FuncType, type ModuleLayout } from '../wasm/moduleLayout';
import { PAGE } from '../wasm/limits';
import { halt } from './contractErrors';

export interface CompiledContract {
  readonly module: WebAssembly.Module;
  readonly layout: ModuleLayout;
  /** The contract's (now imported) memory, if it has one. */
  readonly memory: { readonly initial: number; readonly maximum: number } | undefined;
  /** Name of the exported memory, if any. */
  readonly memoryExport: string | undefined;
  /** Exported function names -> their type. */
  readonly functions: ReadonlyMap<string, FuncType>;
  /** Whether the rewrite tracks the range of addresses stored to (see instrumentModule). */
  readonly tracksStores: boolean;
  /** The largest offset + width of a store: how far past storedHigh a store may write. */
  readonly storeReach: number;
}

/** Longest read a host function makes from memory; the reference zero-pads reads past the end, without a bound. */
export const MAX_MEMORY_READ = 64 * 1024 * 1024;

export interface InstanceOptions {
  readonly contract: CompiledContract;
  readonly instance: WebAssembly.Instance;
  /** GasProvided after the initial deductions. */
  readonly gasLimit: bigint;
  /** The call-depth budget left to this instance (shared with its callers). */
  readonly depthLimit: number;
  /** The memory handed to the instance (the contract's only memory, imported). */
  readonly memory: WebAssembly.Memory | undefined;
}

const NO_VIEW = new Uint8Array(0);

export class ContractInstance {
  private readonly memory: WebAssembly.Memory | undefined;
  private readonly globals: Record<keyof typeof INJECTED, WebAssembly.Global>;
  private readonly useGasExport: (points: number) => void;
  private readonly resetExport: (gasLimit: bigint, depthLimit: number) => void;
  /** A view of the whole memory, made again when a grow detaches the old buffer (its length becomes 0). */
  private view = NO_VIEW;
  /** The range host functions wrote since the last wipe ([Infinity, 0): none). */
  private hostLow = Infinity;
  private hostHigh = 0;

  readonly contract: CompiledContract;
  readonly instance: WebAssembly.Instance;
  /** The gas limit baked into this instance (GasProvided after the initial deductions). */
  gasLimit = 0n;

  constructor(options: InstanceOptions) {
    const { contract, instance, memory } = options;
    this.contract = contract;
    this.instance = instance;
    const exports = instance.exports as Record<string, WebAssembly.ExportValue>;
    this.memory = memory;
    const global = (name: string) => exports[name] as WebAssembly.Global;
    this.globals = {
      gasUsed: global(INJECTED.gasUsed),
      gasLimit: global(INJECTED.gasLimit),
      breakpoint: global(INJECTED.breakpoint),
      depth: global(INJECTED.depth),
      depthLimit: global(INJECTED.depthLimit),
      storedLow: global(INJECTED.storedLow),
      storedHigh: global(INJECTED.storedHigh),
    };
    this.useGasExport = exports[USE_GAS_EXPORT] as (points: number) => void;
    this.resetExport = exports[RESET_EXPORT] as (gasLimit: bigint, depthLimit: number) => void;
    this.arm(options.gasLimit, options.depthLimit);
  }

  /**
   * Every mutable global to its initial value and the call's gas limit and depth budget set, in one call of the
   * injected reset function: at the start, and again when a pooled instance is reused (after its `wipe`).
   */
  arm(gasLimit: bigint, depthLimit: number): void {
    this.gasLimit = gasLimit;
    this.resetExport(gasLimit, depthLimit); // an i64 parameter wraps as the global did
  }

  get pointsUsed(): bigint {
    return this.globals.gasUsed.value as bigint;
  }

  set pointsUsed(value: bigint) {
    this.globals.gasUsed.value = BigInt.asUintN(64, value);
  }

  /** pointsUsed += amount (mod 2^64); an amount below 2^32 goes through the injected function, without BigInts. */
  usePoints(amount: bigint): void {
    if (amount >= 0n && amount <= 0xffffffffn) this.useGasExport(Number(amount));
    else this.pointsUsed += amount;
  }

  get gasLeft(): bigint {
    const left = this.gasLimit - this.pointsUsed;
    return left > 0n ? left : 0n;
  }

  get breakpoint(): number {
    return this.globals.breakpoint.value as number;
  }

  get depthLimit(): number {
    return this.globals.depthLimit.value as number;
  }

  get depth(): number {
    return this.globals.depth.value as number;
  }

  hasFunction(name: string): boolean {
    return this.contract.functions.has(name);
  }

  call(name: string): void {
    (this.instance.exports[name] as () => void)();
  }

  private bytes(): Uint8Array {
    const view = this.view;
    if (view.length > 0) return view;
    if (!this.memory || this.contract.memoryExport === undefined) halt('memLoadBadBounds');
    return (this.view = new Uint8Array(this.memory.buffer));
  }

  /** MemLoad (§1.0): length 0 is always fine; the tail past the end is zero-padded. A copy of its own. */
  load(offset: number, length: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    const memory = this.readable(offset, length);
    const end = offset + length;
    if (end <= memory.length) return memory.slice(offset, end);
    const out = new Uint8Array(length);
    out.set(memory.subarray(offset));
    return out;
  }

  /**
   * MemLoad as `load`, but a view into memory when the bytes are all inside it: for bytes that are read at once
   * and never kept (hash input), valid only until the contract or a host function next writes memory.
   */
  peek(offset: number, length: number): Uint8Array {
    if (length === 0) return NO_VIEW;
    const memory = this.readable(offset, length);
    const end = offset + length;
    return end <= memory.length ? memory.subarray(offset, end) : this.load(offset, length);
  }

  /** The memory, after MemLoad's bounds checks. */
  private readable(offset: number, length: number): Uint8Array {
    const memory = this.bytes();
    if (offset < 0 || offset > memory.length) halt('memLoadBadBounds');
    if (length < 0) halt('memLoadNegativeLength');
    if (length > MAX_MEMORY_READ) halt('memLoadBadBounds');
    return memory;
  }

  /** MemStore (§1.0): a write past the end grows memory by exactly one page, once. */
  store(offset: number, data: Uint8Array): void {
    if (data.length === 0) return;
    if (offset < 0) halt('badLowerBounds');
    let memory = this.bytes();
    if (offset + data.length > memory.length) {
      try {
        this.memory!.grow(1);
      } catch (error) {
        halt('memoryGrowFailed', (error as Error).message);
      }
      memory = this.bytes();
      if (offset + data.length > memory.length) halt('badUpperBounds');
    }
    memory.set(data, offset);
    if (offset < this.hostLow) this.hostLow = offset;
    if (offset + data.length > this.hostHigh) this.hostHigh = offset + data.length;
  }

  /**
   * Makes the memory exactly as a fresh instance's again (the rest of a reset is the injected reset function's):
   * what the contract's stores and the host functions wrote since the last wipe is zeroed, and the data segments
   * are written again if any of that touched them. A module whose stores are not tracked is zeroed whole.
   */
  wipe(dataSegments: readonly { readonly offset: number; readonly bytes: Uint8Array }[]): void {
    // a pooled instance's memory never grew: a cached view is its whole memory (none: the contract exports none)
    const memory = this.view.length > 0 ? this.view : new Uint8Array(this.memory!.buffer);
    let touched: boolean;
    if (!this.contract.tracksStores) touched = zeroRange(memory, dataSegments, 0, memory.length);
    else {
      const low = (this.globals.storedLow.value as number) >>> 0; // 0xffffffff: no store
      const high = (this.globals.storedHigh.value as number) >>> 0;
      touched = zeroRange(memory, dataSegments, low, Math.min(memory.length, high + this.contract.storeReach));
    }
    touched = zeroRange(memory, dataSegments, this.hostLow, this.hostHigh) || touched;
    this.hostLow = Infinity;
    this.hostHigh = 0;
    // all of them, in order: data segments may overlap, and the later one wins
    if (touched) for (const segment of dataSegments) memory.set(segment.bytes, segment.offset);
  }

  /** The instance's linear memory object (to return it to the pool). */
  get linearMemory(): WebAssembly.Memory | undefined {
    return this.memory;
  }

  get memoryPages(): number {
    return this.memory ? this.memory.buffer.byteLength / PAGE : 0;
  }
}

/** What the compiled contract exports, read once from the layout. */
export function describeExports(layout: ModuleLayout): Pick<CompiledContract, 'memoryExport' | 'functions'> {
  let memoryExport: string | undefined;
  const functions = new Map<string, FuncType>();
  for (const e of layout.exports) {
    if (e.kind === EXPORT_KIND.memory) memoryExport ??= e.name;
    if (e.kind !== EXPORT_KIND.func) continue;
    const typeIndex =
      e.index < layout.imports.length
        ? layout.imports[e.index].typeIndex
        : layout.functionTypes[e.index - layout.imports.length];
    functions.set(e.name, layout.types[typeIndex]);
  }
  return { memoryExport, functions };
}

/** Zeroes memory[from, to); whether that range overlaps a data segment (which must then be written again). */
function zeroRange(
  memory: Uint8Array,
  dataSegments: readonly { readonly offset: number; readonly bytes: Uint8Array }[],
  from: number,
  to: number,
): boolean {
  if (from >= to) return false;
  memory.fill(0, from, to);
  for (const segment of dataSegments)
    if (segment.offset < to && segment.offset + segment.bytes.length > from) return true;
  return false;
}
