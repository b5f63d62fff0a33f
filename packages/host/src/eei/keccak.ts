/**
 * Legacy Keccak-256 (not SHA3-256). hash-wasm's WebAssembly build is about 14x faster than pure JavaScript, but
 * WebAssembly loads asynchronously: until it is ready (the first ticks after this module loads; the `arwen`
 * process awaits `keccakReady` before serving) the audited @noble/hashes computes the very same digest.
 */
import type { IHasher } from 'hash-wasm';

// Only the Keccak bundle: the package's index loads every algorithm it has (milliseconds more at each VM start).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createKeccak } = require('hash-wasm/dist/keccak.umd.min.js') as Pick<
  typeof import('hash-wasm'),
  'createKeccak'
>;

let hasher: IHasher | undefined;

/** Settles once the fast implementation is in use (or could not load: the pure one then stays). */
export const keccakReady: Promise<void> = createKeccak(256).then(
  (loaded) => {
    hasher = loaded;
  },
  () => undefined,
);

// Required only if needed: @noble/hashes loads node:crypto (for random bytes), ~2 MiB more in every VM process.
let pure: typeof import('@noble/hashes/sha3').keccak_256 | undefined;
function pureKeccak(): NonNullable<typeof pure> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see above
  return (pure ??= (require('@noble/hashes/sha3') as typeof import('@noble/hashes/sha3')).keccak_256);
}

export function keccak256(data: Uint8Array): Uint8Array {
  if (!hasher) return pureKeccak()(data);
  hasher.init();
  hasher.update(data);
  return hasher.digest('binary');
}
