// Runs N simulated cameras at R detections/s each for a while, with a progress callback
// once a second and a summary at the end (sent, acked, failed, latency).
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
  checkpointId: string;
  timeoutMs: number;
  retryIntervalMs: number;
  maxRetries: number;
}

export interface SimulationSummary {
  cameras: number;
  sent: number;
  acked: number;
  failed: number;
  p50_ms: number | null;
  p99_ms: number | null;
  seconds: number;
}

export interface Simulation {
  stop(): void;
  done: Promise<SimulationSummary>;
}

function summarise(all: SimStats[], cameras: number, seconds: number): SimulationSummary {
  const lat = all.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const pick = (q: number) => (lat.length ? Math.round(lat[Math.min(lat.length - 1, Math.floor(lat.length * q))]! * 10) / 10 : null);
  const sum = (k: 'sent' | 'acked' | 'failed') => all.reduce((n, s) => n + s[k], 0);
  return { cameras, sent: sum('sent'), acked: sum('acked'), failed: sum('failed'), p50_ms: pick(0.5), p99_ms: pick(0.99), seconds };
}

export function runSimulation(o: SimulationOptions, progress?: (s: SimulationSummary) => void): Simulation {
  let stopped = false;
  const frame = o.imageBytes > 0 ? frameJpeg(o.imageBytes) : undefined;
  const cams = Array.from({ length: o.cameras }, (_, i) => new SimCamera({
    url: o.url, cameraId: `sim-${i + 1}`, checkpointId: o.checkpointId, profile: o.profile, transport: o.transport,
    frame, plate: plateJpeg(i), timeoutMs: o.timeoutMs, retryIntervalMs: o.retryIntervalMs, maxRetries: o.maxRetries,
  }));
  const t0 = Date.now();
  const elapsed = () => (Date.now() - t0) / 1000;
  const ticker = progress ? setInterval(() => progress(summarise(cams.map((c) => c.stats), o.cameras, elapsed())), 1000) : undefined;
  const done = (async () => {
    await Promise.all(cams.map((c) => c.start()));
    await Promise.all(cams.map(async (cam) => {
      const interval = 1000 / o.rate;
      let next = Date.now();
      while (!stopped && (o.duration <= 0 || elapsed() < o.duration)) {
        await cam.tick();
        next += interval;
        const wait = next - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }));
    for (const c of cams) c.stop();
    if (ticker) clearInterval(ticker);
    return summarise(cams.map((c) => c.stats), o.cameras, elapsed());
  })();
  return { stop: () => { stopped = true; }, done };
}
