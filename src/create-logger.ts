// The process logger: JSON lines (pino) for journald and log shippers, or a human-readable
// form for a terminal. Secrets are redacted wherever they appear in logged objects.
// Lines go through a destination that drops (and counts) what it cannot write instead of
// waiting: nothing on the data path may wait on a log line (observability/log-destination.ts).
import { createRequire } from 'node:module';
import { isatty } from 'node:tty';
import pino, { type Logger } from 'pino';
import { createLogDestination, type LogDestination } from './observability/log-destination.js';

export interface LoggerOptions {
  level: string;
  /** "auto": human-readable on a terminal, JSON otherwise (journald, pipes). */
  pretty: boolean | 'auto';
}

// isatty, not process.stdout.isTTY: touching process.stdout makes a stdout pipe blocking.
export function isPretty(pretty: boolean | 'auto'): boolean {
  return pretty === 'auto' ? isatty(1) : pretty;
}

const REDACT = [
  'password', '*.password', '*.*.password', 'token', '*.token', '*.*.token',
  'headers.authorization', '*.headers.authorization', 'req.headers["x-api-key"]',
];

export interface ProcessLogger {
  logger: Logger;
  /** The stdout destination (lines dropped, for metrics); also for the start banner. */
  destination: LogDestination;
}

export function createLogger(opts: LoggerOptions): ProcessLogger {
  const options = { level: opts.level, base: { service: 'lpr-gateway' }, redact: { paths: REDACT, censor: '[redacted]' } };
  const destination = createLogDestination();
  if (!isPretty(opts.pretty)) return { logger: pino(options, destination), destination };
  // Loaded only when asked for: a service logging JSON does not carry the prettifier.
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  const prettify = prettyFactory({ colorize: isatty(1) });
  return { logger: pino(options, { write: (line: string) => destination.write(prettify(line)) }), destination };
}
