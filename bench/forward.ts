// npm run bench:forward — the forward to a central LPR server (Flask-SocketIO 5.3 on
// eventlet, test/interop/central_server.py, as checkpoints run it). With the server down,
// N detections from 3 cameras are acknowledged by the gateway; then the server starts and
// we time (a) the first record's arrival after the server is up (target ≤ 5 s) and (b) the
// drain: records/s from the first record to the last, without images and with a 100 KB
// image each, and the gateway's CPU per record (all threads) while it drains.
// Reference: the same messages sent straight to the same server by 3 Socket.IO clients
// (socket.io-client 4, one per camera, one message in flight each, waiting for the reply):
// the wire work the protocol asks for, without the log. Medians of BENCH_REPS runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { io } from 'socket.io-client';
import { CentralServer } from '../test/helpers/central-server.js';
import { freePort } from '../test/helpers/free-port.js';
import { fakeJpeg } from '../test/helpers/payloads.js';
import { cpuMs, median, printTable, spread, startBenchGateway } from './bench-kit.js';
import { post } from './rest-load.js';

const REPS = Number(process.env.BENCH_REPS ?? 3);
const CAMERAS = 3;

interface Case {
  name: string;
  records: number;
  imageBytes: number;
}
const CASES: Case[] = [
  { name: 'detections, no images', records: Number(process.env.BENCH_RECORDS ?? 3000), imageBytes: 0 },
  { name: 'detections, 100 KB image each', records: Number(process.env.BENCH_IMAGE_RECORDS ?? 300), imageBytes: 100_000 },
];

let serial = 0;
function detection(camera: number, image: string | undefined): Record<string, unknown> {
  serial += 1;
  return {
    type: 'detection_result', camera_id: `fwd-${camera}`, checkpoint_id: 'cp-1', timestamp: new Date(1_700_000_000_000 + serial).toISOString(),
    vehicles_count: 1, plates_count: 1, ocr_results: ['กข 1234'], vehicle_detections: [{ bbox: [10, 20, 640, 480], score: 0.98 }],
    plate_detections: [{ bbox: [100, 200, 300, 260], score: 0.91 }], processing_time_ms: 41.7, serial, note: 'x'.repeat(420),
    ...(image ? { annotated_image: image } : {}),
  };
}

async function arrived(server: CentralServer, n: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (server.received().filter((m) => m.event === 'lpr_data').length < n) {
    if (Date.now() > deadline) throw new Error(`only ${server.received().length} of ${n} arrived in ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** The gateway: N acked while the server is down, then the server starts. */
async function gatewayRun(c: Case, image: string | undefined): Promise<{ perSec: number; firstMs: number; cpuUs: number; busy: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'lprgw-bench-'));
  const server = new CentralServer();
  server.port = await freePort(); // known before it runs: the gateway is told its URL
  const gw = await startBenchGateway('durable', dir, { forward: { url: server.url, window: 8, socketioRetry: '1s' } });
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: CAMERAS });
    for (let i = 0; i < c.records; i += CAMERAS) {
      await Promise.all(Array.from({ length: CAMERAS }, (_, k) => post(agent, gw.url, JSON.stringify(detection(k, image)))));
    }
    agent.destroy();
    await server.start();
    const up = performance.now();
    const cpu0 = cpuMs(gw.child.pid);
    await arrived(server, 1, 30_000);
    const first = performance.now();
    const firstMs = first - up;
    await arrived(server, c.records, 600_000);
    // The rate from the first record on: the time until the first is its own figure (the
    // forward's retry backoff, up to 4 s, is not the drain's speed).
    const seconds = (performance.now() - first) / 1000;
    return { perSec: (c.records - 1) / seconds, firstMs, cpuUs: ((cpuMs(gw.child.pid) - cpu0) * 1000) / c.records, busy: (cpuMs(gw.child.pid) - cpu0) / (seconds * 1000) };
  } finally {
    await gw.stop();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The reference: the same messages straight to the server, one Socket.IO client per camera. */
async function referenceRun(c: Case, image: string | undefined): Promise<number> {
  const server = new CentralServer();
  await server.start();
  try {
    const clients = await Promise.all(Array.from({ length: CAMERAS }, async (_, k) => {
      const s = io(server.url, { reconnection: false, forceNew: true });
      await new Promise<void>((ok) => s.once('connect', () => ok()));
      await new Promise<void>((ok) => s.emit('camera_register', { camera_id: `fwd-${k}`, checkpoint_id: 'cp-1', timestamp: new Date().toISOString() }, () => ok()));
      return s;
    }));
    const t0 = performance.now();
    await Promise.all(clients.map(async (s, k) => {
      // Answered by the named reply or the ack, whichever comes first (as the forward counts it).
      for (let i = k; i < c.records; i += CAMERAS) {
        await new Promise<void>((ok) => {
          const done = () => {
            s.off('lpr_response', done);
            ok();
          };
          s.once('lpr_response', done);
          s.emit('lpr_data', detection(k, image), done);
        });
      }
    }));
    const perSec = c.records / ((performance.now() - t0) / 1000);
    for (const s of clients) s.close();
    return perSec;
  } finally {
    await server.dispose();
  }
}

console.log(`bench:forward — a backlog forwarded to a Flask-SocketIO central server after it comes up; ${CAMERAS} cameras; ${REPS} alternating reps`);
const rows = [];
const firsts: number[] = [];
for (const c of CASES) {
  const image = c.imageBytes ? fakeJpeg(c.imageBytes).toString('base64') : undefined;
  const gateway: number[] = [];
  const reference: number[] = [];
  const cpu: number[] = [];
  const busy: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    reference.push(await referenceRun(c, image));
    const g = await gatewayRun(c, image);
    gateway.push(g.perSec);
    firsts.push(g.firstMs);
    cpu.push(g.cpuUs);
    busy.push(g.busy);
  }
  console.log(`  ${c.name} (${c.records}): gateway ${spread(gateway)} rec/s, reference ${spread(reference)} rec/s (min / median / max); gateway CPU ${median(cpu).toFixed(0)} us per record, ${(100 * median(busy)).toFixed(0)} % of a core during the drain`);
  rows.push({ name: `${c.name}, ${c.records}`, reference: median(reference), measured: median(gateway), unit: 'rec/s' });
}
printTable('Backlog forwarded to a central server (medians)', '3 direct clients', 'gateway forward', rows);
console.log(`first record at the server after it came up: median ${median(firsts).toFixed(0)} ms, max ${Math.max(...firsts).toFixed(0)} ms (server start-up included; target ≤ 5000 ms)`);
