// The process logger: JSON lines (pino) for journald and log shippers, or a human-readable
// form for a terminal. Secrets are redacted wherever they appear in logged objects.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export interface LoggerOptions {
  level: string;
  pretty: boolean;
}

const REDACT = [
  'password', '*.password', '*.*.password', 'token', '*.token', '*.*.token',
  'headers.authorization', '*.headers.authorization', 'req.headers["x-api-key"]',
];

export function createLogger(opts: LoggerOptions): Logger {
  const options = { level: opts.level, base: { service: 'lpr-gateway' }, redact: { paths: REDACT, censor: '[redacted]' } };
  // pino-pretty as a stream in this thread: no worker thread to outlive a fast exit.
  return opts.pretty ? pino(options, pretty({ colorize: process.stdout.isTTY, sync: true })) : pino(options);
}
