// `lpr-gateway start`: loads config, runs the gateway, stops it gracefully on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from '../config/load-config.js';
import { createLogger } from '../create-logger.js';
import { createGateway } from '../gateway.js';

const STOP_DEADLINE_MS = 10_000;

export async function startCommand(opts: { config?: string }): Promise<void> {
  let config;
  try {
    config = loadConfig({ file: opts.config });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`lpr-gateway: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.log);
  const gateway = createGateway(config, logger);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const deadline = setTimeout(() => {
      logger.error('graceful stop took too long; exiting');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    gateway.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    await gateway.start();
  } catch (err) {
    logger.fatal({ err }, 'gateway failed to start');
    process.exit(1);
  }
}
