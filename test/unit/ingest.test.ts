// ingest.accept(): validate → dedupe pre-check → images durable → record durable → answer,
// whatever the transport. Over an in-memory log and real image files.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import type { GatewayError } from '../../src/errors.js';
import { createIngest, type AcceptResult } from '../../src/ingest/ingest.js';
import { BlobStore, type BlobInput } from '../../src/log/blob-store.js';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { StoreAdmission } from '../../src/log/store-admission.js';
import { contractDetection, fakeJpeg } from '../helpers/payloads.js';
import { makeTempDir } from '../helpers/temp-dir.js';

class CountingBlobs extends BlobStore {
  writes = 0;
  override async putAll(blobs: BlobInput[]): Promise<void> {
    this.writes += blobs.length;
    return super.putAll(blobs);
  }
}

async function setup(freeBytes = 1e12) {
  const tmp = makeTempDir();
  const log = new MemoryRecordLog();
  await log.open();
  const blobs = new CountingBlobs(join(tmp.dir, 'blobs'));
  await blobs.open();
  const seen = { accepted: [] as AcceptResult[], rejected: [] as GatewayError[] };
  const admission = new StoreAdmission({ log, dir: tmp.dir, minFreeBytes: 1024 * 1024, maxBytes: 0, freeBytes: () => freeBytes, cacheMs: 0 });
  const ingest = createIngest({
    log, blobs, logger: pino({ level: 'silent' }), timeZone: 'Asia/Bangkok', defaultCheckpointId: 'cp', gatewayId: 'gw', admission,
    observers: [{ accepted: (r) => seen.accepted.push(r), rejected: (e) => seen.rejected.push(e) }],
  });
  return { tmp, log, blobs, ingest, seen };
}

test('a detection with an image: the file is written before the record, which references it; observers hear of it', async () => {
  const { tmp, log, blobs, ingest, seen } = await setup();
  const image = fakeJpeg(5000);
  const r = await ingest.accept(contractDetection({ camera_id: 'c1', annotated_image: image.toString('base64') }), { source: 'rest' });
  assert.equal(r.kind, 'detection');
  assert.equal(r.duplicate, false);
  const stored = (await log.get(r.seq))!;
  assert.equal(stored.id, r.id);
  assert.equal(stored.images[0]!.bytes, image.length);
  assert.equal(existsSync(join(tmp.dir, 'blobs', stored.images[0]!.sha256.slice(0, 2), stored.images[0]!.sha256)), true);
  assert.equal(blobs.writes, 1);
  assert.deepEqual(seen.accepted.map((a) => a.id), [r.id]);
  tmp.remove();
});

test('a resend with images is answered with the first id before its images are written again', async () => {
  const { tmp, log, blobs, ingest } = await setup();
  const body = contractDetection({ camera_id: 'c1', annotated_image: fakeJpeg(3000).toString('base64') });
  const first = await ingest.accept(structuredClone(body), { source: 'rest' });
  const again = await ingest.accept(structuredClone(body), { source: 'rest' });
  assert.equal(again.id, first.id);
  assert.equal(again.duplicate, true);
  assert.equal(blobs.writes, 1, 'the image was not written again');
  assert.equal(log.lastSeq(), first.seq);
  tmp.remove();
});

test('refused at admission (disk at its floor): STORE_FULL, nothing stored, the rejection observed', async () => {
  const { tmp, log, blobs, ingest, seen } = await setup(512 * 1024);
  await assert.rejects(ingest.accept(contractDetection({ annotated_image: fakeJpeg(3000).toString('base64') }), { source: 'socketio' }), { code: 'STORE_FULL' });
  assert.equal(log.lastSeq(), 0);
  assert.equal(blobs.writes, 0, 'no image file for a refused record');
  assert.deepEqual(seen.rejected.map((e) => e.code), ['STORE_FULL']);
  tmp.remove();
});

test('bad input is refused with its code and never stored; a connection test is answered and not stored', async () => {
  const { tmp, log, ingest, seen } = await setup();
  await assert.rejects(ingest.accept({ type: 'detection_result', timestamp: '2024-12-19T10:00:00Z' }, { source: 'rest' }), { code: 'INVALID_ID' });
  await assert.rejects(ingest.accept(contractDetection({ timestamp: 'yesterday' }), { source: 'rest' }), { code: 'INVALID_TIMESTAMP' });
  const t = await ingest.accept({ type: 'test', camera_id: 'c1', message: 'Hello from AI Camera' }, { source: 'socketio' });
  assert.deepEqual([t.kind, t.id, t.seq], ['test', '', 0]);
  assert.equal(log.lastSeq(), 0);
  assert.deepEqual(seen.rejected.map((e) => e.code), ['INVALID_ID', 'INVALID_TIMESTAMP']);
  tmp.remove();
});
