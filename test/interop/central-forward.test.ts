// Forward to an existing central LPR server (forward.url), checked against one written by
// someone else: Flask-SocketIO 5.3 on eventlet (central_server.py), whose handlers store
// each message, answer with the named reply event and return nothing. Three kinds of
// camera in front of the gateway; the server stopped and restarted; the gateway killed
// mid-forward; Socket.IO refused at the server; a record the server refuses.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CentralServer, type Received } from '../helpers/central-server.js';
import { spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { contractDetection, deployedDetection, deployedHealth, fakeJpeg, getJson, postJson } from '../helpers/payloads.js';
import { cli } from '../helpers/run-cli.js';
import { connectCamera } from '../helpers/socket-clients.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { seededRandom, waitUntil } from '../helpers/wait-and-seed.js';

const WINDOW = 8;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Record messages the server got (registrations aside), by the gateway's id, first arrival each. */
function records(server: CentralServer): Received[] {
  return server.received().filter((m) => m.event !== 'camera_register');
}
const idOf = (m: Received): string => m.body.detection_id ?? m.body.health_id;

async function stop(gw: GatewayProcess): Promise<void> {
  gw.child.kill('SIGTERM');
  assert.equal(await gw.exited, 0);
}

function forwardEnv(tmp: string, server: CentralServer, extra = ''): Record<string, string> {
  const config = join(tmp, 'gw.yaml');
  writeFileSync(config, `http:\n  rateLimit: 0\nforward:\n  url: ${server.url}\n  window: ${WINDOW}\n  socketioRetry: 2s\n${extra}`);
  return { LPRGW_DATA_DIR: join(tmp, 'data'), LPRGW_CONFIG: config };
}

/** Per camera, the order the server first saw each record in equals the order of the acks. */
function assertPerCameraOrder(received: Received[], acked: Map<string, string[]>): void {
  for (const [camera, ids] of acked) {
    const seen: string[] = [];
    for (const m of received) if (m.body.camera_id === camera && !seen.includes(idOf(m))) seen.push(idOf(m));
    assert.deepEqual(seen.filter((id) => ids.includes(id)), ids, `camera ${camera}: records out of order or missing`);
  }
}

test('three cameras (REST contract with images, deployed REST, Socket.IO): every record arrives once, per-camera order, images byte for byte', async () => {
  const tmp = makeTempDir();
  const server = new CentralServer();
  await server.start();
  const gw = await spawnGateway(forwardEnv(tmp.dir, server));
  try {
    const acked = new Map<string, string[]>([['1', []], ['7', []], ['sio', []]]);
    const images = new Map<string, { annotated: Buffer; crops: Buffer[] }>();
    const sio = await connectCamera(gw.url, 'v4-websocket');
    try {
      for (let i = 0; i < 5; i++) {
        const annotated = fakeJpeg(30_000);
        const crops = [fakeJpeg(2000), fakeJpeg(2500)];
        const a = await postJson(`${gw.url}/api/detection`, contractDetection({
          camera_id: '1', annotated_image: annotated.toString('base64'), cropped_plates: crops.map((c) => c.toString('base64')), ocr_results: ['กข1234'],
        }));
        assert.equal(a.status, 200);
        acked.get('1')!.push(a.body.detection_id);
        images.set(a.body.detection_id, { annotated, crops });
        const b = await postJson(`${gw.url}/api/statistics`, deployedDetection({ serial: i }));
        assert.equal(b.status, 200);
        acked.get('7')!.push(b.body.detection_id);
        const c = await new Promise<any>((ok) => sio.emit('lpr_data', contractDetection({ camera_id: 'sio', n: i }), ok));
        assert.equal(c.success, true);
        acked.get('sio')!.push(c.detection_id);
      }
      const h = await postJson(`${gw.url}/api/statistics`, deployedHealth());
      acked.get('7')!.push(h.body.health_id);
    } finally {
      sio.close();
    }
    const all = [...acked.values()].flat();
    await waitUntil(() => all.every((id) => records(server).some((m) => idOf(m) === id)), 20_000, 'every record at the central server');
    const got = records(server);
    assert.equal(got.length, all.length, 'each record once');
    assertPerCameraOrder(got, acked);

    for (const [id, sent] of images) {
      const m = got.find((x) => x.body.detection_id === id)!;
      assert.equal(m.event, 'lpr_data');
      assert.equal(m.body.annotated_image.sha256, sha(sent.annotated), 'annotated image byte for byte');
      assert.deepEqual(m.body.cropped_plates.map((c: { sha256: string }) => c.sha256), sent.crops.map(sha), 'plate crops byte for byte');
      assert.deepEqual(m.body.ocr_results, ['กข1234']);
    }
    // The deployed camera arrives as the contract has it.
    const deployed = got.find((m) => m.body.camera_id === '7' && m.event === 'lpr_data')!;
    assert.equal(deployed.body.aicamera_id, undefined);
    assert.equal(deployed.body.type, 'detection_result');
    assert.equal(deployed.body.checkpoint_id, 'default', "the gateway's checkpoint for a camera that sends none");
    assert.ok(Array.isArray(deployed.body.ocr_results) && Array.isArray(deployed.body.vehicle_detections) && Array.isArray(deployed.body.plate_detections), 'lists as JSON');
    assert.equal(deployed.body.firmware, 'v2.3.1', 'unknown fields pass through');
    assert.equal(deployed.body.timestamp.endsWith('.123456'), true, "the camera's own timestamp");
    const health = got.find((m) => m.event === 'health_status')!;
    assert.equal(health.body.type, 'health_check');
    assert.deepEqual(health.body.details, { cpu_percent: 91.5, cpu_temp: 78 });
    // Each camera registered on its connection before its first record.
    for (const camera of acked.keys()) {
      const msgs = server.received().filter((m) => m.body.camera_id === camera);
      assert.equal(msgs[0]!.event, 'camera_register', `camera ${camera} registers first`);
      assert.equal(msgs[0]!.transport, 'socketio');
    }
    assert.deepEqual((await server.connected()).sort(), ['1', '7', 'sio'], 'the server sees the three cameras connected');
    const status = (await getJson(`${gw.url}/api/statistics`)).body.data.forward;
    assert.equal(status.state, 'online');
    assert.equal(status.transport, 'socketio');
  } finally {
    await stop(gw);
    await server.dispose();
    tmp.remove();
  }
});

test('the server stopped for 20 s while a camera keeps sending: acks within 2 s throughout, everything arrives after the restart', async (t) => {
  const tmp = makeTempDir();
  const server = new CentralServer();
  await server.start();
  const gw = await spawnGateway(forwardEnv(tmp.dir, server));
  try {
    const ids: string[] = [];
    let slowest = 0;
    const send = async () => {
      const t0 = Date.now();
      const r = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'out' }));
      slowest = Math.max(slowest, Date.now() - t0);
      assert.equal(r.status, 200);
      ids.push(r.body.detection_id);
    };
    for (let i = 0; i < 5; i++) await send();
    await waitUntil(() => records(server).length === 5, 10_000, 'the first records before the outage');
    await server.stop();
    const outageEnds = Date.now() + 20_000;
    while (Date.now() < outageEnds) {
      await send();
      await sleep(250);
    }
    const status = (await getJson(`${gw.url}/api/statistics`)).body.data.forward;
    assert.equal(status.state, 'offline');
    assert.ok(status.offline_since && status.last_error, JSON.stringify(status));
    assert.ok(status.backlog.records > 0);
    const statusCli = await cli(['status', '--url', gw.url]);
    assert.match(statusCli.out, /^forward +offline .*records waiting.*last error/m);
    await server.start();
    const back = Date.now();
    await waitUntil(() => records(server).length > 5, 15_000, 'the first record after the restart');
    const firstDelay = Date.now() - back;
    await waitUntil(() => ids.every((id) => records(server).some((m) => idOf(m) === id)), 30_000, 'every record sent during the outage');
    t.diagnostic(`${ids.length} records, slowest ack ${slowest} ms, first record ${firstDelay} ms after the server was back`);
    assert.ok(slowest < 2000, `a camera waited ${slowest} ms for its ack`);
    assert.ok(firstDelay <= 5000, `the first record came ${firstDelay} ms after the server did`);
    const got = records(server);
    assertPerCameraOrder(got, new Map([['out', ids]]));
    assert.ok(got.length - ids.length <= WINDOW, `${got.length - ids.length} re-sends`);
  } finally {
    await stop(gw);
    await server.dispose();
    tmp.remove();
  }
});

test('kill -9 of the gateway mid-forward: every acknowledged record arrives, per-camera order kept, re-sends within the window', async (t) => {
  const { between } = seededRandom(t);
  const tmp = makeTempDir();
  const server = new CentralServer();
  await server.start();
  const env = forwardEnv(tmp.dir, server);
  let gw = await spawnGateway(env);
  try {
    const acked = new Map<string, string[]>([['k1', []], ['k2', []], ['k3', []]]);
    const cams = [...acked.keys()];
    for (let i = 0; i < 300; i++) {
      const camera = cams[i % 3]!;
      const r = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: camera }));
      acked.get(camera)!.push(r.body.detection_id);
    }
    const killAt = Math.round(between(20, 200));
    await waitUntil(() => records(server).length >= killAt, 30_000, `${killAt} records forwarded`);
    gw.child.kill('SIGKILL');
    await gw.exited;
    gw = await spawnGateway(env);
    const all = [...acked.values()].flat();
    await waitUntil(() => all.every((id) => records(server).some((m) => idOf(m) === id)), 60_000, 'every acknowledged record at the server');
    const got = records(server);
    assertPerCameraOrder(got, acked);
    const resent = got.length - all.length;
    t.diagnostic(`killed after ${killAt} forwarded; ${resent} re-sent`);
    assert.ok(resent <= WINDOW, `${resent} re-sends after kill -9, window ${WINDOW}`);
  } finally {
    await stop(gw);
    await server.dispose();
    tmp.remove();
  }
});

test('Socket.IO refused at the server: REST takes over, Socket.IO comes back when it can; a refused record is parked', async () => {
  const tmp = makeTempDir();
  const server = new CentralServer();
  await server.start();
  await server.control({ block_socketio: true });
  const gw = await spawnGateway({ ...forwardEnv(tmp.dir, server), LPRGW_ADMIN_TOKEN: 'fwd-token' });
  try {
    const first = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'sw' }));
    await waitUntil(() => records(server).some((m) => idOf(m) === first.body.detection_id), 15_000, 'the record over REST');
    assert.equal(records(server).find((m) => idOf(m) === first.body.detection_id)!.transport, 'rest');
    assert.equal((await getJson(`${gw.url}/api/statistics`)).body.data.forward.transport, 'rest');

    // A record the server refuses (422) is parked with its message; the next one flows.
    const refused = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'refuse-me' }));
    const after = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'sw' }));
    await waitUntil(() => records(server).some((m) => idOf(m) === after.body.detection_id), 15_000, 'the record after the refused one');
    const parked = await cli(['parked', 'list', '--json', '--url', gw.url, '--token', 'fwd-token']);
    const rows = JSON.parse(parked.out) as { consumer: string; id: string; detail: string }[];
    const row = rows.find((p) => p.id === refused.body.detection_id);
    assert.ok(row, `parked: ${parked.out} ${parked.err}`);
    assert.equal(row.consumer, 'forward');
    assert.match(row.detail, /422.*not known here/);

    await server.control({ block_socketio: false });
    const later: string[] = [];
    await waitUntil(async () => {
      later.push((await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'sw' }))).body.detection_id);
      await sleep(200);
      return records(server).some((m) => later.includes(idOf(m)) && m.transport === 'socketio');
    }, 20_000, 'Socket.IO again once the server lets it');
    assert.equal((await getJson(`${gw.url}/api/statistics`)).body.data.forward.transport, 'socketio');
  } finally {
    await stop(gw);
    await server.dispose();
    tmp.remove();
  }
});

test('presence: the server sees a camera connected while the gateway sees it online, and gone once it goes offline', async () => {
  const tmp = makeTempDir();
  const server = new CentralServer();
  await server.start();
  const gw = await spawnGateway(forwardEnv(tmp.dir, server, 'camera:\n  offlineAfter: 2s\n  presenceSchedule: "* * * * * *"\n'));
  try {
    assert.equal((await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'pres' }))).status, 200);
    await waitUntil(async () => (await server.connected()).includes('pres'), 15_000, 'the camera connected at the server');
    await waitUntil(async () => !(await server.connected()).includes('pres'), 15_000, 'the camera gone at the server once offline at the gateway');
    const cameras = (await getJson(`${gw.url}/api/statistics`)).body.data.cameras as { camera_id: string; state: string }[];
    assert.equal(cameras.find((c) => c.camera_id === 'pres')?.state, 'offline');
    // Back with its next record: connected and registered again.
    assert.equal((await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'pres' }))).status, 200);
    await waitUntil(async () => (await server.connected()).includes('pres'), 15_000, 'connected again');
    assert.equal(server.received().filter((m) => m.event === 'camera_register' && m.body.camera_id === 'pres').length, 2);
  } finally {
    await stop(gw);
    await server.dispose();
    tmp.remove();
  }
});
