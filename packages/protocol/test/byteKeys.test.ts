import fc from 'fast-check';
import {
  bytesToKey,
  keyToBytes,
  quoteByteKey,
  goQuote,
  decodeMessage,
  encodeMessage,
  createMessage,
  MessageKind,
  type MessageOf,
} from '@vm/protocol';

describe('[@vm/protocol] lossless raw-byte map keys', () => {
  it('is the identity on valid UTF-8 (byte-identical to Go for ordinary keys)', () => {
    fc.assert(
      fc.property(fc.string(), (s) =>
        expect(bytesToKey(Buffer.from(s, 'utf8'))).toBe(
          (s as string & { isWellFormed(): boolean }).isWellFormed() ? s : bytesToKey(Buffer.from(s, 'utf8')),
        ),
      ),
    );
    expect(bytesToKey(Buffer.from('mycontract'))).toBe('mycontract');
  });

  it('round-trips any bytes, and distinct bytes give distinct keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(Buffer.from(keyToBytes(bytesToKey(a))).equals(Buffer.from(a))).toBe(true);
        if (!Buffer.from(a).equals(Buffer.from(b))) expect(bytesToKey(a)).not.toBe(bytesToKey(b));
      }),
    );
  });

  it('quotes a key straight from its bytes exactly as goQuote(bytesToKey(bytes))', () => {
    const interesting = fc.constantFrom(
      0x00,
      0x08,
      0x0c,
      0x0a,
      0x22,
      0x26,
      0x3c,
      0x3e,
      0x5c,
      0x7f,
      0x80,
      0xc2,
      0xe2,
      0x80,
      0xa8,
      0xa9,
      0xed,
      0xa0,
      0xf0,
      0x9f,
      0xf4,
      0xff,
    );
    const bytes = fc
      .array(fc.oneof(fc.integer({ min: 0, max: 255 }), interesting), { maxLength: 40 })
      .map((a) => Uint8Array.from(a));
    fc.assert(
      fc.property(bytes, (b) => expect(quoteByteKey(b)).toBe(goQuote(bytesToKey(b)))),
      { numRuns: 5000 },
    );
    expect(quoteByteKey(Buffer.from('a<b>&\u2028"\\\b'))).toBe('"a\\u003cb\\u003e\\u0026\\u2028\\"\\\\\\u0008"');
  });

  it('keeps the keys that Go would merge into one U+FFFD key', () => {
    // 0xfa and 0xfb both become U+FFFD in Go, so Go's decoder would keep one entry of two.
    const keys = [Uint8Array.of(0, 0xfa, 0x12), Uint8Array.of(0, 0xfb, 0x12), Uint8Array.of(0xed, 0xa0, 0x80)];
    const message = createMessage(MessageKind.BlockchainGetAllStateResponse, {
      AllState: keys.map((key, i) => ({ key, value: Uint8Array.of(i) })),
    });
    const decoded = decodeMessage(39, encodeMessage(message)) as MessageOf<MessageKind.BlockchainGetAllStateResponse>;
    expect(decoded.AllState!.map((e) => Buffer.from(e.key).toString('hex')).sort()).toEqual([
      '00fa12',
      '00fb12',
      'eda080',
    ]);
  });
});
