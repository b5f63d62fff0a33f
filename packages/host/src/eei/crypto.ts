/**
 * `env`: hashing (reference arwen/crypto/cryptoei.go) and the built-in CryptoHook. keccak256 charges the SHA256
 * key, as in the reference.
 */
import { keccak256 } from './keccak';
import { sha256, type CryptoHook } from '@vm/protocol';
import { row, type EeiRow } from './table';
import type { ExecutionContext } from '../execution/executionContext';

// Loaded on first use: few contracts need them, and @noble/curves alone adds ~20 ms to every VM process start.
let noble:
  | {
      ripemd160: typeof import('@noble/hashes/ripemd160').ripemd160;
      secp256k1: typeof import('@noble/curves/secp256k1').secp256k1;
    }
  | undefined;
function loadNoble(): NonNullable<typeof noble> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded lazily, see above */
  return (noble ??= {
    ripemd160: require('@noble/hashes/ripemd160').ripemd160,
    secp256k1: require('@noble/curves/secp256k1').secp256k1,
  });
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * sha256 from node:crypto (loaded on first use, see @vm/protocol's sha256); legacy Keccak-256 from ./keccak; RIPEMD-160 from the audited @noble/hashes;
 * ecrecover (secp256k1 public-key recovery, from the audited @noble/curves) returns the signer's 20-byte
 * Ethereum address (the reference's hook had none).
 */
export function createCryptoHook(): CryptoHook {
  return {
    sha256,
    keccak256,
    ripemd160: (data) => loadNoble().ripemd160(data),
    ecrecover: (hash, recoveryId, r, s) => {
      const bit = recoveryId[recoveryId.length - 1] ?? 0;
      const signature = new (loadNoble().secp256k1.Signature)(toBigInt(r), toBigInt(s)).addRecoveryBit(
        bit >= 27 ? bit - 27 : bit,
      );
      const publicKey = signature.recoverPublicKey(hash).toRawBytes(false);
      return keccak256(publicKey.subarray(1)).subarray(12);
    },
  };
}

const toBigInt = (bytes: Uint8Array): bigint =>
  bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);

function hashInto(
  ctx: ExecutionContext,
  hash: (data: Uint8Array) => Uint8Array,
  dataPtr: number,
  length: number,
  resultPtr: number,
): number {
  const data = ctx.peek(dataPtr, length); // hashed at once, before anything writes memory
  let digest: Uint8Array;
  try {
    digest = hash(data);
  } catch {
    return 1; // a crypto-hook error is reported, not a fault
  }
  ctx.store(resultPtr, digest);
  ctx.useGas(ctx.cost('CryptoAPICost.SHA256'));
  return 0;
}

export const CRYPTO_EEI: readonly EeiRow[] = [
  row('sha256', 'iii', 'i', undefined, (ctx, dataPtr: number, length: number, resultPtr: number) =>
    hashInto(ctx, ctx.crypto.sha256, dataPtr, length, resultPtr),
  ),
  row('keccak256', 'iii', 'i', undefined, (ctx, dataPtr: number, length: number, resultPtr: number) =>
    hashInto(ctx, ctx.crypto.keccak256, dataPtr, length, resultPtr),
  ),
];
