/**
 * The child's output, into the node's winston loggers: stdout lines at trace and stderr lines at error (logger
 * `arwen/child`), and the child's log lines (fd 7: 4-byte length + JSON LogLine) re-emitted under the child's own
 * logger name and level.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { emitRecord, getLogger, type LogLevel } from '@vm/logging';

const output = getLogger('arwen/child');
const LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

export function captureChildOutput(
  stdout: Readable,
  stderr: Readable,
  logLines: Readable,
  onStderr: (line: string) => void,
): void {
  createInterface({ input: stdout }).on('line', (line) => output.trace('Arwen', { line: line.trim() }));
  createInterface({ input: stderr }).on('line', (line) => {
    onStderr(line);
    output.error('Arwen', { line: line.trim() });
  });
  let pending: Buffer = Buffer.alloc(0);
  logLines.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32LE(0)) {
      const length = pending.readUInt32LE(0);
      const payload = pending.subarray(4, 4 + length);
      pending = pending.subarray(4 + length);
      try {
        const line = JSON.parse(payload.toString('utf8')) as {
          Message?: string;
          LogLevel?: number;
          LoggerName?: string;
          Args?: string[];
        };
        const args: Record<string, string> = {};
        for (let i = 0; i + 1 < (line.Args ?? []).length; i += 2) args[line.Args![i]] = line.Args![i + 1];
        emitRecord(LEVELS[line.LogLevel ?? 2] ?? 'info', line.LoggerName ?? 'arwen', line.Message ?? '', args);
      } catch {
        output.debug('unreadable log line from arwen', { line: payload.toString('utf8').slice(0, 200) });
      }
    }
  });
  for (const stream of [stdout, stderr, logLines]) stream.on('error', () => undefined);
}

/** The log-profile frame for fd 6 (reference logger.Profile, always JSON). */
export function profileFrame(pattern: string): Buffer {
  const payload = Buffer.from(
    JSON.stringify({ LogLevelPatterns: pattern, WithCorrelation: false, WithLoggerName: false }),
  );
  const frame = Buffer.allocUnsafe(4 + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  payload.copy(frame, 4);
  return frame;
}
