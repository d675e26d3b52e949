// Property tests: whatever JSON a client sends, validation either accepts it with sane,
// topic-safe ids and normalised fields, or rejects it with a GatewayError — it never
// throws anything else, never pollutes prototypes, never lets a bad id through.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { GatewayError } from '../../src/errors.js';
import { parseMessage } from '../../src/ingest/parse-message.js';
import { topicIdProblem } from '../../src/ingest/topic-safe-id.js';

const opts = { timeZone: 'Asia/Bangkok', defaultCheckpointId: 'cp', now: Date.UTC(2025, 0, 1) };

function check(input: unknown): void {
  try {
    const m = parseMessage(input, { ...opts, impliedKind: 'detection' });
    assert.equal(topicIdProblem(m.camera_id), undefined, `bad camera id accepted: ${JSON.stringify(m.camera_id)}`);
    assert.equal(topicIdProblem(m.checkpoint_id), undefined);
    assert.ok(!Number.isNaN(Date.parse(m.time)));
    assert.equal(typeof m.dedupeKey, 'string');
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    assert.ok(err.status >= 400 && err.status < 500, `${err.code} is not a client error`);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'prototype polluted');
}

const idLike = fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.constantFrom('', '/', '+', '#', 'a/b', '\u0000', '__proto__', 'constructor', '..', 'กข', ' x'));
const hostileKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'type', 'camera_id', 'aicamera_id');

test('arbitrary JSON values never crash validation', () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => check(v)), { numRuns: 2000 });
});

test('detection-shaped objects with hostile fields: accepted sanely or rejected cleanly', () => {
  const message = fc.record({
    type: fc.oneof(fc.constant('detection_result'), fc.constant('health_check'), fc.string()),
    camera_id: idLike, aicamera_id: idLike, checkpoint_id: idLike,
    timestamp: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string(), fc.integer(), fc.constant('2025-08-24T17:53:54.123456')),
    vehicles_count: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.string()),
    plates_count: fc.oneof(fc.nat(), fc.string()),
    ocr_results: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 3 })), fc.json(), fc.string()),
    annotated_image: fc.oneof(fc.base64String(), fc.string({ maxLength: 40 }), fc.constant(null)),
    status: fc.oneof(fc.constantFrom('PASS', 'FAIL', 'WARNING', 'healthy'), fc.string()),
    details: fc.oneof(fc.json(), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), fc.constant(null)),
  }, { requiredKeys: [] });
  fc.assert(fc.property(message, fc.dictionary(hostileKeys, fc.jsonValue({ maxDepth: 3 })), (m, extra) => {
    // Built through JSON.parse, as a server receives it: "__proto__" arrives as a plain key.
    check(JSON.parse(JSON.stringify({ ...m, ...extra })));
  }), { numRuns: 2000 });
});

test('deep nesting and huge arrays are handled without stack overflow', () => {
  let deep: unknown = 'x';
  for (let i = 0; i < 5000; i++) deep = [deep];
  check({ type: 'detection_result', camera_id: '1', timestamp: '2025-01-01T00:00:00Z', vehicles_count: 1, plates_count: 1, ocr_results: [deep] });
  check({ type: 'detection_result', camera_id: '1', timestamp: '2025-01-01T00:00:00Z', vehicles_count: 1, plates_count: 1, vehicle_detections: new Array(200_000).fill({ bbox: [1, 2, 3, 4] }) });
});
