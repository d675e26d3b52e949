// The fault campaign: the gateway's data dir on a small tmpfs that a filler keeps filling
// and freeing, REST and Socket.IO cameras sending all the time, the uplink draining into a
// real Mosquitto, and SIGKILL at random moments. The checker then reads every acknowledged
// id back from the store and from the cloud subscriber: nothing lost, per-camera order,
// duplicates bounded by the window, and no request left hanging.
// FAULT_SEED=<n> replays a run; the seed is printed with every failure.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttCollector } from '../helpers/mqtt-collector.js';
import { contractDetection, fakeJpeg, getJson } from '../helpers/payloads.js';
import { SmallDisk } from '../helpers/small-disk.js';
import { connectCamera } from '../helpers/socket-clients.js';
import { rng, waitUntil } from '../helpers/wait-and-seed.js';

const WINDOW = 50;
const CYCLES = 4;
const HANG_MS = 15_000;

interface Camera {
  id: string;
  next: number;
  /** Acknowledged: id and the camera's own counter n, in ack order. */
  acked: { id: string; n: number }[];
  statuses: Map<number, number>;
  slowest: number;
  hung: number;
}

const camera = (id: string): Camera => ({ id, next: 0, acked: [], statuses: new Map(), slowest: 0, hung: 0 });

function body(cam: Camera, image: string | undefined): Record<string, unknown> {
  const n = cam.next++;
  return contractDetection({ camera_id: cam.id, n, ...(image && n % 4 === 0 ? { annotated_image: image } : {}) });
}

/** A REST camera: one request at a time (as deployed cameras do) until the gateway goes away. */
async function restCamera(gw: GatewayProcess, cam: Camera, image: string, running: () => boolean): Promise<void> {
  while (running()) {
    const msg = body(cam, image);
    const t0 = Date.now();
    let res: Response;
    try {
      res = await fetch(`${gw.url}/api/detection`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(msg), signal: AbortSignal.timeout(HANG_MS),
      });
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') cam.hung += 1;
      return; // refused or reset: the gateway was killed
    }
    const reply = (await res.json().catch(() => ({}))) as { detection_id?: string };
    cam.slowest = Math.max(cam.slowest, Date.now() - t0);
    cam.statuses.set(res.status, (cam.statuses.get(res.status) ?? 0) + 1);
    if (res.status === 200 && reply.detection_id) cam.acked.push({ id: reply.detection_id, n: msg.n as number });
    else await sleep(50); // a refused camera waits a little, like a real one
  }
}

async function socketCamera(gw: GatewayProcess, cam: Camera, running: () => boolean): Promise<void> {
  const client = await connectCamera(gw.url, 'v4-websocket').catch(() => undefined);
  if (!client) return;
  try {
    while (running()) {
      const msg = body(cam, undefined);
      const t0 = Date.now();
      const reply = await Promise.race([
        new Promise<any>((ok) => client.emit('lpr_data', msg, ok)),
        sleep(HANG_MS).then(() => undefined),
      ]);
      if (!reply) {
        if (running()) cam.hung += 1;
        return;
      }
      cam.slowest = Math.max(cam.slowest, Date.now() - t0);
      const status = reply.success ? 200 : reply.error?.code === 'STORE_FULL' ? 507 : reply.error?.code === 'STORE_UNAVAILABLE' ? 503 : 500;
      cam.statuses.set(status, (cam.statuses.get(status) ?? 0) + 1);
      if (reply.success) cam.acked.push({ id: reply.detection_id, n: msg.n as number });
      else await sleep(50);
    }
  } finally {
    client.close();
  }
}

test('fault campaign: a filling disk, SIGKILLs and a live uplink lose no acknowledged record', async (t) => {
  const seed = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 1e9));
  const random = rng(seed);
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  // Room for the run's own data (about 900 acked records × 30 kB images, plus LevelDB and
  // its compactions, ~30 MB) with some to spare: the full disks must come from the filler.
  // At 32 MB a fast run filled the disk with its own records, and a store that cannot even
  // open cannot free space (the field has store.diskFreeMinBytes against that).
  const disk = SmallDisk.mount(64 * 1024 * 1024);
  const cloud = new Mosquitto();
  await cloud.start();
  const sub = new MqttCollector(cloud.url, ['lpr/+/+/detection'], `campaign-${seed}`);
  await sub.connect();
  const config = join(disk.dir, 'gw.yaml');
  writeFileSync(config, [
    'http:\n  rateLimit: 0',
    // No floor and a quota above the disk: the store's own writes must meet ENOSPC.
    'store:\n  diskFreeMinBytes: 0\n  maxBytes: 1GB',
    `uplink:\n  url: ${cloud.url}\n  window: ${WINDOW}\n  ackTimeout: 5s`,
  ].join('\n'));
  const env = { LPRGW_DATA_DIR: join(disk.dir, 'data'), LPRGW_CONFIG: config, LPRGW_GATEWAY_ID: 'campaign' };
  const cams = [camera('rest-a'), camera('rest-b'), camera('sio-a')];
  const image = fakeJpeg(30_000).toString('base64');
  const tally = { kills: 0, fills: 0, failedStarts: 0 };
  let filling = true;
  const filler = (async () => {
    while (filling) {
      await disk.fill();
      tally.fills += 1;
      await sleep(between(200, 800));
      disk.free();
      await sleep(between(300, 1200));
    }
    disk.free();
  })();
  // A gateway killed on a full disk must come up again on it (refusing with 507 until the
  // store opens): a start that fails there is a crash loop under systemd.
  const start = async (): Promise<GatewayProcess> => {
    try {
      return await spawnGateway(env);
    } catch (err) {
      tally.failedStarts += 1;
      throw err;
    }
  };
  let gw: GatewayProcess | undefined;
  try {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      gw = await start();
      let running = true;
      const senders = [restCamera(gw, cams[0]!, image, () => running), restCamera(gw, cams[1]!, image, () => running), socketCamera(gw, cams[2]!, () => running)];
      await sleep(between(1500, 3500));
      gw.child.kill('SIGKILL');
      await gw.exited;
      tally.kills += 1;
      running = false;
      await Promise.all(senders);
    }
    filling = false;
    await filler;
    gw = await start();
    // A marker per camera, sent last: once the cloud has all three, everything before is there too.
    await waitUntil(async () => (await getJson(`${gw!.url}/readyz`)).status === 200, 20_000, 'the store to open once the disk has room');
    const markers = await Promise.all(cams.map(async (cam) => {
      const r = await fetch(`${gw!.url}/api/detection`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body(cam, undefined)) });
      const reply = (await r.json()) as { detection_id: string };
      assert.equal(r.status, 200, 'the gateway accepts again once the disk has room');
      cam.acked.push({ id: reply.detection_id, n: cam.next - 1 });
      return reply.detection_id;
    }));
    await sub.waitFor((m) => markers.every((id) => m.some((x) => x.json?.detection_id === id)), 60_000, 'the markers upstream');

    const summary = `seed ${seed}: ${tally.kills} kills, ${tally.fills} fills, ${tally.failedStarts} failed starts; ` +
      cams.map((c) => `${c.id}: ${c.acked.length} acked, statuses ${JSON.stringify(Object.fromEntries(c.statuses))}, slowest ${c.slowest} ms`).join('; ');
    t.diagnostic(summary);
    const acked = cams.flatMap((c) => c.acked);
    assert.ok(acked.length > 100, `too little traffic to prove anything (${summary})`);
    assert.equal(tally.failedStarts, 0, `every start came up, full disk or not (${summary})`);
    for (const c of cams) {
      assert.equal(c.hung, 0, `${c.id}: ${c.hung} requests hung (${summary})`);
      for (const status of c.statuses.keys()) assert.ok([200, 503, 507].includes(status), `${c.id} got HTTP ${status} (${summary})`);
    }
    const missing = [];
    for (const { id } of acked) if ((await getJson(`${gw.url}/api/detections/${id}`)).status !== 200) missing.push(id);
    assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged ids not in the store (${summary})`);
    const upstream = sub.messages.map((m) => m.json as { detection_id: string; camera_id: string; n: number });
    const seen = new Set(upstream.map((m) => m.detection_id));
    const lost = acked.filter((a) => !seen.has(a.id));
    assert.deepEqual(lost, [], `${lost.length} acknowledged ids never reached the cloud (${summary})`);
    for (const c of cams) {
      const first = new Map<string, number>();
      for (const m of upstream) if (m.camera_id === c.id && !first.has(m.detection_id)) first.set(m.detection_id, m.n);
      const order = [...first.values()];
      assert.deepEqual(order, [...order].sort((a, b) => a - b), `${c.id}: first deliveries out of camera order (${summary})`);
    }
    const duplicates = upstream.length - seen.size;
    t.diagnostic(`${upstream.length} detections upstream, ${duplicates} duplicates`);
    assert.ok(duplicates <= WINDOW * (tally.kills + 1), `${duplicates} duplicates for ${tally.kills} kills, window ${WINDOW} (${summary})`);
  } finally {
    filling = false;
    await filler.catch(() => undefined);
    if (gw && gw.child.exitCode === null) {
      gw.child.kill('SIGKILL');
      await gw.exited;
    }
    await sub.close();
    await cloud.dispose();
    disk.dispose();
  }
});

test('fault campaign: a fast stream of large images against a disk floor, with SIGKILLs: refused at the floor, never ENOSPC, nothing acked lost', async (t) => {
  const seed = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 1e9));
  const random = rng(seed);
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  const MB = 1024 * 1024;
  const disk = SmallDisk.mount(96 * MB);
  const floor = 32 * MB;
  const image = 1536 * 1024;
  const config = join(disk.dir, 'gw.yaml');
  writeFileSync(config, `http:\n  rateLimit: 0\nstore:\n  diskFreeMinBytes: ${floor}\n  maxBytes: 1GB\n`);
  const env = { LPRGW_DATA_DIR: join(disk.dir, 'data'), LPRGW_CONFIG: config, LPRGW_GATEWAY_ID: 'floor-campaign' };
  let lowest = disk.freeBytes();
  const sampler = setInterval(() => (lowest = Math.min(lowest, disk.freeBytes())), 2);
  const acked: string[] = [];
  const statuses = new Map<number, number>();
  const logs: string[] = [];
  let gw: GatewayProcess | undefined;
  try {
    for (let cycle = 0; cycle < 3; cycle++) {
      gw = await spawnGateway(env);
      let running = true;
      // Three cameras, each sending its next distinct image as soon as the last is answered.
      const sender = async (n: number) => {
        while (running) {
          const msg = contractDetection({ camera_id: `big-${n}`, annotated_image: fakeJpeg(image).toString('base64') });
          const res = await fetch(`${gw!.url}/api/detection`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(msg), signal: AbortSignal.timeout(HANG_MS),
          }).catch(() => undefined);
          if (!res) return; // the gateway was killed
          const reply = (await res.json().catch(() => ({}))) as { detection_id?: string };
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 200 && reply.detection_id) acked.push(reply.detection_id);
          else assert.ok(res.headers.get('retry-after'), `a ${res.status} without Retry-After`);
        }
      };
      const senders = [0, 1, 2].map(sender);
      await sleep(between(1500, 3000));
      gw.child.kill('SIGKILL');
      await gw.exited;
      logs.push(...gw.logs);
      running = false;
      await Promise.all(senders);
    }
    gw = await spawnGateway(env);
    clearInterval(sampler);
    const summary = `seed ${seed}: ${acked.length} acked, statuses ${JSON.stringify(Object.fromEntries(statuses))}, lowest free ${lowest}, floor ${floor}`;
    t.diagnostic(summary);
    assert.ok((statuses.get(507) ?? 0) > 0, `the stream reached the floor (${summary})`);
    for (const status of statuses.keys()) assert.ok([200, 507].includes(status), `HTTP ${status} (${summary})`);
    assert.ok(lowest >= floor - image * 1.5, `free space fell to ${lowest} (${summary})`);
    const enospc = [...logs, ...gw.logs].filter((l) => /ENOSPC|no space left|store write failed/i.test(l));
    assert.deepEqual(enospc, [], `nothing written met ENOSPC (${summary})`);
    const missing = [];
    for (const id of acked) if ((await getJson(`${gw.url}/api/detections/${id}`)).status !== 200) missing.push(id);
    assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged ids not in the store (${summary})`);
  } finally {
    clearInterval(sampler);
    if (gw && gw.child.exitCode === null) {
      gw.child.kill('SIGKILL');
      await gw.exited;
    }
    disk.dispose();
  }
});
