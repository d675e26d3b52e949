// Each kind module of src/kinds/ on its own: how cameras name it, what its data rules take
// and refuse (deployed cameras' quirks included), its reply body, and the members a camera
// cannot shadow. kinds.test.ts checks the table as a whole; this, each entry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alert } from '../../src/kinds/alert.js';
import { CONNECTION_TEST, connectionTestReply, isConnectionTest } from '../../src/kinds/connection-test.js';
import { detection } from '../../src/kinds/detection.js';
import { health } from '../../src/kinds/health.js';
import { healthLevel, plateTexts } from '../../src/kinds/message-schemas.js';
import { kindMembers } from '../../src/kinds/pass-through.js';
import { register } from '../../src/kinds/register.js';
import { status } from '../../src/kinds/status.js';
import { gatewayCheckpointTopic, gatewayStatusTopic, imageTopic } from '../../src/kinds/topics.js';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    const e = err as { code: string; fields?: { path: string }[] };
    return [e.code, e.fields?.[0]?.path];
  }
  return assert.fail('expected a refusal');
};

test('detection: counts as numeric text, lists as JSON text, plates from OCR objects or strings; a wrong count is refused by field', () => {
  assert.deepEqual([detection.types, detection.restPath, detection.socket, detection.images, detection.retained], [
    ['detection_result', 'detection'], '/api/detection', { event: 'lpr_data', reply: 'lpr_response' }, true, false,
  ]);
  const d = detection.data({ vehicles_count: '2', plates_count: 1, ocr_results: '[{"text":"กข 1234","confidence":0.9}, "AB12"]', vehicle_detections: null }) as Record<string, unknown>;
  assert.deepEqual(d, { vehicles_count: 2, plates_count: 1, ocr_results: [{ text: 'กข 1234', confidence: 0.9 }, 'AB12'], vehicle_detections: [], plate_detections: [], processing_time_ms: null, plates: ['กข 1234', 'AB12'] });
  assert.deepEqual(refusal(() => detection.data({ vehicles_count: -1, plates_count: 0 })), ['VALIDATION_FAILED', 'vehicles_count']);
  assert.deepEqual(refusal(() => detection.data({ vehicles_count: 1, plates_count: 1, ocr_results: 'not a list' })), ['VALIDATION_FAILED', 'ocr_results']);
  assert.deepEqual(detection.reply({ id: 'D1', camera_id: 'c' }), { success: true, message: 'Detection data received', detection_id: 'D1' });
  assert.deepEqual(plateTexts([{ text: 'A' }, 7, null, { no: 'text' }, 'B']), ['A', 'B']);
});

test('health: both vocabularies map to one level; details as JSON text; an empty status is refused', () => {
  const h = health.data({ component: 'camera', status: 'FAIL', details: '{"fps":0}' }) as Record<string, unknown>;
  assert.deepEqual(h, { component: 'camera', status: 'FAIL', message: null, details: { fps: 0 }, level: 'error' });
  assert.deepEqual(['healthy', 'PASS', 'ok', 'Warning', 'WARN', 'critical', 'failed', 'weird'].map(healthLevel), ['healthy', 'healthy', 'healthy', 'warning', 'warning', 'error', 'error', 'unknown']);
  assert.deepEqual(refusal(() => health.data({ status: '  ' })), ['VALIDATION_FAILED', 'status']);
  assert.deepEqual(health.reply({ id: 'H1', camera_id: 'c' }), { success: true, message: 'Health data received', health_id: 'H1' });
  assert.deepEqual(health.socket, { event: 'health_status', reply: 'health_response' });
});

test('register takes no timestamp and keeps the camera\'s fields; status and alert are the gateway\'s own, never sent by cameras', () => {
  assert.equal(register.timestampOptional, true);
  assert.deepEqual(register.reply({ id: 'R1', camera_id: 'cam' }), { success: true, message: 'Camera registered successfully', camera_id: 'cam', registration_id: 'R1' });
  const parts = { id: 'R1', camera_id: 'cam', checkpoint_id: 'cp', data: {}, images: [] };
  assert.deepEqual(register.members({ ...parts, raw: { model: 'X1', firmware: '2.0', camera_id: 'cam' } }), { model: 'X1', firmware: '2.0' });
  assert.deepEqual([status.types, status.retained, status.topicSuffix], [[], true, 'status'], 'the last status of a camera stays on the broker');
  assert.deepEqual([alert.types, alert.retained, alert.socket], [[], false, undefined]);
});

test('a camera field named like the gateway\'s members never shadows them; __proto__ stays plain data', () => {
  const raw = JSON.parse('{"hash":"x","seq":1,"kind":"k","detection_id":"d","site":"north","__proto__":{"polluted":true}}') as Record<string, unknown>;
  const m = kindMembers(raw, { plates: ['A'] }, ['plates']);
  assert.deepEqual(Object.keys(m), ['site', '__proto__', 'plates']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(m), Object.prototype);
});

test('the connection test is no record kind; topics of the gateway\'s own tree', () => {
  assert.equal(isConnectionTest(CONNECTION_TEST), true);
  assert.equal(isConnectionTest('detection'), false);
  assert.deepEqual(Object.keys(connectionTestReply()), ['success', 'message', 'timestamp']);
  assert.equal(imageTopic({ id: 'D1', camera_id: 'cam', checkpoint_id: 'cp' }, { name: 'original_image' }), 'lpr/cp/cam/image/D1/original_image');
  assert.equal(gatewayStatusTopic('gw'), 'lpr/gateway/gw/status');
  assert.equal(gatewayCheckpointTopic('gw'), 'lpr/gateway/gw/checkpoint');
});
