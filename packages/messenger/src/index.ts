export { FrameReader, DEFAULT_MAX_FRAME_SIZE } from './frameReader';
export { Dialogue } from './dialogue';
export { Deadline } from './deadline';
export { AsyncMessenger } from './asyncMessenger';
export { SyncMessenger } from './syncMessenger';
export { FdByteSource, WatchedFdByteSource } from './byteSource';
export { PollPolicy, tryRead, openBlockingSwitch, NOTHING_YET } from './busyPoll';
// logging lives in @vm/logging; re-exported here for the code that still imports it from the messenger
export {
  getLogger,
  rootLogger,
  setLogLevels,
  getLogLevels,
  setLevelRefresher,
  emitRecord,
  NamedLogger,
  LOG_LEVELS,
} from '@vm/logging';

export type { Frame } from './frameReader';
export type { AsyncMessengerOptions, MessengerState } from './asyncMessenger';
export type { SyncMessengerOptions } from './syncMessenger';
export type { SyncByteSource } from './byteSource';
export type { BlockingSwitch } from './busyPoll';
export type { LogLevel } from '@vm/logging';
