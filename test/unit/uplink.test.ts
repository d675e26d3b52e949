// The uplink (outbound/uplink.ts) as a whole, against a real MQTT broker in this process
// (aedes on a loopback port) and a real log and image store: the backlog drains in seq
// order with each record's images after its JSON, cursors move on PUBACK, a torn
// connection resends from the cursor, what is too large is parked and the lane goes on,
// replay delivers a parked record through the same checks, retained messages come back on
// every connect, and a stop says goodbye. Waits are on what the broker received.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { after, test } from 'node:test';
import { Aedes, type Client } from 'aedes';
import pino from 'pino';
import { Uplink, type UplinkOptions } from '../../src/outbound/uplink.js';
import { sampleRecord } from '../conformance/record-log-suite.js';
import { outboundFixture } from '../helpers/outbound-fixture.js';
import { waitUntil } from '../helpers/wait-and-seed.js';

interface Seen {
  topic: string;
  payload: Buffer;
  retain: boolean;
}

/** aedes on a free loopback port; `seen` is every publish a client made, in order. */
async function startBroker(onPublish?: (p: Seen, client: Client) => void) {
  const aedes = await Aedes.createBroker();
  const seen: Seen[] = [];
  aedes.on('publish', (packet, client) => {
    if (!client) return; // aedes' own $SYS messages
    const p = { topic: packet.topic, payload: Buffer.from(packet.payload), retain: packet.retain };
    seen.push(p);
    onPublish?.(p, client);
  });
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    aedes, seen,
    url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise<void>((ok) => aedes.close(() => ok()));
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

const silent = pino({ level: 'silent' });

async function setup(url: string, over: Partial<UplinkOptions> = {}) {
  const { log, blobs, parked, close } = await outboundFixture();
  const opts: UplinkOptions = {
    url, username: '', password: '', protocolVersion: 4, ca: '', cert: '', key: '', connectTimeoutMs: 2000,
    topicPrefix: 'up/', clientId: `uplink-test-${Math.random().toString(36).slice(2)}`, window: 50, maxMessageBytes: 0,
    oversizeImages: 'reference', images: true, maxRatePerSecond: 0, liveLagThreshold: 100, ackTimeoutMs: 10_000, ...over,
  };
  const uplink = new Uplink(opts, { log, parked, blobs, logger: silent, gatewayId: 'gw', gatewayStatus: () => ({ state: 'online', gateway_id: 'gw' }) });
  const cleanup = async () => {
    await uplink.stop();
    await close();
  };
  return { log, blobs, parked, uplink, opts, cleanup };
}

/** Appends a detection, with one image file when `image` is given. */
async function detection(s: Awaited<ReturnType<typeof setup>>, image?: Buffer) {
  if (!image) return s.log.append(sampleRecord());
  const sha256 = createHash('sha256').update(image).digest('hex');
  await s.blobs.putAll([{ sha256, data: image }]);
  return s.log.append(sampleRecord({ images: [{ name: 'original_image', field: 'original_image', content_type: 'image/jpeg', bytes: image.length, sha256 }] }));
}

const detectionSeqs = (seen: Seen[]) => seen.filter((p) => p.topic.endsWith('/detection')).map((p) => JSON.parse(p.payload.toString()).seq as number);

test('a backlog drains in seq order, images after their JSON; cursors move on PUBACK; new appends go at once', async () => {
  const broker = await startBroker();
  const s = await setup(broker.url);
  after(async () => {
    await s.cleanup();
    await broker.close();
  });
  for (let i = 0; i < 30; i++) await detection(s, i % 10 === 0 ? Buffer.from(`jpeg-${i}`) : undefined);
  await s.uplink.start();
  await waitUntil(() => s.uplink.meta.position() === 30 && s.uplink.images.position() === 30, 10_000, 'the backlog and its images', 5);
  assert.deepEqual(detectionSeqs(broker.seen), Array.from({ length: 30 }, (_, i) => i + 1), 'each record once, in seq order');
  const records = await s.log.readAfter(0, 30);
  for (const r of records.filter((x) => x.images.length > 0)) {
    const json = broker.seen.findIndex((p) => p.topic === `up/lpr/cp/c1/detection` && JSON.parse(p.payload.toString()).seq === r.seq);
    const image = broker.seen.findIndex((p) => p.topic === `up/lpr/cp/c1/image/${r.id}/original_image`);
    assert.ok(json >= 0 && image > json, `seq ${r.seq}: its image follows its JSON`);
    assert.deepEqual(broker.seen[image]!.payload, Buffer.from(`jpeg-${r.seq - 1}`));
  }
  const json = broker.seen.find((p) => p.topic.endsWith('/detection'))!;
  assert.deepEqual(json.payload, records[0]!.line, 'the payload is the stored line, byte for byte');
  const status = broker.seen.find((p) => p.topic === 'up/lpr/gateway/gw/status')!;
  assert.equal(status.retain, true);
  assert.equal(JSON.parse(status.payload.toString()).state, 'online');
  assert.equal(s.uplink.state, 'online');

  await detection(s);
  await waitUntil(() => s.uplink.meta.position() === 31, 10_000, 'a record appended while online', 5);
  assert.equal(detectionSeqs(broker.seen).at(-1), 31);
  await s.uplink.stop();
  assert.equal(await s.log.getCursor('uplink'), 31, 'the cursor is saved at the latest at stop');
  assert.equal(s.uplink.state, 'stopped');
  const goodbye = broker.seen.filter((p) => p.topic === 'up/lpr/gateway/gw/status').at(-1)!;
  assert.deepEqual([goodbye.retain, JSON.parse(goodbye.payload.toString()).state, JSON.parse(goodbye.payload.toString()).reason], [true, 'offline', 'shutdown']);
});

test('a connection torn mid-drain: reconnects and resends from the cursor; nothing is missing and retained messages come again', async () => {
  let torn = false;
  const broker = await startBroker((p, client) => {
    // Once, at the 40th detection: the broker drops the gateway (as a network cut would).
    if (!torn && p.topic.endsWith('/detection') && JSON.parse(p.payload.toString()).seq === 40) {
      torn = true;
      client.conn.destroy();
    }
  });
  const s = await setup(broker.url, { window: 8, images: false });
  after(async () => {
    await s.cleanup();
    await broker.close();
  });
  for (let i = 0; i < 100; i++) await detection(s);
  await s.uplink.start();
  await s.uplink.publishRetained('lpr/gateway/gw/checkpoint', '{"seq":100}');
  await waitUntil(() => s.uplink.meta.position() === 100, 10_000, 'every record after the tear', 5);
  assert.ok(torn);
  const seqs = detectionSeqs(broker.seen);
  assert.deepEqual([...new Set(seqs)].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i + 1), 'every record arrived');
  // What the broker had taken but not yet acknowledged comes again (at most the window);
  // what was still on the wire when the connection went was never seen twice.
  const resent = seqs.length - 100;
  assert.ok(resent >= 0 && resent <= 8, `at most the window goes twice (${resent}; the window is 8)`);
  assert.ok(broker.seen.filter((p) => p.topic === 'up/lpr/gateway/gw/status').length >= 2, 'a second connection said it is online');
  await waitUntil(() => broker.seen.filter((p) => p.topic === 'up/lpr/gateway/gw/checkpoint').length >= 2, 10_000, 'the checkpoint again, on the new connection', 5);
});

test('a record over the size limit is parked and the lane goes on; replay delivers it once the limit allows, and unparks it', async () => {
  const broker = await startBroker();
  const s = await setup(broker.url, { maxMessageBytes: 2000, images: false });
  after(async () => {
    await s.cleanup();
    await broker.close();
  });
  await detection(s);
  await s.log.append(sampleRecord({ data: { note: 'x'.repeat(3000) } }));
  await detection(s);
  await s.uplink.start();
  await waitUntil(() => s.uplink.meta.position() === 3, 10_000, 'the lane past the large record', 5);
  assert.deepEqual(detectionSeqs(broker.seen), [1, 3]);
  assert.deepEqual(s.parked.list().map((p) => [p.consumer, p.seq, p.reason]), [['uplink', 2, 'too_large']]);

  await assert.rejects(s.uplink.replay(2), /still larger than the broker's limit/, 'replay keeps the size check');
  assert.equal(s.parked.count(), 1, 'still parked');
  s.opts.maxMessageBytes = 0; // the operator raised the limit
  await s.uplink.replay(2);
  assert.deepEqual(detectionSeqs(broker.seen), [1, 3, 2]);
  assert.equal(s.parked.count(), 0);
  await assert.doesNotReject(s.uplink.replay(2), 'replaying what is not parked sends nothing');
  assert.equal(detectionSeqs(broker.seen).length, 3);
});

test('with no broker: offline with the reason, retrying; records wait in the log', async () => {
  const broker = await startBroker();
  const url = broker.url;
  await broker.close(); // nothing listens there now
  const s = await setup(url);
  after(() => s.cleanup());
  await detection(s);
  await s.uplink.start();
  await waitUntil(() => s.uplink.lastError !== null && s.uplink.state === 'offline', 10_000, 'a failed connect', 5);
  assert.match(s.uplink.lastError!, /ECONNREFUSED/);
  assert.ok(s.uplink.offlineSince);
  assert.equal(s.uplink.meta.position(), 0);
  await assert.rejects(s.uplink.replay(1), /not connected/);
});
