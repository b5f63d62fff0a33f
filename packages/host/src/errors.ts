import { defineErrors } from '@vm/protocol';

/** Errors of the VM host's own setup (contract failures are VMOutputs, not errors). */
export const HostError = defineErrors({
  InvalidGasSchedule: { message: 'invalid gas schedule', critical: true },
  InvalidHostParameters: { message: 'invalid VM host parameters', critical: true },
});
