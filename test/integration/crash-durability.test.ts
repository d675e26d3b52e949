// kill -9 of the real gateway process at random moments while REST and Socket.IO cameras
// send: every id that was acknowledged must be in the log after restart. Also SIGTERM:
// in-flight appends finish, exit 0 within 10 s.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { contractDetection, deployedDetection, fakeJpeg, getJson, postJson } from '../helpers/payloads.js';
import { connectCamera } from '../helpers/socket-clients.js';
import { spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { seededRandom } from '../helpers/wait-and-seed.js';

/** Sends until stopped; returns every id the gateway acknowledged. */
async function restCamera(gw: GatewayProcess, stop: () => boolean, cam: string): Promise<string[]> {
  const acked: string[] = [];
  const image = fakeJpeg(50_000).toString('base64');
  for (let i = 0; !stop() && i < 5000; i++) {
    try {
      const body = i % 10 === 0 ? deployedDetection({ aicamera_id: cam, original_image: image, n: i }) : contractDetection({ camera_id: cam });
      const r = await postJson(`${gw.url}/api/statistics`, body);
      if (r.status === 200) acked.push(r.body.detection_id);
    } catch {
      return acked; // connection refused/reset: the process is gone
    }
  }
  return acked;
}

async function socketCamera(gw: GatewayProcess, stop: () => boolean, cam: string): Promise<string[]> {
  const acked: string[] = [];
  const client = await connectCamera(gw.url, 'v4-websocket');
  try {
    for (let i = 0; !stop() && i < 5000; i++) {
      const reply = await Promise.race([
        new Promise<any>((ok) => client.emit('lpr_data', contractDetection({ camera_id: cam }), ok)),
        sleep(2000).then(() => undefined),
      ]);
      if (!reply) break;
      if (reply.success) acked.push(reply.detection_id);
    }
  } finally {
    client.close();
  }
  return acked;
}

describe('durability', () => {
  test('kill -9 at random moments: every acknowledged id survives (3 rounds)', async (t) => {
    const { between } = seededRandom(t);
    const tmp = makeTempDir();
    const all: string[] = [];
    try {
      for (let round = 0; round < 3; round++) {
        const gw = await spawnGateway({ LPRGW_DATA_DIR: tmp.dir });
        let stopped = false;
        const clients = [
          ...[0, 1, 2, 3].map((i) => restCamera(gw, () => stopped, `rest-${i}`)),
          ...[0, 1].map((i) => socketCamera(gw, () => stopped, `sio-${i}`)),
        ];
        await sleep(between(300, 1500));
        gw.child.kill('SIGKILL');
        await gw.exited;
        stopped = true;
        const acked = (await Promise.all(clients)).flat();
        assert.ok(acked.length > 0, `round ${round}: nothing was acknowledged before the kill`);
        all.push(...acked);
      }
      const gw = await spawnGateway({ LPRGW_DATA_DIR: tmp.dir });
      try {
        const missing: string[] = [];
        for (const id of all) if ((await getJson(`${gw.url}/api/detections/${id}`)).status !== 200) missing.push(id);
        assert.deepEqual(missing, [], `${missing.length} of ${all.length} acknowledged ids lost`);
        const stats = (await getJson(`${gw.url}/api/statistics`)).body.data;
        assert.ok(stats.total_detections >= all.length);
      } finally {
        gw.child.kill('SIGKILL');
        await gw.exited;
      }
    } finally {
      tmp.remove();
    }
  });

  test('SIGTERM under load: exits 0 within 10 s and everything acknowledged is stored', async () => {
    const tmp = makeTempDir();
    try {
      const gw = await spawnGateway({ LPRGW_DATA_DIR: tmp.dir });
      let stopped = false;
      const clients = [0, 1, 2].map((i) => restCamera(gw, () => stopped, `term-${i}`));
      await sleep(500);
      const t0 = Date.now();
      gw.child.kill('SIGTERM');
      const code = await gw.exited;
      const took = Date.now() - t0;
      stopped = true;
      assert.equal(code, 0);
      assert.ok(took < 10_000, `stop took ${took} ms`);
      const acked = (await Promise.all(clients)).flat();
      const again = await spawnGateway({ LPRGW_DATA_DIR: tmp.dir });
      try {
        for (const id of acked) assert.equal((await getJson(`${again.url}/api/detections/${id}`)).status, 200, id);
      } finally {
        again.child.kill('SIGTERM');
        await again.exited;
      }
    } finally {
      tmp.remove();
    }
  });
});
