import fc from 'fast-check';
import { keccak_256 } from '@noble/hashes/sha3';
import { keccak256, keccakReady } from '@vm/host';

describe('[@vm/host] Keccak-256 (hash-wasm, with @noble/hashes until it loads)', () => {
  it('gives the legacy Keccak-256 digests before and after the fast implementation loads', async () => {
    const empty = 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';
    expect(Buffer.from(keccak256(new Uint8Array(0))).toString('hex')).toBe(empty);
    await keccakReady;
    expect(Buffer.from(keccak256(new Uint8Array(0))).toString('hex')).toBe(empty);
    expect(Buffer.from(keccak256(Buffer.from('abc'))).toString('hex')).toBe(
      '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
    );
  });

  it('equals the audited pure implementation on any input, around the 136-byte block size too', async () => {
    await keccakReady;
    const sizes = fc.oneof(
      fc.integer({ min: 0, max: 600 }),
      fc.integer({ min: 134, max: 138 }),
      fc.integer({ min: 270, max: 274 }),
    );
    const inputs = sizes.chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
    fc.assert(
      fc.property(inputs, (data) =>
        expect(Buffer.from(keccak256(data)).equals(Buffer.from(keccak_256(data)))).toBe(true),
      ),
      { numRuns: 1000 },
    );
  });
});
