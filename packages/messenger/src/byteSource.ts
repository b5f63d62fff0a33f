/**
 * Blocking byte sources for the VM side, which must block inside a contract's host-function call until the
 * node answers.
 *  - FdByteSource: readSync on the inherited, blocking fd (the fastest path; no deadline possible).
 *  - WatchedFdByteSource: a reader thread owns the fd and fills a shared ring buffer; the caller sleeps in
 *    Atomics.wait with a timeout, so a receive can have a deadline.
 * Both can busy-poll for a bounded number of microseconds before sleeping (see busyPoll.ts).
 */
import { readSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { VMError, ErrorCode } from '@vm/protocol';
import { type Deadline } from './deadline';
import { NOTHING_YET, PollPolicy, tryRead } from './busyPoll';
import { NODE_PLATFORM, type BlockingSwitch, type FdPlatform } from './platform';

export interface SyncByteSource {
  /** Blocks until at least one byte is available (or EOF: returns 0, or the deadline: throws Timeout). */
  read(target: Buffer, deadline: Deadline): number;
  close(): void;
}

export class FdByteSource implements SyncByteSource {
  /** Present when busy polling: the fd is non-blocking while polling, blocking while sleeping in a read. */
  private readonly mode: BlockingSwitch | null;
  private nonBlocking = false;

  constructor(
    private readonly fd: number,
    private readonly policy = new PollPolicy(0),
    platform: FdPlatform = NODE_PLATFORM,
  ) {
    this.mode = policy.micros > 0 ? platform.blockingSwitch(fd) : null;
  }

  read(target: Buffer): number {
    try {
      if (this.mode && this.policy.shouldPoll()) {
        const polled = this.poll(target, this.mode);
        this.policy.record(polled !== NOTHING_YET);
        if (polled !== NOTHING_YET) return polled;
      }
      if (this.mode && this.nonBlocking) this.setNonBlocking(this.mode, false); // sleeping needs a blocking fd
      return readSync(this.fd, target, 0, target.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EOF') return 0;
      const hint = code === 'EAGAIN' ? ' (the fd is non-blocking; blocking reads need a blocking fd)' : '';
      throw new VMError(ErrorCode.ReadFailed, `fd ${this.fd}: ${(error as Error).message}${hint}`, { cause: error });
    }
  }

  private poll(target: Buffer, mode: BlockingSwitch): number {
    if (!this.nonBlocking) this.setNonBlocking(mode, true);
    const deadline = this.policy.budget();
    do {
      const n = tryRead(this.fd, target);
      if (n !== NOTHING_YET) return n; // the fd stays non-blocking: the next read most likely polls again
    } while (!this.policy.expired(deadline));
    return NOTHING_YET;
  }

  private setNonBlocking(mode: BlockingSwitch, nonBlocking: boolean): void {
    mode.setBlocking(!nonBlocking);
    this.nonBlocking = nonBlocking;
  }

  close(): void {}
}

// Control words of the shared ring (Int32Array indices).
const WRITTEN = 0; // bytes written by the reader thread, mod 2^32
const READ = 1; // bytes consumed by the caller, mod 2^32
const STATE = 2; // 0 open, 1 EOF, 2 read error
const RING_SIZE = 1 << 20;

// The reader thread owns the fd and reads it through libuv (not readSync), so the process can always exit.
const READER_THREAD = `
const net = require('node:net');
const { workerData } = require('node:worker_threads');
const { fd, control, ring } = workerData;
const ctl = new Int32Array(control), data = new Uint8Array(ring), size = data.length;
const finish = (state) => { Atomics.store(ctl, 2, state); Atomics.notify(ctl, 0); };
const socket = new net.Socket({ fd, readable: true, writable: false });
socket.on('data', (chunk) => {
  let off = 0;
  while (off < chunk.length) {
    const written = Atomics.load(ctl, 0), read = Atomics.load(ctl, 1), free = size - ((written - read) | 0);
    if (free === 0) { Atomics.wait(ctl, 1, read); continue; }
    const take = Math.min(free, chunk.length - off), pos = written & (size - 1), first = Math.min(take, size - pos);
    data.set(chunk.subarray(off, off + first), pos);
    if (take > first) data.set(chunk.subarray(off + first, off + take), 0);
    Atomics.store(ctl, 0, (written + take) | 0);
    Atomics.notify(ctl, 0);
    off += take;
  }
});
socket.on('end', () => finish(1));
socket.on('error', () => finish(2));
`;

export class WatchedFdByteSource implements SyncByteSource {
  private readonly control = new Int32Array(new SharedArrayBuffer(12));
  private readonly ring = new Uint8Array(new SharedArrayBuffer(RING_SIZE));
  private readonly worker: Worker;

  constructor(
    private readonly fd: number,
    private readonly policy = new PollPolicy(0),
  ) {
    // required here: node:worker_threads adds ~0.6 MiB to a VM process that reads its pipe without a thread
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    this.worker = new Worker(READER_THREAD, {
      eval: true,
      workerData: { fd, control: this.control.buffer, ring: this.ring.buffer },
    });
    this.worker.unref();
  }

  read(target: Buffer, deadline: Deadline): number {
    if (this.policy.shouldPoll()) this.policy.record(this.pollRing());
    for (;;) {
      const written = Atomics.load(this.control, WRITTEN);
      const read = Atomics.load(this.control, READ);
      const available = (written - read) | 0;
      if (available > 0) return this.take(target, read, available);
      const state = Atomics.load(this.control, STATE);
      if (state === 1) return 0;
      if (state === 2) throw new VMError(ErrorCode.ReadFailed, `fd ${this.fd}: read error in the reader thread`);
      const wait = Atomics.wait(this.control, WRITTEN, written, deadline.isNever ? undefined : deadline.remaining());
      if (wait === 'timed-out') throw new VMError(ErrorCode.Timeout, `no data on fd ${this.fd} within the deadline`);
    }
  }

  /** Watches the ring (not the fd: the reader thread owns it) until bytes arrive or the budget is spent. */
  private pollRing(): boolean {
    const budget = this.policy.budget();
    const empty = (): boolean =>
      Atomics.load(this.control, WRITTEN) === Atomics.load(this.control, READ) &&
      Atomics.load(this.control, STATE) === 0;
    while (empty()) if (this.policy.expired(budget)) return false;
    return true;
  }

  private take(target: Buffer, read: number, available: number): number {
    const size = this.ring.length;
    const count = Math.min(available, target.length);
    const pos = read & (size - 1);
    const first = Math.min(count, size - pos);
    target.set(this.ring.subarray(pos, pos + first), 0);
    if (count > first) target.set(this.ring.subarray(0, count - first), first);
    Atomics.store(this.control, READ, (read + count) | 0);
    Atomics.notify(this.control, READ);
    return count;
  }

  close(): void {
    void this.worker.terminate();
  }
}
