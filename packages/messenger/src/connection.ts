/**
 * The node's endpoint (as vscode-jsonrpc's connection.ts): the dialogue over a reader and a writer — nonces,
 * one Deadline shared by the reads and writes of a request, an explicit state, trace logging. Any protocol
 * violation, stream error or timeout fails the connection for good (the node then kills the VM process), and
 * every pending and later call rejects with that error: nothing is left hanging.
 *
 * Two calls complete without a promise when they can: `post` (the stream took the frame) and `tryReceive` (a
 * message was queued, or arrived while busy polling); `send` and `receive` are their promise-based forms.
 */
import type { Readable, Writable } from 'node:stream';
import { VMError, ErrorCode, JSON_CODEC, describeMessage, type Message, type MessageCodec } from '@vm/protocol';
import { getLogger } from '@vm/logging';
import { Deadline } from './deadline';
import { Dialogue } from './dialogue';
import { DEFAULT_MAX_FRAME_SIZE } from './frameReader';
import { StreamMessageReader } from './messageReader';
import { StreamMessageWriter } from './messageWriter';
import { NODE_PLATFORM, type FdPlatform } from './platform';
import { PollPolicy } from './busyPoll';

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
  /** How to reach the fd under a stream (NODE_PLATFORM). */
  platform?: FdPlatform;
  /** The busy-polling policy itself (overrides busyPollMicros), e.g. with a clock of a test's own. */
  pollPolicy?: PollPolicy;
}

/** open → failed (a violation, an error, a timeout) or closed (close()); both are final. */
export type ConnectionState = 'open' | 'failed' | 'closed';
/** @deprecated the former name of ConnectionState */
export type MessengerState = ConnectionState;

const log = getLogger('arwen/baseMessenger');

export class AsyncMessenger {
  readonly name: string;
  private readonly reader: StreamMessageReader;
  private readonly writer: StreamMessageWriter;
  private readonly dialogue = new Dialogue();
  private current: ConnectionState = 'open';
  /** Why the connection is no longer open. */
  private reason: VMError | null = null;
  /** expectPreamble(): what the next message received may be, and who hears whether it was. */
  private preamble: { kind: number; decide: (preamble: Message | undefined) => void } | undefined;

  constructor(input: Readable, output: Writable, options: AsyncMessengerOptions = {}) {
    this.name = options.name ?? 'NODE';
    const codec = options.codec ?? JSON_CODEC;
    const maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    this.reader = new StreamMessageReader(
      input,
      {
        codec,
        maxFrameSize,
        pollPolicy: options.pollPolicy ?? new PollPolicy(options.busyPollMicros ?? 0),
        platform: options.platform ?? NODE_PLATFORM,
      },
      this.fail,
    );
    this.writer = new StreamMessageWriter(output, codec, maxFrameSize, this.fail);
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The error that failed the connection, if any. */
  get error(): VMError | null {
    return this.current === 'failed' ? this.reason : null;
  }

  get nonce(): number {
    return this.dialogue.current;
  }

  /** Busy polls so far: those that saw the peer's bytes arrive, and those that ran out of budget. */
  get busyPolls(): { hits: number; misses: number } {
    return this.reader.busyPolls;
  }

  /**
   * Stamps the next dialogue nonce and writes the frame. Undefined when the stream took it; else a promise that
   * resolves on 'drain'. A message over the frame limit throws MessageTooLarge, with nothing written or stamped.
   */
  post(message: Message, deadline: Deadline = Deadline.never()): Promise<void> | undefined {
    this.throwIfUnusable();
    const stamped = { ...message, DialogueNonce: this.dialogue.next } as Message;
    const frame = this.writer.frame(stamped); // refused before anything is written or stamped
    this.dialogue.stamp();
    if (log.isLevelEnabled('trace'))
      log.log('trace', `[${this.name}][#${stamped.DialogueNonce}]: SENT message`, {
        size: frame.length,
        msg: describeMessage(stamped),
      });
    return this.writer.write(frame, deadline);
  }

  /** post() as a promise: resolves once the stream accepted the frame. */
  async send(message: Message, deadline: Deadline = Deadline.never()): Promise<void> {
    await this.post(message, deadline);
  }

  /**
   * The next message of the dialogue (its nonce checked) if one is already here or arrives while busy polling;
   * undefined otherwise (then `receive`).
   */
  tryReceive(deadline: Deadline = Deadline.never()): Message | undefined {
    this.throwIfUnusable();
    if (this.reader.waiting)
      throw new VMError(ErrorCode.InvalidMessage, 'receive() while another receive() is pending');
    for (;;) {
      this.reader.poll(deadline, this.writer.idle);
      this.throwIfUnusable();
      const queued = this.reader.take();
      if (!queued) return undefined;
      if (!this.tookPreamble(queued)) return this.accept(queued);
    }
  }

  /** The next message of the dialogue (its nonce checked), before the deadline. */
  async receive(deadline: Deadline = Deadline.never()): Promise<Message> {
    const ready = this.tryReceive(deadline);
    if (ready) return ready;
    const timer = deadline.isNever
      ? undefined
      : setTimeout(
          () => this.fail(new VMError(ErrorCode.Timeout, `no message from the peer within the deadline`)),
          deadline.remaining(),
        );
    let message: Message;
    try {
      message = await this.reader.wait();
    } finally {
      if (timer) clearTimeout(timer);
    }
    return this.tookPreamble(message) ? this.receive(deadline) : this.accept(message);
  }

  /**
   * The next message received may be a `kind` message the peer sent in a dialogue of its own (nonce 1) before it
   * read anything, e.g. a VM's InitializeAcknowledge, which a reference VM never sends. `decide` hears it (and it
   * is not part of the current dialogue), or hears undefined when the first message is anything else (then
   * received as usual). What `decide` throws fails the connection.
   */
  expectPreamble(kind: number, decide: (preamble: Message | undefined) => void): void {
    this.preamble = { kind, decide };
  }

  /** Whether `message` was the preamble expected (decided on the first message after expectPreamble). */
  private tookPreamble(message: Message): boolean {
    const expected = this.preamble;
    if (!expected) return false;
    this.preamble = undefined;
    const isPreamble = message.Kind === expected.kind && message.DialogueNonce === 1;
    try {
      expected.decide(isPreamble ? message : undefined);
    } catch (error) {
      const failure = error instanceof VMError ? error : new VMError(ErrorCode.InvalidMessage, String(error));
      this.fail(failure);
      throw failure;
    }
    return isPreamble;
  }

  /** Fails the connection now with `error` (e.g. its owner's deadline passed): pending and later calls reject with it. */
  abort(error: VMError): void {
    this.fail(error);
  }

  /** Ends the dialogue: the next message sent or received starts again at nonce 1. */
  resetDialogue(): void {
    this.dialogue.reset();
  }

  /** Detaches from the streams and rejects a pending receive (with `reason`, if given). Does not end the streams. */
  close(reason: VMError = new VMError(ErrorCode.MessengerClosed)): void {
    if (this.current === 'closed') return;
    this.current = 'closed';
    this.reason = reason;
    this.reader.stop(reason, true);
    this.writer.stop(reason);
    log.log('debug', `[${this.name}]: Messenger.Shutdown()`);
  }

  private accept(message: Message): Message {
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

  private readonly fail = (error: VMError): void => {
    if (this.current !== 'open') return;
    this.current = 'failed';
    this.reason = error;
    this.reader.stop(error, false);
    this.writer.stop(error);
    log.log('debug', `[${this.name}]: messenger failed`, { err: error.message });
  };

  private throwIfUnusable(): void {
    if (this.current !== 'open') throw this.reason ?? new VMError(ErrorCode.MessengerClosed);
  }
}
