// TLS where it matters: cameras over HTTPS and WSS, LAN subscribers over MQTT/TLS, and the
// uplink over mqtts:// to a real Mosquitto with the CA pinned — and refusing a broker
// whose certificate another CA signed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import mqtt from 'mqtt';
import { io } from 'socket.io-client';
import { contractDetection, getJson } from '../helpers/payloads.js';
import { waitUntil } from '../helpers/wait-and-seed.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { freePort } from '../helpers/free-port.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttCollector } from '../helpers/mqtt-collector.js';
import { makeCerts } from '../helpers/test-certs.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function httpsPost(port: number, ca: Buffer, body: unknown): Promise<{ status: number; body: any }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/detection', method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', fail);
    req.end(JSON.stringify(body));
  });
}

test('HTTPS, WSS and MQTT/TLS listeners; uplink over mqtts:// with a pinned CA', async () => {
  const tmp = makeTempDir();
  const certs = makeCerts(tmp.dir, 'edge');
  const cloudCerts = makeCerts(tmp.dir, 'cloud');
  const cloud = new Mosquitto();
  const cloudTlsPort = await freePort();
  await cloud.start(`listener ${cloudTlsPort} 127.0.0.1\ncertfile ${cloudCerts.cert}\nkeyfile ${cloudCerts.key}`);
  const upstream = new MqttCollector(cloud.url, ['lpr/#'], 'tls-cloud');
  await upstream.connect();
  const [httpsPort, mqttsPort] = [await freePort(), await freePort()];
  const gw = await startTestGateway({
    http: { tls: { port: httpsPort, cert: certs.cert, key: certs.key } },
    mqtt: { enabled: true, host: '127.0.0.1', port: 0, tls: { port: mqttsPort, cert: certs.cert, key: certs.key } },
    uplink: { url: `mqtts://127.0.0.1:${cloudTlsPort}`, ca: cloudCerts.ca },
  });
  const ca = readFileSync(certs.ca);
  try {
    const sub = mqtt.connect(`mqtts://127.0.0.1:${mqttsPort}`, { ca, reconnectPeriod: 0 });
    await new Promise((ok, fail) => { sub.once('connect', ok); sub.once('error', fail); });
    const seen: string[] = [];
    sub.on('message', (_t, p) => seen.push(p.toString()));
    await sub.subscribeAsync('lpr/+/+/detection', { qos: 1 });

    const rest = await httpsPost(httpsPort, ca, contractDetection({ camera_id: 'tls-1' }));
    assert.equal(rest.status, 200);
    const wss = io(`https://127.0.0.1:${httpsPort}`, { transports: ['websocket'], ca: ca.toString(), reconnection: false });
    await new Promise<void>((ok, fail) => { wss.once('connect', () => ok()); wss.once('connect_error', fail); });
    const reply = await new Promise<any>((ok) => wss.emit('lpr_data', contractDetection({ camera_id: 'tls-2' }), ok));
    wss.close();
    assert.equal(reply.success, true);

    for (let i = 0; i < 100 && seen.length < 2; i++) await sleep(50);
    assert.ok(seen.some((p) => p.includes(rest.body.detection_id)), 'MQTT/TLS subscriber got the HTTPS detection');
    assert.ok(seen.some((p) => p.includes(reply.detection_id)), 'and the WSS one');
    await sub.endAsync();
    await upstream.waitFor((m) => [rest.body.detection_id, reply.detection_id].every((id) => m.some((x) => x.json?.detection_id === id)), 15_000, 'both detections upstream over mqtts');
  } finally {
    await gw.stop();
  }

  // A broker whose certificate the pinned CA did not sign: never connected, error reported.
  const wrong = await startTestGateway({ uplink: { url: `mqtts://127.0.0.1:${cloudTlsPort}`, ca: certs.ca }, mqtt: { enabled: false } });
  try {
    const up = await waitUntil(async () => {
      const u = (await getJson(`${wrong.url}/api/statistics`)).body.data.uplink;
      return u.last_error ? u : undefined;
    }, 15_000, 'the certificate error on /api/statistics');
    assert.notEqual(up.state, 'online');
    assert.match(String(up.last_error), /certificate|self.signed|verify/i);
  } finally {
    await wrong.stop();
    await upstream.close();
    await cloud.dispose();
    tmp.remove();
  }
});
