// Runs N simulated cameras at R detections/s each (and a health report every
// healthIntervalMs) for a while, with a progress callback once a second and a summary at
// the end: sent, acked, failed with reasons, latency. The duration holds on every path:
// when it is up, retry waits and requests in progress end too.
import { setTimeout as sleep } from 'node:timers/promises';
import { SimCamera, type Profile, type SimStats, type TransportChoice } from './sim-camera.js';
import { frameJpeg, plateJpeg } from './sim-images.js';

export interface SimulationOptions {
  url: string;
  cameras: number;
  /** Detections per second per camera. */
  rate: number;
  /** Seconds to run; 0 = until stop(). */
  duration: number;
  imageBytes: number;
  transport: TransportChoice;
  profile: Profile;
  /** Omitted: the gateway's own checkpoint id applies. */
  checkpointId?: string | undefined;
  timeoutMs: number;
  retryIntervalMs: number;
  maxRetries: number;
  /** A health report per camera this often; 0 = none. */
  healthIntervalMs?: number;
}

export interface SimulationSummary {
  profile: Profile;
  /** What the cameras used: socketio, rest, or none (never got going). */
  transport: string;
  cameras: number;
  sent: number;
  acked: number;
  failed: number;
  health: number;
  /** Records the end of the run interrupted: neither sent nor failed. */
  unsent: number;
  /** Failure reason → count. */
  errors: Record<string, number>;
  p50_ms: number | null;
  p99_ms: number | null;
  seconds: number;
}

export interface Simulation {
  stop(): void;
  done: Promise<SimulationSummary>;
}

function summarise(o: SimulationOptions, all: SimStats[], seconds: number): SimulationSummary {
  const lat = all.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const pick = (q: number) => (lat.length ? Math.round(lat[Math.min(lat.length - 1, Math.floor(lat.length * q))]! * 10) / 10 : null);
  const sum = (k: 'sent' | 'acked' | 'failed' | 'health' | 'unsent') => all.reduce((n, s) => n + s[k], 0);
  const errors: Record<string, number> = {};
  for (const s of all) for (const [reason, n] of Object.entries(s.errors)) errors[reason] = (errors[reason] ?? 0) + n;
  return {
    profile: o.profile, transport: [...new Set(all.map((s) => s.transport))].sort().join('+'), cameras: o.cameras,
    sent: sum('sent'), acked: sum('acked'), failed: sum('failed'), health: sum('health'), unsent: sum('unsent'), errors, p50_ms: pick(0.5), p99_ms: pick(0.99), seconds,
  };
}

export function runSimulation(o: SimulationOptions, progress?: (s: SimulationSummary) => void): Simulation {
  const end = new AbortController();
  const frame = o.imageBytes > 0 ? frameJpeg(o.imageBytes) : undefined;
  const cams = Array.from({ length: o.cameras }, (_, i) => new SimCamera({
    url: o.url, cameraId: `sim-${i + 1}`, checkpointId: o.checkpointId, profile: o.profile, transport: o.transport,
    frame, plate: plateJpeg(i), timeoutMs: o.timeoutMs, retryIntervalMs: o.retryIntervalMs, maxRetries: o.maxRetries, signal: end.signal,
  }));
  const t0 = Date.now();
  const elapsed = () => (Date.now() - t0) / 1000;
  const deadline = o.duration > 0 ? setTimeout(() => end.abort(), o.duration * 1000) : undefined;
  const ticker = progress ? setInterval(() => progress(summarise(o, cams.map((c) => c.stats), elapsed())), 1000) : undefined;
  const pause = (ms: number) => sleep(ms, undefined, { signal: end.signal }).catch(() => undefined);
  const done = (async () => {
    await Promise.all(cams.map((c) => c.start()));
    await Promise.all(cams.flatMap((cam) => [
      (async () => {
        const interval = 1000 / o.rate;
        let next = Date.now();
        while (!end.signal.aborted) {
          await cam.tick();
          next += interval;
          await pause(Math.max(0, next - Date.now()));
        }
      })(),
      (async () => {
        if (!o.healthIntervalMs) return;
        while (!end.signal.aborted) {
          await cam.healthTick();
          await pause(o.healthIntervalMs);
        }
      })(),
    ]));
    for (const c of cams) c.stop();
    clearTimeout(deadline);
    if (ticker) clearInterval(ticker);
    return summarise(o, cams.map((c) => c.stats), elapsed());
  })();
  return { stop: () => end.abort(), done };
}
