// A cloud broker that accepts publishes but does not acknowledge some of them (a wedged
// connection, a lost PUBACK): the uplink must give up in time, reconnect, and deliver from
// its cursor.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import mqttPacket from 'mqtt-packet';
import { contractDetection, postJson } from '../helpers/payloads.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';

interface FakeBroker {
  port: number;
  connections(): number;
  close(): void;
}

/** An MQTT 3.1.1 broker of a few lines: `ack(publish, connection)` decides each PUBACK. */
async function fakeBroker(ack: (p: mqttPacket.IPublishPacket, connection: number) => boolean): Promise<FakeBroker> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    const connection = ++connections;
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const send = (packet: object) => socket.write(mqttPacket.generate(packet as mqttPacket.Packet));
    parser.on('packet', (p: mqttPacket.Packet) => {
      if (p.cmd === 'connect') send({ cmd: 'connack', returnCode: 0, sessionPresent: false });
      if (p.cmd === 'pingreq') send({ cmd: 'pingresp' });
      if (p.cmd === 'publish' && p.qos === 1 && ack(p, connection)) send({ cmd: 'puback', messageId: p.messageId });
    });
    socket.on('data', (d) => parser.parse(d));
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => connections,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

const detectionOf = (p: mqttPacket.IPublishPacket) =>
  (p.topic.endsWith('/detection') ? (JSON.parse(p.payload.toString()) as { detection_id: string; marker?: string }) : undefined);

test('a missing PUBACK ends the connection and the record is resent on the next one', async () => {
  const acked: string[] = [];
  // The first connection swallows every publish; later ones acknowledge.
  const broker = await fakeBroker((p, connection) => {
    if (connection === 1) return false;
    const d = detectionOf(p);
    if (d) acked.push(d.detection_id);
    return true;
  });
  const gw = await startTestGateway({ uplink: { url: `mqtt://127.0.0.1:${broker.port}`, ackTimeout: '1s', images: false }, mqtt: { enabled: false } });
  try {
    const r = await postJson(`${gw.url}/api/detection`, contractDetection());
    for (let i = 0; i < 200 && !acked.includes(r.body.detection_id); i++) await sleep(50);
    assert.ok(acked.includes(r.body.detection_id), `not delivered after ${broker.connections()} connections`);
    assert.ok(broker.connections() >= 2);
  } finally {
    await gw.stop();
    broker.close();
  }
});

test('one PUBACK lost on a fast link: noticed from the measured delivery rate, the record arrives within 10 s (ackTimeout 30 s)', async () => {
  let swallowed = 0;
  const arrived = new Map<string, number>();
  const broker = await fakeBroker((p) => {
    const d = detectionOf(p);
    // Exactly one PUBACK is lost: the marked record's, the first time it comes.
    if (d?.marker === 'lose-my-puback' && swallowed === 0) {
      swallowed += 1;
      return false;
    }
    if (d && !arrived.has(d.detection_id)) arrived.set(d.detection_id, Date.now());
    return true;
  });
  const gw = await startTestGateway({ uplink: { url: `mqtt://127.0.0.1:${broker.port}`, ackTimeout: '30s', images: false }, mqtt: { enabled: false } });
  try {
    // Traffic first, so the link's rate is measured.
    const warm: string[] = [];
    for (let i = 0; i < 200; i++) warm.push((await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'fast' }))).body.detection_id);
    for (let i = 0; i < 200 && !warm.every((id) => arrived.has(id)); i++) await sleep(25);
    assert.ok(warm.every((id) => arrived.has(id)), 'the warm-up arrived');
    const sentAt = Date.now();
    const res = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'fast', marker: 'lose-my-puback' }));
    const target = res.body.detection_id as string;
    for (let i = 0; i < 300 && !arrived.has(target); i++) await sleep(50);
    assert.equal(swallowed, 1, 'its first PUBACK was lost');
    assert.ok(arrived.has(target), `not delivered after ${Date.now() - sentAt} ms (${broker.connections()} connections)`);
    assert.ok(arrived.get(target)! - sentAt <= 10_000, `delivered ${arrived.get(target)! - sentAt} ms after it was sent`);
    assert.ok(broker.connections() >= 2, 'the connection was given up and made again');
  } finally {
    await gw.stop();
    broker.close();
  }
});
