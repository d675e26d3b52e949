// The uplink's JSON window follows the link, between 64 and uplink.window (2000 by
// default): to a distant cloud (a 50 ms round trip) a backlog drains with far more than
// the old fixed 200 in flight; over a weak line (40 kB/s) it stays near 2 s of traffic, so
// a dropped connection resends little. Either way every record arrives once, in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { LinkRelay } from '../helpers/link-relay.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttCollector } from '../helpers/mqtt-collector.js';
import { contractDetection, getJson, postJson } from '../helpers/payloads.js';

interface LinkCase {
  name: string;
  relay: (port: number) => LinkRelay;
  records: number;
  /** `messageBytes`: the mean size of the messages as they crossed the link. */
  check: (windows: number[], messageBytes: number) => void;
}

const CASES: LinkCase[] = [
  {
    name: 'a 50 ms round trip: the window opens beyond 200',
    relay: (port) => new LinkRelay(port, 0, 25),
    records: 1500,
    check: (windows) => assert.ok(Math.max(...windows) > 200, `largest window seen ${Math.max(...windows)}`),
  },
  {
    name: 'a 40 kB/s line: the window stays near 2 s of traffic',
    relay: (port) => new LinkRelay(port, 40_000),
    records: 300,
    check: (windows, messageBytes) => {
      const seen = `windows seen ${Math.min(...windows)}–${Math.max(...windows)} of ${messageBytes.toFixed(0)}-byte messages`;
      assert.ok(Math.min(...windows) >= 64, seen);
      // 2 s at 40 kB/s is 80 kB; half as much again for bursts and a resize's lag.
      assert.ok(Math.max(...windows) * messageBytes <= 120_000, seen);
    },
  },
];

for (const c of CASES) {
  test(`uplink window: ${c.name}; every record arrives once, in order`, async () => {
    const cloud = new Mosquitto();
    await cloud.start();
    const link = c.relay(cloud.port);
    await link.listen();
    const sub = new MqttCollector(cloud.url, ['lpr/+/+/detection'], `window-${c.records}`);
    await sub.connect();
    const gw = await startTestGateway({ uplink: { url: link.url, images: false }, http: { rateLimit: 0 }, mqtt: { enabled: false } });
    const uplink = async () => (await getJson(`${gw.url}/api/statistics`)).body.data.uplink as { state: string; window: number };
    try {
      for (let i = 0; (await uplink()).state !== 'online'; i++) {
        assert.ok(i < 300, 'the uplink came online');
        await sleep(50);
      }
      link.cut();
      const ids: string[] = [];
      for (let i = 0; i < c.records; i += 50) {
        const batch = await Promise.all(Array.from({ length: Math.min(50, c.records - i) }, (_, k) =>
          postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'lw', n: i + k }))));
        for (const r of batch) {
          assert.equal(r.status, 200);
          ids.push(r.body.detection_id);
        }
      }
      link.restore();
      // The window, read while the backlog drains (and a moment after: it narrows again
      // only once acknowledgements stop).
      const windows: number[] = [];
      const done = () => new Set(sub.messages.map((m) => m.json?.detection_id)).size >= c.records;
      for (let i = 0; !done(); i++) {
        assert.ok(i < 3000, `drained: ${new Set(sub.messages.map((m) => m.json?.detection_id)).size} of ${c.records}`);
        const u = await uplink();
        if (u.state === 'online') windows.push(u.window);
        await sleep(20);
      }
      const arrived = sub.messages.filter((m) => m.json?.detection_id);
      c.check(windows, arrived.reduce((n, m) => n + m.topic.length + m.payload.length, 0) / arrived.length);
      const got = sub.messages.map((m) => m.json?.detection_id as string).filter((id) => ids.includes(id));
      assert.deepEqual([...new Set(got)], ids, 'every record, in order');
      assert.equal(got.length, ids.length, 'none twice (no reconnect happened)');
    } finally {
      await gw.stop();
      await sub.close();
      link.close();
      await cloud.dispose();
    }
  });
}
