/**
 * Busy polling: before a process sleeps waiting for its peer, it reads the fd without blocking for a short,
 * bounded time. A ping-pong between two processes otherwise pays, on every message, for waking a sleeping CPU
 * (tens of microseconds on a virtual machine, charged to the writer as well as the reader); a peer that answers
 * within the budget costs a few microseconds instead. The budget is the only CPU ever burnt: after it the caller
 * sleeps exactly as before.
 */
import { readSync } from 'node:fs';

/** What `tryRead` returns when no byte is available yet. */
export const NOTHING_YET = -1;

/** One non-blocking read of an fd in non-blocking mode: bytes read (0 = end of stream) or NOTHING_YET. */
export function tryRead(fd: number, target: Uint8Array): number {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // EAGAIN is an exception; without a stack trace it costs a third less
  try {
    return readSync(fd, target, 0, target.length, null);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return NOTHING_YET;
    throw error;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * When to poll. A poll that runs out of budget means the peer is busy for longer, or shares this CPU (the poll
 * then only delays it): the next waits skip polling, twice as many after each failure (at most MAX_BACKOFF),
 * until a poll succeeds again.
 */
export class PollPolicy {
  static readonly MAX_BACKOFF = 64;
  private skip = 0;
  private backoff = 0;
  /** Polls that saw bytes arrive / that ran out of budget. */
  hits = 0;
  misses = 0;

  /** `clock`: nanoseconds, monotonic (process.hrtime.bigint); a test can pass its own. */
  constructor(
    readonly micros: number,
    private readonly clock: () => bigint = process.hrtime.bigint,
  ) {}

  /** The end of a poll of `micros` microseconds from now. */
  budget(micros: number = this.micros): bigint {
    return this.clock() + BigInt(Math.round(micros * 1000));
  }

  /** Whether a poll's budget is spent. */
  expired(budget: bigint): boolean {
    return this.clock() >= budget;
  }

  /** Whether the coming wait polls first. */
  shouldPoll(): boolean {
    if (this.micros <= 0) return false;
    if (this.skip === 0) return true;
    this.skip--;
    return false;
  }

  /** The outcome of a poll: bytes arrived, or the budget ran out. */
  record(success: boolean): void {
    if (success) {
      this.hits++;
      this.backoff = 0;
      return;
    }
    this.misses++;
    this.backoff = Math.min(Math.max(1, this.backoff * 2), PollPolicy.MAX_BACKOFF);
    this.skip = this.backoff;
  }
}
