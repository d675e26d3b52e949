// The embedded broker as LAN clients see it: mosquitto_sub receives detections and retained
// status; spoofed publishes into lpr/# are refused; persistent sessions survive a restart;
// cameras go offline after a silence and back online with their next record.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import mqtt from 'mqtt';
import { contractDetection, fakeJpeg, postJson } from '../helpers/payloads.js';
import { waitUntil } from '../helpers/wait-and-seed.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { MqttCollector } from '../helpers/mqtt-collector.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const MQTT_ON = { mqtt: { enabled: true, host: '127.0.0.1', port: 0 } };

describe('embedded broker', () => {
  test('mosquitto_sub sees detections, images and retained camera status', async () => {
    const gw = await startTestGateway(MQTT_ON);
    const port = gw.gateway.mqttAddress()!.port;
    const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'lpr/#', '-v', '-W', '15']);
    let out = '';
    sub.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    try {
      // Subscribed once the retained gateway status arrives (a state, not a delay).
      for (let i = 0; i < 200 && !out.includes('lpr/gateway/'); i++) await sleep(25);
      const jpeg = fakeJpeg(2000);
      const r = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'm1', ocr_results: ['กข1234'], annotated_image: jpeg.toString('base64') }));
      const id = r.body.detection_id;
      // JSON, images and status travel concurrently (different topics): wait for all three.
      // A topic counts at the start of a line: the detection JSON also names the image topic.
      const all = () => ['lpr/1/m1/status', `lpr/1/m1/image/${id}/annotated_image`, 'lpr/1/m1/detection'].every((t) => out.split('\n').some((l) => l.startsWith(`${t} `)));
      for (let i = 0; i < 200 && !all(); i++) await sleep(50);
      // Each record's payload is its stored line: hash, seq and prev_hash first.
      assert.match(out, new RegExp(`lpr/1/m1/detection \\{"hash":"[0-9a-f]{64}","seq":1,"prev_hash":"0{64}","detection_id":"${id}"`));
      assert.match(out, new RegExp(`lpr/1/m1/image/${id}/annotated_image `));
      assert.match(out, /lpr\/1\/m1\/status \{"hash":"[0-9a-f]{64}","seq":2,.*"state":"online"/);
      assert.match(out, /lpr\/gateway\/[^/]+\/status /);
    } finally {
      sub.kill();
      await gw.stop();
    }
  });

  test('a LAN client publishing lpr/1/1/detection or $SYS is refused; subscribers never see it', async () => {
    const gw = await startTestGateway(MQTT_ON);
    const url = `mqtt://127.0.0.1:${gw.gateway.mqttAddress()!.port}`;
    const watcher = new MqttCollector(url, ['lpr/#']);
    await watcher.connect();
    try {
      for (const topic of ['lpr/1/1/detection', '$SYS/fake']) {
        const spoofer = mqtt.connect(url, { reconnectPeriod: 0 });
        await new Promise((ok) => spoofer.once('connect', ok));
        const outcome = await Promise.race([
          spoofer.publishAsync(topic, '{"detection_id":"fake"}', { qos: 1 }).then(() => 'acked', () => 'refused'),
          new Promise((ok) => spoofer.once('close', () => ok('refused'))),
        ]);
        assert.equal(outcome, 'refused', topic);
        spoofer.end(true);
      }
      // A real detection sent after the spoof attempts: once the watcher has it, anything
      // the spoofers got through would have arrived too.
      const marker = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'marker' }));
      await watcher.waitFor((m) => m.some((x) => x.json?.detection_id === marker.body.detection_id), 10_000, 'the marker detection');
      assert.ok(!watcher.messages.some((m) => m.payload.toString().includes('fake')));
      // Anonymous clients are read-only everywhere.
      const other = mqtt.connect(url, { reconnectPeriod: 0 });
      await new Promise((ok) => other.once('connect', ok));
      const res = await Promise.race([
        other.publishAsync('chat/x', 'hi', { qos: 1 }).then(() => 'acked', () => 'refused'),
        new Promise((ok) => other.once('close', () => ok('refused'))),
      ]);
      assert.equal(res, 'refused');
      other.end(true);
    } finally {
      await watcher.close();
      await gw.stop();
    }
  });

  test('persistent session (clean=false, QoS 1) gets what was published while it was away, images too, across a gateway restart', async () => {
    const tmp = makeTempDir();
    try {
      let gw = await startTestGateway(MQTT_ON, tmp.dir);
      let url = `mqtt://127.0.0.1:${gw.gateway.mqttAddress()!.port}`;
      // Only this absent session wants images: they are read and queued for it all the same.
      const first = new MqttCollector(url, ['lpr/+/+/detection', 'lpr/+/+/image/#'], 'durable-sub');
      await first.connect();
      await first.close();
      const jpeg = fakeJpeg(5000);
      const r = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'p1', original_image: jpeg.toString('base64') }));
      // Published to the broker (queued for the absent session) before the restart.
      const stored = gw.gateway.log.lastSeq();
      await waitUntil(() => gw.gateway.deliveredSeq() >= stored, 10_000, 'the local consumer to publish the detection');
      await gw.stop();
      gw = await startTestGateway(MQTT_ON, tmp.dir);
      url = `mqtt://127.0.0.1:${gw.gateway.mqttAddress()!.port}`;
      const again = new MqttCollector(url, [], 'durable-sub');
      await again.connect();
      await again.waitFor((m) => m.some((x) => x.json?.detection_id === r.body.detection_id), 10_000, 'the queued detection');
      const imageTopic = `lpr/1/p1/image/${r.body.detection_id}/original_image`;
      await again.waitFor((m) => m.some((x) => x.topic === imageTopic), 10_000, 'the queued image');
      assert.ok(again.messages.find((x) => x.topic === imageTopic)!.payload.equals(jpeg), 'the image as sent');
      await again.close();
      await gw.stop();
    } finally {
      tmp.remove();
    }
  });

  test('a silent camera goes offline (retained) and comes back online with its next record', async () => {
    const gw = await startTestGateway({ ...MQTT_ON, camera: { offlineAfter: '1s', presenceSchedule: '* * * * * *' } });
    const url = `mqtt://127.0.0.1:${gw.gateway.mqttAddress()!.port}`;
    const watcher = new MqttCollector(url, ['lpr/+/+/status']);
    await watcher.connect();
    try {
      await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'q1' }));
      const states = () => watcher.messages.filter((m) => m.topic === 'lpr/1/q1/status').map((m) => m.json.state);
      await watcher.waitFor(() => states().join() === 'online,offline', 10_000, 'offline');
      await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'q1' }));
      await watcher.waitFor(() => states().join() === 'online,offline,online', 10_000, 'online again');
      const late = new MqttCollector(url, ['lpr/1/q1/status']);
      await late.connect();
      await late.waitFor((m) => m.some((x) => x.retain && x.json.state === 'online'), 5000, 'retained status');
      await late.close();
    } finally {
      await watcher.close();
      await gw.stop();
    }
  });
});
