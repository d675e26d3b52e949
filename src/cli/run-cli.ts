// The lpr-gateway command line: `start` (default). Each subcommand lives in its own file.
import { Command, InvalidArgumentError } from 'commander';
import { VERSION } from '../version.js';
// Subcommands are imported when they run: a static import would load every command's
// dependencies (the simulator's Socket.IO client, image encoder…) into the running gateway.
import type { ExportFlags } from './export-command.js';
import type { SimulateFlags } from './simulate-command.js';
import type { ParkedFlags } from './parked-command.js';
import type { VerifyFlags } from './evidence-commands.js';
import type { EntryFlags } from './hotlist-command.js';
import type { AdminFlags } from './admin-client.js';

export async function runCli(argv: string[]): Promise<void> {
  const program = new Command('lpr-gateway')
    .description('Edge gateway for licence-plate-recognition cameras')
    .version(VERSION)
    .showHelpAfterError();
  program
    .command('start', { isDefault: true })
    .description('run the gateway (default)')
    .option('-c, --config <file>', 'operator config file (overrides config/default.yaml)')
    .action(async (opts: { config?: string }) => (await import('./start-command.js')).startCommand(opts));
  program
    .command('status')
    .description('ask a running gateway for cameras, backlog, uplink and version')
    .option('--url <url>', 'gateway HTTP address', `http://127.0.0.1:${process.env.LPRGW_HTTP_PORT ?? '8765'}`)
    .option('--json', 'print JSON')
    .action(async (opts: { url: string; json?: boolean }) => {
      process.exitCode = await (await import('./status-command.js')).statusCommand(opts);
    });
  const config = program.command('config').description('check or show the configuration (file + LPRGW_* environment)');
  config
    .command('check')
    .description('validate it as start-up would: exit 0, or 2 naming every bad setting')
    .option('-c, --config <file>', 'operator config file (default: LPRGW_CONFIG)')
    .action(async (opts: { config?: string }) => {
      process.exitCode = (await import('./config-command.js')).configCheck(opts);
    });
  config
    .command('show')
    .description('print every effective setting and where it came from (default, file, env); secrets masked')
    .option('-c, --config <file>', 'operator config file (default: LPRGW_CONFIG)')
    .action(async (opts: { config?: string }) => {
      process.exitCode = (await import('./config-command.js')).configShow(opts);
    });
  program
    .command('simulate')
    .description('simulated cameras: the documented sender (contract) or the deployed cameras (deployed)')
    .option('--url <url>', 'gateway HTTP address', `http://127.0.0.1:${process.env.LPRGW_HTTP_PORT ?? '8765'}`)
    .option('--cameras <n>', 'number of cameras', '3')
    .option('--rate <r>', 'detections per second per camera', '1')
    .option('--duration <s>', 'seconds to run (0 = until Ctrl-C)', '0')
    .option('--images <size>', 'frame size per detection, e.g. 200kB, 1.5MB (0 = plate crops only)', '100kB')
    .option('--transport <t>', 'auto (Socket.IO, REST fallback), socketio or rest', 'auto')
    .option('--profile <p>', 'contract or deployed', 'contract')
    .option('--checkpoint <id>', 'checkpoint id the cameras report (default: none, so the gateway\'s own applies)')
    .option('--health-interval <s>', 'seconds between health reports per camera (0 = none)', '30')
    .option('--timeout <s>', 'connection/request timeout, seconds', '30')
    .option('--retry-interval <s>', 'contract sender: delay before a retry, seconds', '60')
    .option('--max-retries <n>', 'contract sender: retries per record', '5')
    .action(async (flags: SimulateFlags) => {
      process.exitCode = await (await import('./simulate-command.js')).simulateCommand(flags);
    });
  program
    .command('export')
    .description('write stored records as NDJSON to stdout (from a running gateway, or --data-dir of a stopped one)')
    .option('--since <time>', 'records received at or after this ISO 8601 time')
    .option('--camera <id>', 'only this camera')
    .option('--images <dir>', 'also write the image files into DIR (as <id>-<name>.jpg, for lpr-gateway verify --images)')
    .option('--url <url>', 'running gateway', `http://127.0.0.1:${process.env.LPRGW_HTTP_PORT ?? '8765'}`)
    .option('--token <token>', 'admin token (default: LPRGW_ADMIN_TOKEN)')
    .option('--data-dir <dir>', 'read a stopped gateway\'s data directory directly')
    .action(async (flags: ExportFlags) => {
      process.exitCode = await (await import('./export-command.js')).exportCommand(flags);
    });
  program
    .command('verify <file>')
    .description('check an export offline: hashes, chain, gap lines, image files, checkpoint signatures (exit 0 only if all holds)')
    .option('--images <dir>', 'image files written by export --images')
    .option('--mqtt-dump', "FILE is a capture of published payloads (mosquitto_sub -v output), not an export")
    .option('--pubkey <key>', "the gateway's public key (base64, PEM, or the whole output of lpr-gateway key show)")
    .option('--pubkey-file <file>', 'the same, from a file')
    .action(async (file: string, flags: VerifyFlags) => {
      process.exitCode = await (await import('./evidence-commands.js')).verifyCommand(file, flags);
    });
  program
    .command('key')
    .description('the evidence signing key')
    .command('show')
    .description('print the public key that signs checkpoints, and its fingerprint')
    .option('--data-dir <dir>', 'data directory', process.env.LPRGW_DATA_DIR ?? './data')
    .action(async (flags: { dataDir: string }) => {
      process.exitCode = (await import('./evidence-commands.js')).keyShowCommand(flags.dataDir);
    });
  // Subcommands that act on a running gateway through its admin API.
  const gatewayOpts = (c: Command) => c
    .option('--url <url>', 'running gateway', `http://127.0.0.1:${process.env.LPRGW_HTTP_PORT ?? '8765'}`)
    .option('--token <token>', 'admin token (default: LPRGW_ADMIN_TOKEN)');
  const parked = program.command('parked').description('records the uplink set aside (too large, refused by the broker)');
  gatewayOpts(parked.command('list').description('list parked records').option('--json', 'print JSON'))
    .action(async (flags: ParkedFlags) => {
      process.exitCode = await (await import('./parked-command.js')).parkedList(flags);
    });
  gatewayOpts(parked.command('replay [seq...]').description('send parked records again; unparked once delivered').option('--all', 'every parked record'))
    .action(async (seqs: string[], flags: ParkedFlags & { all?: boolean }) => {
      process.exitCode = await (await import('./parked-command.js')).parkedReplay(flags, seqs, flags.all === true);
    });
  const hotlist = program.command('hotlist').description('wanted plates, matched on every detection on the gateway (alerts work offline)');
  const hotlistCommand = async () => import('./hotlist-command.js');
  gatewayOpts(hotlist.command('add <plate>').description('add or update an entry')
    .requiredOption('--reason <text>', 'why the plate is wanted (shown with every alert)')
    .option('--level <level>', 'info, warning or critical', 'warning')
    .option('--expires <time>', 'ISO 8601 time with a zone; the entry stops matching then')
    .option('--fuzzy', 'also match a reading one character off')
    .option('--note <text>', 'free text for the people at the checkpoint'))
    .action(async (plate: string, flags: EntryFlags) => {
      process.exitCode = await (await hotlistCommand()).hotlistAdd(plate, flags);
    });
  gatewayOpts(hotlist.command('rm <plate>').description('remove an entry added here'))
    .action(async (plate: string, flags: AdminFlags) => {
      process.exitCode = await (await hotlistCommand()).hotlistRemove(plate, flags);
    });
  gatewayOpts(hotlist.command('ls').description('list every entry (local, cloud and fleet)').option('--json', 'print JSON'))
    .action(async (flags: AdminFlags & { json?: boolean }) => {
      process.exitCode = await (await hotlistCommand()).hotlistList(flags);
    });
  gatewayOpts(hotlist.command('import <file>').description('add or update entries from CSV: header plate,reason,level,expires_at,fuzzy,note (all or nothing)'))
    .action(async (file: string, flags: AdminFlags) => {
      process.exitCode = await (await hotlistCommand()).hotlistImport(file, flags);
    });
  gatewayOpts(program.command('reindex').description('rebuild the plate search index from the log (waits until done)'))
    .action(async (flags: AdminFlags) => {
      process.exitCode = await (await hotlistCommand()).reindex(flags);
    });
  program
    .command('hash-password')
    .description('print a scrypt hash for mqtt.users[].passwordHash (reads the password from stdin)')
    .action(async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
      if (!password) throw new InvalidArgumentError('no password on stdin');
      const { hashPassword } = await import('../auth/password.js');
      process.stdout.write(`${hashPassword(password)}\n`);
    });
  await program.parseAsync(argv);
}
