/**
 * The VM process's logging (reference dme-logger-go pipes/childPart): records of the named loggers go to fd 7 as
 * length-prefixed JSON log lines (the process's log sink: winston is never loaded); log-level patterns
 * (`*:INFO,arwen/host:TRACE`) arrive on fd 6.
 */
import { readSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { setLogLevels, setLevelRefresher, setLogSink, LOG_LEVELS, type LogSink } from '@vm/logging';
import { monotonicMs } from '@vm/messenger';

/** The reference's numeric levels: TRACE 0 … ERROR 4. */
const REFERENCE_LEVEL: Record<string, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/** A sink writing each record to `fd` as one length-prefixed LogLineWrapper. */
function logLineSink(fd: number): LogSink {
  return (level, loggerName, message, meta) => {
    const line = JSON.stringify({
      Message: message,
      LogLevel: REFERENCE_LEVEL[level] ?? 2,
      Args: Object.entries(meta).flatMap(([k, v]) => [
        k,
        typeof v === 'string'
          ? v
          : JSON.stringify(v, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)),
      ]),
      Timestamp: Number(process.hrtime.bigint() % BigInt(Number.MAX_SAFE_INTEGER)),
      LoggerName: loggerName,
      Correlation: {},
    });
    const length = Buffer.byteLength(line, 'utf8');
    const frame = Buffer.allocUnsafe(4 + length);
    frame.writeUInt32LE(length, 0);
    frame.write(line, 4, 'utf8');
    try {
      for (let offset = 0; offset < frame.length;) offset += writeSync(fd, frame, offset);
    } catch {
      // the node stopped reading logs: logging must never stop the VM
    }
  };
}

export interface LogPipes {
  /** Applies a pattern received since the last call, if any. */
  refresh(): void;
  close(): void;
}

/** Frames of fd 6 (a 4-byte little-endian length, then a JSON logger.Profile) → their `LogLevelPatterns`. */
class ProfileFrames {
  private pending: Buffer = Buffer.alloc(0);

  /** Adds bytes read and returns the last complete pattern they finish, if any. */
  push(chunk: Buffer): string | undefined {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let last: string | undefined;
    while (this.pending.length >= 4 && this.pending.length >= 4 + this.pending.readUInt32LE(0)) {
      const length = this.pending.readUInt32LE(0);
      const payload = this.pending.subarray(4, 4 + length);
      this.pending = this.pending.subarray(4 + length);
      try {
        last = String((JSON.parse(payload.toString('utf8')) as { LogLevelPatterns?: unknown }).LogLevelPatterns ?? '');
      } catch {
        // a malformed profile is ignored, as the reference's child does
      }
    }
    return last;
  }
}

/** How often a level lookup re-reads fd 6 during a long execution; between requests it is always read. */
const LOOKUP_REFRESH_MS = 50;

/**
 * fd 6 is read on the main thread without blocking: before every request it is drained, so a level the node set
 * before sending a request is in force for that very request; during an execution, level lookups re-read it at most
 * every 50 ms. No reader thread (it cost ~12 MiB). Node cannot set O_NONBLOCK itself; opening the fd as a paused,
 * never-read libuv stream does (the node's end, its own file description, keeps its mode).
 */
export function startLogPipes(profileFd: number, logFd: number): LogPipes {
  setLogSink(logLineSink(logFd));
  let fd: number | undefined;
  let stream: Socket | undefined;
  try {
    stream = new Socket({ fd: profileFd, readable: false, writable: false });
    fd = profileFd;
  } catch {
    fd = undefined; // fd 6 is not a pipe: levels then come only from ARWEN_LOG_LEVELS
  }
  const frames = new ProfileFrames();
  const chunk = Buffer.allocUnsafe(4096);
  let lastRead = 0;
  const refresh = () => {
    lastRead = monotonicMs();
    while (fd !== undefined) {
      let count: number;
      const stackTraceLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0; // EAGAIN (nothing new: every request) is an exception; without a stack it is cheaper
      try {
        count = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') fd = undefined;
        return;
      } finally {
        Error.stackTraceLimit = stackTraceLimit;
      }
      if (count === 0) {
        fd = undefined; // the node closed the pipe
        return;
      }
      const pattern = frames.push(Buffer.from(chunk.subarray(0, count)));
      if (pattern !== undefined) setLogLevels(pattern);
    }
  };
  setLevelRefresher(() => {
    if (monotonicMs() - lastRead >= LOOKUP_REFRESH_MS) refresh();
  });
  return {
    refresh,
    close: () => {
      stream?.destroy();
      fd = undefined;
    },
  };
}

export { LOG_LEVELS };
