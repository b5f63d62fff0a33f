/**
 * The node's endpoint: promise-based, over a readable and a writable byte stream (the child's fd 5 and fd 4).
 * Every frame is written with one write; back-pressure is respected; reads and writes of a request share one
 * Deadline. Any protocol violation, stream error or timeout fails the messenger for good (the node then kills
 * the VM process), and every pending and later call rejects with that error: nothing is left hanging.
 */
import type { Readable, Writable } from 'node:stream';
import { VMError, ErrorCode, JSON_CODEC, describeMessage, type Message, type MessageCodec } from '@vm/protocol';
import { Deadline } from './deadline';
import { Dialogue } from './dialogue';
import { DEFAULT_MAX_FRAME_SIZE, FrameReader, assertFrameFits } from './frameReader';
import { getLogger } from '@vm/logging';
import { NOTHING_YET, PollPolicy, pollDeadline, pollExpired, streamFd, tryRead } from './busyPoll';

export interface AsyncMessengerOptions {
  /** Shown in logs, as the reference's `[NODE]`. */
  name?: string;
  maxFrameSize?: number;
  /**
   * Microseconds `receive` may read the input's fd without blocking before it waits on the event loop
   * (0 = never, the default). It holds the event loop for at most that long per receive; it needs a stream
   * over a pipe or socket fd (a child's stdio) and is skipped for any other stream.
   */
  busyPollMicros?: number;
  /** The payload codec both ends agreed on (Initialize's MessagesMarshalizer); JSON by default. */
  codec?: MessageCodec;
}

export type MessengerState = 'open' | 'failed' | 'closed';

interface Waiter {
  resolve(message: Message): void;
  reject(error: VMError): void;
}

/** Messages received ahead of the reader; the protocol is half-duplex, so more means a misbehaving peer. */
const MAX_QUEUED = 8;
const log = getLogger('arwen/baseMessenger');

export class AsyncMessenger {
  readonly name: string;
  private readonly reader: FrameReader;
  private readonly dialogue = new Dialogue();
  private readonly queue: Message[] = [];
  private waiter: Waiter | null = null;
  private drainWaiter: ((error: VMError) => void) | null = null;
  private failure: VMError | null = null;
  private closed = false;
  private closeReason: VMError | null = null;
  private readonly pollFd: number | undefined;
  private readonly pollPolicy: PollPolicy;
  private pollChunk: Buffer | undefined;
  private readonly codec: MessageCodec;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    options: AsyncMessengerOptions = {},
  ) {
    this.name = options.name ?? 'NODE';
    this.codec = options.codec ?? JSON_CODEC;
    this.reader = new FrameReader(options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE);
    this.pollPolicy = new PollPolicy(options.busyPollMicros ?? 0);
    this.pollFd = this.pollPolicy.micros > 0 ? streamFd(input) : undefined;
    input.on('data', this.onData);
    input.on('end', this.onEnd);
    input.on('close', this.onEnd);
    input.on('error', this.onInputError);
    output.on('error', this.onOutputError);
  }

  get state(): MessengerState {
    return this.closed ? 'closed' : this.failure ? 'failed' : 'open';
  }

  /** The error that failed the messenger, if any. */
  get error(): VMError | null {
    return this.failure;
  }

  get nonce(): number {
    return this.dialogue.current;
  }

  /** Busy polls so far: those that saw the peer's bytes arrive, and those that ran out of budget. */
  get busyPolls(): { hits: number; misses: number } {
    return { hits: this.pollPolicy.hits, misses: this.pollPolicy.misses };
  }

  /** Stamps the next dialogue nonce and writes the frame; resolves once the stream accepted it. */
  async send(message: Message, deadline: Deadline = Deadline.never()): Promise<void> {
    this.throwIfUnusable();
    const stamped = { ...message, DialogueNonce: this.dialogue.next } as Message;
    const frame = this.codec.encodeFrame(stamped);
    // refused before anything is written or stamped: the dialogue and the stream stay as they were
    assertFrameFits(frame, this.reader.maxFrameSize, stamped);
    this.dialogue.stamp();
    if (log.isLevelEnabled('trace'))
      log.log('trace', `[${this.name}][#${stamped.DialogueNonce}]: SENT message`, {
        size: frame.length,
        msg: describeMessage(stamped),
      });
    const accepted = this.output.write(frame); // a failed write surfaces as the stream's 'error' event
    if (!accepted) await this.waitForDrain(deadline);
  }

  /** The next message of the dialogue (its nonce checked), before the deadline. */
  async receive(deadline: Deadline = Deadline.never()): Promise<Message> {
    this.throwIfUnusable();
    if (this.waiter) throw new VMError(ErrorCode.InvalidMessage, 'receive() while another receive() is pending');
    if (this.queue.length === 0 && this.pollFd !== undefined && this.pollPolicy.shouldPoll()) {
      this.pollPolicy.record(this.pollInput(this.pollFd, deadline));
      this.throwIfUnusable();
    }
    const queued = this.queue.shift();
    if (queued) return this.accept(queued);
    const message = await new Promise<Message>((resolve, reject) => {
      const timer = deadline.isNever
        ? undefined
        : setTimeout(
            () => this.fail(new VMError(ErrorCode.Timeout, `no message from the peer within the deadline`)),
            deadline.remaining(),
          );
      const settle = (): void => {
        if (timer) clearTimeout(timer);
        this.waiter = null;
      };
      this.waiter = {
        resolve: (m) => (settle(), resolve(m)),
        reject: (e) => (settle(), reject(e)),
      };
    });
    return this.accept(message);
  }

  /** Fails the messenger now with `error` (e.g. its owner's deadline passed): pending and later calls reject with it. */
  abort(error: VMError): void {
    this.fail(error);
  }

  /** Ends the dialogue: the next message sent or received starts again at nonce 1. */
  resetDialogue(): void {
    this.dialogue.reset();
  }

  /** Detaches from the streams and rejects a pending receive (with `reason`, if given). Does not end the streams. */
  close(reason: VMError = new VMError(ErrorCode.MessengerClosed)): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.waiter?.reject(reason);
    this.drainWaiter?.(reason);
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.off('close', this.onEnd);
    // 'error' listeners stay: a late stream error must never become an unhandled 'error' event.
    log.log('debug', `[${this.name}]: Messenger.Shutdown()`);
  }

  private accept(message: Message): Message {
    if (this.input.isPaused() && this.queue.length < MAX_QUEUED / 2) this.input.resume();
    try {
      this.dialogue.check(message.DialogueNonce);
    } catch (error) {
      this.fail(error as VMError);
      throw error;
    }
    if (log.isLevelEnabled('trace'))
      log.log('trace', `[${this.name}][#${message.DialogueNonce}]: RECEIVED message`, {
        msg: describeMessage(message),
      });
    return message;
  }

  /**
   * Reads the input's fd directly (it is non-blocking: libuv owns it) until a message arrives or the budget is
   * spent. Bytes go through onData exactly as a 'data' event's would; libuv reads only on the event loop, which
   * this holds, so the order of bytes is kept. Polls only when nothing is buffered in the stream or waiting to be
   * written (the peer cannot answer a request still in our write queue). End of stream and errors are left to
   * the stream to report. Returns whether any bytes came.
   */
  private pollInput(fd: number, deadline: Deadline): boolean {
    if (this.input.isPaused() || this.input.readableLength > 0 || this.output.writableLength > 0) return false;
    const micros = this.pollPolicy.micros;
    const budget = pollDeadline(deadline.isNever ? micros : Math.min(micros, deadline.remaining() * 1000));
    let arrived = false;
    while (this.queue.length === 0 && !this.failure && !this.closed) {
      this.pollChunk ??= Buffer.allocUnsafe(65536);
      let n: number;
      try {
        n = tryRead(fd, this.pollChunk);
      } catch {
        break;
      }
      if (n === 0) break;
      if (n !== NOTHING_YET) {
        arrived = true;
        this.onData(Buffer.from(this.pollChunk.subarray(0, n))); // a copy: the frame reader may keep views of a chunk
      }
      if (pollExpired(budget)) break; // also when bytes trickle in: the event loop is never held longer
    }
    return arrived;
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.failure || this.closed) return;
    try {
      for (const frame of this.reader.push(chunk)) this.deliver(this.codec.decodeMessage(frame.kind, frame.payload));
    } catch (error) {
      this.fail(error instanceof VMError ? error : new VMError(ErrorCode.ReadFailed, String(error), { cause: error }));
    }
  };

  private deliver(message: Message): void {
    if (this.waiter) return this.waiter.resolve(message);
    this.queue.push(message);
    if (this.queue.length >= MAX_QUEUED) this.input.pause();
  }

  private readonly onEnd = (): void => {
    if (this.failure || this.closed) return;
    try {
      this.reader.end();
      this.fail(new VMError(ErrorCode.PeerClosed));
    } catch (error) {
      this.fail(error as VMError);
    }
  };

  private readonly onInputError = (error: Error): void =>
    this.fail(new VMError(ErrorCode.ReadFailed, error.message, { cause: error }));
  private readonly onOutputError = (error: Error): void => this.fail(writeError(error));

  private fail(error: VMError): void {
    if (this.failure || this.closed) return;
    this.failure = error;
    this.queue.length = 0;
    this.waiter?.reject(error);
    this.drainWaiter?.(error);
    log.log('debug', `[${this.name}]: messenger failed`, { err: error.message });
  }

  private throwIfUnusable(): void {
    if (this.closed) throw this.closeReason ?? new VMError(ErrorCode.MessengerClosed);
    if (this.failure) throw this.failure;
  }

  /** Resolves on 'drain'; rejects when the messenger fails or the deadline passes first. */
  private waitForDrain(deadline: Deadline): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: VMError): void => {
        if (timer) clearTimeout(timer);
        this.output.off('drain', onDrain);
        this.drainWaiter = null;
        if (error) reject(error);
        else resolve();
      };
      const onDrain = (): void => finish();
      const timer = deadline.isNever
        ? undefined
        : setTimeout(
            () => this.fail(new VMError(ErrorCode.Timeout, 'writing did not finish within the deadline')),
            deadline.remaining(),
          );
      this.drainWaiter = finish;
      this.output.on('drain', onDrain);
    });
  }
}

function writeError(error: Error): VMError {
  return new VMError(ErrorCode.WriteFailed, error.message, { cause: error });
}
