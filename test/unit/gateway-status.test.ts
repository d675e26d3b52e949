// What the gateway says of itself (observability/gateway-status.ts, camera-clocks.ts): why
// the store takes no records, in the same words on every surface; readiness; and how far
// each camera's clock is off, as a median one late resend cannot move.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { CameraClocks } from '../../src/observability/camera-clocks.js';
import { readinessOf, storeProblemOf } from '../../src/observability/gateway-status.js';
import { sampleRecord } from '../conformance/record-log-suite.js';

const usage = { disk_free_bytes: 1234, disk_free_min_bytes: 5000 };

test('the store problem names a full disk with its free bytes, a failure with its reason, and nothing while open', () => {
  assert.equal(storeProblemOf({ state: 'open', failures: 0, recoveries: 0 }, usage), undefined);
  const full = storeProblemOf({ state: 'failed', code: 'STORE_FULL', reason: 'ENOSPC', since: 't', failures: 1, recoveries: 0 }, usage)!;
  assert.deepEqual(full, { state: 'failed', code: 'STORE_FULL', reason: 'ENOSPC', since: 't', disk_free_bytes: 1234, message: 'disk full, 1234 bytes free' });
  assert.equal(storeProblemOf({ state: 'recovering', code: 'STORE_UNAVAILABLE', reason: 'EIO', failures: 1, recoveries: 0 }, usage)!.message, 'store unavailable: EIO');
  assert.equal(storeProblemOf({ state: 'closed', failures: 0, recoveries: 0 }, usage)!.message, 'store closed');
});

test('ready only when started and the store open; the checks say why not', async () => {
  const log = new MemoryRecordLog();
  assert.deepEqual(readinessOf(false, log, undefined, undefined, usage), { ready: false, checks: { log: 'new', store_error: storeProblemOf(log.health(), usage), mqtt: 'disabled', uplink: 'disabled' } });
  await log.open();
  assert.deepEqual(readinessOf(false, log, undefined, undefined, usage), { ready: false, checks: { log: 'closed', mqtt: 'disabled', uplink: 'disabled' } }, 'not started yet');
  assert.deepEqual(readinessOf(true, log, undefined, undefined, usage), { ready: true, checks: { log: 'open', mqtt: 'disabled', uplink: 'disabled' } });
  await log.close();
});

test('camera clocks: the median offset per camera, a warning past the limit, detections and health only', () => {
  const clocks = new CameraClocks(60_000);
  const base = Date.parse('2026-12-07T10:00:00Z');
  const seen = (camera_id: string, offsetMs: number, kind: 'detection' | 'health' | 'status' = 'detection') => {
    const record = sampleRecord({ kind, camera_id, time: new Date(base).toISOString(), received_at: new Date(base + offsetMs).toISOString() });
    clocks.accepted({ kind, camera_id, id: record.id, seq: 1, duplicate: false, record }, { source: 'rest' } as never);
  };
  for (const ms of [120_000, 121_000, 119_000]) seen('slow', ms);
  seen('slow', 3_600_000); // a resend an hour late
  for (const ms of [1000, -1000]) seen('fine', ms, 'health');
  seen('fine', 999_999, 'status');
  assert.deepEqual(clocks.snapshot(), [
    { camera_id: 'fine', offset_s: 0, samples: 2, warning: false },
    { camera_id: 'slow', offset_s: 120.5, samples: 4, warning: true },
  ]);
  assert.equal(clocks.offsetMs('nobody'), undefined);
});
