/**
 * The node's reading half (as vscode-jsonrpc's messageReader.ts): listens to a byte stream, reassembles and
 * decodes frames, queues messages received ahead of the reader (pausing the stream past MAX_QUEUED: back-pressure),
 * and can busy-poll the stream's fd instead of waiting for the event loop. It never decides what a failure means:
 * every decoding or stream error, and the end of the stream, goes to `onError` once (the connection fails).
 */
import type { Readable } from 'node:stream';
import { VMError, ErrorCode, type Message, type MessageCodec } from '@vm/protocol';
import { type Deadline } from './deadline';
import { FrameReader } from './frameReader';
import { NOTHING_YET, type PollPolicy, tryRead } from './busyPoll';
import { type FdPlatform } from './platform';

/** Messages received ahead of the reader; the protocol is half-duplex, so more means a misbehaving peer. */
const MAX_QUEUED = 8;

export interface MessageReaderOptions {
  codec: MessageCodec;
  maxFrameSize: number;
  /** When and how long a wait polls the fd before it sleeps on the event loop (micros 0 = never). */
  pollPolicy: PollPolicy;
  platform: FdPlatform;
}

interface Waiter {
  resolve(message: Message): void;
  reject(error: VMError): void;
}

export class StreamMessageReader {
  private readonly frames: FrameReader;
  private readonly queue: Message[] = [];
  private waiter: Waiter | null = null;
  private stopped = false;
  private readonly codec: MessageCodec;
  private readonly pollFd: number | undefined;
  private readonly pollPolicy: PollPolicy;
  private pollChunk: Buffer | undefined;

  constructor(
    private readonly input: Readable,
    options: MessageReaderOptions,
    private readonly onError: (error: VMError) => void,
  ) {
    this.codec = options.codec;
    this.frames = new FrameReader(options.maxFrameSize);
    this.pollPolicy = options.pollPolicy;
    this.pollFd = this.pollPolicy.micros > 0 ? options.platform.fdOf(input) : undefined;
    input.on('data', this.onData);
    input.on('end', this.onEnd);
    input.on('close', this.onEnd);
    input.on('error', this.onInputError);
  }

  get maxFrameSize(): number {
    return this.frames.maxFrameSize;
  }

  /** Busy polls so far: those that saw the peer's bytes arrive, and those that ran out of budget. */
  get busyPolls(): { hits: number; misses: number } {
    return { hits: this.pollPolicy.hits, misses: this.pollPolicy.misses };
  }

  get waiting(): boolean {
    return this.waiter !== null;
  }

  /** The next message already received, if any. */
  take(): Message | undefined {
    const message = this.queue.shift();
    this.resumeIfRoom();
    return message;
  }

  /**
   * Polls the fd for at most the budget (or what is left of `deadline`) when nothing is queued, the stream holds
   * no bytes and the policy allows it; `outputIdle` false skips it (the peer cannot answer a request still in our
   * write queue).
   */
  poll(deadline: Deadline, outputIdle: boolean): void {
    if (this.queue.length > 0 || this.pollFd === undefined || !outputIdle) return;
    if (this.input.isPaused() || this.input.readableLength > 0 || !this.pollPolicy.shouldPoll()) return;
    this.pollPolicy.record(this.pollInput(this.pollFd, deadline));
  }

  /** Resolves with the next message to arrive (nothing queued: take() first). One wait at a time. */
  wait(): Promise<Message> {
    return new Promise<Message>((resolve, reject) => {
      this.waiter = {
        resolve: (m) => ((this.waiter = null), this.resumeIfRoom(), resolve(m)),
        reject: (e) => ((this.waiter = null), reject(e)),
      };
    });
  }

  /** Stops delivering: a pending wait rejects with `error`, queued messages are dropped; `detach` also unlistens. */
  stop(error: VMError, detach: boolean): void {
    this.stopped = true;
    this.queue.length = 0;
    this.waiter?.reject(error);
    if (!detach) return;
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.off('close', this.onEnd);
    // the 'error' listener stays: a late stream error must never become an unhandled 'error' event
  }

  private resumeIfRoom(): void {
    if (this.input.isPaused() && this.queue.length < MAX_QUEUED / 2) this.input.resume();
  }

  /**
   * Reads the input's fd directly (it is non-blocking: libuv owns it) until a message arrives or the budget is
   * spent. Bytes go through onData exactly as a 'data' event's would; libuv reads only on the event loop, which
   * this holds, so the order of bytes is kept. End of stream and errors are left to the stream to report.
   * Returns whether any bytes came.
   */
  private pollInput(fd: number, deadline: Deadline): boolean {
    const micros = this.pollPolicy.micros;
    const budget = this.pollPolicy.budget(deadline.isNever ? micros : Math.min(micros, deadline.remaining() * 1000));
    let arrived = false;
    while (this.queue.length === 0 && !this.stopped) {
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
        this.onData(Buffer.from(this.pollChunk.subarray(0, n))); // one copy: decoded messages may keep views of it
      }
      if (this.pollPolicy.expired(budget)) break; // also when bytes trickle in: the event loop is never held longer
    }
    return arrived;
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.stopped) return;
    try {
      for (const frame of this.frames.push(chunk)) this.deliver(this.codec.decodeMessage(frame.kind, frame.payload));
    } catch (error) {
      this.onError(
        error instanceof VMError ? error : new VMError(ErrorCode.ReadFailed, String(error), { cause: error }),
      );
    }
  };

  private deliver(message: Message): void {
    if (this.stopped) return;
    if (this.waiter) return this.waiter.resolve(message);
    this.queue.push(message);
    if (this.queue.length >= MAX_QUEUED) this.input.pause();
  }

  private readonly onEnd = (): void => {
    if (this.stopped) return;
    try {
      this.frames.end();
      this.onError(new VMError(ErrorCode.PeerClosed));
    } catch (error) {
      this.onError(error as VMError);
    }
  };

  private readonly onInputError = (error: Error): void =>
    this.onError(new VMError(ErrorCode.ReadFailed, error.message, { cause: error }));
}
