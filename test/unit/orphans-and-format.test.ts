// What a crash can leave, and what an old store is: image files no record references are
// swept once old enough (log/orphan-blobs.ts), never one a record holds or one an ingest
// may still be writing; a store of another record format is refused with a reason that
// says what to do, found at any depth of a cause chain (log/store-format.ts).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, test } from 'node:test';
import pino from 'pino';
import { BlobStore } from '../../src/log/blob-store.js';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { removeOrphanBlobs } from '../../src/log/orphan-blobs.js';
import { StoreFormatError, wrongFormat } from '../../src/log/store-format.js';
import { sampleRecord } from '../conformance/record-log-suite.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('unreferenced files old enough are removed; referenced and young ones stay', async () => {
  const tmp = makeTempDir();
  after(() => tmp.remove());
  const blobs = new BlobStore(tmp.dir);
  await blobs.open();
  const log = new MemoryRecordLog(undefined, { dedupeWindowMs: 1000, files: blobs });
  await log.open();
  const kept = Buffer.from('kept');
  const orphans = [Buffer.from('left by a crash 1'), Buffer.from('left by a crash 2')];
  await blobs.putAll([kept, ...orphans].map((data) => ({ sha256: sha(data), data })));
  await log.append(sampleRecord({ images: [{ name: 'original_image', field: 'original_image', content_type: 'image/jpeg', bytes: kept.length, sha256: sha(kept) }] }));
  const logger = pino({ level: 'silent' });

  assert.equal(await removeOrphanBlobs(log, blobs, logger, 3_600_000), 0, 'all younger than an hour: an ingest may still be writing them');
  assert.equal(await removeOrphanBlobs(log, blobs, logger, 3_600_000, Date.now() + 2 * 3_600_000), 2);
  assert.equal(await blobs.has(sha(kept)), true, 'the referenced file stays');
  for (const o of orphans) assert.equal(await blobs.has(sha(o)), false);
  assert.equal(await removeOrphanBlobs(log, blobs, logger, 0), 0, 'nothing left to sweep');
  await log.close();
});

test('a store of another format: the error names it and the way out, and is recognised through wrapping', () => {
  const v1 = new StoreFormatError('/data/log', undefined);
  assert.match(v1.message, /format 1 \(lpr-edge-gateway 0\.1\); this gateway reads format 2/);
  assert.match(v1.message, /lpr-gateway export --data-dir/);
  assert.match(new StoreFormatError('/data/log', 7).message, /holds records in format 7/);
  assert.equal(wrongFormat(v1), true);
  assert.equal(wrongFormat(Object.assign(new Error('open failed'), { cause: v1 })), true);
  assert.equal(wrongFormat(new Error('ENOSPC')), false);
  assert.equal(wrongFormat(undefined), false);
});
