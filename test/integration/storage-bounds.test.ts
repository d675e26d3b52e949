// Bounded storage with real files: the eviction order under a quota, age retention, and
// the disk-floor admission (507, then accepting again by itself).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { contractDetection, fakeJpeg, getJson, postJson } from '../helpers/payloads.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { freePort } from '../helpers/free-port.js';
import { seededRandom } from '../helpers/wait-and-seed.js';
import { cli } from '../helpers/run-cli.js';
import { verifyExport } from '../../src/evidence/verify-export.js';

const blobPath = (dataDir: string, sha: string) => join(dataDir, 'blobs', sha.slice(0, 2), sha);

async function ingestWithImages(url: string, n: number, bytes: number, camera = 'q1'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await postJson(`${url}/api/detection`, contractDetection({ camera_id: camera, annotated_image: fakeJpeg(bytes).toString('base64') }));
    assert.equal(r.status, 200);
    ids.push(r.body.detection_id);
  }
  return ids;
}

/** Waits until `check` holds (state, not time); fails with `what` after `ms`. */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

test('default whenFull=refuse: over quota with nothing delivered, new records get 507 and nothing is evicted', async () => {
  const deadPort = await freePort();
  const gw = await startTestGateway({ uplink: { url: `mqtt://127.0.0.1:${deadPort}` }, store: { maxBytes: '300kB', sweepSchedule: '0 0 0 1 1 *' } });
  try {
    const acked: string[] = [];
    let refused: Awaited<ReturnType<typeof postJson>> | undefined;
    for (let i = 0; i < 20 && !refused; i++) {
      const r = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'q1', annotated_image: fakeJpeg(40_000).toString('base64') }));
      if (r.status === 200) acked.push(r.body.detection_id);
      else refused = r;
      assert.ok(gw.gateway.log.stats().liveBytes <= 300_000, 'the quota is hard');
    }
    assert.ok(refused, 'the store refused once full');
    assert.equal(refused.status, 507);
    assert.equal(refused.body.error.code, 'STORE_FULL');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.ok(acked.length >= 6, `only ${acked.length} accepted`);
    await gw.gateway.sweep();
    assert.deepEqual(gw.gateway.log.stats().evictions, {}, 'undelivered data is never evicted by default');
    for (const id of acked) {
      const rec = (await getJson(`${gw.url}/api/detections/${id}`)).body.data;
      assert.equal((await fetch(`${gw.url}/api/images/${rec.images[0].sha256}`)).status, 200, 'every acked image readable');
    }
  } finally {
    await gw.stop();
  }
});

test('whenFull=evict-oldest: admission evicts images of undelivered records oldest first; every record stays', async () => {
  const deadPort = await freePort();
  const gw = await startTestGateway({ uplink: { url: `mqtt://127.0.0.1:${deadPort}` }, store: { maxBytes: '300kB', whenFull: 'evict-oldest', sweepSchedule: '0 0 0 1 1 *' } });
  try {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(...await ingestWithImages(gw.url, 1, 40_000));
      assert.ok(gw.gateway.log.stats().liveBytes <= 300_000, `over the quota after ${i + 1}: ${gw.gateway.log.stats().liveBytes}`);
    }
    const stats = (await getJson(`${gw.url}/api/statistics`)).body.data.store;
    assert.ok(stats.evictions.undelivered_images > 0);
    assert.equal(stats.evictions.undelivered_records, undefined, 'no detection metadata was dropped');
    const answers = await Promise.all(ids.map(async (id) => (await getJson(`${gw.url}/api/detections/${id}`)).body));
    assert.equal(answers.filter((a) => a.data).length, 20, 'every record still there');
    // The eviction is reported beside the record; the record itself is as it was stored.
    const evicted = answers.map((a) => a.images_evicted === true);
    const firstKept = evicted.indexOf(false);
    assert.ok(firstKept > 0 && evicted.slice(firstKept).every((e) => !e), `evicted out of order: ${evicted.join()}`);
    for (const a of answers) {
      assert.equal(a.data.images[0].evicted, undefined, 'the stored line never changes');
      assert.equal(existsSync(blobPath(gw.dataDir, a.data.images[0].sha256)), !a.images_evicted);
    }
  } finally {
    await gw.stop();
  }
});

test('delivered data makes room: every delivered image before any record, then the oldest records', async () => {
  const gw = await startTestGateway({ mqtt: { enabled: true, host: '127.0.0.1', port: 0 }, store: { maxBytes: '30kB', sweepSchedule: '0 0 0 1 1 *' }, admin: { token: 'adm' } });
  try {
    const ids: string[] = [];
    const delivered = () => gw.gateway.deliveredSeq() >= gw.gateway.log.lastSeq();
    for (let i = 0; i < 12; i++) {
      ids.push(...await ingestWithImages(gw.url, 1, 20_000));
      await until(delivered, 'the local publisher to deliver');
    }
    for (let i = 0; i < 250; i++) {
      const r = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'q1' }));
      assert.equal(r.status, 200);
      ids.push(r.body.detection_id);
      await until(delivered, 'the local publisher to deliver');
    }
    const ev = gw.gateway.log.stats().evictions;
    assert.equal(ev.delivered_images, 12, 'all delivered images before any record');
    assert.ok((ev.delivered_records ?? 0) > 0, JSON.stringify(ev));
    assert.ok(gw.gateway.log.stats().liveBytes <= 30_000);
    const present = await Promise.all(ids.map(async (id) => (await getJson(`${gw.url}/api/detections/${id}`)).status === 200));
    const firstPresent = present.indexOf(true);
    assert.ok(firstPresent > 0 && present.slice(firstPresent).every(Boolean), `removed out of order: ${present.join()}`);
    // What eviction removed shows as what it is: the untouched export verifies, with a gap line.
    const exported = await (await fetch(`${gw.url}/api/admin/export`, { headers: { authorization: 'Bearer adm' } })).text();
    const lines = exported.trim().split('\n');
    assert.ok(lines.some((l) => l.startsWith('{"line":"gap","from_seq":1,')), 'the removed records are one gap line');
    const verdict = await verifyExport((async function* () { yield* lines; })(), {});
    assert.deepEqual(verdict.problems, []);
  } finally {
    await gw.stop();
  }
});

test('age retention: delivered records past store.retainDelivered are removed', async () => {
  const gw = await startTestGateway({ store: { retainDelivered: '1s', sweepSchedule: '0 0 0 1 1 *' } });
  try {
    const storedAt = Date.now();
    const [id] = await ingestWithImages(gw.url, 1, 1000);
    // Sweep until the record goes (it must, once delivered and a second old), then check it
    // did not go early and that a fresh record survives the same sweep.
    let removed = 0;
    await until(async () => {
      const result = (await gw.gateway.sweep()) as Record<string, number>;
      removed += result.retention_delivered ?? 0;
      return (await getJson(`${gw.url}/api/detections/${id}`)).status === 404;
    }, 'age retention to remove the delivered record');
    assert.ok(Date.now() - storedAt >= 1000, `removed ${Date.now() - storedAt} ms after it was stored, before store.retainDelivered`);
    assert.ok(removed >= 1, `removed ${removed}`);
    const [fresh] = await ingestWithImages(gw.url, 1, 1000);
    await gw.gateway.sweep();
    assert.equal((await getJson(`${gw.url}/api/detections/${fresh}`)).status, 200);
  } finally {
    await gw.stop();
  }
});

test('disk floor: 507 + Retry-After while the disk is full, accepting again once space is back', async () => {
  let free = 10;
  const gw = await startTestGateway({ store: { diskFreeMinBytes: '100MB' } }, undefined, { freeBytes: () => free });
  try {
    const refused = await postJson(`${gw.url}/api/detection`, contractDetection());
    assert.equal(refused.status, 507);
    assert.equal(refused.body.error.code, 'STORE_FULL');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    free = 10e9;
    const accepted = await postJson(`${gw.url}/api/detection`, contractDetection());
    assert.equal(accepted.status, 200);
    assert.equal((await getJson(`${gw.url}/api/detections/${accepted.body.detection_id}`)).status, 200);
    assert.equal(gw.gateway.log.stats().detections, 1, 'the refused one was not stored');
  } finally {
    await gw.stop();
  }
});

test('kill -9 during ingest and eviction: the gateway restarts and every acknowledged record is there', async (t) => {
  const { between } = seededRandom(t);
  const { spawnGateway } = await import('../helpers/gateway-process.js');
  const { makeTempDir } = await import('../helpers/temp-dir.js');
  const { writeFileSync } = await import('node:fs');
  const tmp = makeTempDir();
  const deadPort = await freePort();
  const config = join(tmp.dir, 'gw.yaml');
  writeFileSync(config, `store:\n  maxBytes: 600kB\n  whenFull: evict-oldest\n  sweepSchedule: "* * * * * *"\nuplink:\n  url: mqtt://127.0.0.1:${deadPort}\n`);
  const env = { LPRGW_DATA_DIR: join(tmp.dir, 'data'), LPRGW_CONFIG: config };
  const acked: string[] = [];
  try {
    for (let round = 0; round < 3; round++) {
      const gw = await spawnGateway(env);
      let stop = false;
      const sender = (async () => {
        while (!stop) {
          try {
            const r = await postJson(`${gw.url}/api/detection`, contractDetection({ annotated_image: fakeJpeg(30_000).toString('base64') }));
            if (r.status === 200) acked.push(r.body.detection_id);
          } catch {
            return;
          }
        }
      })();
      await sleep(between(1500, 2500));
      gw.child.kill('SIGKILL');
      await gw.exited;
      stop = true;
      await sender;
    }
    const gw = await spawnGateway(env);
    try {
      const missing: string[] = [];
      for (const id of acked) if ((await getJson(`${gw.url}/api/detections/${id}`)).status !== 200) missing.push(id);
      assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged records lost`);
      const store = (await getJson(`${gw.url}/api/statistics`)).body.data.store;
      assert.ok(store.evictions.undelivered_images > 0, JSON.stringify(store));
      assert.equal(store.evictions.undelivered_records, undefined);
    } finally {
      gw.child.kill('SIGTERM');
      await gw.exited;
    }
    // Three kill -9s, evicted images: the untouched export of that store verifies.
    const exported = await cli(['export', '--data-dir', join(tmp.dir, 'data')]);
    assert.equal(exported.code, 0, exported.err);
    const file = join(tmp.dir, 'export.ndjson');
    writeFileSync(file, exported.out);
    const verified = await cli(['verify', file]);
    assert.equal(verified.code, 0, verified.out);
    assert.match(verified.out, /verified: .*images evicted\); chain intact/);
  } finally {
    tmp.remove();
  }
});

test('crash leftovers: unreferenced image files are removed (old ones only); a missing image is reported, not fatal', async () => {
  const { removeOrphanBlobs } = await import('../../src/log/orphan-blobs.js');
  const { mkdirSync, writeFileSync, rmSync } = await import('node:fs');
  const pino = (await import('pino')).default;
  const gw = await startTestGateway({ mqtt: { enabled: true, host: '127.0.0.1', port: 0 } });
  try {
    const [id] = await ingestWithImages(gw.url, 1, 5000);
    const rec = (await getJson(`${gw.url}/api/detections/${id}`)).body.data;
    const orphanSha = 'ab'.repeat(32);
    mkdirSync(join(gw.dataDir, 'blobs', 'ab'), { recursive: true });
    writeFileSync(blobPath(gw.dataDir, orphanSha), 'left by a crash');
    const quiet = pino({ level: 'silent' });
    assert.equal(await removeOrphanBlobs(gw.gateway.log, gw.gateway.store.blobs, quiet), 0, 'a fresh file may belong to an ingest in flight');
    const removedNow = await removeOrphanBlobs(gw.gateway.log, gw.gateway.store.blobs, pino({ level: 'silent' }), 0, Date.now() + 1000);
    assert.equal(removedNow, 1);
    assert.equal(existsSync(blobPath(gw.dataDir, orphanSha)), false);
    assert.equal(existsSync(blobPath(gw.dataDir, rec.images[0].sha256)), true, 'referenced image kept');
    // A record whose image file vanished: still served, image answers 404, publishing goes on.
    rmSync(blobPath(gw.dataDir, rec.images[0].sha256));
    assert.equal((await getJson(`${gw.url}/api/detections/${id}`)).status, 200);
    assert.equal((await fetch(`${gw.url}/api/images/${rec.images[0].sha256}`)).status, 404);
    assert.equal((await postJson(`${gw.url}/api/detection`, contractDetection())).status, 200);
  } finally {
    await gw.stop();
  }
});
