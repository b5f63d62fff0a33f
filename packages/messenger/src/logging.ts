/**
 * winston loggers named as the reference names them (`arwen/baseMessenger`, `arwen/host`, ...), with the
 * reference's levels. Hot paths guard their trace calls with `isLevelEnabled('trace')`.
 */
import winston from 'winston';

export const LOG_LEVELS = { none: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 5 } as const;
export type LogLevel = Exclude<keyof typeof LOG_LEVELS, 'none'>;

const root = winston.createLogger({
  levels: LOG_LEVELS,
  level: process.env.DME_VM_LOG_LEVEL ?? 'info',
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  transports: [new winston.transports.Console({ stderrLevels: Object.keys(LOG_LEVELS) })],
});

const loggers = new Map<string, winston.Logger>();

/** The logger of a component; its records carry `logger: name`. */
export function getLogger(name: string): winston.Logger {
  let logger = loggers.get(name);
  if (!logger) loggers.set(name, (logger = root.child({ logger: name })));
  return logger;
}

/** The root logger all named loggers write through (to add or replace transports). */
export function rootLogger(): winston.Logger {
  return root;
}
