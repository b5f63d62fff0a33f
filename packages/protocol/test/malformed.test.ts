import {
  decodeMessage,
  decodePreamble,
  encodePreamble,
  encodeMessage,
  createMessage,
  MessageKind,
  VMError,
  ErrorCode,
  assertSupportedMarshalizer,
  MarshalizerKind,
  type ErrorDefinition,
} from '@vm/protocol';

const bytes = (s: string) => Buffer.from(s, 'utf8');
const storageRequest = (fields: string) => bytes(`{"DialogueNonce":4,"Kind":8,"ErrorMessage":""${fields}}`);

function expectError(fn: () => unknown, definition: ErrorDefinition, detail?: RegExp) {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(VMError);
  const error = caught as VMError;
  expect(error.code).toBe(definition.code);
  expect(error.critical).toBe(true);
  if (detail) expect(error.message).toMatch(detail);
}

describe('[@vm/protocol] malformed input gives its specific error', () => {
  it.each([
    ['truncated JSON', '{"DialogueNonce":1,"Kind":8', ErrorCode.InvalidJson],
    ['not JSON at all', 'garbage', ErrorCode.InvalidJson],
    ['an array', '[]', ErrorCode.SchemaViolation],
  ])('%s', (_name, text, definition) => expectError(() => decodeMessage(8, bytes(text)), definition));

  it('rejects invalid UTF-8 in the payload', () => {
    expectError(() => decodeMessage(2, Buffer.from([0x7b, 0xff, 0x7d])), ErrorCode.InvalidJson);
  });

  it.each([
    ['a missing key', ',"Address":"AA=="', /missing key "Index"/],
    ['an unexpected key', ',"Address":"AA==","Index":"AA==","Extra":1', /unexpected key "Extra"/],
    ['unpadded base64', ',"Address":"AA","Index":"AA=="', /\/Address/],
    ['URL-safe base64', ',"Address":"-_8=","Index":"AA=="', /\/Address/],
    ['a number for bytes', ',"Address":5,"Index":"AA=="', /\/Address/],
  ])('rejects %s', (_name, fields, detail) =>
    expectError(() => decodeMessage(8, storageRequest(fields)), ErrorCode.SchemaViolation, detail),
  );

  it.each([
    ['negative uint64', '-1'],
    ['uint64 overflow', '18446744073709551616'],
    ['a fraction', '1.5'],
    ['a quoted number', '"5"'],
  ])('rejects %s in a uint64 field', (_name, literal) => {
    expectError(
      () => decodeMessage(10, bytes(`{"DialogueNonce":1,"Kind":10,"ErrorMessage":"","Nonce":${literal}}`)),
      ErrorCode.SchemaViolation,
      /uint64/,
    );
  });

  it('rejects a uint32 above 2^32-1', () => {
    expectError(
      () => decodeMessage(46, bytes('{"DialogueNonce":1,"Kind":46,"ErrorMessage":"","Milliseconds":4294967296}')),
      ErrorCode.SchemaViolation,
    );
  });

  it('rejects a payload kind different from the preamble kind', () => {
    expectError(
      () => decodeMessage(12, bytes('{"DialogueNonce":1,"Kind":14,"ErrorMessage":""}')),
      ErrorCode.KindMismatch,
      /preamble 12, payload 14/,
    );
  });

  it.each([0, 49, 57, 1000, 2 ** 32 - 1])('rejects unknown kind %i', (kind) => {
    expectError(() => decodeMessage(kind, bytes('{}')), ErrorCode.UnknownKind);
  });

  it('rejects a truncated preamble and encodes only u32 values', () => {
    expectError(() => decodePreamble(Uint8Array.of(1, 0, 0)), ErrorCode.TruncatedPreamble);
    expectError(() => encodePreamble(-1, 4), ErrorCode.InvalidPreamble);
    expectError(() => encodePreamble(2 ** 32, 4), ErrorCode.InvalidPreamble);
  });

  it('groups every frame error in the BadFrame family', () => {
    try {
      decodeMessage(8, bytes('nope'));
    } catch (error) {
      expect(VMError.is(error, ErrorCode.BadFrame)).toBe(true);
      expect(VMError.is(error, ErrorCode.Timeout)).toBe(false);
    }
  });

  it('refuses to encode values the Go types cannot hold', () => {
    const bad = createMessage(MessageKind.BlockchainLastNonceResponse, { Result: -1n });
    expectError(() => encodeMessage(bad), ErrorCode.InvalidMessage, /Result must be a uint64/);
    const duplicate = createMessage(MessageKind.BlockchainGetAllStateResponse, {
      AllState: [
        { key: Uint8Array.of(1), value: null },
        { key: Uint8Array.of(1), value: Uint8Array.of(2) },
      ],
    });
    expectError(() => encodeMessage(duplicate), ErrorCode.InvalidMessage, /duplicate key 01/);
  });

  it('refuses gob and unknown marshalizers', () => {
    expect(() => assertSupportedMarshalizer(MarshalizerKind.JSON)).not.toThrow();
    expectError(() => assertSupportedMarshalizer(MarshalizerKind.Gob), ErrorCode.UnsupportedMarshalizer, /gob/);
    expectError(() => assertSupportedMarshalizer(7), ErrorCode.UnsupportedMarshalizer, /unknown kind 7/);
  });
});
