import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../src/errors.js';
import { parseMessage, type ParseOptions } from '../../src/ingest/parse-message.js';
import type { DetectionData, HealthData } from '../../src/log/record.js';
import { deployedDetection, deployedHealth, fakeJpeg } from '../helpers/payloads.js';

const opts: ParseOptions = { timeZone: 'Asia/Bangkok', defaultCheckpointId: 'cp-9', now: Date.UTC(2025, 0, 1) };

function rejects(input: unknown, code: string, o: Partial<ParseOptions> = {}): GatewayError {
  try {
    parseMessage(input, { ...opts, ...o });
  } catch (err) {
    assert.ok(err instanceof GatewayError, `not a GatewayError: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`accepted ${JSON.stringify(input).slice(0, 200)}`);
}

test('the contract minimal detection', () => {
  const m = parseMessage({ type: 'detection_result', camera_id: '1', checkpoint_id: '1', timestamp: '2024-12-19T10:00:00Z', vehicles_count: 1, plates_count: 1 }, opts);
  assert.equal(m.kind, 'detection');
  assert.equal(m.camera_id, '1');
  assert.equal(m.checkpoint_id, '1');
  assert.equal(m.time, '2024-12-19T10:00:00.000Z');
  const d = m.data as DetectionData;
  assert.deepEqual([d.vehicles_count, d.plates_count, d.ocr_results, d.processing_time_ms], [1, 1, [], null]);
});

test('deployed detection: aicamera_id, JSON-text lists, naive time, unknown fields kept', () => {
  const body = deployedDetection();
  const m = parseMessage(body, opts);
  assert.equal(m.camera_id, '7');
  assert.equal(m.checkpoint_id, 'cp-9', 'falls back to the configured checkpoint');
  const d = m.data as DetectionData;
  assert.equal((d.vehicle_detections[0] as { label: string }).label, 'car');
  assert.equal((d.plate_detections[0] as { vehicle_idx: number }).vehicle_idx, 0);
  assert.deepEqual(d.plates, ['กข 1234']);
  assert.equal(m.raw.firmware, 'v2.3.1');
  assert.equal(m.raw.ocr_results, body.ocr_results, 'raw keeps the text as sent');
  assert.equal(m.timestamp, body.timestamp);
  assert.equal(m.time.slice(0, 13), '2025-08-24T10');
});

test('OCR results may be plain strings; numeric camera ids become strings', () => {
  const m = parseMessage({ type: 'detection_result', camera_id: 3, timestamp: '2024-12-19T10:00:00Z', vehicles_count: '2', plates_count: 1, ocr_results: ['ABC1234'] }, opts);
  assert.equal(m.camera_id, '3');
  assert.deepEqual((m.data as DetectionData).plates, ['ABC1234']);
  assert.equal((m.data as DetectionData).vehicles_count, 2);
});

test('health: PASS/FAIL/WARNING and contract statuses map to levels; details as text or null', () => {
  const cases: [string, string][] = [['PASS', 'healthy'], ['FAIL', 'error'], ['WARNING', 'warning'], ['healthy', 'healthy'], ['error', 'error'], ['weird', 'unknown']];
  for (const [status, level] of cases) {
    const h = parseMessage(deployedHealth({ status }), opts).data as HealthData;
    assert.equal(h.level, level, status);
    assert.deepEqual(h.details, { cpu_percent: 91.5, cpu_temp: 78 });
  }
  const nullDetails = parseMessage(deployedHealth({ details: null }), opts).data as HealthData;
  assert.equal(nullDetails.details, null);
  assert.equal(nullDetails.component, 'CPU & RAM');
});

test('the endpoint kind applies when type is absent; body type wins when present', () => {
  const body = { camera_id: '1', timestamp: '2024-12-19T10:00:00Z', status: 'healthy' };
  assert.equal(parseMessage(body, { ...opts, impliedKind: 'health' }).kind, 'health');
  assert.equal(parseMessage({ ...deployedHealth() }, { ...opts, impliedKind: 'detection' }).kind, 'health');
  rejects(body, 'UNKNOWN_TYPE');
  rejects({ ...body, type: 'selfie' }, 'UNKNOWN_TYPE');
});

test('images are decoded once and removed from raw', () => {
  const jpeg = fakeJpeg(5000);
  const crop = fakeJpeg(300);
  const m = parseMessage(deployedDetection({ annotated_image: jpeg.toString('base64'), cropped_plates: [crop.toString('base64'), null], original_image: '' }), opts);
  assert.deepEqual(m.images.map((i) => i.ref.name), ['annotated_image', 'cropped_plate_0']);
  assert.ok(m.images[0]!.data.equals(jpeg));
  assert.equal(m.images[0]!.ref.content_type, 'image/jpeg');
  assert.equal(m.images[1]!.ref.bytes, 300);
  assert.ok(!('annotated_image' in m.raw) && !('cropped_plates' in m.raw));
  const viaDataUrl = parseMessage(deployedDetection({ original_image: `data:image/jpeg;base64,${jpeg.toString('base64')}` }), opts);
  assert.ok(viaDataUrl.images[0]!.data.equals(jpeg));
});

test('dedupe key: stable across a Socket.IO resend with a new timestamp when created_at is present', () => {
  const body = deployedDetection();
  const again = parseMessage({ ...body, timestamp: '2025-08-24T18:00:00.000001' }, opts);
  assert.equal(parseMessage(body, opts).dedupeKey, again.dedupeKey);
  const other = parseMessage({ ...body, created_at: '2025-08-24 11:00:00' }, opts);
  assert.notEqual(other.dedupeKey, again.dedupeKey);
  // Without created_at the timestamp is what tells two records apart.
  const a = { type: 'detection_result', camera_id: '1', timestamp: '2024-12-19T10:00:00Z', vehicles_count: 1, plates_count: 1 };
  assert.notEqual(parseMessage(a, opts).dedupeKey, parseMessage({ ...a, timestamp: '2024-12-19T10:00:01Z' }, opts).dedupeKey);
});

test('dedupe keys are the ones earlier versions stored (the index outlives an upgrade)', () => {
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 7)]);
  const withImage = { type: 'detection_result', camera_id: 'ด่าน-1', timestamp: '2024-12-19T10:00:00Z', vehicles_count: 1, plates_count: 1, plates: [{ text: 'กข 1234' }], original_image: jpeg.toString('base64') };
  const withCreatedAt = { type: 'detection_result', vehicles_count: 0, plates_count: 0, camera_id: '7', timestamp: '2024-12-19T10:00:00Z', created_at: '2024-12-19 17:00:00' };
  // Computed by the gateway before the key was built as one string (createHash + updates).
  assert.equal(parseMessage(withImage, opts).dedupeKey, 'UyiDqNYw7AV9gvGmP1E1MdHALF1UfGF6J2jXaHmbllI');
  assert.equal(parseMessage(withCreatedAt, opts).dedupeKey, 'ufC_hRKrN1lUOVJJiY3VDf6WGoLIfxlyvPMH4lNP-ZE');
});

test('bad input gets a clear, specific error', () => {
  const good = deployedDetection();
  rejects('{nope', 'INVALID_JSON');
  rejects('plain text', 'INVALID_BODY');
  rejects([1, 2], 'INVALID_BODY');
  rejects(null, 'INVALID_BODY');
  rejects({ ...good, aicamera_id: undefined }, 'INVALID_ID');
  for (const id of ['', 'a/b', 'a+b', '#', 'x\u0000y', 'tab\there', 'x'.repeat(65), ' padded']) {
    const err = rejects({ ...good, aicamera_id: id }, 'INVALID_ID');
    assert.equal(err.status, 400);
  }
  rejects({ ...good, checkpoint_id: 'cp/1' }, 'INVALID_ID');
  rejects({ ...good, aicamera_id: { id: 1 } }, 'INVALID_ID');
  rejects({ ...good, timestamp: 'not a time' }, 'INVALID_TIMESTAMP');
  rejects({ ...good, timestamp: undefined, created_at: undefined }, 'VALIDATION_FAILED');
  const missing = rejects({ ...good, vehicles_count: undefined }, 'VALIDATION_FAILED');
  assert.equal(missing.fields?.[0]?.path, 'vehicles_count');
  rejects({ ...good, plates_count: -1 }, 'VALIDATION_FAILED');
  rejects({ ...good, plates_count: 1.5 }, 'VALIDATION_FAILED');
  rejects({ ...good, ocr_results: 'not json' }, 'VALIDATION_FAILED');
  rejects({ ...good, ocr_results: { a: 1 } }, 'VALIDATION_FAILED');
  rejects({ ...good, processing_time_ms: 'slow' }, 'VALIDATION_FAILED');
  rejects({ ...good, annotated_image: 'not*base64!' }, 'INVALID_IMAGE');
  rejects({ ...good, annotated_image: 42 }, 'INVALID_IMAGE');
  rejects({ ...good, cropped_plates: [12] }, 'INVALID_IMAGE');
  rejects({ ...deployedHealth(), status: '' }, 'VALIDATION_FAILED');
  rejects({ ...deployedHealth(), details: '[1,2]' }, 'VALIDATION_FAILED');
});

test('a __proto__ key stays plain data', () => {
  const m = parseMessage(JSON.parse('{"type":"detection_result","camera_id":"1","timestamp":"2024-12-19T10:00:00Z","vehicles_count":1,"plates_count":1,"__proto__":{"polluted":true}}'), opts);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(m.raw), Object.prototype);
  assert.deepEqual(JSON.parse(JSON.stringify(m.raw)).__proto__, { polluted: true });
});

test('a type naming an Object.prototype member is an unknown type, not a crash', () => {
  for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    rejects({ type, camera_id: '!', timestamp: 1 }, 'UNKNOWN_TYPE');
  }
});
