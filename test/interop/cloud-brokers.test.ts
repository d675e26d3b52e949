// The uplink into clusterable cloud brokers we did not write: RabbitMQ (MQTT plugin) and
// NATS (JetStream MQTT). Live records and a 1.5 MB image arrive; an outage under load
// drains in per-camera order with duplicates within the window; and the first message
// goes out within 5 s of the way back being open. The RabbitMQ outage is the broker
// itself restarting (it takes ~15 s to listen); the NATS outage is the link to it cut
// (a NATS restart was seen to lose QoS 1 messages it had just acknowledged).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Nats, RabbitMq, type CloudBroker } from '../helpers/cloud-brokers.js';
import { waitUntil } from '../helpers/wait-and-seed.js';
import { LinkRelay } from '../helpers/link-relay.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { MqttCollector, type Received } from '../helpers/mqtt-collector.js';
import { contractDetection, fakeJpeg, postJson } from '../helpers/payloads.js';

const WINDOW = 20;

const detectionIds = (msgs: Received[]) => msgs.filter((m) => m.topic.endsWith('/detection')).map((m) => m.json.detection_id as string);

const setups: [() => CloudBroker, 'broker restart' | 'link cut'][] = [[() => new Nats(), 'link cut'], [() => new RabbitMq(), 'broker restart']];

for (const [make, outageKind] of setups) {
  const broker: CloudBroker = make();
  describe(`uplink into ${broker.name}`, () => {
    test(`live records and a 1.5 MB image; an outage (${outageKind}) under load drains in order; prompt return`, async (t) => {
      await broker.start();
      const sub = new MqttCollector(broker.url, ['lpr/#'], `cloud-${broker.name.toLowerCase()}`);
      await sub.connect();
      const link = new LinkRelay(Number(new URL(broker.url).port));
      await link.listen();
      const gw = await startTestGateway({ uplink: { url: outageKind === 'link cut' ? link.url : broker.url, window: WINDOW }, http: { rateLimit: 0 } });
      try {
        const jpeg = fakeJpeg(1_500_000);
        const withImage = (await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'img', annotated_image: jpeg.toString('base64') }))).body.detection_id;
        const live: string[] = [];
        for (let i = 0; i < 20; i++) live.push((await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'live', n: i }))).body.detection_id);
        await sub.waitFor((m) => live.every((id) => detectionIds(m).includes(id)), 30_000, 'live records');
        await sub.waitFor((m) => m.some((x) => x.topic === `lpr/1/img/image/${withImage}/annotated_image`), 30_000, 'the 1.5 MB image');
        const image = sub.messages.find((x) => x.topic === `lpr/1/img/image/${withImage}/annotated_image`)!;
        assert.equal(createHash('sha256').update(image.payload).digest('hex'), createHash('sha256').update(jpeg).digest('hex'));

        // Outage under steady load from two cameras.
        const acked: { id: string; camera: string; n: number }[] = [];
        let sending = true;
        const cameras = ['o1', 'o2'].map(async (camera) => {
          for (let n = 0; sending; n++) {
            const r = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: camera, n }));
            assert.equal(r.status, 200);
            acked.push({ id: r.body.detection_id, camera, n });
            await sleep(20);
          }
        });
        await waitUntil(() => acked.length >= 10, 15_000, '10 detections acknowledged before the outage');
        if (outageKind === 'link cut') link.cut();
        else await broker.stop();
        const during = acked.length;
        await sleep(1500);
        if (outageKind === 'link cut') link.restore();
        else await broker.start();
        const back = Date.now();
        const before = sub.messages.length;
        await sub.waitFor((m) => m.length > before, 30_000, 'the first message after the broker returned');
        const firstDelay = Date.now() - back;
        sending = false;
        await Promise.all(cameras);
        assert.ok(acked.length > during, 'records were accepted during the outage');
        await sub.waitFor((m) => acked.every((a) => detectionIds(m).includes(a.id)), 60_000, 'every acknowledged record').catch(async (err: Error) => {
          const got = new Set(detectionIds(sub.messages));
          const missing = acked.filter((a) => !got.has(a.id)).map((a) => `${a.camera}#${a.n}`);
          const stats = ((await (await fetch(`${gw.url}/api/statistics`)).json()) as { data: unknown }).data;
          throw new Error(`${err.message}; missing ${missing.length} (${missing.slice(0, 20).join(' ')}; outage began at #${during / 2}); ${JSON.stringify(stats).slice(0, 600)}`);
        });
        t.diagnostic(`${broker.name}: first message ${firstDelay} ms after the outage ended; ${acked.length} records in the outage phase`);
        assert.ok(firstDelay <= 5000, `first message ${firstDelay} ms after the broker returned`);
        const ids = detectionIds(sub.messages);
        const duplicates = ids.length - new Set(ids).size;
        assert.ok(duplicates <= WINDOW, `${duplicates} duplicates, window ${WINDOW}`);
        for (const camera of ['o1', 'o2']) {
          const seen = new Set<string>();
          const order = sub.messages
            .filter((m) => m.topic === `lpr/1/${camera}/detection` && !seen.has(m.json.detection_id) && seen.add(m.json.detection_id))
            .map((m) => m.json.n as number);
          assert.deepEqual(order, [...order].sort((a, b) => a - b), `${camera}: out of order`);
        }
      } finally {
        await gw.stop();
        link.close();
        await sub.close();
        await broker.dispose();
      }
    });
  });
}
