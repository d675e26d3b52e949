// The MQTT payload of a record: unknown camera fields pass through, the gateway's
// normalised fields win, "__proto__" stays data, images are listed with their topics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredRecord } from '../../src/log/record.js';
import { recordPayload } from '../../src/outbound/record-payloads.js';
import { imageRef, sampleRecord } from '../conformance/record-log-suite.js';

test('a detection: camera extras kept, normalised fields replace the raw ones, images with topics', () => {
  const raw = JSON.parse('{"type":"detection_result","aicamera_id":"cam-9","ocr_results":"[\\"AB 12\\"]","firmware":"2.1","__proto__":{"x":1}}') as Record<string, unknown>;
  const r: StoredRecord = {
    ...sampleRecord({
      camera_id: 'cam-9', checkpoint_id: 'cp', raw, images: [imageRef(5)],
      data: { vehicles_count: 1, plates_count: 1, plates: ['AB 12'], ocr_results: ['AB 12'], vehicle_detections: [], plate_detections: [], processing_time_ms: null },
    }),
    seq: 42, hash: 'h'.repeat(64), prev_hash: 'p'.repeat(64),
  };
  const p = recordPayload(r, 'gw-1');
  assert.equal(p.firmware, '2.1');
  assert.equal(Object.hasOwn(p, '__proto__'), true, 'kept as a plain field');
  assert.equal(Object.getPrototypeOf(p), Object.prototype, 'never a prototype');
  assert.deepEqual(p.ocr_results, ['AB 12'], 'the parsed list, not the JSON text');
  assert.equal(p.aicamera_id, undefined);
  assert.deepEqual([p.detection_id, p.seq, p.gateway_id, p.camera_id, p.hash, p.prev_hash], [r.id, 42, 'gw-1', 'cam-9', r.hash, r.prev_hash]);
  const [image] = p.images as { name: string; sha256: string; topic: string }[];
  assert.equal(image!.sha256, imageRef(5).sha256);
  assert.match(image!.topic, new RegExp(`^lpr/cp/cam-9/image/${r.id}/original_image$`));
});

test('health and status records carry their own fields', () => {
  const health: StoredRecord = { ...sampleRecord({ kind: 'health', raw: { cpu_temp: 71 }, data: { component: 'CPU & RAM', status: 'PASS', level: 'healthy', message: null, details: { cpu: 3 } } }), seq: 1 };
  const hp = recordPayload(health, 'gw');
  assert.deepEqual([hp.health_id, hp.level, hp.component, hp.cpu_temp], [health.id, 'healthy', 'CPU & RAM', 71]);
  const status: StoredRecord = { ...sampleRecord({ kind: 'status', data: { state: 'offline', last_seen: '2026-01-01T00:00:00.000Z' } }), seq: 2 };
  const sp = recordPayload(status, 'gw');
  assert.deepEqual([sp.state, sp.last_seen, sp.seq], ['offline', '2026-01-01T00:00:00.000Z', 2]);
  assert.equal(sp.detection_id, undefined);
});

test('a camera field named like a gateway field carries the gateway\'s value, for every published kind', () => {
  const raw = { seq: 'cam-seq', hash: 'cam-hash', gateway_id: 'spoofed', detection_id: 'x', health_id: 'x', registration_id: 'x', images: 'x', plates: 'x', received_at: 'x', extra: 1 };
  const kinds = [
    { kind: 'detection', id: 'detection_id', data: { vehicles_count: 0, plates_count: 0, plates: [], ocr_results: [], vehicle_detections: [], plate_detections: [], processing_time_ms: null } },
    { kind: 'health', id: 'health_id', data: { component: null, status: 'ok', level: 'healthy', message: null, details: null } },
    { kind: 'register', id: 'registration_id', data: {} },
  ] as const;
  for (const k of kinds) {
    const r: StoredRecord = { ...sampleRecord({ kind: k.kind, raw: { ...raw }, data: k.data as StoredRecord['data'] }), seq: 9, hash: 'h'.repeat(64) };
    const p = recordPayload(r, 'gw');
    assert.deepEqual([p[k.id], p.seq, p.hash, p.gateway_id, p.received_at, p.extra], [r.id, 9, r.hash, 'gw', r.received_at, 1], k.kind);
    if (k.kind === 'detection') assert.deepEqual([p.images, p.plates], [[], []]);
    // Published as JSON: each field once.
    const text = JSON.stringify(p);
    assert.equal(text.split('"seq":').length, 2, `${k.kind}: one seq in ${text}`);
  }
});
