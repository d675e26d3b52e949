// The express side of the camera port, in this process on a loopback port: the app's error
// mapping (create-http-app.ts: body-parser's failures → the contract's codes, unknown
// routes, a fault → INTERNAL without its cause), reading records back (record-routes.ts:
// the stored line byte for byte, pages, kinds) and the admin routes (admin-routes.ts: the
// token, the parked list and replay, the export). The log is a real one in memory.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Router } from 'express';
import pino from 'pino';
import type { GatewayError } from '../../src/errors.js';
import { createAdminRoutes } from '../../src/inbound/http/admin-routes.js';
import { createHttpApp } from '../../src/inbound/http/create-http-app.js';
import { createRecordRoutes } from '../../src/inbound/http/record-routes.js';
import { BlobStore } from '../../src/log/blob-store.js';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { sampleRecord } from '../conformance/record-log-suite.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const log = new MemoryRecordLog();
const images = makeTempDir(); // an empty image store: every image is "no such image"
const refused: string[] = [];
const parked = [{ seq: 2 }];
let replayed: number[] = [];
let replayFails = false;
let base = '';
let close: () => Promise<void>;

before(async () => {
  await log.open();
  await log.append(sampleRecord({ camera_id: 'cam1', data: { note: 'ไทย "quoted"' } }));
  await log.append(sampleRecord({ kind: 'health', camera_id: 'cam1', data: { status: 'ok' } }));
  await log.append(sampleRecord({ camera_id: 'cam2' }));
  const boom = Router();
  boom.get('/boom', () => {
    throw new Error('secret detail');
  });
  boom.post('/echo', (req, res) => res.json({ got: req.body }));
  const app = createHttpApp({
    maxMessageBytes: 1000, logger: pino({ level: 'silent' }), refused: (e: GatewayError) => refused.push(e.code),
    routers: [
      createRecordRoutes({ log, blobs: new BlobStore(images.dir), viewer: (_req, _res, next) => next() }),
      createAdminRoutes({
        log, parked: () => parked, token: 'admin-secret', checkpoint: async () => undefined,
        replay: async (seq) => {
          if (replayFails) throw new Error('the uplink is not connected');
          replayed.push(seq);
        },
      }),
      boom,
    ],
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((ok) => server.once('listening', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((ok) => server.close(() => ok()));
});

after(async () => {
  await close();
  await log.close();
  images.remove();
});

const post = (path: string, body: string, type = 'application/json') => fetch(base + path, { method: 'POST', headers: { 'content-type': type }, body });
const json = async (r: Response) => [r.status, (await r.json()) as any] as const;

test('body failures get the contract\'s codes and are counted as refusals; unknown routes 404; a fault is INTERNAL without its detail', async () => {
  const [s1, b1] = await json(await post('/echo', '{"a":'));
  assert.deepEqual([s1, b1.success, b1.error.code], [400, false, 'INVALID_JSON']);
  const [s2, b2] = await json(await post('/echo', JSON.stringify({ x: 'y'.repeat(2000) })));
  assert.deepEqual([s2, b2.error.code, b2.message], [413, 'PAYLOAD_TOO_LARGE', 'request body is larger than the limit of 1000 bytes']);
  const [s3, b3] = await json(await post('/echo', '{"a":1}', 'application/json; charset=klingon'));
  assert.deepEqual([s3, b3.error.code, b3.message], [400, 'INVALID_BODY', 'unsupported charset "KLINGON"']);
  assert.deepEqual(refused, ['INVALID_JSON', 'PAYLOAD_TOO_LARGE', 'INVALID_BODY']);
  assert.deepEqual(await json(await post('/echo', '{"a":1}', '')), [200, { got: { a: 1 } }], 'a camera that sends no Content-Type is read as JSON');
  const [s4, b4] = await json(await fetch(`${base}/nowhere`));
  assert.deepEqual([s4, b4.error.code, b4.message], [404, 'NOT_FOUND', 'no route for GET /nowhere']);
  const [s5, b5] = await json(await fetch(`${base}/boom`));
  assert.deepEqual([s5, b5.error.code, b5.message], [500, 'INTERNAL', 'Internal error']);
});

test('a record reads back as its stored line; pages carry next_after; kinds and numbers are checked', async () => {
  const [first] = await log.readAfter(0, 1);
  const r = await fetch(`${base}/api/records/${first!.id}`);
  const text = await r.text();
  assert.equal(text, `{"success":true,"data":${first!.line.toString()},"images_evicted":false}`, 'the line, byte for byte');
  assert.equal((await fetch(`${base}/api/health/${first!.id}`)).status, 404, 'a detection is not a health record');
  const [, page] = await json(await fetch(`${base}/api/records?after=0&limit=2`));
  assert.deepEqual([page.data.map((d: { seq: number }) => d.seq), page.next_after, page.last_seq], [[1, 2], 2, 3]);
  const [, detections] = await json(await fetch(`${base}/api/records?kind=detection`));
  assert.deepEqual([detections.data.map((d: { seq: number }) => d.seq), detections.next_after], [[1, 3], null]);
  const [s1, b1] = await json(await fetch(`${base}/api/records?kind=selfie`));
  assert.deepEqual([s1, b1.error.code], [400, 'VALIDATION_FAILED']);
  assert.match(b1.message, /kind must be one of detection, health/);
  const [s2, b2] = await json(await fetch(`${base}/api/records?limit=1001`));
  assert.deepEqual([s2, b2.error.fields], [400, [{ path: 'limit', message: 'expected a whole number' }]]);
  assert.equal((await fetch(`${base}/api/images/${'0'.repeat(64)}`)).status, 404);
});

test('admin routes: the token, the parked list, replay and its failures, the export', async () => {
  const auth = { authorization: 'Bearer admin-secret' };
  assert.equal((await fetch(`${base}/api/admin/parked`)).status, 401);
  assert.equal((await fetch(`${base}/api/admin/parked`, { headers: { authorization: 'Bearer guess' } })).status, 403);
  assert.deepEqual(await json(await fetch(`${base}/api/admin/parked`, { headers: auth })), [200, { success: true, data: parked }]);
  const replay = (seq: string) => fetch(`${base}/api/admin/parked/${seq}/replay`, { method: 'POST', headers: auth });
  assert.deepEqual((await json(await replay('x')))[0], 400);
  const [s404, b404] = await json(await replay('7'));
  assert.deepEqual([s404, b404.message], [404, 'record 7 is not parked']);
  replayFails = true;
  const [s503, b503] = await json(await replay('2'));
  assert.deepEqual([s503, b503.error.code, b503.error.retry_after, b503.message], [503, 'UPLINK_UNAVAILABLE', 30, 'replay failed: the uplink is not connected']);
  replayFails = false;
  assert.deepEqual(await json(await replay('2')), [200, { success: true, message: 'record 2 delivered and unparked' }]);
  assert.deepEqual(replayed, [2]);
  replayed = [];

  const exported = await fetch(`${base}/api/admin/export?camera=cam2`, { headers: auth });
  assert.equal(exported.headers.get('content-type'), 'application/x-ndjson');
  const lines = (await exported.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual([lines[0]!.line, (lines[0]!.selection as { camera_id: string }).camera_id, lines.slice(1).map((l) => l.seq)], ['export', 'cam2', [3]]);
  assert.equal((await fetch(`${base}/api/admin/export?since=yesterday`, { headers: auth })).status, 400);
});
