// The cameras' Socket.IO surface (inbound/socketio/camera-socket.ts) in this process: a
// Socket.IO 4 server on a loopback port with the real ingest over a log in memory, and
// socket.io-client as the camera. Every answer comes as the ack and as the named reply
// event; a failure also as `error`; the network allowlist and an unknown token refuse the
// connection with the contract's body; a message over the limit is refused by size before
// it is parsed; fire-and-forget messages are stored in the order sent.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import pino from 'pino';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { createCameraAccess } from '../../src/auth/camera-access.js';
import { createIngest } from '../../src/ingest/ingest.js';
import { createClientRateLimit } from '../../src/inbound/client-rate-limit.js';
import { attachCameraSocket } from '../../src/inbound/socketio/camera-socket.js';
import { BlobStore } from '../../src/log/blob-store.js';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { StoreAdmission } from '../../src/log/store-admission.js';
import { contractDetection, deployedHealth } from '../helpers/payloads.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait-and-seed.js';

async function server(allowed: (address: string | undefined) => boolean = () => true) {
  const tmp = makeTempDir();
  const log = new MemoryRecordLog();
  await log.open();
  const blobs = new BlobStore(tmp.dir);
  await blobs.open();
  const refused: string[] = [];
  const admission = new StoreAdmission({ log, dir: tmp.dir, minFreeBytes: 0, maxBytes: 0, freeBytes: () => 1e12, cacheMs: 0 });
  const ingest = createIngest({
    log, blobs, logger: pino({ level: 'silent' }), timeZone: 'Asia/Bangkok', defaultCheckpointId: 'cp', gatewayId: 'gw', admission,
    observers: [{ accepted: () => undefined, rejected: (e) => refused.push(e.code) }],
  });
  const http = createServer();
  const io = new Server(http, { maxHttpBufferSize: 10_000_000 });
  attachCameraSocket(io, {
    ingest, logger: pino({ level: 'silent' }), cameraAllowed: allowed, maxMessageBytes: 20_000,
    rateLimit: createClientRateLimit(0, 0), access: createCameraAccess({ tokens: { secured: 'tok' }, knownOnly: false, known: [] }),
  });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const sockets: Socket[] = [];
  const camera = (auth?: Record<string, string>) => {
    const s = connect(url, { transports: ['websocket'], reconnection: false, ...(auth ? { auth } : {}) });
    sockets.push(s);
    return s;
  };
  after(async () => {
    for (const s of sockets) s.close();
    await new Promise<void>((ok) => io.close(() => ok()));
    await log.close();
    tmp.remove();
  });
  return { log, refused, camera };
}

const connected = (s: Socket) => new Promise<void>((ok, fail) => {
  s.once('connect', () => ok());
  s.once('connect_error', fail);
});

test('a detection is answered as the ack and as lpr_response; a bad one also as `error`; ping is answered', async () => {
  const { log, camera } = await server();
  const cam = camera();
  await connected(cam);
  const replies: unknown[] = [];
  const errors: unknown[] = [];
  cam.on('lpr_response', (b) => replies.push(b));
  cam.on('error', (b) => errors.push(b));
  const ack = (await cam.timeout(5000).emitWithAck('lpr_data', contractDetection({ camera_id: 'c1' }))) as { success: boolean; detection_id: string };
  assert.equal(ack.success, true);
  assert.equal((await log.getById(ack.detection_id))?.camera_id, 'c1', 'stored before the answer');
  const bad = (await cam.timeout(5000).emitWithAck('lpr_data', { camera_id: 'c1', type: 'detection_result' })) as { success: boolean; error: { code: string } };
  assert.deepEqual([bad.success, bad.error.code], [false, 'VALIDATION_FAILED']);
  await waitUntil(() => replies.length === 2 && errors.length === 1, 5000, 'the reply events and the error event');
  assert.deepEqual(replies[0], ack);
  assert.deepEqual(errors[0], bad);
  const health = (await cam.timeout(5000).emitWithAck('health_status', deployedHealth())) as { success: boolean; health_id: string };
  assert.equal(health.success, true);
  assert.equal((await cam.timeout(5000).emitWithAck('ping') as { message: string }).message, 'pong');
});

test('fire-and-forget messages are stored in the order sent; one over the size limit is refused by size', async () => {
  const { log, refused, camera } = await server();
  const cam = camera();
  await connected(cam);
  const errors: { error: { code: string } }[] = [];
  cam.on('error', (b) => errors.push(b));
  for (let i = 0; i < 30; i++) cam.emit('lpr_data', contractDetection({ camera_id: 'c2', note: i % 3 === 0 ? 'x'.repeat(10_000) : `${i}` }));
  cam.emit('lpr_data', contractDetection({ camera_id: 'c2', note: 'y'.repeat(30_000) }));
  await waitUntil(() => log.lastSeq() === 30 && errors.length === 1, 5000, '30 stored and one refused');
  const stored = await log.readAfter(0, 100);
  assert.deepEqual(stored.map((r) => (r.data as { note: string }).note.length > 100 ? 'big' : Number((r.data as { note: string }).note)),
    Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 'big' : i)), 'in the order sent, big and small alike');
  assert.equal(errors[0]!.error.code, 'PAYLOAD_TOO_LARGE');
  assert.deepEqual(refused, ['PAYLOAD_TOO_LARGE']);
});

test('the network allowlist and an unknown token refuse the connection with the contract\'s body; a known token connects', async () => {
  const denied = await server(() => false);
  const outsider = denied.camera();
  const err = (await connected(outsider).then(() => undefined, (e: unknown) => e)) as { data: { error: { code: string } } };
  assert.equal(err.data.error.code, 'FORBIDDEN');
  assert.deepEqual(denied.refused, ['FORBIDDEN']);

  const open = await server();
  const forger = open.camera({ token: 'guess' });
  const refusal = (await connected(forger).then(() => undefined, (e: unknown) => e)) as { data: { error: { code: string } } };
  assert.equal(refusal.data.error.code, 'UNAUTHORIZED');
  const secured = open.camera({ token: 'tok' });
  await connected(secured);
  const ack = (await secured.timeout(5000).emitWithAck('lpr_data', contractDetection({ camera_id: 'secured' }))) as { success: boolean };
  assert.equal(ack.success, true);
});
