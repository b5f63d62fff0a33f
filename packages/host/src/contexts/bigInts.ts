/** The big-integer handle table of a contract execution (§3.2): handles are small integers, missing ones read as 0. */
import type { StateStack } from './stateStack';

export class BigIntContext implements StateStack {
  /** Made on the first value (most contracts never use a big integer). */
  private values: Map<number, bigint> | undefined = undefined;
  /** Made on the first push (most frames never nest). */
  private saved: Map<number, bigint>[] | undefined = undefined;

  /** `Put`: the smallest free handle at or above the table's size. */
  put(value: bigint): number {
    const values = (this.values ??= new Map());
    let handle = values.size;
    while (values.has(handle)) handle++;
    values.set(handle, value);
    return handle;
  }

  /** `GetOne`: a missing handle is created with value 0 (which changes later handle numbering, as in the reference). */
  get(handle: number): bigint {
    const values = (this.values ??= new Map());
    const value = values.get(handle);
    if (value !== undefined) return value;
    values.set(handle, 0n);
    return 0n;
  }

  set(handle: number, value: bigint): void {
    (this.values ??= new Map()).set(handle, value);
  }

  /** A copy of the table (a same-context call works on the caller's table and may have to be undone). */
  pushState(): void {
    (this.saved ??= []).push(new Map(this.values ?? []));
  }

  popSetActiveState(): void {
    this.values = this.saved!.pop()!;
  }

  /** The active table already holds everything the call did. */
  popMergeActiveState(): void {
    this.saved!.pop();
  }

  popDiscard(): void {
    this.saved!.pop();
  }
}
