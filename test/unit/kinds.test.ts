// The kind table: each kind's members as they go into the record line, and every kind
// rendered into a line that reads back as the same record (log/record-line.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KIND_OF_TYPE, KINDS, recordTopic } from '../../src/kinds/index.js';
import { decodeLine, GENESIS_HASH, hashOfLine, renderRest, sealLine } from '../../src/log/record-line.js';
import { ID_MEMBER, type AlertData, type RecordKind } from '../../src/log/record.js';
import { imageRef, sampleRecord } from '../conformance/record-log-suite.js';

const parts = { id: 'r1', camera_id: 'cam', checkpoint_id: 'cp', images: [] };

test('detection: the camera\'s fields pass through, the normalised ones replace theirs, the gateway\'s names are not the camera\'s', () => {
  const raw = { type: 'detection_result', aicamera_id: '7', firmware: 'v2', ocr_results: '["กข 1"]', seq: 'cam-seq', hash: 'x', kind: 'y', plates: ['fake'] };
  const data = KINDS.detection.data({ ...raw, ocr_results: ['กข 1'], vehicles_count: 1, plates_count: 1 });
  const m = KINDS.detection.members({ ...parts, raw, data });
  assert.equal(m.firmware, 'v2');
  assert.deepEqual(m.ocr_results, ['กข 1'], 'the parsed list, not the text');
  assert.deepEqual(m.plates, ['กข 1'], 'the gateway\'s reading, not the camera\'s field');
  for (const k of ['type', 'aicamera_id', 'seq', 'hash', 'kind', 'images']) assert.equal(k in m, false, k);
});

test('health keeps its level; status and alert are the gateway\'s own members', () => {
  const h = KINDS.health.members({ ...parts, raw: { status: 'FAIL', cpu: 90 }, data: KINDS.health.data({ component: 'cpu', status: 'FAIL' }) });
  assert.deepEqual([h.status, h.level, h.cpu], ['FAIL', 'error', 90]);
  assert.deepEqual(KINDS.status.members({ ...parts, raw: {}, data: { state: 'offline', last_seen: 't' } }), { state: 'offline', last_seen: 't' });
  const alert: AlertData = {
    detection_id: 'd1', detection_seq: 4, plate: 'กข 1', plate_key: 'กข1', match: 'exact',
    entry: { plate: 'กข 1', key: 'กข1', reason: 'stolen', level: 'critical', note: null, expires_at: null, fuzzy: false, source: 'local' },
    images: [{ name: 'original_image', content_type: 'image/jpeg', bytes: 3, sha256: 'a'.repeat(64) }],
  };
  const a = KINDS.alert.members({ ...parts, raw: {}, data: alert });
  assert.deepEqual([a.detection_id, a.level, a.reason], ['d1', 'critical', 'stolen']);
  assert.deepEqual((a.images as { topic: string; url: string }[]).map((i) => [i.topic, i.url]), [['lpr/cp/cam/image/d1/original_image', `/api/images/${'a'.repeat(64)}`]]);
});

test('every kind: its topic, its id member, a line that reads back as the record it was', () => {
  for (const kind of Object.keys(KINDS) as RecordKind[]) {
    // Camera data that looks like the gateway's own members, nested, must not confuse reading.
    const data = { extra: kind, nested: { images: [1], kind: 'x' }, text: ',"images":[] "quoted"', list: [{ a: 'ก' }], ...JSON.parse('{"__proto__":{"p":1}}') };
    const r = sampleRecord({ kind, camera_id: 'cam', checkpoint_id: 'cp', data, images: kind === 'detection' ? [imageRef(1)] : [] });
    const { line, hash } = sealLine(renderRest(r), 3, GENESIS_HASH);
    assert.equal(hashOfLine(line), hash);
    const back = decodeLine(line);
    assert.deepEqual([back.kind, back.id, back.seq, back.camera_id, back.gateway_id, back.data.extra], [kind, r.id, 3, 'cam', r.gateway_id, kind]);
    assert.equal(JSON.parse(line.toString())[ID_MEMBER[kind]], r.id);
    assert.deepEqual(back.images.map((i) => i.sha256), r.images.map((i) => i.sha256));
    assert.deepEqual(back.data, JSON.parse(JSON.stringify(r.data)), 'the kind\'s members read back as they went in');
    assert.equal(recordTopic(r), `lpr/cp/cam/${KINDS[kind].topicSuffix}`);
  }
  assert.equal(KIND_OF_TYPE.get('detection_result'), 'detection');
  assert.equal(KIND_OF_TYPE.get('camera_register'), 'register');
});
