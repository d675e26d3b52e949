// Hostile and broken clients on loopback: malformed HTTP bodies, malformed Engine.IO /
// Socket.IO packets, garbage and oversize MQTT packets. Each is refused; the gateway stays
// up, stores nothing, and well-behaved clients keep working.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { connectCamera } from '../helpers/socket-clients.js';
import { contractDetection, postJson } from '../helpers/payloads.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

test('hostile input over REST, Socket.IO and MQTT never crashes the gateway or stores anything', async () => {
  const gw = await startTestGateway({ mqtt: { enabled: true, host: '127.0.0.1', port: 0 } });
  const mqttPort = gw.gateway.mqttAddress()!.port;
  try {
    // REST: deep nesting, prototype keys, wrong shapes.
    const nested = await postJson(`${gw.url}/api/detection`, `{"type":"detection_result","camera_id":"1","timestamp":"2025-01-01T00:00:00Z","vehicles_count":1,"plates_count":1,"ocr_results":${deep(10_000)}}`);
    assert.equal(nested.status, 400);
    const proto = await postJson(`${gw.url}/api/detection`, '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"type":"detection_result"}');
    assert.equal(proto.status, 400);
    assert.equal(({} as Record<string, unknown>).admin, undefined);

    // Engine.IO / Socket.IO: raw WebSocket frames that no real client would send.
    const port = new URL(gw.url).port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    await new Promise((ok, fail) => { ws.once('open', ok); ws.once('error', fail); });
    ws.send('40');
    for (const frame of ['garbage', '42[', '4{}', '42["lpr_data",' + deep(20_000) + ']', '42["lpr_data",{"__proto__":1}]', '451-["lpr_data",{"_placeholder":true,"num":99}]', Buffer.alloc(1000, 0xff)]) {
      ws.send(frame);
    }
    ws.terminate();

    // MQTT: random bytes, then a packet header announcing 256 MB.
    for (const bytes of [Buffer.from('GET / HTTP/1.1\r\n\r\n'), Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f, 0x00])]) {
      const s = connect(mqttPort, '127.0.0.1');
      await new Promise((ok) => s.once('connect', ok));
      s.write(bytes);
      await new Promise((ok) => { s.once('close', ok); setTimeout(() => { s.destroy(); ok(undefined); }, 2000); });
    }

    // Still serving everyone else; and once this marker, sent after all the garbage, is
    // stored, the garbage would have been too: only the marker is there.
    const cam = await connectCamera(gw.url, 'v4-websocket');
    const reply = await new Promise<any>((ok) => cam.emit('lpr_data', contractDetection(), ok));
    cam.close();
    assert.equal(reply.success, true);
    assert.equal(gw.gateway.log.stats().detections, 1, 'nothing but the marker stored');
    assert.equal((await postJson(`${gw.url}/api/detection`, contractDetection())).status, 200);
    const sub = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, { reconnectPeriod: 0 });
    await new Promise((ok, fail) => { sub.once('connect', ok); sub.once('error', fail); });
    await sub.endAsync();
  } finally {
    await gw.stop();
  }
});
