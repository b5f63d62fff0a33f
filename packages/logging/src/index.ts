/**
 * Process-wide named loggers with the reference's names (`arwen/baseMessenger`, `arwen/host`, ...) and its level
 * patterns: `setLogLevels("*:INFO,arwen/host:TRACE")` — `*` sets every logger, other names match as substrings,
 * later entries win. Hot paths guard their trace calls with `isLevelEnabled('trace')`.
 *
 * Records go to one sink per process. The default sink is a winston logger (JSON lines on stderr), created on the
 * first record that reaches it: a process that logs nothing, or sends its records elsewhere (`setLogSink`, as the
 * VM process does with its fd 7), never loads winston.
 */
import type { Logger } from 'winston';

/** winston's levels, most severe first; `none` disables a logger. */
export const LOG_LEVELS = { none: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 5 } as const;
export type LogLevel = Exclude<keyof typeof LOG_LEVELS, 'none'>;

/** Where records go: the level, the logger's name, the message and its fields. */
export type LogSink = (level: LogLevel, loggerName: string, message: string, meta: Record<string, unknown>) => void;

let root: Logger | undefined;

/** The winston logger of the default sink, created on first use. */
function winstonRoot(): Logger {
  if (!root) {
    // loaded on first use: winston and its formats cost a VM process's start tens of milliseconds
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const winston = require('winston') as typeof import('winston');
    root = winston.createLogger({
      levels: LOG_LEVELS,
      level: 'trace', // filtering is per named logger, below
      format: winston.format.combine(
        winston.format.timestamp(),
        winston.format.json({ replacer: (_key, value) => (typeof value === 'bigint' ? value.toString() : value) }),
      ),
      transports: [new winston.transports.Console({ stderrLevels: Object.keys(LOG_LEVELS) })],
    });
  }
  return root;
}

const winstonSink: LogSink = (level, loggerName, message, meta) =>
  winstonRoot().log(level, message, { logger: loggerName, ...meta });

let sink: LogSink = winstonSink;

/** Sends every record to `next` (undefined: back to the default winston sink). */
export function setLogSink(next: LogSink | undefined): void {
  sink = next ?? winstonSink;
}

interface Rule {
  readonly match: string;
  readonly level: number;
}

let rules: Rule[] = [
  { match: '*', level: LOG_LEVELS[(process.env.DME_VM_LOG_LEVEL as LogLevel) ?? 'info'] ?? LOG_LEVELS.info },
];
let version = 0;
let refresher: (() => void) | undefined;

/** Registers a cheap check run before every level lookup (e.g. a new pattern published by another thread). */
export function setLevelRefresher(check: (() => void) | undefined): void {
  refresher = check;
}

/** Applies a pattern like `*:INFO,arwen/host:TRACE` (reference level names; case-insensitive). Unknown levels are ignored. */
export function setLogLevels(pattern: string): void {
  const parsed: Rule[] = [];
  for (const entry of pattern.split(',')) {
    const [match, levelName] = entry.trim().split(':');
    const level = LOG_LEVELS[(levelName ?? '').trim().toLowerCase() as keyof typeof LOG_LEVELS];
    if (match && level !== undefined) parsed.push({ match: match.trim(), level });
  }
  if (parsed.length === 0) return;
  rules = parsed;
  version++;
}

/** The current pattern, in the reference's notation. */
export function getLogLevels(): string {
  const names = Object.fromEntries(Object.entries(LOG_LEVELS).map(([k, v]) => [v, k.toUpperCase()]));
  return rules.map((r) => `${r.match}:${names[r.level]}`).join(',');
}

export class NamedLogger {
  private cachedVersion = -1;
  private cachedLevel: number = LOG_LEVELS.info;

  constructor(readonly name: string) {}

  private level(): number {
    refresher?.();
    if (this.cachedVersion !== version) {
      let level: number = LOG_LEVELS.info;
      for (const rule of rules) if (rule.match === '*' || this.name.includes(rule.match)) level = rule.level;
      this.cachedLevel = level;
      this.cachedVersion = version;
    }
    return this.cachedLevel;
  }

  isLevelEnabled(level: LogLevel): boolean {
    return LOG_LEVELS[level] <= this.level();
  }

  log(level: LogLevel, message: string, meta: Record<string, unknown> = {}): void {
    if (this.isLevelEnabled(level)) sink(level, this.name, message, meta);
  }

  error = (message: string, meta?: Record<string, unknown>): void => this.log('error', message, meta);
  warn = (message: string, meta?: Record<string, unknown>): void => this.log('warn', message, meta);
  info = (message: string, meta?: Record<string, unknown>): void => this.log('info', message, meta);
  debug = (message: string, meta?: Record<string, unknown>): void => this.log('debug', message, meta);
  trace = (message: string, meta?: Record<string, unknown>): void => this.log('trace', message, meta);
}

const loggers = new Map<string, NamedLogger>();

/** The logger of a component. */
export function getLogger(name: string): NamedLogger {
  let logger = loggers.get(name);
  if (!logger) loggers.set(name, (logger = new NamedLogger(name)));
  return logger;
}

/** The winston logger of the default sink (to add or replace transports). */
export function rootLogger(): Logger {
  return winstonRoot();
}

/** Writes a record as it is (used to re-emit a child process's log lines under their own logger name and level). */
export function emitRecord(
  level: LogLevel,
  loggerName: string,
  message: string,
  meta: Record<string, unknown> = {},
): void {
  sink(level, loggerName, message, meta);
}
