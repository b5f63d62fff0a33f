import { defineErrors } from '@vm/protocol';

export const DriverError = defineErrors({
  ArwenCrashLoop: { message: 'arwen keeps crashing; not restarted', critical: true },
  ArwenExited: { message: 'arwen exited', critical: true },
  ArwenStartFailed: { message: 'arwen could not be started', critical: true },
  ArwenPanic: { message: 'arwen failed to run the request', critical: false },
  DriverClosed: { message: 'the driver is closed', critical: true },
  InvalidOptions: { message: 'invalid driver options', critical: false },
  NoHandshake: { message: 'arwen did not acknowledge the offered capabilities', critical: true },
  NotNegotiated: { message: 'the VM did not agree on this extension', critical: false },
  GasScheduleRefused: { message: 'the VM refused the gas schedule', critical: false },
});
