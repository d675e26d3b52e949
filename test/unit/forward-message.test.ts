// forwardMessage: a stored record becomes the message a contract camera would have sent
// the central server — quirks of deployed cameras mended, unknown fields kept, images
// inline again byte for byte, the record id beside them — and kinds cameras never send
// are not forwarded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlobStore } from '../../src/log/blob-store.js';
import { createHash } from 'node:crypto';
import type { StoredRecord } from '../../src/log/record.js';
import { KINDS } from '../../src/kinds/index.js';
import { forwarded, forwardMessage, registration } from '../../src/outbound/forward/forward-message.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A record as ingest makes it: `raw` is the camera's message, `data` its normalised fields. */
function record(over: Partial<StoredRecord> & { raw?: Record<string, unknown> }): StoredRecord {
  const { raw = {}, ...rest } = over;
  const r = {
    seq: 7, id: '01a2521f-2324-7394-b4ba-187055eb5d73', kind: 'detection', camera_id: '7', checkpoint_id: 'cp-9',
    timestamp: '2025-08-24T17:53:54.123456', time: '2025-08-24T10:53:54.123Z', received_at: '2025-08-24T10:53:55.000Z', source: 'rest',
    data: {}, images: [], size: 100, ...rest,
  } as StoredRecord;
  r.data = KINDS[r.kind].members({ ...r, raw, data: r.data });
  return r;
}

test('a deployed detection goes as the contract has it, images inline byte for byte', async () => {
  const tmp = makeTempDir();
  const blobs = new BlobStore(tmp.dir);
  await blobs.open();
  const frame = Buffer.from([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]);
  const crop0 = Buffer.from([0xff, 0xd8, 9, 0xff, 0xd9]);
  const crop1 = Buffer.from([0xff, 0xd8, 8, 8, 0xff, 0xd9]);
  await blobs.putAll([frame, crop0, crop1].map((data) => ({ sha256: sha(data), data })));
  const ocr = [{ text: 'กข 1234', confidence: 0.9 }];
  const r = record({
    raw: { type: 'detection_result', aicamera_id: '7', timestamp: '2025-08-24T17:53:54.123456', ocr_results: JSON.stringify(ocr), vehicles_count: 1, plates_count: 1, firmware: 'v2' },
    data: { vehicles_count: 1, plates_count: 1, plates: ['กข 1234'], ocr_results: ocr, vehicle_detections: [], plate_detections: [], processing_time_ms: null },
    images: [
      { name: 'original_image', field: 'original_image', content_type: 'image/jpeg', bytes: frame.length, sha256: sha(frame) },
      { name: 'cropped_plate_0', field: 'cropped_plates[0]', content_type: 'image/jpeg', bytes: crop0.length, sha256: sha(crop0) },
      { name: 'cropped_plate_1', field: 'cropped_plates[1]', content_type: 'image/jpeg', bytes: crop1.length, sha256: sha(crop1), evicted: true },
    ],
  });
  const m = (await forwardMessage(r, blobs))!;
  assert.equal(m.event, 'lpr_data');
  assert.equal(m.reply, 'lpr_response');
  assert.equal(m.path, '/api/detection');
  assert.equal(m.body.camera_id, '7');
  assert.equal(m.body.aicamera_id, undefined);
  assert.equal(m.body.checkpoint_id, 'cp-9');
  assert.equal(m.body.timestamp, '2025-08-24T17:53:54.123456');
  assert.deepEqual(m.body.ocr_results, ocr, 'JSON text sent as JSON');
  assert.equal(m.body.firmware, 'v2');
  assert.equal(m.body.plates, undefined, 'what the gateway derived stays behind');
  assert.equal(m.body.processing_time_ms, undefined, 'a field the camera did not send is not invented');
  assert.equal(m.body.detection_id, r.id);
  assert.equal(Buffer.from(m.body.original_image as string, 'base64').equals(frame), true);
  assert.deepEqual((m.body.cropped_plates as string[]).map((c) => Buffer.from(c, 'base64')), [crop0], 'an evicted crop is left out');
  tmp.remove();
});

test('health details as JSON; registration; status and alert records are not forwarded', async () => {
  const tmp = makeTempDir();
  const blobs = new BlobStore(tmp.dir);
  const details = { cpu_percent: 91.5 };
  const h = (await forwardMessage(record({
    kind: 'health', raw: { type: 'health_check', component: 'CPU & RAM', status: 'WARNING', details: JSON.stringify(details) },
    data: { component: 'CPU & RAM', status: 'WARNING', level: 'warning', message: null, details },
  }), blobs))!;
  assert.equal(h.event, 'health_status');
  assert.equal(h.path, '/api/health');
  assert.deepEqual(h.body.details, details);
  assert.equal(h.body.health_id, '01a2521f-2324-7394-b4ba-187055eb5d73');
  assert.equal(forwarded('status'), false);
  assert.equal(forwarded('alert'), false);
  assert.equal(await forwardMessage(record({ kind: 'status', data: { state: 'online', last_seen: null } }), blobs), undefined);
  const reg = registration('7', 'cp-9', new Date('2026-01-01T00:00:00Z'));
  assert.deepEqual([reg.event, reg.path, reg.body], ['camera_register', '/api/cameras/register', { camera_id: '7', checkpoint_id: 'cp-9', timestamp: '2026-01-01T00:00:00.000Z' }]);
  tmp.remove();
});
