/**
 * Argument and result codecs, in the contract API's top-level encoding: unsigned integers big-endian without
 * leading zeros (zero is empty), text as UTF-8, addresses as their 32 bytes, booleans as 1 or empty. `u64(5n)`
 * encodes an argument; `u64.decode(bytes)` (or `result.decode(u64)`) reads a result.
 */
import { fromUnsignedBytes, magnitudeBytes } from '../eei/bytes';
import {
  ADDRESS_LENGTH,
  addressValue,
  amountValue,
  booleanValue,
  bytesValue,
  stringValue,
  kindOf,
  type AddressLike,
  type Reader,
} from './inputs';
import { TestAssertionError, TestInputError } from './errors';
import { hexOf } from './format';

export interface Codec<T, In = T> {
  /** Encodes one argument. */
  (value: In): Uint8Array;
  /** Decodes one result; bytes this codec cannot have produced throw TestAssertionError. */
  decode(bytes: Uint8Array): T;
  readonly codecName: string;
}

type Refuse = (reason: string) => never;

/** A codec from its encoder (`Reader` of any input to bytes) and its decoder. */
function codec<T, In = T>(
  name: string,
  encode: Reader<Uint8Array>,
  decode: (bytes: Uint8Array, refuse: Refuse) => T,
): Codec<T, In> {
  return Object.assign((value: In) => encode(value, name), {
    codecName: name,
    decode(bytes: Uint8Array): T {
      if (!(bytes instanceof Uint8Array))
        throw new TestInputError(`${name}.decode: expected bytes, got ${kindOf(bytes)}`);
      return decode(bytes, (reason) => {
        throw new TestAssertionError(`${name}.decode(0x${hexOf(bytes)}): ${reason}`);
      });
    },
  });
}

const U64_MAX = (1n << 64n) - 1n;

export const u64 = codec<bigint>(
  'u64',
  (value, where) => {
    const n = amountValue(value, where);
    if (n > U64_MAX) throw new TestInputError(`${where}: ${n}n does not fit in 64 bits`);
    return magnitudeBytes(n);
  },
  (b, refuse) => (b.length > 8 ? refuse(`${b.length} bytes do not fit in 64 bits`) : fromUnsignedBytes(b)),
);

export const biguint = codec<bigint>('biguint', (v, where) => magnitudeBytes(amountValue(v, where)), fromUnsignedBytes);

export const str = codec<string>(
  'str',
  (v, where) => new Uint8Array(Buffer.from(stringValue(v, where), 'utf8')),
  (b) => Buffer.from(b).toString('utf8'),
);

export const address = codec<Uint8Array, AddressLike>('address', addressValue, (b, refuse) =>
  b.length === ADDRESS_LENGTH ? Uint8Array.from(b) : refuse(`an address has ${ADDRESS_LENGTH} bytes, got ${b.length}`),
);

export const bytes = codec<Uint8Array, Uint8Array | string>('bytes', bytesValue, (b) => Uint8Array.from(b));

export const bool = codec<boolean>(
  'bool',
  (v, where) => (booleanValue(v, where) ? Uint8Array.of(1) : new Uint8Array(0)),
  (b, refuse) => {
    if (b.length === 0 || (b.length === 1 && b[0] === 0)) return false;
    return b.length === 1 && b[0] === 1 ? true : refuse('not a boolean (empty, 0 or 1)');
  },
);

/** The decoded values of `codecs`, in order. */
export type Decoded<C extends readonly Codec<unknown, never>[]> = {
  -readonly [I in keyof C]: C[I] extends Codec<infer T, never> ? T : never;
};
