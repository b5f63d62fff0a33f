/** The crash-loop breaker: after too many crashes in a time window, the driver stops restarting the child. */
import { VMError } from '@vm/protocol';
import { DriverError } from './errors';

export interface RestartPolicy {
  /** Crashes allowed within the window; one more and restarts are refused. */
  maxCrashes: number;
  windowMs: number;
  /** Injectable clock (tests). */
  now?: () => number;
}

export class CrashLoopBreaker {
  private readonly crashes: number[] = [];
  private readonly policy: Required<RestartPolicy>;

  constructor(policy: RestartPolicy = { maxCrashes: 5, windowMs: 60_000 }) {
    this.policy = { now: () => performance.now(), ...policy };
  }

  recordCrash(): void {
    this.crashes.push(this.policy.now());
  }

  /** Why a restart is refused now, or undefined when it is allowed. */
  refusal(): VMError | undefined {
    const since = this.policy.now() - this.policy.windowMs;
    while (this.crashes.length > 0 && this.crashes[0] < since) this.crashes.shift();
    if (this.crashes.length <= this.policy.maxCrashes) return undefined;
    return new VMError(DriverError.ArwenCrashLoop, `${this.crashes.length} crashes within ${this.policy.windowMs} ms`);
  }
}
