export { VMDriver, DEFAULT_BUSY_POLL_MICROS, DEFAULT_MESSAGES_MARSHALIZER } from './vmDriver';
export { arwenCommand, locateArwen } from './locateArwen';
export { CrashLoopBreaker } from './restartPolicy';
export { DriverError } from './errors';
export type { VMDriverOptions, DriverStats } from './vmDriver';
export type { RestartPolicy } from './restartPolicy';
export { VMQueryPool } from './vmPool';
