/**
 * A pool of VM processes for read-only queries: each query goes to the least busy process, so N queries run in
 * parallel on N children, each with its own dialogue. The node never applies a query's output, so the order
 * between processes does not matter; state-changing transactions belong on a single VMDriver.
 */
import type { ContractCallInput, VMOutput } from '@vm/protocol';
import { VMDriver, type VMDriverOptions } from './vmDriver';

export class VMQueryPool {
  private readonly drivers: { driver: VMDriver; pending: number }[];

  constructor(size: number, options: VMDriverOptions) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('a pool needs at least one process');
    this.drivers = Array.from({ length: size }, () => ({ driver: new VMDriver(options), pending: 0 }));
  }

  get size(): number {
    return this.drivers.length;
  }

  /** Runs a query on the least busy process. */
  async query(input: ContractCallInput): Promise<VMOutput> {
    return this.onLeastBusy((driver) => driver.runSmartContractCall(input));
  }

  /** Runs `task` on the least busy process (e.g. diagnoseWait). */
  async onLeastBusy<T>(task: (driver: VMDriver) => Promise<T>): Promise<T> {
    const slot = this.drivers.reduce((best, d) => (d.pending < best.pending ? d : best));
    slot.pending++;
    try {
      return await task(slot.driver);
    } finally {
      slot.pending--;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.drivers.map((d) => d.driver.close()));
  }
}
