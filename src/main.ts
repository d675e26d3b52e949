// Process entry: config → createGateway() → start; SIGTERM/SIGINT → graceful stop (≤ 10 s).
import { runCli } from './cli/run-cli.js';

runCli(process.argv).catch((err: unknown) => {
  process.stderr.write(`lpr-gateway: ${(err as Error).message}\n`);
  process.exit(1);
});
