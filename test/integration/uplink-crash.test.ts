// kill -9 of the gateway process in the middle of draining a backlog to a real Mosquitto:
// after restart nothing is lost, and what was already PUBACKed is not sent again (repeats
// are bounded by the in-flight window).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { contractDetection, postJson } from '../helpers/payloads.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttCollector } from '../helpers/mqtt-collector.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const WINDOW = 50;
const RECORDS = 3000;

test('kill -9 mid-drain: every record arrives, re-sent ≤ window', async (t) => {
  const tmp = makeTempDir();
  const cloud = new Mosquitto();
  await cloud.start();
  const configFile = join(tmp.dir, 'gateway.yaml');
  // One test client sends thousands of records at once: no per-client rate limit here.
  writeFileSync(configFile, `http:\n  rateLimit: 0\nuplink:\n  url: ${cloud.url}\n  window: ${WINDOW}\n  connectTimeout: 2s\n  ackTimeout: 5s\n`);
  const env = { LPRGW_DATA_DIR: join(tmp.dir, 'data'), LPRGW_CONFIG: configFile, LPRGW_GATEWAY_ID: 'crashgw' };
  const upstream = new MqttCollector(cloud.url, ['lpr/+/+/detection'], 'cloud-crash');
  // The cloud consumer's persistent session exists before anything is published (Mosquitto
  // saves it at stop), so nothing the gateway delivers can be published before it subscribes.
  await upstream.connect();
  await upstream.close();
  await cloud.stop(); // a known port, broker down: the backlog builds up
  let gw = await spawnGateway(env);
  try {
    const ids: string[] = [];
    for (let batch = 0; batch < RECORDS / 50; batch++) {
      const replies = await Promise.all(Array.from({ length: 50 }, () => postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'k1' }))));
      for (const r of replies) {
        assert.equal(r.status, 200, JSON.stringify(r.body));
        ids.push(r.body.detection_id);
      }
    }
    await cloud.start();
    await upstream.connect();
    await upstream.waitFor((m) => m.length >= RECORDS / 4, 60_000, 'part of the backlog');
    gw.child.kill('SIGKILL');
    await gw.exited;
    const beforeKill = new Set(upstream.messages.map((m) => m.json.detection_id as string));
    gw = await spawnGateway(env);
    await upstream.waitFor((m) => new Set(m.map((x) => x.json.detection_id)).size >= RECORDS, 120_000, 'the whole backlog')
      .catch(async (err: Error) => {
        const stats = (await fetch(`${gw.url}/api/statistics`).then((r) => r.json()).catch(() => null)) as { data?: { backlog?: unknown } } | null;
        throw new Error(`${err.message}\n${JSON.stringify(stats?.data?.backlog)}\n${gw.logs.slice(-30).join('\n')}`);
      });
    const counts = new Map<string, number>();
    for (const m of upstream.messages) counts.set(m.json.detection_id, (counts.get(m.json.detection_id) ?? 0) + 1);
    for (const id of ids) assert.ok(counts.has(id), `lost ${id}`);
    const resent = [...counts.entries()].filter(([id, n]) => n > 1 && beforeKill.has(id)).length;
    t.diagnostic(`${beforeKill.size} delivered before the kill, ${resent} of them re-sent after restart`);
    assert.ok(resent <= WINDOW, `${resent} already-delivered records re-sent (window ${WINDOW})`);
    const seqs = [...new Map(upstream.messages.map((m) => [m.json.detection_id, m.json.seq as number])).values()];
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'first deliveries in seq order');
  } finally {
    gw.child.kill('SIGKILL');
    await gw.exited;
    await upstream.close();
    await cloud.dispose();
    tmp.remove();
  }
});
