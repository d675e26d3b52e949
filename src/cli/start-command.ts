// `lpr-gateway start`: loads config, runs the gateway, stops it gracefully on SIGTERM/SIGINT.
import { ConfigError, loadConfig, unknownEnvNames } from '../config/load-config.js';
import { createLogger, isPretty } from '../create-logger.js';
import { createGateway } from '../gateway.js';
import { startBanner } from './start-banner.js';
import { explainStartupError } from './startup-errors.js';

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
  const { logger, destination } = createLogger(config.log);
  for (const { name, closest } of unknownEnvNames()) {
    logger.warn({ variable: name, closest }, `${name} is not a setting and is ignored; did you mean ${closest}?`);
  }
  const failed = (err: unknown): never => {
    const problem = explainStartupError(err, config);
    if (!problem) {
      logger.fatal({ err }, 'gateway failed to start');
    } else {
      logger.debug({ err }, 'start-up failure in detail');
      logger.fatal({ setting: problem.setting }, problem.message);
      // journald shows stderr too; a terminal user sees the line even with JSON logs.
      if (!isPretty(config.log.pretty)) process.stderr.write(`lpr-gateway: ${problem.message}\n`);
    }
    process.exit(1);
  };
  let gateway: ReturnType<typeof createGateway>;
  try {
    gateway = createGateway(config, logger, { droppedLogLines: () => destination.dropped, onFatal: failed });
  } catch (err) {
    return failed(err);
  }
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
    failed(err);
  }
  if (isPretty(config.log.pretty)) destination.write(startBanner(config, gateway.httpAddress(), gateway.mqttAddress()));
}
