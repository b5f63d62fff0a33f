/**
 * The negotiated extensions of ours (never the reference's wire): the node offers a bit set in Initialize
 * (`Capabilities`, left out when 0, so a reference VM sees the reference's Initialize); a dme-vm VM answers with
 * InitializeAcknowledge (its version and the bits it accepts) before anything else. An extension is used only when
 * both sides agreed on it. Every one keeps the outputs byte-identical.
 */
export enum Capability {
  /** Accounts carry the SHA-256 of their code instead of the code; the VM keeps codes (and compiled modules). */
  CodeByHash = 1,
  /** Contract requests carry the recipient's and the caller's accounts, as the node's hook answers them. */
  AccountPrefetch = 2,
  /** Contract requests carry storage values the node read ahead (keys the same function read last time). */
  StoragePrefetch = 4,
  /** VersionRequest / VersionResponse. */
  Version = 8,
  /** GasScheduleChangeRequest / GasScheduleChangeResponse: a new schedule for the running VM. */
  GasScheduleChange = 16,
}

/** Every capability this version speaks, as a bit set. */
export const ALL_CAPABILITIES: number = Object.values(Capability)
  .filter((v): v is number => typeof v === 'number')
  .reduce((set, bit) => set | bit, 0);

/** The bit set of a list of capabilities. */
export const capabilitySet = (capabilities: readonly Capability[]): number =>
  capabilities.reduce((set, bit) => set | bit, 0);

/** The names of the capabilities in a bit set (for logs and errors). */
export const capabilityNames = (set: number): string[] =>
  Object.entries(Capability)
    .filter(([, bit]) => typeof bit === 'number' && (set & bit) !== 0)
    .map(([name]) => name);

export const hasCapability = (set: number, capability: Capability): boolean => (set & capability) !== 0;

/** The hash that names a code under CodeByHash: SHA-256 of its bytes. */
export function codeHash(code: Uint8Array): Uint8Array {
  return sha256(code);
}

/**
 * SHA-256 from node:crypto, required on first use: loading node:crypto adds ~2 MiB to a process, and a VM process
 * needs it only when a contract hashes or a code arrives by hash.
 */
export function sha256(data: Uint8Array): Uint8Array {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see above
  nodeCrypto ??= require('node:crypto') as typeof import('node:crypto');
  return new Uint8Array(nodeCrypto.createHash('sha256').update(data).digest());
}
let nodeCrypto: typeof import('node:crypto') | undefined;
