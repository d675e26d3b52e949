// Poison isolation against a real Mosquitto: a record the cloud broker will not take is
// parked — durably, with its reason — and the records behind it keep flowing; parked
// records are listed and replayed through the admin API.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttCollector } from '../helpers/mqtt-collector.js';
import { contractDetection, postJson } from '../helpers/payloads.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const TOKEN = 'admin-token-for-tests';
const admin = (url: string, path: string, method = 'GET') =>
  fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

async function sendPoisonThenLive(url: string, camera: string): Promise<{ poison: string; live: string[] }> {
  const poison = (await postJson(`${url}/api/detection`, contractDetection({ camera_id: camera, firmware_dump: 'x'.repeat(200_000) }))).body.detection_id;
  const live: string[] = [];
  for (let i = 0; i < 5; i++) live.push((await postJson(`${url}/api/detection`, contractDetection({ camera_id: camera, n: i }))).body.detection_id);
  return { poison, live };
}

const has = (sub: MqttCollector, ids: string[]) => (m: typeof sub.messages) => ids.every((id) => m.some((x) => x.json?.detection_id === id));

describe('poison records', () => {
  test('over the broker packet limit (MQTT 3.1.1 drops the connection): parked after three drops, the rest flows, replay delivers it', async () => {
    const cloud = new Mosquitto();
    await cloud.start('max_packet_size 131072');
    const sub = new MqttCollector(cloud.url, ['lpr/+/+/detection'], 'poison-sub-1');
    await sub.connect();
    const gw = await startTestGateway({ uplink: { url: cloud.url, window: 20, images: false }, admin: { token: TOKEN } });
    try {
      const { poison, live } = await sendPoisonThenLive(gw.url, 'p1');
      await sub.waitFor(has(sub, live), 30_000, 'the records behind the poison');
      const parked = (await admin(gw.url, '/api/admin/parked')).body.data;
      assert.equal(parked.length, 1);
      assert.equal(parked[0].id, poison);
      assert.equal(parked[0].reason, 'connection_dropped');
      assert.equal(sub.messages.some((m) => m.json?.detection_id === poison), false);
      // Statistics and the retained status count it.
      assert.equal((await (await fetch(`${gw.url}/api/statistics`)).json() as any).data.uplink.parked, 1);
      // The operator raises the limit and replays.
      await cloud.stop();
      await cloud.start();
      const deadline = Date.now() + 20_000;
      let replay = await admin(gw.url, `/api/admin/parked/${parked[0].seq}/replay`, 'POST');
      while (replay.status !== 200 && Date.now() < deadline) {
        await new Promise((ok) => setTimeout(ok, 200)); // the uplink reconnects to the restarted broker
        replay = await admin(gw.url, `/api/admin/parked/${parked[0].seq}/replay`, 'POST');
      }
      assert.equal(replay.status, 200, JSON.stringify(replay.body));
      await sub.waitFor(has(sub, [poison]), 10_000, 'the replayed record');
      assert.deepEqual((await admin(gw.url, '/api/admin/parked')).body.data, []);
      assert.equal((await admin(gw.url, '/api/admin/parked/99999/replay', 'POST')).status, 404);
    } finally {
      await gw.stop();
      await sub.close();
      await cloud.dispose();
    }
  });

  test('uplink.maxMessageBytes: an oversized record is parked at once as too_large, nothing is dropped by the broker', async () => {
    const cloud = new Mosquitto();
    await cloud.start();
    const sub = new MqttCollector(cloud.url, ['lpr/+/+/detection'], 'poison-sub-2');
    await sub.connect();
    const gw = await startTestGateway({ uplink: { url: cloud.url, window: 20, images: false, maxMessageBytes: '128KiB' }, admin: { token: TOKEN } });
    try {
      const { poison, live } = await sendPoisonThenLive(gw.url, 'p2');
      await sub.waitFor(has(sub, live), 15_000, 'the records behind the poison');
      const parked = (await admin(gw.url, '/api/admin/parked')).body.data;
      assert.deepEqual(parked.map((p: any) => [p.id, p.reason]), [[poison, 'too_large']]);
      assert.match(parked[0].detail, /131072/);
    } finally {
      await gw.stop();
      await sub.close();
      await cloud.dispose();
    }
  });

  test('MQTT 5: a publish the broker refuses (PUBACK 0x87 not authorized) is parked with its reason code', async () => {
    const tmp = makeTempDir();
    const acl = join(tmp.dir, 'acl');
    writeFileSync(acl, 'topic write lpr/1/ok/#\ntopic write lpr/gateway/#\ntopic read lpr/#\n', { mode: 0o644 });
    chmodSync(tmp.dir, 0o755); // mosquitto reads the ACL after dropping root
    const cloud = new Mosquitto();
    // (Mosquitto 2.0.11 with max_queued_messages 0, the helper's default, drops the
    // connection after a denied publish instead of answering it: a bounded queue here.)
    await cloud.start(`acl_file ${acl}\nmax_queued_messages 100000`);
    const sub = new MqttCollector(cloud.url, ['lpr/+/+/detection'], 'poison-sub-3');
    await sub.connect();
    const gw = await startTestGateway({ uplink: { url: cloud.url, window: 20, images: false, protocolVersion: 5 }, admin: { token: TOKEN } });
    try {
      const denied = (await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'denied' }))).body.detection_id;
      const ok = (await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'ok' }))).body.detection_id;
      await sub.waitFor(has(sub, [ok]), 15_000, 'the allowed record');
      // The detection and the camera's (retained) status record are both refused.
      const parked = (await admin(gw.url, '/api/admin/parked')).body.data as { id: string; reason: string; detail: string }[];
      const entry = parked.find((p) => p.id === denied);
      assert.equal(entry?.reason, 'refused', JSON.stringify(parked));
      assert.match(entry.detail, /0x87/);
      assert.ok(parked.every((p) => p.reason === 'refused'), JSON.stringify(parked));
    } finally {
      await gw.stop();
      await sub.close();
      await cloud.dispose();
      tmp.remove();
    }
  });
});
