import {
  BINARY_CODEC,
  JSON_CODEC,
  MessageKind,
  createMessage,
  decodeMessage,
  encodeMessage,
  type MessageOf,
} from '@vm/protocol';

const initialize = (extra: { MaxFrameSize?: number }) =>
  createMessage(MessageKind.Initialize, {
    Arguments: {
      VMType: Uint8Array.of(5, 0),
      BlockGasLimit: 1n,
      GasSchedule: null,
      ProtocolBuiltinFunctions: null,
      Kalyan3104ProtectedKeyPrefix: null,
      LogsMarshalizer: 0,
      MessagesMarshalizer: 0,
      ...extra,
    },
  });

describe('[@vm/protocol] extension fields (Initialize.MaxFrameSize)', () => {
  it('round-trips in both codecs', () => {
    const message = initialize({ MaxFrameSize: 4 * 1024 * 1024 });
    for (const codec of [JSON_CODEC, BINARY_CODEC]) {
      const decoded = codec.decodeMessage(
        MessageKind.Initialize,
        codec.encodeMessage(message),
      ) as MessageOf<MessageKind.Initialize>;
      expect(decoded.Arguments.MaxFrameSize).toBe(4 * 1024 * 1024);
    }
  });

  it("a reference node's Initialize (no such key) decodes as 0 and re-encodes without it", () => {
    const json = encodeMessage(initialize({})).toString('utf8');
    expect(json).not.toContain('MaxFrameSize');
    const decoded = decodeMessage(MessageKind.Initialize, Buffer.from(json)) as MessageOf<MessageKind.Initialize>;
    expect(decoded.Arguments.MaxFrameSize).toBe(0);
    expect(encodeMessage(decoded).toString('utf8')).toBe(json);
  });

  it('a value out of the uint32 range is refused', () => {
    expect(() => encodeMessage(initialize({ MaxFrameSize: 2 ** 32 }))).toThrow(/uint32/);
  });
});
