/**
 * The live instances of an execution, a stack (the reference's runtime instance stack): starting one compiles
 * the code (cached) and instantiates it with the gas limit, reusing a pooled instance or a pooled memory; the
 * finished frame's instance goes back to its pool. At most MAX_INSTANCES live at once.
 */
import { getLogger } from '@vm/logging';
import { MEMORY_IMPORT } from '../wasm/instrument';
import { CALL_DEPTH_BUDGET } from '../wasm/limits';
import { halt } from './contractErrors';
import type { ExecutionContext } from './executionContext';
import { ContractInstance, type CompiledContract } from './instance';
import { InstancePool } from './instancePool';
import { MemoryPool } from './memoryPool';
import type { ModuleCache } from './moduleCache';

/** The validator's reason for a rejected contract (its VMOutput keeps the reference's `invalid contract code`). */
const log = getLogger('arwen/host');

/** At most this many live instances (nesting depth 9 below the top level). */
export const MAX_INSTANCES = 10;

export class Instances {
  private readonly memories = new MemoryPool();
  private readonly pool = new InstancePool();
  private readonly frames: ExecutionContext[] = [];
  private readonly imports: WebAssembly.Imports;

  /** `imports` builds the import object; its host functions call into `current()`, the frame on top. */
  constructor(
    private readonly modules: ModuleCache,
    imports: (current: () => ExecutionContext) => WebAssembly.Imports,
  ) {
    const frames = this.frames;
    this.imports = imports(() => frames[frames.length - 1]);
  }

  /** Compile (cached) and instantiate with the gas limit; any failure is ContractInvalid. */
  start(ctx: ExecutionContext, code: Uint8Array, gasLimit: bigint): void {
    if (this.frames.length >= MAX_INSTANCES) halt('maxInstancesReached');
    if (code.length === 0) halt('contractInvalid');
    const parent = this.frames[this.frames.length - 1];
    const depthLimit = parent ? Math.max(0, parent.instance.depthLimit - parent.instance.depth) : CALL_DEPTH_BUDGET;
    const compiled = this.modules.get(code);
    if (!compiled.ok) {
      log.debug('invalid contract code', { reason: compiled.reason });
      halt('contractInvalid');
    }
    const { contract } = compiled;
    ctx.attach(
      this.pool.acquire(contract, gasLimit, depthLimit) ?? this.instantiate(contract, gasLimit, depthLimit),
      code,
    );
    this.frames.push(ctx);
  }

  /** A new instance of the contract (a pooled memory if one is free); a failure to link or start is ContractInvalid. */
  private instantiate(contract: CompiledContract, gasLimit: bigint, depthLimit: number): ContractInstance {
    const { memory } = contract;
    const linearMemory = memory && this.memories.acquire(memory.initial, memory.maximum);
    const imports = linearMemory
      ? { ...this.imports, [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: linearMemory } }
      : this.imports;
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(contract.module, imports);
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError || error instanceof WebAssembly.LinkError) halt('contractInvalid');
      throw error;
    }
    return new ContractInstance({ contract, instance, gasLimit, depthLimit, memory: linearMemory });
  }

  /** The frame has ended: off the stack, its instance back to the pool. */
  end(ctx: ExecutionContext): void {
    const index = this.frames.lastIndexOf(ctx);
    if (index >= 0) this.frames.splice(index, 1);
    this.release(ctx);
  }

  /** The execution has ended: every frame still live is released. */
  endAll(): void {
    for (const ctx of this.frames) this.release(ctx);
    this.frames.length = 0;
  }

  /** The finished frame's instance goes back to the instance pool (or its memory to the memory pool). */
  private release(ctx: ExecutionContext): void {
    const instance = ctx.instance;
    if (!instance) return;
    const { contract } = instance;
    if (contract.layout.dataSegments !== undefined) this.pool.release(instance);
    else if (contract.memory && instance.linearMemory)
      this.memories.release(instance.linearMemory, contract.memory.initial, contract.memory.maximum);
  }
}
