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
