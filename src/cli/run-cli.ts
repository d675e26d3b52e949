// The lpr-gateway command line: `start` (default). Each subcommand lives in its own file.
import { Command } from 'commander';
import { startCommand } from './start-command.js';

export async function runCli(argv: string[]): Promise<void> {
  const program = new Command('lpr-gateway')
    .description('Edge gateway for licence-plate-recognition cameras')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError();
  program
    .command('start', { isDefault: true })
    .description('run the gateway (default)')
    .option('-c, --config <file>', 'operator config file (overrides config/default.yaml)')
    .action((opts: { config?: string }) => startCommand(opts));
  await program.parseAsync(argv);
}
