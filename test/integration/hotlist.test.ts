// Hotlist alerts, plate search and the cloud's hotlist with real processes: the gateway
// (tsx on src/main.ts), the lpr-gateway CLI, mosquitto_sub on the gateway's LAN broker,
// and a real Mosquitto as the cloud.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import mqtt from 'mqtt';
import { spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { freePort } from '../helpers/free-port.js';
import { LinkRelay } from '../helpers/link-relay.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttCollector } from '../helpers/mqtt-collector.js';
import { deployedDetection, getJson, postJson } from '../helpers/payloads.js';
import { cli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait-and-seed.js';

const TOKEN = 'hotlist-admin-token';
const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

async function stop(gw: GatewayProcess): Promise<void> {
  gw.child.kill('SIGTERM');
  assert.equal(await gw.exited, 0, 'clean stop');
}

const put = (gw: GatewayProcess, plate: string, body: unknown, headers: Record<string, string> = admin) =>
  fetch(`${gw.url}/api/admin/hotlist/${encodeURIComponent(plate)}`, { method: 'PUT', headers, body: JSON.stringify(body) });

/** mosquitto_sub on the gateway's LAN broker, one JSON message per line. */
function lanSubscriber(port: number, topic: string) {
  const child = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-q', '1', '-W', '60']);
  const messages: any[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => messages.push({ ...JSON.parse(line), arrived: Date.now() }));
  const exited = new Promise((ok) => child.once('exit', ok));
  return { messages, close: async () => { child.kill(); await exited; } };
}

describe('hotlist on the gateway', () => {
  const tmp = makeTempDir();
  after(() => tmp.remove());

  test('admin API and CLI: token required, add, update, list, import (all or nothing), remove', async () => {
    const gw = await spawnGateway({ LPRGW_DATA_DIR: join(tmp.dir, 'admin'), LPRGW_ADMIN_TOKEN: TOKEN });
    try {
      assert.equal((await put(gw, 'กข 1234', { reason: 'x' }, { 'content-type': 'application/json' })).status, 401);
      assert.equal((await put(gw, 'กข 1234', { reason: 'x' }, { ...admin, authorization: 'Bearer wrong' })).status, 403);
      const created = await put(gw, 'กข 1234', { reason: 'stolen', level: 'critical' });
      assert.equal(created.status, 201);
      assert.equal(((await created.json()) as any).data.key, 'กข1234');
      assert.equal((await put(gw, 'กข-๑๒๓๔', { reason: 'stolen car', level: 'critical' })).status, 200, 'same plate written differently: updated');
      const bad = await put(gw, 'กข 1234', { reason: 'x', level: 'urgent' });
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as any).message, /level/);

      const env = { LPRGW_ADMIN_TOKEN: TOKEN };
      const url = ['--url', gw.url];
      const add = await cli(['hotlist', 'add', 'AB 999', '--reason', 'unpaid toll', '--fuzzy', '--level', 'info', ...url], { env });
      assert.equal(add.code, 0, add.err);
      const noToken = await cli(['hotlist', 'ls', ...url], { env: { LPRGW_ADMIN_TOKEN: '' } });
      assert.equal(noToken.code, 1);
      assert.match(noToken.err, /admin token required/);

      const csv = join(tmp.dir, 'list.csv');
      writeFileSync(csv, '\ufeffplate,reason,level,expires_at,fuzzy,note\n"ขค 55",wanted,warning,2030-01-01T00:00:00+07:00,no,"note, with comma"\nXY 1,lost,,,,\n');
      const imported = await cli(['hotlist', 'import', csv, ...url], { env });
      assert.equal(imported.code, 0, imported.err);
      assert.match(imported.out, /2 entries imported \(2 new, 0 updated\)/);
      writeFileSync(csv, 'plate,reason\nQQ 1,fine\nQQ 2,\n');
      const refused = await cli(['hotlist', 'import', csv, ...url], { env });
      assert.equal(refused.code, 1);
      assert.match(refused.err, /1 of 2 entries are invalid; nothing imported/);
      assert.match(refused.err, /row 3: reason/);

      const ls = await cli(['hotlist', 'ls', '--json', ...url], { env });
      assert.equal(ls.code, 0, ls.err);
      const rows = JSON.parse(ls.out) as { key: string; level: string; note: string | null; expires_at: string | null }[];
      assert.deepEqual(rows.map((r) => r.key).sort(), ['AB999', 'XY1', 'กข1234', 'ขค55']);
      assert.equal(rows.find((r) => r.key === 'ขค55')!.note, 'note, with comma');
      assert.equal(rows.find((r) => r.key === 'ขค55')!.expires_at, '2029-12-31T17:00:00.000Z');

      assert.equal((await cli(['hotlist', 'rm', 'xy-1', ...url], { env })).code, 0);
      const again = await cli(['hotlist', 'rm', 'XY1', ...url], { env });
      assert.equal(again.code, 1);
      assert.match(again.err, /no such hotlist entry/);
    } finally {
      await stop(gw);
    }
  });

  test('uplink down: the alert reaches a LAN mosquitto_sub; search finds the plate; a restart keeps entries, alerts and the index', async (t) => {
    const dataDir = join(tmp.dir, 'offline');
    const deadCloud = `mqtt://127.0.0.1:${await freePort()}`; // nothing listens there
    const env = { LPRGW_DATA_DIR: dataDir, LPRGW_ADMIN_TOKEN: TOKEN, LPRGW_UPLINK_URL: deadCloud, LPRGW_CHECKPOINT_ID: 'cp9' };
    let gw = await spawnGateway(env);
    try {
      assert.equal((await put(gw, 'กข 1234', { reason: 'stolen', level: 'critical', note: 'call 191' })).status, 201);
      const sub = lanSubscriber(gw.mqttPort!, 'lpr/+/+/alert');
      // mosquitto_sub is subscribed once it gets the retained gateway status on a second topic.
      const ready = lanSubscriber(gw.mqttPort!, 'lpr/gateway/+/status');
      await waitUntil(() => ready.messages.length > 0, 10_000, 'LAN subscriber connected');
      await ready.close();
      await waitUntil(async () => (await getJson(`${gw.url}/api/statistics`)).body.data.uplink?.state !== 'online', 5000, 'uplink not connected');
      await postJson(`${gw.url}/api/detection`, deployedDetection({ ocr_results: '["ZZ 9"]' })); // not on the list
      const sent = Date.now();
      const hit = await postJson(`${gw.url}/api/statistics`, deployedDetection()); // the deployed camera's OCR objects: 'กข 1234'
      assert.equal(hit.status, 200);
      await waitUntil(() => sub.messages.length > 0, 10_000, 'alert on the LAN broker');
      const alert = sub.messages[0]!;
      t.diagnostic(`alert on the LAN ${alert.arrived - sent} ms after the camera's message`);
      assert.equal(alert.detection_id, hit.body.detection_id);
      assert.equal(alert.plate, 'กข 1234');
      assert.equal(alert.level, 'critical');
      assert.equal(alert.reason, 'stolen');
      assert.equal(alert.entry.note, 'call 191');
      assert.equal(alert.camera_id, '7');
      assert.equal(alert.checkpoint_id, 'cp9');
      assert.ok(alert.alert_id && alert.hash, 'an alert is a record of the chained log');
      await sub.close();

      const board = (await getJson(`${gw.url}/api/alerts`)).body;
      assert.equal(board.open, 1);
      await waitUntil(async () => (await getJson(`${gw.url}/api/search?plate=${encodeURIComponent('กข๑๒๓๔')}`)).body.count === 1, 10_000, 'detection indexed');
      const fuzzy = (await getJson(`${gw.url}/api/search?plate=${encodeURIComponent('กข1235')}&fuzzy=1`)).body;
      assert.deepEqual(fuzzy.data.map((d: any) => [d.detection_id, d.match]), [[hit.body.detection_id, 'fuzzy']]);
      assert.equal((await getJson(`${gw.url}/api/search?plate=${encodeURIComponent('กข1235')}`)).body.count, 0);
      const badQuery = await getJson(`${gw.url}/api/search?plate=AB&from=yesterday`);
      assert.equal(badQuery.status, 400);
      assert.match(badQuery.body.message, /from/);

      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      assert.match(metrics, /^lprgw_hotlist_entries 1$/m);
      assert.match(metrics, /^lprgw_hotlist_alerts_raised 1$/m);
      assert.match(metrics, /^lprgw_camera_clock_offset_seconds\{camera="7"\} \d{6,}/m, "the deployed camera's 2025 clock, far behind");
      const clocks = (await getJson(`${gw.url}/api/statistics`)).body.data.camera_clocks;
      assert.deepEqual(clocks.map((c: any) => [c.camera_id, c.warning]), [['7', true]]);

      await stop(gw);
      gw = await spawnGateway(env);
      const ls = ((await (await fetch(`${gw.url}/api/admin/hotlist`, { headers: admin })).json()) as any).data;
      assert.deepEqual(ls.map((e: any) => e.key), ['กข1234']);
      assert.equal((await getJson(`${gw.url}/api/alerts`)).body.data[0].detection_id, hit.body.detection_id);
      assert.equal((await getJson(`${gw.url}/api/search?plate=${encodeURIComponent('กข1234')}`)).body.count, 1);
      const reindex = await cli(['reindex', '--url', gw.url], { env: { LPRGW_ADMIN_TOKEN: TOKEN } });
      assert.equal(reindex.code, 0, reindex.err);
      assert.match(reindex.out, /plate index rebuilt/);
      assert.equal((await getJson(`${gw.url}/api/search?plate=${encodeURIComponent('กข1234')}`)).body.count, 1, 'found again after the rebuild');
      const ack = await postJson(`${gw.url}/api/alerts/${board.data[0].alert_id}/ack`, { by: 'guard 1' });
      assert.equal(ack.status, 200);
      assert.equal((await getJson(`${gw.url}/api/alerts`)).body.open, 0);
    } finally {
      await stop(gw);
    }
  });
});

describe('hotlist from the cloud, alerts first upstream', () => {
  const cloud = new Mosquitto();
  const tmp = makeTempDir();
  before(() => cloud.start());
  after(async () => {
    await cloud.dispose();
    tmp.remove();
  });

  async function publishRetained(topic: string, payload: string): Promise<void> {
    const c = await mqtt.connectAsync(cloud.url, { clientId: `central-${Math.random().toString(36).slice(2)}` });
    await c.publishAsync(topic, payload, { qos: 1, retain: true });
    await c.endAsync();
  }

  const entries = async (gw: GatewayProcess) =>
    (((await (await fetch(`${gw.url}/api/admin/hotlist`, { headers: admin })).json()) as any).data as { key: string; source: string; level: string }[])
      .map((e) => `${e.source}:${e.key}:${e.level}`).sort();

  test('retained entries arrive, removals made while the gateway was off arrive too, and the list works offline after a restart', async () => {
    const env = { LPRGW_DATA_DIR: join(tmp.dir, 'cloud'), LPRGW_ADMIN_TOKEN: TOKEN, LPRGW_UPLINK_URL: cloud.url, LPRGW_UPLINK_TOPIC_PREFIX: 'site/', LPRGW_GATEWAY_ID: 'gw1' };
    await publishRetained('site/lpr/gateway/gw1/hotlist/กข1234', JSON.stringify({ reason: 'stolen', level: 'critical' }));
    await publishRetained('site/lpr/hotlist/AB999', JSON.stringify({ reason: 'fleet-wide', level: 'warning', fuzzy: true }));
    await publishRetained('site/lpr/hotlist/BAD1', '{"level":"nope"}');
    let gw = await spawnGateway(env);
    try {
      await waitUntil(async () => (await entries(gw)).length === 2, 15_000, 'cloud entries on the gateway');
      assert.deepEqual(await entries(gw), ['cloud:กข1234:critical', 'fleet:AB999:warning']);
      await stop(gw);

      // While the gateway is off, the centre removes one entry and adds another.
      await publishRetained('site/lpr/hotlist/AB999', '');
      await publishRetained('site/lpr/gateway/gw1/hotlist/XY77', JSON.stringify({ reason: 'new', level: 'info' }));
      gw = await spawnGateway(env);
      await waitUntil(async () => (await entries(gw)).join() === 'cloud:XY77:info,cloud:กข1234:critical', 15_000, 'the removal and the addition applied');
      await stop(gw);

      // Cloud down: the list still matches after a restart.
      await cloud.stop();
      gw = await spawnGateway(env);
      assert.deepEqual(await entries(gw), ['cloud:XY77:info', 'cloud:กข1234:critical']);
      const hit = await postJson(`${gw.url}/api/detection`, deployedDetection());
      await waitUntil(async () => (await getJson(`${gw.url}/api/alerts`)).body.data.some((a: any) => a.detection_id === hit.body.detection_id), 10_000, 'offline alert');
    } finally {
      await stop(gw);
      await cloud.start();
    }
  });

  test('after an outage the alert goes upstream before the backlog of detections', async () => {
    // The outage is a cut link (a TCP relay), so the cloud broker and its subscriber stay up.
    const link = new LinkRelay(cloud.port);
    await link.listen();
    const env = { LPRGW_DATA_DIR: join(tmp.dir, 'priority'), LPRGW_ADMIN_TOKEN: TOKEN, LPRGW_UPLINK_URL: link.url, LPRGW_GATEWAY_ID: 'gw2' };
    const upstream = new MqttCollector(cloud.url, ['lpr/+/+/detection', 'lpr/+/+/alert'], 'central-priority');
    await upstream.connect();
    // A gateway that cannot start (e.g. dist/ not built) must not leave the relay and the
    // subscriber holding the test process open.
    const gw = await spawnGateway(env).catch(async (err: unknown) => {
      await upstream.close();
      link.close();
      throw err;
    });
    const explain = async () => {
      const s = (await getJson(`${gw.url}/api/statistics`).catch(() => undefined))?.body?.data;
      return `upstream has ${upstream.messages.length}; gateway backlog ${JSON.stringify(s?.backlog)}, uplink ${JSON.stringify(s?.uplink)}; log:\n${gw.logs.slice(-12).join('\n')}`;
    };
    try {
      assert.equal((await put(gw, 'กข 1234', { reason: 'stolen', level: 'critical' })).status, 201);
      await waitUntil(async () => (await getJson(`${gw.url}/api/statistics`)).body.data.uplink?.state === 'online', 10_000, 'uplink online');
      link.cut();
      await waitUntil(async () => (await getJson(`${gw.url}/api/statistics`)).body.data.uplink?.state !== 'online', 10_000, 'uplink down');
      const backlog: string[] = [];
      for (let i = 0; i < 300; i++) backlog.push((await postJson(`${gw.url}/api/detection`, deployedDetection({ ocr_results: `["ZZ ${i}"]` }))).body.detection_id);
      const hit = (await postJson(`${gw.url}/api/detection`, deployedDetection())).body.detection_id as string;
      await waitUntil(async () => (await getJson(`${gw.url}/api/alerts`)).body.data.some((a: any) => a.detection_id === hit), 10_000, 'alert raised offline');
      link.restore();
      await upstream.waitFor((m) => m.some((x) => x.json?.detection_id === hit && x.topic.endsWith('/detection')) && m.some((x) => x.topic.endsWith('/alert')), 60_000, 'the backlog and the alert upstream')
        .catch(async (err: Error) => {
          throw new Error(`${err.message}; ${await explain()}`);
        });
      const order = upstream.messages.map((m) => (m.topic.endsWith('/alert') ? 'alert' : backlog.includes(m.json.detection_id) ? 'backlog' : 'other'));
      const firstAlert = order.indexOf('alert');
      assert.ok(firstAlert < order.indexOf('backlog'), `alert at ${firstAlert}, first backlog detection at ${order.indexOf('backlog')}; ${await explain()}`);
    } finally {
      await upstream.close();
      await stop(gw);
      link.close();
    }
  });
});
