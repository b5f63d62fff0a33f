/**
 * Reused wasm instances. Creating an instance costs more than a whole ERC20 transfer's other work; an instance
 * whose memory did not grow is made exactly fresh again instead: what the last call wrote zeroed and the data
 * segments written again where it touched them (ContractInstance.wipe), its mutable globals reset by the injected
 * reset function (ContractInstance.arm). Tables cannot change
 * in the MVP. The reference creates a fresh instance per call; the contract cannot tell the difference.
 */
import { PAGE } from '../wasm/limits';
import type { CompiledContract, ContractInstance } from './instance';

const KEEP_PER_CONTRACT = 8;

export class InstancePool {
  private readonly free = new WeakMap<CompiledContract, ContractInstance[]>();

  /** A reset instance of the contract, if one is available, armed with the call's gas limit and depth budget. */
  acquire(contract: CompiledContract, gasLimit: bigint, depthLimit: number): ContractInstance | undefined {
    const pooled = this.free.get(contract)?.pop();
    if (!pooled) return undefined;
    pooled.wipe(contract.layout.dataSegments!);
    pooled.arm(gasLimit, depthLimit);
    return pooled;
  }

  /** Keeps the instance for reuse if it can be made fresh again (its memory did not grow). */
  release(instance: ContractInstance): void {
    const { contract, linearMemory: memory } = instance;
    if (!memory || !contract.memory || contract.layout.dataSegments === undefined) return;
    if (memory.buffer.byteLength !== contract.memory.initial * PAGE) return;
    let list = this.free.get(contract);
    if (!list) this.free.set(contract, (list = []));
    if (list.length < KEEP_PER_CONTRACT) list.push(instance);
  }
}
