// Store-and-forward against a real Mosquitto as the cloud broker: outage under steady
// camera load, then recovery — every acknowledged record arrives, per-camera order kept,
// duplicates bounded by the in-flight window; oversize images as references or chunks.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { contractDetection, fakeJpeg, getJson, postJson } from '../helpers/payloads.js';
import { waitUntil } from '../helpers/wait-and-seed.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttCollector, type Received } from '../helpers/mqtt-collector.js';

const WINDOW = 20;

function detectionsById(msgs: Received[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of msgs) if (m.topic.endsWith('/detection')) counts.set(m.json.detection_id, (counts.get(m.json.detection_id) ?? 0) + 1);
  return counts;
}

describe('uplink to a real Mosquitto', () => {
  const cloud = new Mosquitto();
  before(() => cloud.start());
  after(() => cloud.dispose());

  test('outage under steady load: all records arrive in per-camera order, duplicates ≤ window', async () => {
    const upstream = new MqttCollector(cloud.url, ['site/lpr/#'], 'cloud-consumer-1');
    await upstream.connect();
    const gw = await startTestGateway({ uplink: { url: cloud.url, topicPrefix: 'site/', window: WINDOW, images: false }, mqtt: { enabled: false } });
    try {
      const acked: { id: string; camera: string }[] = [];
      let phase = 'before';
      const cameras = ['c1', 'c2', 'c3'].map(async (camera) => {
        for (let i = 0; i < 150; i++) {
          const r = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: camera, n: i, phase }));
          assert.equal(r.status, 200);
          acked.push({ id: r.body.detection_id, camera });
          await sleep(5);
        }
      });
      await waitUntil(() => acked.length >= 30, 15_000, '30 detections acknowledged before the outage');
      await cloud.stop();
      phase = 'during';
      await waitUntil(async () => (await getJson(`${gw.url}/api/statistics`)).body.data.backlog?.records > 0, 15_000, 'records waiting while the uplink is down');
      await cloud.start();
      phase = 'after';
      await Promise.all(cameras);
      await upstream.waitFor((m) => acked.every((a) => detectionsById(m).has(a.id)), 60_000, 'every acknowledged detection upstream');

      const counts = detectionsById(upstream.messages);
      const duplicates = [...counts.values()].reduce((n, c) => n + c - 1, 0);
      assert.ok(duplicates <= WINDOW, `${duplicates} duplicates > window ${WINDOW}`);
      for (const camera of ['c1', 'c2', 'c3']) {
        const seen = new Set<string>();
        const order = upstream.messages
          .filter((m) => m.topic === `site/lpr/1/${camera}/detection`)
          .filter((m) => !seen.has(m.json.detection_id) && seen.add(m.json.detection_id))
          .map((m) => m.json.seq as number);
        assert.deepEqual(order, [...order].sort((a, b) => a - b), `camera ${camera} out of order`);
        assert.equal(order.length, 150);
      }
      const one = upstream.messages.find((m) => m.topic.endsWith('/detection'))!.json;
      for (const k of ['detection_id', 'seq', 'gateway_id', 'camera_id', 'checkpoint_id', 'timestamp', 'time', 'received_at', 'vehicles_count', 'plates_count', 'ocr_results', 'vehicle_detections', 'plate_detections', 'processing_time_ms', 'images', 'n', 'phase']) {
        assert.ok(k in one, `detection JSON lacks ${k}`);
      }
      const status = upstream.messages.filter((m) => m.topic === `site/lpr/gateway/${one.gateway_id}/status`);
      assert.ok(status.some((m) => m.json.state === 'online'));
    } finally {
      await gw.stop();
      await upstream.close();
    }
  });

  for (const mode of ['reference', 'chunks'] as const) {
    test(`images over uplink.maxMessageBytes go as ${mode} and never wedge the uplink`, async () => {
      const upstream = new MqttCollector(cloud.url, ['img/#'], `cloud-img-${mode}`);
      await upstream.connect();
      const gw = await startTestGateway({ uplink: { url: cloud.url, topicPrefix: 'img/', maxMessageBytes: '64KiB', oversizeImages: mode }, mqtt: { enabled: false } });
      try {
        const big = fakeJpeg(300_000);
        const small = fakeJpeg(10_000);
        const r = await postJson(`${gw.url}/api/detection`, contractDetection({ annotated_image: big.toString('base64'), cropped_plates: [small.toString('base64')] }));
        const id = r.body.detection_id;
        const after = await postJson(`${gw.url}/api/detection`, contractDetection());
        await upstream.waitFor((m) => m.some((x) => x.json?.detection_id === after.body.detection_id), 20_000, 'the next detection');
        const base = `img/lpr/1/1/image/${id}`;
        await upstream.waitFor((m) => m.some((x) => x.topic === `${base}/cropped_plate_0`), 20_000, 'the small image');
        assert.ok(upstream.messages.find((x) => x.topic === `${base}/cropped_plate_0`)!.payload.equals(small));
        if (mode === 'reference') {
          await upstream.waitFor((m) => m.some((x) => x.topic === `${base}/annotated_image/ref`), 20_000, 'the reference');
          const ref = upstream.messages.find((x) => x.topic === `${base}/annotated_image/ref`)!.json;
          assert.equal(ref.sha256, createHash('sha256').update(big).digest('hex'));
          assert.equal(ref.bytes, big.length);
        } else {
          await upstream.waitFor((m) => {
            const parts = m.filter((x) => x.topic.startsWith(`${base}/annotated_image/chunk/`));
            return parts.length > 0 && parts.length === Number(parts[0]!.topic.split('/').at(-1));
          }, 20_000, 'all chunks');
          const parts = upstream.messages.filter((x) => x.topic.startsWith(`${base}/annotated_image/chunk/`))
            .sort((a, b) => Number(a.topic.split('/').at(-2)) - Number(b.topic.split('/').at(-2)));
          for (const p of parts) assert.ok(p.payload.length <= 64 * 1024);
          assert.ok(Buffer.concat(parts.map((p) => p.payload)).equals(big));
        }
        assert.ok(!upstream.messages.some((x) => x.topic === `${base}/annotated_image`), 'oversize image never sent whole');
      } finally {
        await gw.stop();
        await upstream.close();
      }
    });
  }
});
