import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCameraTime } from '../../src/ingest/parse-timestamp.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

test('ISO 8601 UTC and offsets are taken as given', () => {
  assert.equal(iso(parseCameraTime('2024-12-19T10:00:00Z', 'Asia/Bangkok')), '2024-12-19T10:00:00.000Z');
  assert.equal(iso(parseCameraTime('2024-12-19T17:00:00+07:00', 'UTC')), '2024-12-19T10:00:00.000Z');
  assert.equal(iso(parseCameraTime('2024-12-19T05:30:00-0430', 'UTC')), '2024-12-19T10:00:00.000Z');
});

test('naive local time with microseconds is read in the camera zone', () => {
  assert.equal(iso(parseCameraTime('2025-08-24T17:53:54.123456', 'Asia/Bangkok')), '2025-08-24T10:53:54.123Z');
  assert.equal(iso(parseCameraTime('2025-08-24T17:53:54.123456', 'UTC')), '2025-08-24T17:53:54.123Z');
});

test('naive time across a DST change uses the offset in force then', () => {
  assert.equal(iso(parseCameraTime('2025-01-15 12:00:00', 'Europe/Berlin')), '2025-01-15T11:00:00.000Z');
  assert.equal(iso(parseCameraTime('2025-07-15 12:00:00', 'Europe/Berlin')), '2025-07-15T10:00:00.000Z');
});

test('SQLite form and epoch numbers', () => {
  assert.equal(iso(parseCameraTime('2025-08-24 10:53:54', 'UTC')), '2025-08-24T10:53:54.000Z');
  assert.equal(iso(parseCameraTime(1734602400, 'UTC')), '2024-12-19T10:00:00.000Z');
  assert.equal(iso(parseCameraTime(1734602400123, 'UTC')), '2024-12-19T10:00:00.123Z');
});

test('impossible or malformed times are rejected', () => {
  for (const bad of ['2025-02-30T10:00:00Z', '2025-08-24T25:00:00', 'yesterday', '', '2025-13-01', '2024-12-19T10:00:00+25:00', null, {}, -5, Number.NaN]) {
    assert.equal(parseCameraTime(bad, 'Asia/Bangkok'), undefined, `accepted ${String(bad)}`);
  }
});
