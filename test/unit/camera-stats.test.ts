// Totals and per-camera rows: counted by kind (a status record is the gateway's, not
// camera traffic), planned without touching state, applied only on commit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CameraStats } from '../../src/log/camera-stats.js';
import type { NewRecord, StoredRecord } from '../../src/log/record.js';
import { imageRef, storedSample } from '../conformance/record-log-suite.js';

const rec = (seq: number, over: Partial<NewRecord>): StoredRecord => storedSample(over, seq);

test('each kind goes to its own counter; status changes only the camera state', () => {
  const stats = new CameraStats();
  const plan = stats.plan([
    rec(1, { kind: 'register', camera_id: 'a' }),
    rec(2, { kind: 'detection', camera_id: 'a', size: 2100, images: [imageRef(1, 1000)] }),
    rec(3, { kind: 'health', camera_id: 'a' }),
    rec(4, { kind: 'detection', camera_id: 'b' }),
    rec(5, { kind: 'status', camera_id: 'a', data: { state: 'offline', last_seen: null } }),
  ]);
  assert.equal(stats.totals.records, 0, 'planning changes nothing');
  assert.equal(stats.cameras.size, 0);
  plan.commit();
  const t = stats.totals;
  assert.deepEqual([t.records, t.detections, t.health, t.registrations], [5, 2, 1, 1]);
  const a = stats.cameras.get('a')!;
  assert.deepEqual([a.detections, a.health, a.registrations, a.state], [1, 1, 1, 'offline']);
  assert.equal(stats.cameras.get('b')!.detections, 1);
  assert.equal(stats.snapshot(1, 5).cameras.length, 2);
});

test('a status record for a camera never seen creates no row', () => {
  const stats = new CameraStats();
  stats.plan([rec(1, { kind: 'status', camera_id: 'ghost', data: { state: 'online', last_seen: null } })]).commit();
  assert.equal(stats.cameras.size, 0);
  assert.equal(stats.totals.records, 1);
});
