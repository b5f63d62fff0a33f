/**
 * The main channel's codecs (fd 4 and 5), one per marshalizer kind the two ends agreed on in Initialize: the
 * reference's Go-compatible JSON, or our binary layout (wire/binary/layout.ts). Initialize itself is always JSON.
 */
import { VMError, ErrorCode } from './errors';
import { kindName } from './messageKinds';
import { assertSupportedMarshalizer, MarshalizerKind } from './marshalizer';
import { checkKind, decodeMessage, encodeFrame, encodeMessage, shapeOf } from './message';
import { encodePreamble, PREAMBLE_SIZE } from './preamble';
import { decodeBinary } from './wire/binary/decoder';
import { encodeBinary } from './wire/binary/encoder';
import type { Message } from './wire/messageShapes';

export interface MessageCodec {
  readonly marshalizer: MarshalizerKind;
  /** The payload of a message. */
  encodeMessage(message: Message): Buffer;
  /** Preamble + payload, in one buffer. */
  encodeFrame(message: Message): Buffer;
  /** The payload of a frame whose preamble said `kind`; throws a VMError in the BadFrame family. */
  decodeMessage(kind: number, payload: Uint8Array): Message;
}

export const JSON_CODEC: MessageCodec = Object.freeze({
  marshalizer: MarshalizerKind.JSON,
  encodeMessage,
  encodeFrame,
  decodeMessage,
});

/** A binary payload after `headroom` bytes (left for the preamble). */
function encodeBinaryMessage(message: Message, headroom: number): Buffer {
  checkKind(message.Kind);
  return encodeBinary(
    shapeOf(message.Kind),
    message as unknown as Record<string, unknown>,
    kindName(message.Kind) as string,
    headroom,
  );
}

export const BINARY_CODEC: MessageCodec = Object.freeze({
  marshalizer: MarshalizerKind.Binary,
  encodeMessage: (message: Message) => encodeBinaryMessage(message, 0),
  encodeFrame: (message: Message) => {
    const frame = encodeBinaryMessage(message, PREAMBLE_SIZE);
    encodePreamble(frame.length - PREAMBLE_SIZE, message.Kind, frame);
    return frame;
  },
  decodeMessage: (kind: number, payload: Uint8Array) => {
    checkKind(kind);
    const message = decodeBinary(shapeOf(kind), payload, kindName(kind) as string) as unknown as Message;
    if (message.Kind !== kind) throw new VMError(ErrorCode.KindMismatch, `preamble ${kind}, payload ${message.Kind}`);
    return message;
  },
});

/** The codec of a marshalizer kind; Gob and unknown kinds are refused (UnsupportedMarshalizer). */
export function codecFor(marshalizer: number, what = 'MessagesMarshalizer'): MessageCodec {
  assertSupportedMarshalizer(marshalizer, what, [MarshalizerKind.JSON, MarshalizerKind.Binary]);
  return marshalizer === MarshalizerKind.Binary ? BINARY_CODEC : JSON_CODEC;
}
