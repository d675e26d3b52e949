// The forward (outbound/forward/forwarder.ts) over REST, against a central server made of
// node:http on loopback that answers as the test tells it: each camera registers first and
// its records arrive in log order; a 5xx is retried until delivered; a 4xx parks the record
// with the server's message and the rest flows on; replay delivers it once the server takes
// it; with the server gone the forward says offline, and delivers when it is back. The
// cursor only ever covers what the server confirmed. Waits are on what the server received.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import pino from 'pino';
import { FORWARD_CONSUMER, Forwarder } from '../../src/outbound/forward/forwarder.js';
import { sampleRecord } from '../conformance/record-log-suite.js';
import { outboundFixture } from '../helpers/outbound-fixture.js';
import { waitUntil } from '../helpers/wait-and-seed.js';

interface Post {
  path: string;
  body: Record<string, unknown>;
}

/** A central server; `answer` decides the status and body of each POST. */
async function central(answer: (p: Post, posts: Post[]) => [number, unknown] = () => [200, { success: true }], port = 0) {
  const posts: Post[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const p = { path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> };
      const [status, body] = answer(p, posts);
      if (status < 300) posts.push(p);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  return {
    posts,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    }),
  };
}

async function setup(port: number) {
  const { log, blobs, parked, close } = await outboundFixture();
  const forwarder = new Forwarder(
    { url: `http://127.0.0.1:${port}`, transport: 'rest', headers: { authorization: 'Bearer t' }, window: 16, timeoutMs: 2000, connectTimeoutMs: 2000, socketioRetryMs: 30_000 },
    { log, parked, blobs, logger: pino({ level: 'silent' }) },
  );
  const cleanup = async () => {
    await forwarder.stop();
    await close();
  };
  return { log, parked, forwarder, cleanup };
}

const detections = (posts: Post[], camera: string) => posts.filter((p) => p.path === '/api/detection' && (p.body.camera_id ?? p.body.aicamera_id) === camera);

test('each camera registers, then its records arrive in log order; a 5xx is retried until the server takes it', async () => {
  let failing = 2;
  const server = await central((p) => {
    if (p.path === '/api/detection' && (p.body.n === 7) && failing > 0) {
      failing -= 1;
      return [503, { success: false, message: 'busy' }];
    }
    return [200, { success: true }];
  });
  const s = await setup(server.port);
  after(async () => {
    await s.cleanup();
    await server.close();
  });
  for (let i = 0; i < 20; i++) await s.log.append(sampleRecord({ camera_id: i % 2 ? 'a' : 'b', data: { n: i } }));
  await s.log.append(sampleRecord({ kind: 'health', camera_id: 'a', data: { status: 'ok' } }));
  s.forwarder.start();
  await waitUntil(() => s.forwarder.consumer.position() === 21, 10_000, 'all 21 records', 5);
  assert.equal(failing, 0, 'the busy answers were met');
  for (const camera of ['a', 'b']) {
    const mine = server.posts.filter((p) => (p.body.camera_id ?? p.body.aicamera_id) === camera);
    assert.equal(mine[0]!.path, '/api/cameras/register', `camera ${camera} registers before its first record`);
    const ns = detections(server.posts, camera).map((p) => p.body.n);
    assert.deepEqual(ns, Array.from({ length: 10 }, (_, i) => i * 2 + (camera === 'a' ? 1 : 0)), `camera ${camera}: each record once, in log order`);
  }
  assert.equal(server.posts.filter((p) => p.path === '/api/health').length, 1);
  assert.equal(s.forwarder.state, 'online');
  assert.equal(s.forwarder.delivered, 21);
  assert.ok(s.forwarder.failures >= 2);
});

test('a 4xx parks the record with the server\'s message and the rest flows on; replay delivers it and unparks it', async () => {
  let refuse = true;
  const server = await central((p) => (refuse && p.body.n === 1 ? [400, { success: false, message: 'plate_number missing' }] : [200, { success: true }]));
  const s = await setup(server.port);
  after(async () => {
    await s.cleanup();
    await server.close();
  });
  for (let i = 0; i < 3; i++) await s.log.append(sampleRecord({ data: { n: i } }));
  s.forwarder.start();
  await waitUntil(() => s.forwarder.consumer.position() === 3, 10_000, 'past the refused record', 5);
  assert.deepEqual(detections(server.posts, 'c1').map((p) => p.body.n), [0, 2]);
  const [entry] = s.parked.list(FORWARD_CONSUMER);
  assert.deepEqual([entry?.seq, entry?.reason], [2, 'refused']);
  assert.match(entry!.detail, /HTTP 400: plate_number missing/);
  assert.equal(s.forwarder.parkedCount(), 1);

  await assert.rejects(s.forwarder.replay(2), /refused it again/, 'still refused: stays parked');
  assert.equal(s.forwarder.parkedCount(), 1);
  refuse = false;
  await s.forwarder.replay(2);
  assert.deepEqual(detections(server.posts, 'c1').map((p) => p.body.n), [0, 2, 1]);
  assert.equal(s.forwarder.parkedCount(), 0);
});

test('the server gone: offline with the reason, the cursor stays; back on the same port: delivered', async () => {
  const first = await central();
  const port = first.port;
  const s = await setup(port);
  after(() => s.cleanup());
  await first.close();
  await s.log.append(sampleRecord({ data: { n: 0 } }));
  s.forwarder.start();
  await waitUntil(() => s.forwarder.state === 'offline', 10_000, 'offline', 5);
  assert.match(s.forwarder.lastError!, /ECONNREFUSED/);
  assert.equal(s.forwarder.consumer.position(), 0, 'nothing confirmed, nothing passed');
  const again = await central(undefined, port);
  after(() => again.close());
  await waitUntil(() => s.forwarder.consumer.position() === 1, 10_000, 'delivered after the server came back', 5);
  assert.deepEqual(detections(again.posts, 'c1').map((p) => p.body.n), [0]);
  assert.equal(s.forwarder.state, 'online');
});
