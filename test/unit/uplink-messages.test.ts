// What the uplink publishes for a record: its JSON (retained only for status), each image
// whole when it fits, else as a reference or in chunks that reassemble to the same bytes
// and each fit the broker's limit.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { NewRecord, StoredRecord } from '../../src/log/record.js';
import { imageMessages, messageBytes, metadataMessage } from '../../src/outbound/uplink-messages.js';
import { imageRef, storedSample } from '../conformance/record-log-suite.js';

const record = (over: Partial<NewRecord> = {}): StoredRecord => storedSample({ camera_id: 'c1', checkpoint_id: 'cp', images: [imageRef(3, 300_000)], ...over }, 7);

test('metadata: the stored line as it is, on the kind\'s topic with the prefix; status retained', () => {
  const r = record({ data: { vehicles_count: 0, plates_count: 0, plates: [], ocr_results: [], vehicle_detections: [], plate_detections: [], processing_time_ms: null } });
  const d = metadataMessage(r, 'site/');
  assert.equal(d.topic, 'site/lpr/cp/c1/detection');
  assert.equal(d.retain, false);
  assert.equal(d.payload, r.line, 'the very bytes stored: never rendered again');
  assert.equal(JSON.parse(d.payload.toString()).seq, 7);
  const s = metadataMessage(record({ kind: 'status', data: { state: 'online', last_seen: null } }), '');
  assert.deepEqual([s.topic, s.retain], ['lpr/cp/c1/status', true]);
  assert.equal(metadataMessage(record({ kind: 'register' }), '').topic, 'lpr/cp/c1/register', 'every record is published: a copy of the chain has no holes');
});

test('an image that fits goes whole; with no limit, always whole', () => {
  const r = record();
  const data = randomBytes(300_000);
  for (const limit of [0, 400_000]) {
    const [m, ...rest] = imageMessages(r, r.images[0]!, data, '', limit, 'chunks');
    assert.equal(rest.length, 0);
    assert.equal(m!.payload, data);
    assert.equal(m!.topic, `lpr/cp/c1/image/${r.id}/original_image`);
  }
});

test('too large: a reference that names the file, or chunks within the limit that reassemble', () => {
  const r = record();
  const data = randomBytes(300_000);
  const [ref, ...none] = imageMessages(r, r.images[0]!, data, 'p/', 131_072, 'reference');
  assert.equal(none.length, 0);
  assert.ok(ref!.topic.endsWith('/ref'));
  assert.deepEqual(JSON.parse(ref!.payload as string), { detection_id: r.id, name: 'original_image', sha256: imageRef(3).sha256, bytes: 300_000, content_type: 'image/jpeg', stored_on_gateway: true });
  const chunks = imageMessages(r, r.images[0]!, data, 'p/', 131_072, 'chunks');
  assert.equal(chunks.length, 3);
  chunks.forEach((c, i) => {
    assert.equal(c.topic, `p/lpr/cp/c1/image/${r.id}/original_image/chunk/${i}/3`);
    assert.ok(messageBytes(c.topic, c.payload) <= 131_072, `chunk ${i} fits`);
  });
  assert.deepEqual(Buffer.concat(chunks.map((c) => c.payload as Buffer)), data);
});
