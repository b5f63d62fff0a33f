/** The big-integer handle table of a contract execution (§3.2): handles are small integers, missing ones read as 0. */
export class BigIntContext {
  private values = new Map<number, bigint>();

  /** `Put`: the smallest free handle at or above the table's size. */
  put(value: bigint): number {
    let handle = this.values.size;
    while (this.values.has(handle)) handle++;
    this.values.set(handle, value);
    return handle;
  }

  /** `GetOne`: a missing handle is created with value 0 (which changes later handle numbering, as in the reference). */
  get(handle: number): bigint {
    const value = this.values.get(handle);
    if (value !== undefined) return value;
    this.values.set(handle, 0n);
    return 0n;
  }

  set(handle: number, value: bigint): void {
    this.values.set(handle, value);
  }

  /** Back to a clone's values (a failed same-context call). */
  restoreFrom(clone: BigIntContext): void {
    this.values = new Map(clone.values);
  }

  clone(): BigIntContext {
    const copy = new BigIntContext();
    copy.values = new Map(this.values);
    return copy;
  }
}
