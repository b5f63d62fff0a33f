/**
 * The size limits both ends agree on. A frame's payload is bounded (a corrupt length never allocates gigabytes);
 * the VM bounds what an execution may output well below that, so a valid output always fits in a frame in
 * either codec (JSON's base64 grows bytes by 4/3, and every item has a few bytes of framing).
 */

/** Default limit on a frame's payload, each direction. */
export const DEFAULT_MAX_FRAME_SIZE = 32 * 1024 * 1024;

/** The smallest frame limit a side may be configured with (a gas schedule alone needs tens of kilobytes). */
export const MIN_FRAME_SIZE = 1024 * 1024;

/** Room kept for the response's envelope (its fields other than the output's byte strings). */
const ENVELOPE_RESERVE = 64 * 1024;

/**
 * The VM's bound on one execution's output (see `outputSize` in @vm/host) for a given frame limit: half a frame
 * less the envelope. Twice the counted size covers base64 and every item's framing, so the response fits.
 */
export function outputLimitForFrame(maxFrameSize: number): number {
  return Math.floor(maxFrameSize / 2) - ENVELOPE_RESERVE;
}

/** The default output bound, in process and through the stack alike: 16 MiB less 64 KiB. */
export const DEFAULT_MAX_OUTPUT_BYTES = outputLimitForFrame(DEFAULT_MAX_FRAME_SIZE);
