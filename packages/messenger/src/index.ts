export { FrameReader, DEFAULT_MAX_FRAME_SIZE } from './frameReader';
export { Dialogue } from './dialogue';
export { Deadline } from './deadline';
export { monotonicMs } from './clock';
export { AsyncMessenger } from './connection';
export { StreamMessageReader } from './messageReader';
export { StreamMessageWriter } from './messageWriter';
export { NODE_PLATFORM } from './platform';
export { SyncMessenger } from './syncMessenger';
export { FdByteSource, WatchedFdByteSource } from './byteSource';
export { PollPolicy, tryRead, NOTHING_YET } from './busyPoll';
export { openBlockingSwitch } from './platform';
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
export type { AsyncMessengerOptions, ConnectionState, MessengerState } from './connection';
export type { MessageReaderOptions } from './messageReader';
export type { FdPlatform } from './platform';
export type { SyncMessengerOptions } from './syncMessenger';
export type { SyncByteSource } from './byteSource';
export type { BlockingSwitch } from './platform';
export type { LogLevel } from '@vm/logging';
