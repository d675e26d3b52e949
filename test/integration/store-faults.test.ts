// Regression tests for the ways the store broke its promise under faults (issue "nothing
// acknowledged is lost"): seqs reused after the log emptied, a full disk tearing LevelDB's
// log, a shared image deleted with the first record, refusing forever while "ready", a
// soft quota, and one camera connection's messages logged out of order.
import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { MqttCollector } from '../helpers/mqtt-collector.js';
import { contractDetection, fakeJpeg, getJson, postJson } from '../helpers/payloads.js';
import { SmallDisk } from '../helpers/small-disk.js';
import { connectCamera } from '../helpers/socket-clients.js';
import { makeTempDir } from '../helpers/temp-dir.js';

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(25);
  }
}

async function stopGateway(gw: GatewayProcess): Promise<void> {
  gw.child.kill('SIGTERM');
  assert.equal(await gw.exited, 0);
}

test('seqs are never reused after retention empties the log: new records still reach LAN subscribers', async () => {
  const tmp = makeTempDir();
  const config = join(tmp.dir, 'gw.yaml');
  writeFileSync(config, 'store:\n  retainDelivered: 1s\n  sweepSchedule: "* * * * * *"\n');
  const env = { LPRGW_DATA_DIR: join(tmp.dir, 'data'), LPRGW_CONFIG: config };
  try {
    const first = await spawnGateway(env);
    const old: string[] = [];
    for (let i = 0; i < 5; i++) old.push((await postJson(`${first.url}/api/detection`, contractDetection({ camera_id: 'r1' }))).body.detection_id);
    // Delivered locally, then deleted by age: the log is empty of detections.
    await until(async () => (await getJson(`${first.url}/api/detections/${old[4]}`)).status === 404, 'retention to delete the delivered records');
    const lastSeq = (await getJson(`${first.url}/api/statistics`)).body.data.last_seq as number;
    await stopGateway(first);

    const second = await spawnGateway(env);
    const sub = new MqttCollector(`mqtt://127.0.0.1:${second.mqttPort}`, ['lpr/+/+/detection']);
    await sub.connect();
    try {
      const fresh: string[] = [];
      for (let i = 0; i < 3; i++) fresh.push((await postJson(`${second.url}/api/detection`, contractDetection({ camera_id: 'r1' }))).body.detection_id);
      await sub.waitFor((m) => fresh.every((id) => m.some((x) => x.json?.detection_id === id)), 10_000, 'the new detections on the LAN broker');
      const seqs = sub.messages.filter((m) => fresh.includes(m.json?.detection_id)).map((m) => m.json.seq as number);
      assert.ok(seqs.every((s) => s > lastSeq), `seqs ${seqs} must be above the old last seq ${lastSeq}`);
    } finally {
      await sub.close();
      await stopGateway(second);
    }
  } finally {
    tmp.remove();
  }
});

test('a full disk: refusals are quick 507/503, /readyz says why, and after space returns it accepts again and loses nothing', async () => {
  const disk = SmallDisk.mount(24 * 1024 * 1024);
  const config = join(disk.dir, 'gw.yaml');
  // No floor and a quota above the disk: the writes themselves must meet ENOSPC.
  writeFileSync(config, 'store:\n  diskFreeMinBytes: 0\n  maxBytes: 1GB\n');
  const env = { LPRGW_DATA_DIR: join(disk.dir, 'data'), LPRGW_CONFIG: config };
  const acked: string[] = [];
  const post = async (gw: GatewayProcess, i: number) => {
    const t0 = Date.now();
    const r = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'full', n: i, annotated_image: fakeJpeg(20_000).toString('base64') }));
    if (r.status === 200) acked.push(r.body.detection_id);
    return { status: r.status, code: r.body?.error?.code as string | undefined, ms: Date.now() - t0, retryAfter: r.headers.get('retry-after') };
  };
  try {
    const gw = await spawnGateway(env);
    try {
      for (let i = 0; i < 10; i++) assert.equal((await post(gw, i)).status, 200);
      await disk.fill();
      const answers = [];
      for (let i = 0; i < 30; i++) answers.push(await post(gw, 100 + i));
      const refused = answers.filter((a) => a.status !== 200);
      assert.ok(refused.length > 0, 'a full disk refuses');
      for (const a of refused) {
        assert.ok(a.status === 507 || a.status === 503, `status ${a.status} (${a.code})`);
        assert.ok(a.ms < 5000, `a refusal took ${a.ms} ms`);
        assert.ok(Number(a.retryAfter) > 0, 'Retry-After');
      }
      // While the disk is full, /readyz says so: a failed write latches the store, and
      // reopening it on a full disk fails again.
      const notReady = await until(async () => {
        const r = await getJson(`${gw.url}/readyz`);
        return r.status === 503 ? r.body : undefined;
      }, '/readyz to report the store failure', 5000);
      assert.equal(notReady.store_error?.code, 'STORE_FULL', JSON.stringify(notReady));
      disk.free();
      await until(async () => (await getJson(`${gw.url}/readyz`)).status === 200, '/readyz ready again', 60_000);
      await until(async () => (await post(gw, 500)).status === 200, 'the gateway to accept again', 60_000);
      for (let i = 0; i < 37; i++) assert.equal((await post(gw, 1000 + i)).status, 200);
    } finally {
      await stopGateway(gw);
    }
    const again = await spawnGateway(env);
    try {
      const missing = [];
      for (const id of acked) if ((await getJson(`${again.url}/api/detections/${id}`)).status !== 200) missing.push(id);
      assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged records lost after the restart`);
    } finally {
      await stopGateway(again);
    }
  } finally {
    disk.dispose();
  }
});

test('an image shared by two records lives until its last reference goes, and the quota counts it once', async () => {
  const gw = await startTestGateway();
  try {
    const frame = fakeJpeg(80_000).toString('base64');
    const a = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 's1', annotated_image: frame }));
    const b = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 's2', annotated_image: frame }));
    const recA = (await getJson(`${gw.url}/api/detections/${a.body.detection_id}`)).body.data;
    const sha = recA.images[0].sha256;
    const stats = gw.gateway.log.stats();
    assert.ok(stats.liveBytes < 100_000, `the shared frame is counted once (${stats.liveBytes} bytes)`);
    await gw.gateway.log.evict({ reason: 'delivered_images', remove: [], stripImages: [(await gw.gateway.log.getById(recA.detection_id))!] });
    const recB = (await getJson(`${gw.url}/api/detections/${b.body.detection_id}`)).body.data;
    assert.equal((await getJson(`${gw.url}/api/detections/${a.body.detection_id}`)).body.images_evicted, true);
    assert.equal((await getJson(`${gw.url}/api/detections/${b.body.detection_id}`)).body.images_evicted, false);
    assert.equal((await fetch(`${gw.url}/api/images/${sha}`)).status, 200, 'still there for the second record');
    await gw.gateway.log.evict({ reason: 'delivered_records', remove: [(await gw.gateway.log.getById(recB.detection_id))!], stripImages: [] });
    assert.equal((await fetch(`${gw.url}/api/images/${sha}`)).status, 404, 'gone with the last reference');
  } finally {
    await gw.stop();
  }
});

test('the quota is hard: distinct images sent concurrently never take the store past it', async () => {
  const quota = 10_000_000;
  const gw = await startTestGateway({ store: { maxBytes: quota, sweepSchedule: '0 0 0 1 1 *' } });
  try {
    let peak = 0;
    const sender = async (k: number) => {
      for (let i = 0; i < 10; i++) {
        const r = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: `h${k}`, annotated_image: fakeJpeg(1_000_000).toString('base64') }));
        assert.equal(r.status, 200, JSON.stringify(r.body));
        peak = Math.max(peak, gw.gateway.log.stats().liveBytes);
      }
    };
    await Promise.all([0, 1, 2, 3].map(sender));
    assert.ok(peak <= quota, `the store reached ${peak} bytes, quota ${quota}`);
    const blobs = join(gw.dataDir, 'blobs');
    const onDisk = readdirSync(blobs, { recursive: true }).map(String).reduce((n, f) => {
      const s = statSync(join(blobs, f));
      return s.isFile() ? n + s.size : n;
    }, 0);
    assert.ok(onDisk <= quota, `image files on disk: ${onDisk} bytes`);
    assert.ok((gw.gateway.log.stats().evictions.delivered_images ?? 0) > 0);
  } finally {
    await gw.stop();
  }
});

test('one Socket.IO connection: fire-and-forget messages are logged in the order sent, whatever their size', async () => {
  const gw = await startTestGateway();
  const cam = await connectCamera(gw.url, 'v4-websocket');
  try {
    const sizes = [3_000_000, 0, 0, 1_000_000, 0, 0];
    sizes.forEach((bytes, n) => cam.emit('lpr_data', contractDetection({ camera_id: 'ord', n, ...(bytes ? { annotated_image: fakeJpeg(bytes).toString('base64') } : {}) })));
    const logged = await until(async () => {
      const page = (await getJson(`${gw.url}/api/records?after=0&limit=100&kind=detection`)).body.data as { camera_id: string; n: number }[];
      const mine = page.filter((r) => r.camera_id === 'ord');
      return mine.length === sizes.length ? mine : undefined;
    }, 'all six messages to be stored');
    assert.deepEqual(logged.map((r) => r.n), [0, 1, 2, 3, 4, 5]);
  } finally {
    cam.close();
    await gw.stop();
  }
});
