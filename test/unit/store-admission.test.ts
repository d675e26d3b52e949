// StoreAdmission: the floor holds against a reading that does not move (statfs answers
// before what was admitted is on the disk), the message in hand counts, and the quota is hard.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { StoreAdmission } from '../../src/log/store-admission.js';

const MB = 1024 * 1024;

async function openLog(): Promise<MemoryRecordLog> {
  const log = new MemoryRecordLog();
  await log.open();
  return log;
}

async function admitted(a: StoreAdmission, bytes: number): Promise<boolean> {
  try {
    await a.admit(bytes);
    return true;
  } catch (err) {
    assert.equal((err as { code?: string }).code, 'STORE_FULL');
    return false;
  }
}

test('a stale reading: what was admitted since counts as gone, so the floor holds', async () => {
  const log = await openLog();
  // The disk says 50 MB free however much is admitted (the reading lags the writes).
  const a = new StoreAdmission({ log, dir: '.', minFreeBytes: 40 * MB, maxBytes: 0, freeBytes: () => 50 * MB, cacheMs: 60_000 });
  const results: boolean[] = [];
  for (let i = 0; i < 10; i++) results.push(await admitted(a, 2 * MB));
  assert.deepEqual(results, [true, true, true, true, true, false, false, false, false, false]);
  assert.ok(a.usage().disk_free_bytes >= 40 * MB);
});

test('the message in hand counts: one that would cross the floor is refused, a smaller one is not', async () => {
  const log = await openLog();
  const a = new StoreAdmission({ log, dir: '.', minFreeBytes: 40 * MB, maxBytes: 0, freeBytes: () => 41 * MB, cacheMs: 60_000 });
  assert.equal(await admitted(a, 2 * MB), false);
  assert.equal(await admitted(a, MB / 2), true);
});

test('space that comes back is seen: near the floor every message reads the disk anew', async () => {
  const log = await openLog();
  let free = 41 * MB;
  const a = new StoreAdmission({ log, dir: '.', minFreeBytes: 40 * MB, maxBytes: 0, freeBytes: () => free, cacheMs: 60_000 });
  assert.equal(await admitted(a, 2 * MB), false);
  free = 100 * MB; // an operator freed space
  assert.equal(await admitted(a, 2 * MB), true);
});

test('the quota is hard: reservations held until released count against it', async () => {
  const log = await openLog();
  const a = new StoreAdmission({ log, dir: '.', minFreeBytes: 0, maxBytes: 10 * MB, freeBytes: () => 1e12 });
  const held = [await a.admit(4 * MB), await a.admit(4 * MB)];
  assert.equal(await admitted(a, 4 * MB), false);
  held[0]!();
  assert.equal(await admitted(a, 4 * MB), true);
});
