/**
 * Bytes -> frames. Reassembles frames from chunks of any size (down to one byte), and checks the preamble
 * before trusting it: the kind must be one a frame can carry, and the length must be within the limit
 * *before* anything is allocated. After an error the reader stays failed.
 */
import {
  VMError,
  ErrorCode,
  DEFAULT_MAX_FRAME_SIZE,
  PREAMBLE_SIZE,
  decodePreamble,
  isKnownKind,
  describeMessage,
  type Message,
} from '@vm/protocol';

export interface Frame {
  readonly kind: number;
  readonly payload: Buffer;
}

/** MessageTooLarge when `frame`'s payload is over `maxFrameSize` (the peer's reader would refuse it). */
export function assertFrameFits(frame: Uint8Array, maxFrameSize: number, message: Message): void {
  const payload = frame.length - PREAMBLE_SIZE;
  if (payload > maxFrameSize)
    throw new VMError(
      ErrorCode.MessageTooLarge,
      `${describeMessage(message)}: ${payload} bytes, limit ${maxFrameSize}`,
    );
}

export { DEFAULT_MAX_FRAME_SIZE };

export class FrameReader {
  private readonly header = Buffer.alloc(PREAMBLE_SIZE);
  private headerFilled = 0;
  private kind = 0;
  private payload: Buffer | null = null;
  private payloadFilled = 0;
  private failure: VMError | null = null;

  constructor(readonly maxFrameSize: number = DEFAULT_MAX_FRAME_SIZE) {}

  /** Feeds bytes; returns the frames they complete. */
  push(chunk: Uint8Array): Frame[] {
    if (this.failure) throw this.failure;
    const frames: Frame[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.payload === null) {
        const take = Math.min(PREAMBLE_SIZE - this.headerFilled, chunk.length - offset);
        this.header.set(chunk.subarray(offset, offset + take), this.headerFilled);
        this.headerFilled += take;
        offset += take;
        if (this.headerFilled < PREAMBLE_SIZE) break;
        const length = this.startFrame();
        if (length === 0 || chunk.length - offset >= length) {
          // The whole payload is in this chunk: no copy.
          frames.push({ kind: this.kind, payload: Buffer.from(chunk.buffer, chunk.byteOffset + offset, length) });
          offset += length;
          this.resetFrame();
          continue;
        }
        this.payload = Buffer.allocUnsafe(length);
      }
      const take = Math.min(this.payload.length - this.payloadFilled, chunk.length - offset);
      this.payload.set(chunk.subarray(offset, offset + take), this.payloadFilled);
      this.payloadFilled += take;
      offset += take;
      if (this.payloadFilled === this.payload.length) {
        frames.push({ kind: this.kind, payload: this.payload });
        this.resetFrame();
      }
    }
    return frames;
  }

  /** True while part of a frame has been read. */
  get midFrame(): boolean {
    return this.headerFilled > 0;
  }

  /** The stream ended: an error if it ended inside a frame. */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.headerFilled > 0 && this.headerFilled < PREAMBLE_SIZE)
      this.fail(
        new VMError(ErrorCode.PeerClosedMidFrame, `after ${this.headerFilled} of ${PREAMBLE_SIZE} preamble bytes`),
      );
    if (this.payload)
      this.fail(
        new VMError(
          ErrorCode.PeerClosedMidFrame,
          `after ${this.payloadFilled} of ${this.payload.length} payload bytes`,
        ),
      );
  }

  private startFrame(): number {
    const { length, kind } = decodePreamble(this.header);
    if (!isKnownKind(kind)) this.fail(new VMError(ErrorCode.UnknownKind, `preamble kind ${kind}`));
    if (length > this.maxFrameSize)
      this.fail(new VMError(ErrorCode.FrameTooLarge, `${length} bytes, limit ${this.maxFrameSize}`));
    this.kind = kind;
    return length;
  }

  private resetFrame(): void {
    this.headerFilled = 0;
    this.payload = null;
    this.payloadFilled = 0;
  }

  private fail(error: VMError): never {
    this.failure = error;
    throw error;
  }
}
