// `lpr-gateway simulate`: camera simulator for trying a gateway out or loading it.
import { InvalidArgumentError } from 'commander';
import { parseBytes } from '../config/units.js';
import { runSimulation } from '../simulator/run-simulation.js';

export interface SimulateFlags {
  url: string;
  cameras: string;
  rate: string;
  duration: string;
  images: string;
  transport: string;
  profile: string;
  checkpoint?: string;
  healthInterval: string;
  timeout: string;
  retryInterval: string;
  maxRetries: string;
}

function positive(name: string, value: string, allowZero = false): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new InvalidArgumentError(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${value}"`);
  return n;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new InvalidArgumentError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

export async function simulateCommand(f: SimulateFlags): Promise<number> {
  const imageBytes = parseBytes(f.images);
  if (imageBytes === undefined) throw new InvalidArgumentError(`--images must be a size such as 0, 200kB or 1.5MB, got "${f.images}"`);
  const sim = runSimulation({
    url: f.url.replace(/\/$/, ''), cameras: Math.round(positive('cameras', f.cameras)), rate: positive('rate', f.rate),
    duration: positive('duration', f.duration, true), imageBytes,
    transport: oneOf('transport', f.transport, ['auto', 'socketio', 'rest'] as const),
    profile: oneOf('profile', f.profile, ['contract', 'deployed'] as const),
    checkpointId: f.checkpoint, timeoutMs: positive('timeout', f.timeout) * 1000, healthIntervalMs: positive('health-interval', f.healthInterval, true) * 1000,
    retryIntervalMs: positive('retry-interval', f.retryInterval, true) * 1000, maxRetries: Math.round(positive('max-retries', f.maxRetries, true)),
  }, (s) => process.stderr.write(`\r${s.seconds.toFixed(0)} s  sent ${s.sent}  acked ${s.acked}  failed ${s.failed}  p50 ${s.p50_ms ?? '-'} ms   `));
  process.once('SIGINT', () => sim.stop());
  const summary = await sim.done;
  process.stderr.write('\n');
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  const failing = summary.failed > 0 || summary.acked === 0;
  if (failing) {
    const reasons = Object.entries(summary.errors).sort((a, b) => b[1] - a[1]);
    process.stderr.write(`simulate (${summary.profile} profile, ${summary.transport}): ${summary.acked} of ${summary.sent} acknowledged against ${f.url}\n`);
    for (const [reason, n] of reasons) process.stderr.write(`  ${n} × ${reason}\n`);
    if (reasons.length === 0) process.stderr.write('  nothing was sent: no camera got going (see the reasons above)\n');
  }
  return failing ? 1 : 0;
}
