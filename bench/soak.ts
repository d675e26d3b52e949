// npm run bench:soak — the store under a long outage: a backlog of N small records
// (default 1 000 000, BENCH_RECORDS), then a real gateway process started on it: start-up
// time and RSS with that backlog; and bytes written to disk per byte ingested for
// 1.5 MB-image detections (from /proc/<pid>/io). Targets: RSS ≤ 120 MB, start-up ≤ 3 s,
// ≤ 1.5 bytes written per byte ingested.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { io, type Socket } from 'socket.io-client';
import { LevelRecordLog } from '../src/log/level-record-log.js';
import { freePort } from '../test/helpers/free-port.js';
import { ROOT, startBenchServer, V8_FLAGS } from './bench-kit.js';
import { post } from './rest-load.js';

const N = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 40);

async function buildBacklog(dataDir: string): Promise<number> {
  const log = new LevelRecordLog({ location: join(dataDir, 'log'), dedupeWindowMs: 86_400_000, maxBatchRecords: 1000 });
  await log.open();
  const t0 = performance.now();
  const raw = { type: 'detection_result', camera_id: 'c', timestamp: '2025-08-24T17:53:54.123456', vehicles_count: 1, plates_count: 1, note: 'x'.repeat(300) };
  for (let done = 0; done < N; done += 1000) {
    await Promise.all(Array.from({ length: Math.min(1000, N - done) }, (_, i) => log.append({
      id: `soak-${done + i}`, kind: 'detection', camera_id: `cam-${i % 20}`, checkpoint_id: 'cp', timestamp: raw.timestamp,
      time: '2025-08-24T10:53:54.123Z', received_at: new Date().toISOString(), source: 'rest', gateway_id: 'soak',
      data: { ...raw, n: done + i, vehicles_count: 1, plates_count: 1, plates: ['ABC1234'], ocr_results: ['ABC1234'], vehicle_detections: [], plate_detections: [], processing_time_ms: 40 },
      images: [], size: 600,
    }, { dedupeKey: `k${done + i}` })));
  }
  // The uplink was down, but the local broker and the gateway's own readers (plate index,
  // hotlist watch) kept up live, as they do in the field: only the uplink has a backlog.
  for (const reader of ['local', 'plate-index', 'hotlist']) {
    await log.setCursor(reader, N);
    await log.setState(`follower:${reader}`, true);
  }
  await log.close();
  return N / ((performance.now() - t0) / 1000);
}

interface Started {
  pid: number;
  ms: number;
  port: number;
  stop: () => Promise<void>;
}

async function startGateway(dataDir: string, uplinkPort: number): Promise<Started> {
  const t0 = performance.now();
  // The built gateway, as systemd runs it (npm run build first).
  const child = spawn(process.execPath, [...V8_FLAGS, 'dist/main.js'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LPRGW_DATA_DIR: dataDir, LPRGW_HTTP_HOST: '127.0.0.1', LPRGW_HTTP_PORT: '0', LPRGW_MQTT_HOST: '127.0.0.1', LPRGW_MQTT_PORT: '0', LPRGW_UPLINK_URL: `mqtt://127.0.0.1:${uplinkPort}`, LPRGW_LOG_LEVEL: 'info', LPRGW_STORE_MAX_BYTES: '100GB' },
  });
  const port = await new Promise<number>((ok) => createInterface({ input: child.stdout! }).on('line', (l) => {
    const e = JSON.parse(l) as { msg?: string; port?: number };
    if (e.msg === 'gateway listening') ok(e.port!);
  }));
  return {
    pid: child.pid!, ms: performance.now() - t0, port,
    stop: () => new Promise((ok) => { child.once('exit', () => ok()); child.kill('SIGTERM'); }),
  };
}

/** VmRSS (now) or VmHWM (the peak since start) of a process, MB. */
function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' | 'RssAnon' | 'RssFile' = 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** VmRSS split: private memory (RssAnon) and mapped files' pages (RssFile: the node binary, LevelDB's tables), MB. */
function rssSplit(pid: number): string {
  return `anon ${rssMb(pid, 'RssAnon').toFixed(0)} MB + files ${rssMb(pid, 'RssFile').toFixed(0)} MB`;
}

/** Idle: a gateway on an empty store, uplink down, left alone for IDLE_MS (V8 gives young-generation space back after some seconds idle). */
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 15_000);

/** BENCH_SMAPS=1: the mappings holding the most resident memory (what the RSS is made of). */
function smapsTop(pid: number): string {
  const rss = new Map<string, number>();
  let name = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) name = head[1] || '[anon]';
    const r = /^Rss:\s+(\d+) kB/.exec(line);
    if (r) rss.set(name, (rss.get(name) ?? 0) + Number(r[1]) / 1024);
  }
  return [...rss].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([n, mb]) => `${mb.toFixed(1).padStart(7)} MB  ${n}`).join('\n');
}

function writeBytes(pid: number): number {
  const m = /write_bytes: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

const IMAGE = randomBytes(1.5 * 1024 * 1024);
IMAGE[0] = 0xff; IMAGE[1] = 0xd8; IMAGE[2] = 0xff;

/** Detection i of the image runs: a distinct 1.5 MB image each time, and its decoded size. */
function imageDetection(i: number): { body: Record<string, unknown>; bytes: number } {
  const img = Buffer.from(IMAGE);
  img[10] = i;
  return { body: { type: 'detection_result', aicamera_id: 'img', timestamp: new Date(1.7e12 + i).toISOString(), vehicles_count: 1, plates_count: 1, original_image: img.toString('base64') }, bytes: img.length };
}

/** IMAGES distinct 1.5 MB-image detections, four cameras at once (as bench:ingest sends them). */
async function postImages(url: string): Promise<{ ingested: number; ingestedWire: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  let ingested = 0;
  let ingestedWire = 0;
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < IMAGES) {
      const d = imageDetection(next++);
      const body = JSON.stringify(d.body);
      if ((await post(agent, url, body)) === 1) {
        ingested += d.bytes;
        ingestedWire += Buffer.byteLength(body);
      }
    }
  }));
  agent.destroy();
  return { ingested, ingestedWire };
}

/** The same images over Socket.IO (the deployed cameras' transport): 4 sockets, acks. */
async function emitImages(url: string): Promise<number> {
  const sockets = await Promise.all(Array.from({ length: 4 }, () => new Promise<Socket>((ok) => {
    const s = io(url, { transports: ['websocket'], forceNew: true });
    s.once('connect', () => ok(s));
  })));
  let acked = 0;
  let next = 0;
  await Promise.all(sockets.map(async (s) => {
    while (next < IMAGES) {
      const { body } = imageDetection(next++);
      const r = await new Promise<{ success?: boolean }>((ok) => s.emit('lpr_data', body, ok));
      if (r.success) acked += 1;
    }
  }));
  for (const s of sockets) s.close();
  return acked;
}

/** Peak RSS of a fresh gateway (empty store) and of the bare Socket.IO server while the images arrive over Socket.IO. */
async function socketImages(dataDir: string, deadUplink: number): Promise<{ gateway: number; bare: number; acked: number }> {
  const gw = await startGateway(dataDir, deadUplink);
  let acked: number;
  let gateway: number;
  try {
    acked = await emitImages(`http://127.0.0.1:${gw.port}`);
    gateway = rssMb(gw.pid, 'VmHWM');
  } finally {
    await gw.stop();
  }
  const bare = await startBenchServer('bench/bare-server.mjs', []);
  try {
    await emitImages(bare.url);
    return { gateway, bare: rssMb(bare.child.pid!, 'VmHWM'), acked };
  } finally {
    await bare.stop();
  }
}

/** The reference: bare express + express.json (bench:ingest's), same flags, idle and then the same images. */
async function bareExpress(): Promise<{ idle: number; peak: number }> {
  const bare = await startBenchServer('bench/bare-server.mjs', []);
  try {
    await sleep(IDLE_MS);
    const idle = rssMb(bare.child.pid!);
    await postImages(bare.url);
    return { idle, peak: rssMb(bare.child.pid!, 'VmHWM') };
  } finally {
    await bare.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'lprgw-soak-'));
try {
  const deadUplink = await freePort();
  console.log(`bench:soak — idle gateway, then a backlog of ${N} records (uplink down), then ${IMAGES} detections with 1.5 MB images`);
  const fresh = await startGateway(join(dir, 'fresh'), deadUplink);
  await sleep(IDLE_MS);
  const idle = { rss: rssMb(fresh.pid), hwm: rssMb(fresh.pid, 'VmHWM'), split: rssSplit(fresh.pid) };
  await fresh.stop();
  const rate = await buildBacklog(dir);
  console.log(`backlog written at ${rate.toFixed(0)} records/s (direct appends, group commit)`);
  const gw = await startGateway(dir, deadUplink);
  await sleep(2000);
  const backlogRss = { rss: rssMb(gw.pid), hwm: rssMb(gw.pid, 'VmHWM'), split: rssSplit(gw.pid) };
  const stats = await (await fetch(`http://127.0.0.1:${gw.port}/api/statistics`)).json() as { data: { backlog: { records: number } } };
  const before = writeBytes(gw.pid);
  const { ingested, ingestedWire } = await postImages(`http://127.0.0.1:${gw.port}`);
  await sleep(1000);
  const written = writeBytes(gw.pid) - before;
  const imagesRss = { rss: rssMb(gw.pid), hwm: rssMb(gw.pid, 'VmHWM'), split: rssSplit(gw.pid) };
  if (process.env.BENCH_SMAPS) console.error(smapsTop(gw.pid));
  await gw.stop();
  const bare = await bareExpress();
  const sio = await socketImages(join(dir, 'sio'), deadUplink);
  const pad = (s: string) => s.padEnd(52);
  console.log(`\n${pad('measure')}${'value'.padEnd(14)}target`);
  console.log(`${pad(`start-up with ${stats.data.backlog.records} undelivered records`)}${`${(gw.ms / 1000).toFixed(2)} s`.padEnd(14)}≤ 3 s ${gw.ms <= 3000 ? 'meets' : 'BELOW'}`);
  const mem = (name: string, mb: number, target: number) => console.log(`${pad(name)}${`${mb.toFixed(0)} MB`.padEnd(14)}≤ ${target} MB ${mb <= target ? 'meets' : 'BELOW'}`);
  const ref = (name: string, mb: number) => console.log(`${pad(name)}${`${mb.toFixed(0)} MB`.padEnd(14)}reference`);
  mem(`RSS idle, empty store (after ${IDLE_MS / 1000} s)`, idle.rss, 80);
  console.log(`  ${idle.split}`);
  mem('  peak (VmHWM) of that run, start-up included', idle.hwm, 80);
  ref('  bare express + express.json, idle', bare.idle);
  mem(`RSS after start-up with the backlog (VmRSS)`, backlogRss.rss, 120);
  console.log(`  ${backlogRss.split}`);
  mem('  peak (VmHWM) through start-up', backlogRss.hwm, 120);
  mem(`RSS after ${IMAGES} × 1.5 MB images (VmRSS)`, imagesRss.rss, 120);
  console.log(`  ${imagesRss.split}`);
  mem('  peak (VmHWM) while they arrived', imagesRss.hwm, 120);
  ref('  bare express, peak on the same images', bare.peak);
  mem(`  ${sio.acked} of them over Socket.IO, empty store (peak)`, sio.gateway, 120);
  ref('  bare Socket.IO server, peak on them', sio.bare);
  const ratio = written / ingested;
  console.log(`${pad('disk bytes written per image byte ingested')}${ratio.toFixed(2).padEnd(14)}≤ 1.5 ${ratio <= 1.5 ? 'meets' : 'BELOW'}`);
  console.log(`${pad('disk bytes written per request byte (base64 JSON)')}${(written / ingestedWire).toFixed(2).padEnd(14)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
