// The status page's live view (observability/live-view.ts): per camera the latest plates
// with a thumbnail (a plate crop before the frame), records in the last minute, and the
// newest rejections first, at most 20 — joined with the log's camera rows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gatewayError } from '../../src/errors.js';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import type { NewRecord } from '../../src/log/record.js';
import { LiveView } from '../../src/observability/live-view.js';
import { imageRef, sampleRecord } from '../conformance/record-log-suite.js';

test('latest plates with a crop as thumbnail, records per minute, rejections newest first and bounded', async () => {
  const log = new MemoryRecordLog();
  await log.open();
  const view = new LiveView(log, () => ({ uplink: 'disabled' }));
  const seen = async (r: NewRecord) => {
    const { seq, id } = await log.append(r);
    view.accepted({ kind: r.kind, camera_id: r.camera_id, id, seq, duplicate: false, record: r });
  };
  await seen(sampleRecord({ camera_id: 'cam10', data: { plates: ['AB1'] } }));
  const crop = { ...imageRef(2), name: 'cropped_plate_0', field: 'cropped_plates[0]' };
  const withImages = sampleRecord({ camera_id: 'cam2', data: { plates: ['กข 99'] }, images: [imageRef(1), crop] });
  await seen(withImages);
  await seen(sampleRecord({ camera_id: 'cam2', kind: 'health', data: { status: 'ok' } }));
  for (let i = 0; i < 25; i++) view.rejected(gatewayError('TYPE_UNKNOWN', `t${i}`), { source: 'rest', remote: '10.0.0.9' } as never);

  const snap = view.snapshot() as { cameras: Record<string, unknown>[]; rejections: { message: string }[]; uplink: string };
  assert.deepEqual(snap.cameras.map((c) => c.camera_id), ['cam2', 'cam10'], 'numeric order within a checkpoint');
  assert.deepEqual(snap.cameras.map((c) => c.per_minute), [2, 1]);
  const latest = snap.cameras[0]!.latest as Record<string, unknown>;
  assert.deepEqual([latest.detection_id, latest.plates, latest.image], [withImages.id, ['กข 99'], `/api/images/${crop.sha256}`]);
  assert.equal(snap.rejections.length, 20);
  assert.equal(snap.rejections[0]!.message, 'unknown type "t24"');
  assert.equal(snap.uplink, 'disabled');
  await log.close();
});
