// Camera presence (jobs/camera-presence.ts): a camera silent for offlineAfter is marked
// offline by a status record in the log, once; its next record brings a status record
// saying online. Duplicates and connection tests say nothing. The clock is the test's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { CameraPresence } from '../../src/jobs/camera-presence.js';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import type { StatusData } from '../../src/log/record.js';
import { sampleRecord } from '../conformance/record-log-suite.js';

test('silent cameras go offline once; their next record brings them online; duplicates and tests do not', async () => {
  const log = new MemoryRecordLog();
  await log.open();
  let now = Date.parse('2026-12-07T10:00:00Z');
  const presence = new CameraPresence({ log, logger: pino({ level: 'silent' }), offlineAfterMs: 60_000, gatewayId: 'gw', now: () => now });
  const at = (ms: number) => new Date(ms).toISOString();
  await log.append(sampleRecord({ camera_id: 'a', received_at: at(now) }));
  await log.append(sampleRecord({ camera_id: 'b', received_at: at(now + 30_000) }));
  const statuses = async () => (await log.readAfter(0, 100, ['status'])).map((r) => [r.camera_id, (r.data as unknown as StatusData).state]);

  // Cameras first seen have no state yet: a record from them brings "online".
  for (const camera_id of ['a', 'b']) presence.accepted({ kind: 'detection', camera_id, id: 'x', seq: 1, duplicate: false });
  for (let i = 0; i < 100 && (await statuses()).length < 2; i++) await new Promise((ok) => setImmediate(ok));
  assert.deepEqual(await statuses(), [['a', 'online'], ['b', 'online']]);

  now += 70_000; // a silent for 70 s, b for 40 s
  assert.equal(await presence.sweep(), 1);
  assert.equal(await presence.sweep(), 0, 'already offline: nothing written again');
  const offline = (await log.readAfter(0, 100, ['status'])).at(-1)!;
  assert.deepEqual([offline.camera_id, (offline.data as unknown as StatusData).state, offline.source, offline.gateway_id], ['a', 'offline', 'gateway', 'gw']);
  assert.equal(log.camera('a')?.state, 'offline');

  presence.accepted({ kind: 'detection', camera_id: 'a', id: 'y', seq: 9, duplicate: true });
  presence.accepted({ kind: 'test', camera_id: 'a', id: '', seq: 0, duplicate: false });
  for (let i = 0; i < 20; i++) await new Promise((ok) => setImmediate(ok));
  assert.equal((await statuses()).length, 3, 'a resend or a connection test is no sign of life');
  presence.accepted({ kind: 'detection', camera_id: 'a', id: 'z', seq: 10, duplicate: false });
  for (let i = 0; i < 100 && (await statuses()).length < 4; i++) await new Promise((ok) => setImmediate(ok));
  assert.deepEqual((await statuses()).at(-1), ['a', 'online']);
  await log.close();
});
