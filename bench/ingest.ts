// npm run bench:ingest — acknowledged records/s for 1 KB detections over REST (keep-alive,
// 50 connections) and Socket.IO (10 clients, acks, 10 in flight each), and 1.5 MB-image
// detections/s, each on the durable gateway next to the bare framework (express, a Socket.IO
// ack server) and to the same gateway over an in-memory log.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { median, pct, printTable, SECONDS, spread, startBenchGateway, startBenchServer, timedLoad, withCpu, type LoadCost } from './bench-kit.js';
import { detection, restLoad } from './rest-load.js';

/** BENCH_ONLY=rest|sio|images measures one scenario (for profiling); the chain comparison is skipped. */
const ONLY = process.env.BENCH_ONLY;
async function socketLoad(url: string, clients: number, inFlight: number): Promise<number> {
  const sockets: Socket[] = await Promise.all(Array.from({ length: clients }, () => new Promise<Socket>((ok) => {
    const s = io(url, { transports: ['websocket'], forceNew: true });
    s.once('connect', () => ok(s));
  })));
  const emit = (s: Socket) => new Promise<number>((ok) => s.emit('lpr_data', JSON.parse(detection()), (r: { success: boolean }) => ok(r.success ? 1 : 0)));
  const r = await timedLoad(clients * inFlight, SECONDS, (w) => emit(sockets[w % clients]!));
  for (const s of sockets) s.close();
  return r.perSec;
}

type Mode = 'durable' | 'no-storage' | 'bare' | 'unhashed';
interface Figures { rest: number; sio: number; images: number; restCpu: number; sioCpu: number; restMain: number; sioMain: number; restBox: number; sioBox: number }
const NOT_RUN: LoadCost = { perSec: 0, cpuUs: Number.NaN, mainBusy: Number.NaN, boxBusy: Number.NaN };

async function measure(mode: Mode, image: string, extra: object = {}, withImages = true): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'lprgw-bench-'));
  const server = mode === 'bare' ? await startBenchServer('bench/bare-server.mjs', []) : await startBenchGateway(mode, dir, extra);
  try {
    const pid = server.child.pid;
    const rest = ONLY && ONLY !== 'rest' ? NOT_RUN : await withCpu(pid, () => restLoad(server.url, 50, () => detection()));
    const sio = ONLY && ONLY !== 'sio' ? NOT_RUN : await withCpu(pid, () => socketLoad(server.url, 10, 10));
    const images = withImages && (!ONLY || ONLY === 'images') ? await restLoad(server.url, 4, () => detection(image)) : 0;
    return {
      rest: rest.perSec, sio: sio.perSec, images, restCpu: rest.cpuUs, sioCpu: sio.cpuUs,
      restMain: rest.mainBusy, sioMain: sio.mainBusy, restBox: rest.boxBusy, sioBox: sio.boxBusy,
    };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const REPS = Number(process.env.BENCH_REPS ?? 3);
const jpeg = randomBytes(1.5 * 1024 * 1024);
jpeg[0] = 0xff; jpeg[1] = 0xd8; jpeg[2] = 0xff;
const image = jpeg.toString('base64');
console.log(`bench:ingest — ${SECONDS} s per scenario, ${REPS} alternating reps, 1 KB detections (${Buffer.byteLength(detection())} bytes), 1.5 MB images`);

// Bare framework, durable gateway and in-memory gateway alternate, so drift on the box
// (thermal, other load) falls on all three alike; medians are compared.
const runs: Record<Mode, Figures[]> = { bare: [], durable: [], 'no-storage': [], unhashed: [] };
for (let rep = 0; rep < REPS; rep++) {
  for (const mode of ['bare', 'durable', 'no-storage'] as const) runs[mode].push(await measure(mode, image));
}
const pick = (mode: Mode, k: keyof Figures) => runs[mode].map((f) => f[k]);
const SCENARIOS: { key: keyof Figures; name: string; target?: number }[] = [
  { key: 'rest', name: 'REST 1 KB, 50 keep-alive connections', target: 0.8 },
  { key: 'sio', name: 'Socket.IO 1 KB, 10 clients × 10 acks', target: 0.5 },
  { key: 'images', name: 'REST 1.5 MB image, 4 connections' },
];
printTable('Durable ingest vs. the bare framework doing nothing but answer (medians)', 'bare framework', 'durable', SCENARIOS.map((sc) => ({
  name: sc.name, reference: median(pick('bare', sc.key)), measured: median(pick('durable', sc.key)), unit: 'rec/s', ...(sc.target ? { target: sc.target } : {}),
})));
printTable('Durable ingest vs. the same gateway over an in-memory log (medians)', 'in-memory log', 'durable', SCENARIOS.map((sc) => ({
  name: sc.name, reference: median(pick('no-storage', sc.key)), measured: median(pick('durable', sc.key)), unit: 'rec/s',
})));
console.log('\nServer CPU per record, all threads (medians, us): the cost behind the rates above');
for (const [k, name] of [['restCpu', 'REST 1 KB'], ['sioCpu', 'Socket.IO 1 KB']] as const) {
  console.log(`${name.padEnd(44)}bare ${median(pick('bare', k)).toFixed(0)}   durable ${median(pick('durable', k)).toFixed(0)}   in-memory ${median(pick('no-storage', k)).toFixed(0)}`);
}
// Which resource runs out: the server's event loop (its main thread near 100 %) or the box
// (all cores near 100 %, the load generator included). The first calls for work off the
// main thread; the second only for less work per record.
console.log(`\nWhat limits each load (medians): server main thread busy / whole box busy (${cpus().length} cores, load generator included)`);
for (const [main, box, name] of [['restMain', 'restBox', 'REST 1 KB'], ['sioMain', 'sioBox', 'Socket.IO 1 KB']] as const) {
  const cell = (mode: Mode) => `${pct(median(pick(mode, main)))} / ${pct(median(pick(mode, box)))}`;
  console.log(`${name.padEnd(44)}bare ${cell('bare')}   durable ${cell('durable')}   in-memory ${cell('no-storage')}`);
}
console.log('\nmin / median / max per scenario');
for (const sc of SCENARIOS) {
  console.log(`${sc.name.padEnd(44)}bare ${spread(pick('bare', sc.key))}   durable ${spread(pick('durable', sc.key))}   in-memory ${spread(pick('no-storage', sc.key))}`);
}

if (process.env.BENCH_CHAIN !== '0' && !ONLY) {
  // On and off alternate, and the medians are compared: one run of each is within the
  // noise of a 2-core box.
  const on: Figures[] = [];
  const off: Figures[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    off.push(await measure('unhashed', image, {}, false));
    on.push(await measure('durable', image, {}, false));
  }
  printTable(`Evidence hash chain: durable ingest with the chain on vs off, medians of ${REPS} alternating runs (target: costs ≤ 5 %)`, 'chain off', 'chain on', [
    { name: 'REST 1 KB, 50 keep-alive connections', reference: median(off.map((r) => r.rest)), measured: median(on.map((r) => r.rest)), unit: 'rec/s', target: 0.95 },
    { name: 'Socket.IO 1 KB, 10 clients × 10 acks', reference: median(off.map((r) => r.sio)), measured: median(on.map((r) => r.sio)), unit: 'rec/s', target: 0.95 },
  ]);
  // Steadier than the rates on a shared box: what the chain costs per record.
  for (const [k, name] of [['restCpu', 'REST 1 KB'], ['sioCpu', 'Socket.IO 1 KB']] as const) {
    console.log(`${name.padEnd(44)}server CPU per record (medians, us): chain off ${median(off.map((r) => r[k])).toFixed(0)}   chain on ${median(on.map((r) => r[k])).toFixed(0)}`);
  }
}
