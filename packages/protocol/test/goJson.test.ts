import { parseJsonLossless, goQuote, decodeMessage, ErrorCode, VMError } from '@vm/protocol';

describe('[@vm/protocol] lossless JSON parsing', () => {
  it('keeps integers of any size exact, inside and outside arrays and objects', () => {
    const big = '115792089237316195423570985008687907853269984665640564039457584007913129639935';
    expect(parseJsonLossless(`{"a":${big},"b":[-${big},1],"c":"${big}"}`)).toEqual({
      a: BigInt(big),
      b: [-BigInt(big), 1],
      c: big,
    });
  });

  it('is not fooled by a string that imitates its internal marker', () => {
    // A genuine string starting with an escaped NUL makes the parser take the fully lossless path.
    const value = parseJsonLossless('{"s":"\\u0000#12345678901234567890","n":12345678901234567890}') as {
      s: string;
      n: bigint;
    };
    expect(value.s).toBe('\u0000#12345678901234567890');
    expect(value.n).toBe(12345678901234567890n);
  });

  it('does not accept a marker-like string where Go expects an integer', () => {
    const text = '{"DialogueNonce":1,"Kind":13,"ErrorMessage":"","Result":"\\u0000#12345678901234567890"}';
    expect(() => decodeMessage(13, Buffer.from(text))).toThrow(VMError);
    try {
      decodeMessage(13, Buffer.from(text));
    } catch (error) {
      expect((error as VMError).code).toBe(ErrorCode.SchemaViolation.code);
    }
  });

  it('quotes strings exactly as Go does', () => {
    expect(goQuote('plain')).toBe('"plain"');
    expect(goQuote('<a&b>')).toBe('"\\u003ca\\u0026b\\u003e"');
    expect(goQuote('\u2028\u2029')).toBe('"\\u2028\\u2029"');
    expect(goQuote('\b\f\n\r\t\u0001')).toBe('"\\u0008\\u000c\\n\\r\\t\\u0001"');
    expect(goQuote('back\\slash b and \\f')).toBe('"back\\\\slash b and \\\\f"');
    expect(goQuote('"quoted" ☃')).toBe('"\\"quoted\\" ☃"');
  });
});
