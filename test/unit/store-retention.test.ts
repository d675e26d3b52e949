// Retention rules on the in-memory log: undelivered data is aged by running time, never by
// a wall clock that jumps; the default whenFull=refuse never evicts undelivered data for
// space, evict-oldest does (images first).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { StoreRetention, type RetentionOptions } from '../../src/log/store-retention.js';
import { imageRef, sampleRecord } from '../conformance/record-log-suite.js';

const quiet = pino({ level: 'silent' });
const DAY = 86_400_000;

async function setup(over: Partial<RetentionOptions>) {
  const log = new MemoryRecordLog();
  await log.open();
  for (let i = 0; i < 10; i++) await log.append(sampleRecord({ size: 1100, images: [imageRef(100 + i)] }));
  let wall = Date.now();
  let mono = 0;
  const retention = new StoreRetention({
    log, logger: quiet, maxBytes: 0, whenFull: 'refuse', retainDeliveredMs: 7 * DAY, maxUndeliveredAgeMs: 0,
    deliveredSeq: () => 0, now: () => wall, mono: () => mono, ...over,
  });
  return { log, retention, jumpWall: (ms: number) => (wall += ms), run: (ms: number) => (mono += ms) };
}

test('a wall clock jumping months ahead deletes no undelivered record; running time past the limit does', async () => {
  const { log, retention, jumpWall, run } = await setup({ maxUndeliveredAgeMs: 30 * DAY });
  await retention.sweep(); // the first tick marks the backlog
  jumpWall(120 * DAY); // NTP corrects a box that booted in the past
  await retention.sweep();
  assert.equal(log.stats().liveRecords, 10, 'nothing aged by the wall clock');
  run(29 * DAY);
  await retention.sweep();
  assert.equal(log.stats().liveRecords, 10, 'not yet 30 days of running time');
  run(2 * DAY);
  assert.deepEqual(await retention.sweep(), { max_age_undelivered: 10 });
  assert.equal(log.stats().liveRecords, 0);
});

test('whenFull=refuse: over quota with nothing delivered, nothing is evicted; evict-oldest takes images first', async () => {
  const refuse = await setup({ maxBytes: 9000 });
  assert.deepEqual(await refuse.retention.sweep(), {});
  assert.equal(refuse.log.stats().liveRecords, 10);
  const evict = await setup({ maxBytes: 9000, whenFull: 'evict-oldest' }); // 10 lines of ~580 bytes + 10 images of 1000
  const done = await evict.retention.sweep();
  assert.ok((done.undelivered_images ?? 0) > 0 && done.undelivered_records === undefined, JSON.stringify(done));
  assert.ok(evict.log.stats().liveBytes <= 9000);
  const first = await evict.log.get(1);
  assert.equal(first?.images[0]?.evicted, true, 'oldest images first');
});

test('makeRoom frees delivered data only, oldest first, and reports what it freed', async () => {
  const { log, retention } = await setup({ maxBytes: 20_000, deliveredSeq: () => 4 });
  const freed = await retention.makeRoom(() => 2500);
  assert.ok(freed !== undefined && freed >= 2500, `freed ${freed}`);
  const records = await log.readAfter(0, 100);
  assert.ok(records.filter((r) => r.seq > 4).every((r) => !r.images[0]?.evicted), 'undelivered untouched');
  assert.equal(await retention.makeRoom(() => 0), undefined, 'nothing missing: no sweep');
});
