// A cloud broker that accepts publishes but never acknowledges them (a wedged connection):
// the uplink must give up after uplink.ackTimeout, reconnect, and deliver from its cursor.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import mqttPacket from 'mqtt-packet';
import { contractDetection, postJson } from '../helpers/payloads.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';

test('a missing PUBACK ends the connection and the record is resent on the next one', async () => {
  let connections = 0;
  const acked: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    const connection = ++connections;
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const send = (packet: object) => socket.write(mqttPacket.generate(packet as mqttPacket.Packet));
    parser.on('packet', (p: mqttPacket.Packet) => {
      if (p.cmd === 'connect') send({ cmd: 'connack', returnCode: 0, sessionPresent: false });
      if (p.cmd === 'pingreq') send({ cmd: 'pingresp' });
      // The first connection swallows every publish; later ones acknowledge.
      if (p.cmd === 'publish' && p.qos === 1 && connection > 1) {
        if (p.topic.endsWith('/detection')) acked.push((JSON.parse(p.payload.toString()) as { detection_id: string }).detection_id);
        send({ cmd: 'puback', messageId: p.messageId });
      }
    });
    socket.on('data', (d) => parser.parse(d));
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  const gw = await startTestGateway({ uplink: { url: `mqtt://127.0.0.1:${port}`, ackTimeout: '1s', images: false }, mqtt: { enabled: false } });
  try {
    const r = await postJson(`${gw.url}/api/detection`, contractDetection());
    for (let i = 0; i < 200 && !acked.includes(r.body.detection_id); i++) await sleep(50);
    assert.ok(acked.includes(r.body.detection_id), `not delivered after ${connections} connections`);
    assert.ok(connections >= 2);
  } finally {
    await gw.stop();
    for (const s of sockets) s.destroy();
    server.close();
  }
});
