// The process logger: JSON lines (pino) for journald and log shippers, or a human-readable
// form for a terminal. Secrets are redacted wherever they appear in logged objects.
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** "auto": human-readable on a terminal, JSON otherwise (journald, pipes). */
  pretty: boolean | 'auto';
}

export function isPretty(pretty: boolean | 'auto'): boolean {
  return pretty === 'auto' ? process.stdout.isTTY === true : pretty;
}

const REDACT = [
  'password', '*.password', '*.*.password', 'token', '*.token', '*.*.token',
  'headers.authorization', '*.headers.authorization', 'req.headers["x-api-key"]',
];

export function createLogger(opts: LoggerOptions): Logger {
  const options = { level: opts.level, base: { service: 'lpr-gateway' }, redact: { paths: REDACT, censor: '[redacted]' } };
  // pino-pretty as a stream in this thread: no worker thread to outlive a fast exit.
  if (!isPretty(opts.pretty)) return pino(options);
  // Loaded only when asked for: a service logging JSON does not carry the prettifier.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pino(options, pretty({ colorize: process.stdout.isTTY, sync: true }));
}
