// Runs the lpr-gateway command (the built dist/main.js) as an operator would. A command
// still running after `timeoutMs` is killed and reported as such, never left to hang a test.
import { spawn } from 'node:child_process';
import { builtGateway, ROOT } from './built-gateway.js';

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
  timedOut: boolean;
}

export function cli(args: string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [builtGateway(), ...args], { cwd: ROOT, env: { ...process.env, ...opts.env } });
  let out = '';
  let err = '';
  let timedOut = false;
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.end(opts.input ?? '');
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs ?? 60_000);
  return new Promise((ok) => child.on('close', (code) => {
    clearTimeout(timer);
    ok({ code, out, err, timedOut });
  }));
}
