// A weak link (a relay throttled to 40 kB/s, a rural 3G line): images back to back cross
// it, each exactly once (the PUBACK deadline grows with the bytes ahead, so a slow link
// is not taken for a wedged one), and live detection JSON keeps flowing meanwhile.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { LinkRelay } from '../helpers/link-relay.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttCollector } from '../helpers/mqtt-collector.js';
import { contractDetection, fakeJpeg, postJson } from '../helpers/payloads.js';

const RATE = 40_000;
const IMAGE = 200_000;

test('40 kB/s: three images back to back arrive once each, live JSON flows while they drain', async (t) => {
  const cloud = new Mosquitto();
  await cloud.start();
  const link = new LinkRelay(cloud.port, RATE);
  await link.listen();
  const sub = new MqttCollector(cloud.url, ['lpr/#'], 'weak-link-sub');
  await sub.connect();
  // A short ackTimeout: a deadline counted from the publish alone would expire long
  // before the third image is through.
  const gw = await startTestGateway({ uplink: { url: link.url, ackTimeout: '5s' }, http: { rateLimit: 0 } });
  try {
    const frames = [fakeJpeg(IMAGE), fakeJpeg(IMAGE), fakeJpeg(IMAGE)];
    const ids: string[] = [];
    for (const f of frames) ids.push((await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'w', annotated_image: f.toString('base64') }))).body.detection_id);
    const imagesIn = () => sub.messages.filter((m) => m.topic.includes('/image/')).length;
    // Live detections every 500 ms for as long as the images take.
    const live: { id: string; sent: number }[] = [];
    for (let i = 0; imagesIn() < 3 && i < 240; i++) {
      const sent = Date.now();
      live.push({ id: (await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'live', n: i }))).body.detection_id, sent });
      await sleep(500);
    }
    await sub.waitFor((m) => live.every((l) => m.some((x) => x.json?.detection_id === l.id)), 60_000, 'every live detection');
    const latencies = live.map((l) => sub.messages.find((x) => x.json?.detection_id === l.id)!.at - l.sent);
    await sub.waitFor(() => imagesIn() >= 3, 120_000, 'the three images');
    const images = sub.messages.filter((m) => m.topic.includes('/image/'));
    assert.equal(images.length, 3, 'each image sent once');
    ids.forEach((id, i) => {
      const m = images.find((x) => x.topic === `lpr/1/w/image/${id}/annotated_image`);
      assert.ok(m, `image ${i} arrived`);
      assert.equal(createHash('sha256').update(m.payload).digest('hex'), createHash('sha256').update(frames[i]!).digest('hex'));
    });
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]!;
    t.diagnostic(`${latencies.length} live detections while images drained: p50 ${latencies[latencies.length >> 1]} ms, max ${p99} ms`);
    assert.ok(latencies.length >= 5, 'live detections were sent while images drained');
    // One image message at a time holds a live message back at most one image's transfer.
    assert.ok(p99 <= (IMAGE / RATE) * 1000 * 2, `live detection waited ${p99} ms`);
  } finally {
    await gw.stop();
    await sub.close();
    link.close();
    await cloud.dispose();
  }
});
