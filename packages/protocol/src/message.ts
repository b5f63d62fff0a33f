/**
 * Messages <-> payload bytes <-> frames. Every inbound payload is parsed losslessly, validated against its
 * kind's schema and checked against the preamble kind before anything else sees it.
 */
import { VMError, ErrorCode } from './errors';
import { isKnownKind, kindName } from './messageKinds';
import { encodePreamble, PREAMBLE_SIZE } from './preamble';
import { decodeShapeFast, encodeShapeFast, validatingDecoder } from './wire/json/codec';
import { decodeState, type DecodeState } from './wire/json/decodeState';
import { parseJsonFast } from './wire/json/goJson';
import { describeSchemaErrors, validatorFor } from './wire/json/validate';
import { messageShape, type Message, type MessageOf, type WireKind } from './wire/messageShapes';

const shapes = new Map<number, ReturnType<typeof messageShape>>();
export function shapeOf(kind: WireKind) {
  let shape = shapes.get(kind);
  if (!shape) shapes.set(kind, (shape = messageShape(kind)));
  return shape;
}

export function checkKind(kind: number): asserts kind is WireKind {
  if (!isKnownKind(kind)) throw new VMError(ErrorCode.UnknownKind, `kind ${kind}`);
}

/** The JSON text of a message. */
function messageText(message: Message): string {
  checkKind(message.Kind);
  return encodeShapeFast(
    shapeOf(message.Kind),
    message as unknown as Record<string, unknown>,
    kindName(message.Kind) as string,
  );
}

/** The payload (Go encoding/json text, as UTF-8 bytes) of a message. */
export function encodeMessage(message: Message): Buffer {
  return Buffer.from(messageText(message), 'utf8');
}

/** A whole frame: preamble + payload, in one buffer (so it can be written with one write), the text written once. */
export function encodeFrame(message: Message): Buffer {
  const text = messageText(message);
  const length = Buffer.byteLength(text, 'utf8');
  const frame = Buffer.allocUnsafe(PREAMBLE_SIZE + length);
  encodePreamble(length, message.Kind, frame);
  frame.write(text, PREAMBLE_SIZE, 'utf8');
  return frame;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes the payload of a frame whose preamble said `kind`. Throws a VMError in the BadFrame family. */
export function decodeMessage(kind: number, payload: Uint8Array): Message {
  checkKind(kind);
  let parsed: ReturnType<typeof parseJsonFast>;
  try {
    parsed = parseJsonFast(utf8.decode(payload));
  } catch (error) {
    throw new VMError(ErrorCode.InvalidJson, (error as Error).message, { cause: error });
  }
  return decodeParsed(kind, parsed.value, decodeState(parsed.marked));
}

/** Validation and decoding of one parsed message, sharing its state (nothing outlives the call). */
function decodeParsed(kind: WireKind, json: unknown, state: DecodeState): Message {
  const checked = validatingDecoder(shapeOf(kind));
  if (checked) {
    let message: Message | undefined;
    try {
      message = checked(json as Record<string, unknown>, state) as unknown as Message;
    } catch {
      // not taken as is: ajv and the field walk below give the exact outcome
    }
    if (message) {
      if (message.Kind !== kind) throw new VMError(ErrorCode.KindMismatch, `preamble ${kind}, payload ${message.Kind}`);
      return message;
    }
  }
  const validate = validatorFor(kind);
  if (!validate.call(state, json))
    throw new VMError(ErrorCode.SchemaViolation, `${kindName(kind)}: ${describeSchemaErrors(validate.errors)}`);
  const payloadKind = Number((json as { Kind: number | bigint }).Kind);
  if (payloadKind !== kind) throw new VMError(ErrorCode.KindMismatch, `preamble ${kind}, payload ${payloadKind}`);
  return decodeShapeFast(shapeOf(kind), json as Record<string, unknown>, state) as unknown as Message;
}

/** A message of `kind` with the envelope filled in (nonce 0, no error); the messenger stamps the nonce. */
export function createMessage<K extends WireKind>(
  kind: K,
  payload: Omit<MessageOf<K>, 'DialogueNonce' | 'Kind' | 'ErrorMessage'>,
  errorMessage = '',
): MessageOf<K> {
  return { DialogueNonce: 0, Kind: kind, ErrorMessage: errorMessage, ...payload } as MessageOf<K>;
}

/** The reference's DebugString: `[kind=<name> nonce=<n> err=<msg>]`. */
export function describeMessage(message: Pick<Message, 'Kind' | 'DialogueNonce' | 'ErrorMessage'>): string {
  return `[kind=${kindName(message.Kind) ?? ''} nonce=${message.DialogueNonce} err=${message.ErrorMessage}]`;
}
