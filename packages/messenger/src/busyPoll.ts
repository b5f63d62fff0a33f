/**
 * Busy polling: before a process sleeps waiting for its peer, it reads the fd without blocking for a short,
 * bounded time. A ping-pong between two processes otherwise pays, on every message, for waking a sleeping CPU
 * (tens of microseconds on a virtual machine, charged to the writer as well as the reader); a peer that answers
 * within the budget costs a few microseconds instead. The budget is the only CPU ever burnt: after it the caller
 * sleeps exactly as before.
 */
import { readSync } from 'node:fs';
import { Socket } from 'node:net';

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

  constructor(readonly micros: number) {}

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

/** A clock for poll budgets, in nanoseconds. */
export function pollDeadline(micros: number): bigint {
  return process.hrtime.bigint() + BigInt(Math.round(micros * 1000));
}

export function pollExpired(deadline: bigint): boolean {
  return process.hrtime.bigint() >= deadline;
}

/**
 * Switches an inherited socket or pipe fd between blocking and non-blocking mode (Node has no fcntl: a libuv
 * pipe handle that never reads or writes does it). Null when the fd is of another type (a file, a terminal).
 * The mode belongs to the open file description, which only this process holds for the VM's own pipe ends.
 */
export interface BlockingSwitch {
  setBlocking(blocking: boolean): void;
}

export function openBlockingSwitch(fd: number): BlockingSwitch | null {
  let socket: Socket;
  try {
    // readable/writable false: the handle never reads, so it cannot take bytes from the fd
    socket = new Socket({ fd, readable: false, writable: false });
  } catch {
    return null;
  }
  const handle = (socket as unknown as { _handle?: { setBlocking?(blocking: boolean): number } })._handle;
  if (typeof handle?.setBlocking !== 'function') return null;
  const setBlocking = (blocking: boolean): void => {
    void socket; // kept referenced with its handle for the life of the switch
    const status = (handle.setBlocking as (blocking: boolean) => number).call(handle, blocking);
    if (status !== 0)
      throw new Error(`cannot make fd ${fd} ${blocking ? 'blocking' : 'non-blocking'} (uv error ${status})`);
  };
  setBlocking(true); // opening the handle made it non-blocking
  return { setBlocking };
}

/** The fd under a Node stream over a pipe or socket (e.g. a child's stdio), if it has one. */
export function streamFd(stream: object): number | undefined {
  const fd = (stream as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}
