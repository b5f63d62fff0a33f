/**
 * The VM process's logging (reference dme-logger-go pipes/childPart): records of the named winston loggers go to
 * fd 7 as length-prefixed JSON log lines; log-level patterns (`*:INFO,arwen/host:TRACE`) arrive on fd 6. A reader
 * thread owns fd 6 (the main thread blocks in contract execution and in hook calls) and publishes each new pattern
 * through shared memory; levels are re-read on the next log call, so a change takes effect at once.
 */
import { writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import Transport from 'winston-transport';
import { rootLogger, setLogLevels, setLevelRefresher, LOG_LEVELS } from '@vm/messenger';

/** The reference's numeric levels: TRACE 0 … ERROR 4. */
const REFERENCE_LEVEL: Record<string, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

class LogLineTransport extends Transport {
  constructor(private readonly fd: number) {
    super({ level: 'trace' });
  }

  override log(info: Record<string | symbol, unknown>, done: () => void): void {
    const { level, message, logger, timestamp: _t, ...args } = info as Record<string, unknown>;
    const line = JSON.stringify({
      Message: String(message),
      LogLevel: REFERENCE_LEVEL[String(level)] ?? 2,
      Args: Object.entries(args).flatMap(([k, v]) => [
        k,
        typeof v === 'string'
          ? v
          : JSON.stringify(v, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)),
      ]),
      Timestamp: Number(process.hrtime.bigint() % BigInt(Number.MAX_SAFE_INTEGER)),
      LoggerName: String(logger ?? ''),
      Correlation: {},
    });
    const payload = Buffer.from(line, 'utf8');
    const frame = Buffer.allocUnsafe(4 + payload.length);
    frame.writeUInt32LE(payload.length, 0);
    payload.copy(frame, 4);
    try {
      for (let offset = 0; offset < frame.length;) offset += writeSync(this.fd, frame, offset);
    } catch {
      // the node stopped reading logs: logging must never stop the VM
    }
    done();
  }
}

const PROFILE_READER = `
const net = require('node:net');
const { workerData } = require('node:worker_threads');
const ctl = new Int32Array(workerData.control), text = new Uint8Array(workerData.text);
let pending = Buffer.alloc(0);
const socket = new net.Socket({ fd: workerData.fd, readable: true, writable: false });
socket.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32LE(0)) {
    const length = pending.readUInt32LE(0);
    const payload = pending.subarray(4, 4 + length);
    pending = pending.subarray(4 + length);
    let profile;
    try { profile = JSON.parse(payload.toString('utf8')); } catch { continue; }
    const pattern = Buffer.from(String(profile.LogLevelPatterns || ''), 'utf8').subarray(0, text.length);
    text.fill(0); text.set(pattern);
    Atomics.store(ctl, 1, pattern.length);
    Atomics.add(ctl, 0, 1);
  }
});
socket.on('error', () => {});
`;

export interface LogPipes {
  /** Applies a pattern received since the last call, if any. */
  refresh(): void;
  close(): void;
}

export function startLogPipes(profileFd: number, logFd: number): LogPipes {
  rootLogger().clear();
  rootLogger().add(new LogLineTransport(logFd));
  const control = new Int32Array(new SharedArrayBuffer(8));
  const text = new Uint8Array(new SharedArrayBuffer(4096));
  let seen = 0;
  let worker: Worker | undefined;
  try {
    worker = new Worker(PROFILE_READER, {
      eval: true,
      workerData: { fd: profileFd, control: control.buffer, text: text.buffer },
    });
    worker.unref();
  } catch {
    worker = undefined;
  }
  const refresh = () => {
    const version = Atomics.load(control, 0);
    if (version === seen) return;
    seen = version;
    const pattern = Buffer.from(text.subarray(0, Atomics.load(control, 1))).toString('utf8');
    setLogLevels(pattern);
  };
  setLevelRefresher(refresh);
  return { refresh, close: () => void worker?.terminate() };
}

export { LOG_LEVELS };
