import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LevelRecordLog } from '../../src/log/level-record-log.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { recordLogConformance, sampleRecord } from './record-log-suite.js';

recordLogConformance('LevelRecordLog', {
  async create(opts = {}) {
    const tmp = makeTempDir();
    const make = () => new LevelRecordLog({ dedupeWindowMs: 86_400_000, maxBatchRecords: 100, ...opts, location: join(tmp.dir, 'log') });
    return { log: make(), reopen: make, cleanup: tmp.remove };
  },
});

// A clean close writes LevelDB's memtable out, so the next start has no write-ahead log
// to replay into memory (the memtable is large: see WRITE_BUFFER_BYTES).
test('LevelRecordLog: a clean close leaves no write-ahead log to replay, and every record reads back', async () => {
  const tmp = makeTempDir();
  const location = join(tmp.dir, 'log');
  const walBytes = () => readdirSync(location).filter((f) => f.endsWith('.log')).reduce((n, f) => n + statSync(join(location, f)).size, 0);
  try {
    const log = new LevelRecordLog({ dedupeWindowMs: 86_400_000, location });
    await log.open();
    for (let i = 0; i < 200; i++) await log.append(sampleRecord({ data: { i, text: 'x'.repeat(500) } }), { dedupeKey: `k${i}` });
    assert.ok(walBytes() > 100_000, `the records are in the write-ahead log while open (${walBytes()} bytes)`);
    await log.close();
    assert.equal(walBytes(), 0, 'nothing left to replay after a clean close');
    const again = new LevelRecordLog({ dedupeWindowMs: 86_400_000, location });
    await again.open();
    const back = await again.readAfter(0, 1000);
    assert.deepEqual(back.map((r) => (r.data as { i: number }).i), Array.from({ length: 200 }, (_, i) => i));
    assert.equal((await again.findDuplicate('k199'))?.seq, 200, 'the dedupe rows came through too');
    await again.close();
  } finally {
    tmp.remove();
  }
});
