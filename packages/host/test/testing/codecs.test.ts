import fc from 'fast-check';
import { address, biguint, bool, bytes, str, u64, TestAssertionError, TestInputError } from '@vm/host/testing';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('[@vm/host] test codecs', () => {
  it('encode in the top-level encoding', () => {
    expect(hex(u64(0n))).toBe('');
    expect(hex(u64(5n))).toBe('05');
    expect(hex(u64(256n))).toBe('0100');
    expect(hex(u64((1n << 64n) - 1n))).toBe('ffffffffffffffff');
    expect(hex(biguint(1n << 80n))).toBe('0100000000000000000000');
    expect(hex(str('héllo'))).toBe('68c3a96c6c6f');
    expect(hex(bool(true))).toBe('01');
    expect(hex(bool(false))).toBe('');
    expect(hex(bytes('0x0a0b'))).toBe('0a0b');
    expect(hex(bytes(Uint8Array.of(1, 2)))).toBe('0102');
    expect(hex(address('ab'.repeat(32)))).toBe('ab'.repeat(32));
    expect(hex(address({ address: new Uint8Array(32).fill(7) }))).toBe('07'.repeat(32));
  });

  it('decode what they encode', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (n) => u64.decode(u64(n)) === n));
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 1n << 300n }), (n) => biguint.decode(biguint(n)) === n));
    fc.assert(fc.property(fc.string(), (s) => str.decode(str(s)) === s));
    fc.assert(fc.property(fc.boolean(), (b) => bool.decode(bool(b)) === b));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (a) => hex(address.decode(address(a))) === hex(a)),
    );
    fc.assert(fc.property(fc.uint8Array(), (b) => hex(bytes.decode(bytes(b))) === hex(b)));
  });

  it('decode leniently where contracts differ: leading zeros, a 0 byte for false', () => {
    expect(u64.decode(Uint8Array.of(0, 0, 7))).toBe(7n);
    expect(bool.decode(Uint8Array.of(0))).toBe(false);
  });

  it('refuse results they cannot have produced', () => {
    expect(() => u64.decode(new Uint8Array(9))).toThrow(TestAssertionError);
    expect(() => u64.decode(new Uint8Array(9))).toThrow(
      'u64.decode(0x000000000000000000): 9 bytes do not fit in 64 bits',
    );
    expect(() => address.decode(new Uint8Array(20))).toThrow('an address has 32 bytes, got 20');
    expect(() => bool.decode(Uint8Array.of(2))).toThrow('bool.decode(0x02): not a boolean (empty, 0 or 1)');
    expect(() => u64.decode('05' as never)).toThrow(
      new TestInputError('u64.decode: expected bytes, got the string "05"'),
    );
  });

  it.each([
    ['u64 of a number', () => u64(5 as never), 'u64: expected a bigint, got the number 5 (write 5n)'],
    ['u64 of a negative', () => u64(-1n), 'u64: must not be negative, got -1n'],
    ['u64 of 2^64', () => u64(1n << 64n), 'u64: 18446744073709551616n does not fit in 64 bits'],
    ['biguint of text', () => biguint('12' as never), 'biguint: expected a bigint, got the string "12"'],
    ['str of bytes', () => str(Uint8Array.of(1) as never), 'str: expected a string, got 1 byte'],
    ['bool of 1', () => bool(1 as never), 'bool: expected true or false, got the number 1'],
    [
      'bytes of text',
      () => bytes('hello'),
      'bytes: expected bytes or hex text, got the string "hello" (not hex: use str() for text)',
    ],
    ['a 31-byte address', () => address(new Uint8Array(31)), 'address: an address has 32 bytes, got 31'],
    [
      'an address of a number',
      () => address(7 as never),
      'address: expected bytes (a Uint8Array) or hex text, got the number 7',
    ],
  ])('%s is a TestInputError', (_name, action, message) => {
    expect(action).toThrow(TestInputError);
    expect(action).toThrow(message);
  });
});
