// Honest outage reporting: while the link is down there is no ETA, but "offline since";
// after it returns the backlog drains; a clean stop says "shutdown" in the retained status
// (the will still says "connection lost").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { LinkRelay } from '../helpers/link-relay.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttCollector } from '../helpers/mqtt-collector.js';
import { contractDetection, getJson, postJson } from '../helpers/payloads.js';

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('offline: no ETA, offline since; back online: drained; clean stop: retained "shutdown"', async () => {
  const cloud = new Mosquitto();
  await cloud.start();
  const link = new LinkRelay(cloud.port);
  await link.listen();
  const status = new MqttCollector(cloud.url, ['lpr/gateway/+/status'], 'status-watch');
  await status.connect();
  const gw = await startTestGateway({ gatewayId: 'rep1', uplink: { url: link.url, statusInterval: '1s' } });
  const stats = async () => (await getJson(`${gw.url}/api/statistics`)).body.data;
  try {
    await until(async () => ((await stats()).uplink.state === 'online' ? true : undefined), 'the uplink online');
    link.cut();
    for (let i = 0; i < 3; i++) assert.equal((await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'r' }))).status, 200);
    const offline = await until(async () => {
      const s = await stats();
      return s.uplink.state !== 'online' && s.backlog.records > 0 ? s : undefined;
    }, 'the uplink offline with a backlog');
    assert.equal(offline.backlog.eta_s, null, 'no ETA while offline');
    assert.equal(offline.backlog.drain_rate_per_s, 0);
    assert.ok(Date.parse(offline.uplink.offline_since) > 0, JSON.stringify(offline.uplink));
    link.restore();
    const back = await until(async () => {
      const s = await stats();
      return s.uplink.state === 'online' && s.backlog.records === 0 ? s : undefined;
    }, 'the backlog drained');
    assert.equal(back.uplink.offline_since, null);
  } finally {
    await gw.stop();
  }
  try {
    await status.waitFor((m) => m.some((x) => x.json?.gateway_id === 'rep1' && x.json.state === 'offline'), 5000, 'the retained offline status');
    const last = status.messages.filter((x) => x.json?.gateway_id === 'rep1').at(-1)!;
    assert.deepEqual([last.json.state, last.json.reason], ['offline', 'shutdown']);
  } finally {
    await status.close();
    link.close();
    await cloud.dispose();
  }
});
