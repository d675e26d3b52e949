// npm run bench:viewer — does a person looking at the Events view slow the cameras down?
// A viewer login is configured; cameras send 100 detections/s (open loop, 8 keep-alive
// connections) and we take the ack latency p99, once alone and once while a viewer opens
// the Events view with 100 rows every 2 s (GET /api/events?limit=100, then the 100
// thumbnails, 6 at a time as a browser fetches them, each with the viewer's Basic login).
// Target: p99 with the viewer within 10 % of the p99 without (each thumbnail used to run
// scrypt on the event loop: 43 ms each, about 2 s of stalled acks per page).
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../src/auth/password.js';
import { median, startBenchGateway, type BenchGateway } from './bench-kit.js';
import { detection, post } from './rest-load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const RATE = 100;
const ROWS = 100;
const USER = 'ops';
const PASSWORD = 'bench-viewer-password';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const HASH = hashPassword(PASSWORD);

/** A small JPEG-looking image (SOI/EOI markers, distinct body) as base64. */
function thumbnail(i: number): string {
  const b = Buffer.alloc(2048, i % 251);
  b.writeUInt32BE(i, 8);
  b[0] = 0xff; b[1] = 0xd8; b[2] = 0xff; b[3] = 0xe0;
  b[b.length - 2] = 0xff; b[b.length - 1] = 0xd9;
  return b.toString('base64');
}

function get(agent: Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(url, { agent, headers: { authorization: AUTH } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** Opens the Events view until `until`, every 2 s; returns how many pages it loaded. */
async function viewer(url: string, until: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 6 });
  let pages = 0;
  while (Date.now() < until) {
    const started = Date.now();
    const list = await get(agent, `${url}/api/events?limit=${ROWS}`);
    if (list.status !== 200) throw new Error(`events: ${list.status} ${list.body}`);
    const rows = (JSON.parse(list.body) as { data: { images: { url: string }[] }[] }).data;
    const images = rows.flatMap((d) => (d.images[0] ? [d.images[0].url] : []));
    const answers = await Promise.all(images.map((u) => get(agent, `${url}${u}`)));
    if (answers.some((a) => a.status !== 200)) throw new Error('a thumbnail was refused');
    pages += 1;
    await new Promise((ok) => setTimeout(ok, Math.max(0, 2000 - (Date.now() - started))));
  }
  agent.destroy();
  return pages;
}

/** Cameras at RATE/s for SECONDS; the ack latency of each, ms. */
async function cameras(url: string): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const latencies: number[] = [];
  const t0 = performance.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < RATE * SECONDS; i++) {
    const wait = t0 + (i * 1000) / RATE - performance.now();
    if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
    const sent = performance.now();
    sends.push(post(agent, url, detection()).then((ok) => {
      if (!ok) throw new Error('a camera message was refused');
      latencies.push(performance.now() - sent);
    }));
  }
  await Promise.all(sends);
  agent.destroy();
  return latencies;
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(0.99 * (xs.length - 1))]!;

async function run(withViewer: boolean): Promise<{ p99: number; pages: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'lprgw-bench-'));
  const gw: BenchGateway = await startBenchGateway('durable', dir, { admin: { viewerUser: USER, viewerPasswordHash: HASH } });
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    for (let i = 0; i < ROWS; i++) await post(agent, gw.url, detection(thumbnail(i)));
    agent.destroy();
    const until = Date.now() + SECONDS * 1000;
    const [latencies, pages] = await Promise.all([cameras(gw.url), withViewer ? viewer(gw.url, until) : Promise.resolve(0)]);
    return { p99: p99(latencies), pages };
  } finally {
    await gw.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`bench:viewer — cameras at ${RATE} detections/s for ${SECONDS} s, with and without a viewer opening the Events view (${ROWS} rows) every 2 s; ${REPS} alternating reps`);
const alone: number[] = [];
const watched: number[] = [];
for (let rep = 0; rep < REPS; rep++) {
  alone.push((await run(false)).p99);
  const w = await run(true);
  watched.push(w.p99);
  console.log(`  rep ${rep + 1}: ack p99 ${alone[rep]!.toFixed(1)} ms alone, ${w.p99.toFixed(1)} ms with the viewer (${w.pages} pages of ${ROWS} thumbnails)`);
}
const ratio = median(watched) / median(alone);
console.log(`\nCamera ack p99 (medians): alone ${median(alone).toFixed(1)} ms, with the viewer ${median(watched).toFixed(1)} ms, ratio ${ratio.toFixed(2)}× — ${ratio <= 1.1 ? 'meets' : 'ABOVE'} the target ≤ 1.10×`);
