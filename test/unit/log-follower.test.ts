import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { LogFollower } from '../../src/outbound/log-follower.js';
import { sampleRecord } from '../conformance/record-log-suite.js';
import { waitUntil } from '../helpers/wait-and-seed.js';

test('a follower with a pause between pages does not pause after a full page (a backlog is followed at once)', async () => {
  const log = new MemoryRecordLog();
  await log.open();
  for (let i = 0; i < 250; i++) await log.append(sampleRecord());
  const pages: number[] = [];
  // The pause is far longer than the test may take: every full page must be followed
  // without it, and only the short last page may wait.
  const follower = new LogFollower({
    log, name: 'f', logger: pino({ level: 'silent' }), pageSize: 100, minIntervalMs: 600_000,
    handle: async (page) => {
      pages.push(page.length);
    },
  });
  await follower.start();
  try {
    await waitUntil(() => follower.position() === 250, 10_000, 'the follower at seq 250');
    assert.deepEqual(pages, [100, 100, 50]);
  } finally {
    await follower.stop(); // ends the pause after the short page too
    await log.close();
  }
});

/** Counts cursor writes. */
class CountingLog extends MemoryRecordLog {
  cursorWrites = 0;

  override setCursor(consumer: string, seq: number): Promise<void> {
    if (consumer === 'f') this.cursorWrites += 1;
    return super.setCursor(consumer, seq);
  }
}

test('followed at once, a busy log is handled page by page with few cursor writes; stop() saves where it got to', async () => {
  const log = new CountingLog();
  await log.open();
  let pages = 0;
  const follower = new LogFollower({ log, name: 'f', logger: pino({ level: 'silent' }), handle: async () => void (pages += 1) });
  await follower.start();
  const writesAtStart = log.cursorWrites;
  const t0 = Date.now();
  try {
    // One append at a time, each followed before the next: a page per append.
    for (let i = 0; i < 300; i++) {
      await log.append(sampleRecord());
      await follower.reached(log.lastSeq());
    }
    const elapsed = Date.now() - t0;
    const writes = log.cursorWrites - writesAtStart;
    assert.ok(pages >= 300, `${pages} pages`);
    // At most one write per 200 ms while pages come (plus the first).
    assert.ok(writes <= 2 + elapsed / 200, `${writes} cursor writes for ${pages} pages in ${elapsed} ms`);
  } finally {
    await follower.stop();
  }
  assert.equal(await log.getCursor('f'), 300, 'the position is saved at stop');
  await log.close();
});
