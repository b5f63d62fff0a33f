/**
 * The node's writing half (as vscode-jsonrpc's messageWriter.ts): encodes a message into one frame, refuses a
 * frame over the peer's limit before anything is written, writes it with one write and waits for 'drain' (within
 * the deadline) when the stream asks for it. Stream errors go to `onError`.
 */
import type { Writable } from 'node:stream';
import { VMError, ErrorCode, type Message, type MessageCodec } from '@vm/protocol';
import { type Deadline } from './deadline';
import { assertFrameFits } from './frameReader';

export class StreamMessageWriter {
  private drainWaiter: ((error?: VMError) => void) | null = null;

  constructor(
    private readonly output: Writable,
    private readonly codec: MessageCodec,
    private readonly maxFrameSize: number,
    private readonly onError: (error: VMError) => void,
  ) {
    output.on('error', this.onOutputError);
  }

  /** Nothing waits to be written (the peer has everything sent so far). */
  get idle(): boolean {
    return this.output.writableLength === 0;
  }

  /** The frame of `message`; MessageTooLarge (nothing written) when it is over the limit. */
  frame(message: Message): Buffer {
    const frame = this.codec.encodeFrame(message);
    assertFrameFits(frame, this.maxFrameSize, message);
    return frame;
  }

  /** Writes a frame: undefined when the stream took it, else a promise of 'drain' (rejected at the deadline). */
  write(frame: Buffer, deadline: Deadline): Promise<void> | undefined {
    // a failed write surfaces as the stream's 'error' event
    return this.output.write(frame) ? undefined : this.waitForDrain(deadline);
  }

  /** Fails a pending drain wait with `error`. */
  stop(error: VMError): void {
    this.drainWaiter?.(error);
  }

  private readonly onOutputError = (error: Error): void =>
    this.onError(new VMError(ErrorCode.WriteFailed, error.message, { cause: error }));

  /** Resolves on 'drain'; rejects when stopped or when the deadline passes first. */
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
            () => this.onError(new VMError(ErrorCode.Timeout, 'writing did not finish within the deadline')),
            deadline.remaining(),
          );
      this.drainWaiter = finish;
      this.output.on('drain', onDrain);
    });
  }
}
