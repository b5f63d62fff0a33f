/**
 * The VM process's endpoint: synchronous, over the inherited fds (fd 4 in, fd 5 out). `request` sends a hook
 * call and blocks until the node's answer arrives. Violations fail the messenger for good.
 */
import { writeSync } from 'node:fs';
import {
  VMError,
  ErrorCode,
  JSON_CODEC,
  describeMessage,
  type ErrorDefinition,
  type Message,
  type MessageCodec,
} from '@vm/protocol';
import { Deadline } from './deadline';
import { Dialogue } from './dialogue';
import { DEFAULT_MAX_FRAME_SIZE, FrameReader, assertFrameFits } from './frameReader';
import { FdByteSource, WatchedFdByteSource, type SyncByteSource } from './byteSource';
import { getLogger } from '@vm/logging';
import { PollPolicy } from './busyPoll';
import type { ConnectionState } from './connection';

export interface SyncMessengerOptions {
  readFd: number;
  writeFd: number;
  name?: string;
  maxFrameSize?: number;
  /**
   * Longest wait for the answer to a `request` (a hook call); omitted = as long as it takes (fastest: plain
   * blocking reads). `receive` (e.g. waiting for the node's next request) waits as long as it takes unless given
   * its own timeout.
   */
  receiveTimeoutMs?: number;
  /**
   * Microseconds to poll the fd without blocking before sleeping in a read (0 = sleep at once, the default).
   * A peer that answers within it is heard in microseconds instead of paying for a sleeping CPU's wakeup.
   */
  busyPollMicros?: number;
  /** The payload codec both ends agreed on (Initialize's MessagesMarshalizer); JSON by default. */
  codec?: MessageCodec;
}

const log = getLogger('arwen/baseMessenger');

export class SyncMessenger {
  readonly name: string;
  private readonly reader: FrameReader;
  private readonly source: SyncByteSource;
  private readonly dialogue = new Dialogue();
  private readonly chunk = Buffer.allocUnsafe(65536);
  private readonly queue: Message[] = [];
  private readonly receiveTimeoutMs: number | undefined;
  private readonly pollPolicy: PollPolicy;
  private readonly codec: MessageCodec;
  private failure: VMError | null = null;
  private closed = false;

  constructor(private readonly options: SyncMessengerOptions) {
    this.name = options.name ?? 'ARWEN';
    this.codec = options.codec ?? JSON_CODEC;
    this.reader = new FrameReader(options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE);
    this.receiveTimeoutMs = options.receiveTimeoutMs;
    this.pollPolicy = new PollPolicy(options.busyPollMicros ?? 0);
    this.source =
      options.receiveTimeoutMs === undefined
        ? new FdByteSource(options.readFd, this.pollPolicy)
        : new WatchedFdByteSource(options.readFd, this.pollPolicy);
  }

  get state(): ConnectionState {
    return this.closed ? 'closed' : this.failure ? 'failed' : 'open';
  }

  get nonce(): number {
    return this.dialogue.current;
  }

  /** Busy polls so far: those that saw the peer's bytes arrive, and those that ran out of budget. */
  get busyPolls(): { hits: number; misses: number } {
    return { hits: this.pollPolicy.hits, misses: this.pollPolicy.misses };
  }

  send(message: Message): void {
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
    this.guard(() => {
      for (let offset = 0; offset < frame.length;)
        offset += writeSync(this.options.writeFd, frame, offset, frame.length - offset);
    }, ErrorCode.WriteFailed);
  }

  /** Blocks until the next message arrives (at most `timeoutMs`, if given); checks its nonce. */
  receive(timeoutMs?: number): Message {
    this.throwIfUnusable();
    const deadline = timeoutMs === undefined ? Deadline.never() : Deadline.after(timeoutMs);
    while (this.queue.length === 0) {
      const n = this.guard(() => this.source.read(this.chunk, deadline), ErrorCode.ReadFailed);
      if (n === 0) {
        this.guard(() => this.reader.end(), ErrorCode.ReadFailed);
        this.failWith(new VMError(ErrorCode.PeerClosed));
      }
      this.guard(() => {
        for (const frame of this.reader.push(this.chunk.subarray(0, n)))
          this.queue.push(this.codec.decodeMessage(frame.kind, frame.payload));
      }, ErrorCode.ReadFailed);
    }
    const message = this.queue.shift() as Message;
    this.guard(() => this.dialogue.check(message.DialogueNonce), ErrorCode.InvalidDialogueNonce);
    if (log.isLevelEnabled('trace'))
      log.log('trace', `[${this.name}][#${message.DialogueNonce}]: RECEIVED message`, {
        msg: describeMessage(message),
      });
    return message;
  }

  /** A hook call: send, then block for the answer (at most receiveTimeoutMs). */
  request(message: Message): Message {
    this.send(message);
    return this.receive(this.receiveTimeoutMs);
  }

  resetDialogue(): void {
    this.dialogue.reset();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.source.close();
    log.log('debug', `[${this.name}]: Messenger.Shutdown()`);
  }

  private guard<T>(action: () => T, otherwise: ErrorDefinition): T {
    try {
      return action();
    } catch (error) {
      this.failWith(
        error instanceof VMError ? error : new VMError(otherwise, (error as Error).message, { cause: error }),
      );
    }
  }

  private failWith(error: VMError): never {
    this.failure ??= error;
    throw error;
  }

  private throwIfUnusable(): void {
    if (this.closed) throw new VMError(ErrorCode.MessengerClosed);
    if (this.failure) throw this.failure;
  }
}
