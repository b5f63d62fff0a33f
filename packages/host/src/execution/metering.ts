/**
 * Gas (the reference's metering context): a frame's counter lives in its wasm instance (the injected gas globals,
 * which the instrumented code charges too); host functions charge, refund and restore through the frame's
 * Metering. The initial deductions and the async step's gas lock are the host's (AsyncStepLock).
 */
import { CallType } from '@vm/protocol';
import type { OutputContext } from '../contexts/output';
import type { StorageCharges } from '../contexts/storage';
import type { GasSchedule } from '../gas/gasSchedule';
import { halt } from './contractErrors';
import type { ContractInstance } from './instance';

export class Metering implements StorageCharges {
  /** Set when the frame's instance starts. */
  instance!: ContractInstance;
  /** Gas that was locked for an asynchronous step's callback, once given back (UnlockGasIfAsyncStep). */
  unlockedGas = 0n;
  /** A failed async callback leaves the caller no gas (the reference sets vmInput.GasProvided to 0). */
  gasExhausted = false;

  constructor(private readonly output: OutputContext) {}

  useGas(amount: bigint): void {
    this.instance.usePoints(amount);
  }

  /** A refund, paid back to the sender by the protocol. */
  freeGas(amount: bigint): void {
    this.output.gasRefund += amount;
  }

  /** RestoreGas: gas a nested call did not use comes back (only if no more than was used). */
  restoreGas(amount: bigint): void {
    if (amount <= this.instance.pointsUsed) this.instance.pointsUsed -= amount;
  }

  /** GasLeft: the limit plus any unlocked async gas, minus what was used; 0 after a failed callback. */
  get gasLeft(): bigint {
    if (this.gasExhausted) return 0n;
    const left = this.instance.gasLimit + this.unlockedGas - this.instance.pointsUsed;
    return left > 0n ? left : 0n;
  }
}

/** GasProvided minus an initial cost, or OutOfGas "not enough gas". */
export function deductInitialGas(gasProvided: bigint, cost: bigint): bigint {
  if (cost > gasProvided) halt('notEnoughGas');
  return gasProvided - cost;
}

/** The code's compile cost (CompilePerByte per byte). */
export function compileCost(schedule: GasSchedule, code: Uint8Array): bigint {
  return schedule.costs.BaseOperationCost.CompilePerByte * BigInt(code.length);
}

/** The async step's gas lock: one field for the whole host, not stacked (a reference quirk, decision 7). */
export class AsyncStepLock {
  locked = 0n;

  /**
   * DeductInitialGasForExecution: the compile cost, and for an asynchronous step the callback's gas lock.
   * Returns the gas left for the instance; `lock` is what unlock gives back.
   */
  deductForExecution(schedule: GasSchedule, gasProvided: bigint, code: Uint8Array, callType: CallType): bigint {
    const gas = deductInitialGas(gasProvided, compileCost(schedule, code));
    if (callType !== CallType.AsynchronousCall) return gas;
    const api = schedule.costs.Kalyan3104APICost;
    const lock = api.AsyncCallStep + api.AsyncCallbackGasLock;
    if (gas <= api.AsyncCallStep + lock) halt('notEnoughGas');
    this.locked = lock;
    return gas - (api.AsyncCallStep + lock);
  }

  /** What an asynchronous step of this schedule locks (0 for other call types). */
  static lockOf(schedule: GasSchedule, callType: CallType): bigint {
    if (callType !== CallType.AsynchronousCall) return 0n;
    const api = schedule.costs.Kalyan3104APICost;
    return api.AsyncCallStep + api.AsyncCallbackGasLock;
  }

  /** UnlockGasIfAsyncStep. */
  unlock(metering: Metering, lock: bigint): void {
    metering.unlockedGas = lock;
    this.locked = 0n;
  }
}
