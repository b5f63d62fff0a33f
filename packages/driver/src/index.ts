export { VMDriver, DEFAULT_BUSY_POLL_MICROS, DEFAULT_MESSAGES_MARSHALIZER } from './vmDriver';
export { VMQueryPool } from './vmPool';
export { arwenCommand, locateArwen } from './locateArwen';
export { CrashLoopBreaker } from './restartPolicy';
export { DriverError } from './errors';
// the node side's own logging (winston), so a node team needs no other package to set its levels
export { getLogger, rootLogger, setLogLevels, getLogLevels, LOG_LEVELS } from '@vm/logging';

export type { VMDriverOptions, DriverStats } from './vmDriver';
export type { RestartPolicy } from './restartPolicy';
export type { LogLevel } from '@vm/logging';
