// The parked list (outbound/parked-records.ts): entries per consumer, durable in the log's
// `parked` table, counted from memory, and held from every "delivered" eviction — before
// the list is read, every record is (nothing parked may be evicted in that moment).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyMemoryLogState, MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { ParkedRecords, type ParkedRecord } from '../../src/outbound/parked-records.js';
import { sampleRecord } from '../conformance/record-log-suite.js';

const entry = (consumer: string, seq: number, reason = 'refused'): ParkedRecord => ({ consumer, seq, id: `id-${seq}`, reason, detail: 'd', at: '2026-12-07T00:00:00.000Z' });

test('park, list in seq order, count per consumer, unpark once; the list survives a reopen', async () => {
  const state = emptyMemoryLogState();
  const log = new MemoryRecordLog(state);
  await log.open();
  const parked = new ParkedRecords(log);
  await parked.load();
  await parked.park(entry('uplink', 9, 'too_large'));
  await parked.park(entry('forward', 4));
  await parked.park(entry('uplink', 2));
  assert.deepEqual(parked.list().map((p) => [p.consumer, p.seq]), [['uplink', 2], ['forward', 4], ['uplink', 9]]);
  assert.deepEqual(parked.list('uplink').map((p) => p.seq), [2, 9]);
  assert.deepEqual(parked.list('local'), []);
  assert.deepEqual([parked.count(), parked.count('uplink'), parked.count('forward'), parked.count('local')], [3, 2, 1, 0]);
  assert.equal(await parked.unpark('uplink', 4), false, 'parked for another consumer');
  assert.equal(await parked.unpark('forward', 4), true);
  assert.equal(await parked.unpark('forward', 4), false, 'once');
  await log.close();

  const again = new MemoryRecordLog(state);
  await again.open();
  const reread = new ParkedRecords(again);
  assert.equal(reread.count(), 0, 'nothing counted before it is read');
  assert.throws(() => reread.list(), { code: 'STORE_UNAVAILABLE', status: 503 }, 'not read yet: refused as the store is, never an empty list');
  await reread.load();
  assert.deepEqual(reread.list(), [entry('uplink', 2), entry('uplink', 9, 'too_large')]);
  await again.close();
});

test('a parked record is held from "delivered" eviction; before load() every record is; unparked, it may go', async () => {
  const log = new MemoryRecordLog();
  await log.open();
  for (let i = 0; i < 4; i++) await log.append(sampleRecord());
  const all = await log.readAfter(0, 10);
  const parked = new ParkedRecords(log);
  await log.evict({ reason: 'delivered_records', remove: all.slice(0, 1), stripImages: [] });
  assert.equal((await log.readAfter(0, 10)).length, 4, 'the list is not read yet: everything is held');
  await parked.load();
  await parked.park(entry('uplink', 2));
  await log.evict({ reason: 'delivered_records', remove: all.slice(0, 3), stripImages: [] });
  assert.deepEqual((await log.readAfter(0, 10)).map((r) => r.seq), [2, 4]);
  await parked.unpark('uplink', 2);
  await log.evict({ reason: 'retention_delivered', remove: all.slice(0, 3), stripImages: [] });
  assert.deepEqual((await log.readAfter(0, 10)).map((r) => r.seq), [4]);
  await log.close();
});
