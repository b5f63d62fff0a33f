/** Log records captured from the process-wide root logger, for tests that check what was logged. */
import Transport from 'winston-transport';
import { rootLogger } from '@vm/logging';

export interface LogRecord {
  logger?: string;
  message?: string;
  level?: string;
  [field: string]: unknown;
}

export interface LogCapture {
  /** Every record logged since the capture started, in order. */
  readonly records: LogRecord[];
  /** Detaches the capture from the root logger. */
  stop(): void;
}

class Capture extends Transport {
  readonly records: LogRecord[] = [];
  override log(info: LogRecord, done: () => void) {
    this.records.push(info);
    done();
  }
}

/** Starts capturing every record at `level` or above (default: all of them). */
export function captureLogs(level = 'trace'): LogCapture {
  const capture = new Capture({ level });
  rootLogger().add(capture);
  return { records: capture.records, stop: () => rootLogger().remove(capture) };
}

/** Resolves once `condition()` holds, polling every 20 ms; gives up (quietly) after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition() && Date.now() < deadline;)
    await new Promise((r) => setTimeout(r, 20));
}
