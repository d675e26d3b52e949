// The uplink's priority lane (outbound/priority-lane.ts): open alerts go first, oldest
// first, each once, never what the JSON lane already confirmed; its cursor is durable, so
// after a restart the JSON lane still skips what the lane sent; a failed send is logged
// and leaves the record to the JSON lane.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { MemoryRecordLog, emptyMemoryLogState } from '../../src/log/memory-record-log.js';
import type { StoredRecord } from '../../src/log/record.js';
import { PriorityLane } from '../../src/outbound/priority-lane.js';
import { sampleRecord } from '../conformance/record-log-suite.js';

async function setup(state = emptyMemoryLogState()) {
  const log = new MemoryRecordLog(state);
  await log.open();
  return log;
}

test('alerts ahead of the JSON lane go once, oldest first; what it confirmed is left to it; the cursor survives a restart', async () => {
  const state = emptyMemoryLogState();
  const log = await setup(state);
  for (let i = 0; i < 10; i++) await log.append(sampleRecord({ kind: i % 3 === 0 ? 'alert' : 'detection' })); // alerts at 1, 4, 7, 10
  let json = 2; // the JSON lane has confirmed up to seq 2
  const open = [10, 1, 7, 4];
  const lane = new PriorityLane({ log, logger: pino({ level: 'silent' }), seqs: () => open, jsonPosition: () => json });
  await lane.load();
  const sent: number[] = [];
  await lane.run(async (r) => void sent.push(r.seq));
  assert.deepEqual(sent, [4, 7, 10], 'seq 1 is the JSON lane\'s (confirmed), the rest in order');
  await lane.run(async (r) => void sent.push(r.seq));
  assert.deepEqual(sent, [4, 7, 10], 'each once');
  assert.deepEqual([1, 4, 7, 10].map((seq) => lane.sent({ kind: 'alert', seq })), [true, true, true, true]);
  assert.equal(lane.sent({ kind: 'detection', seq: 5 }), false, 'only alerts are skipped by the JSON lane');
  await log.close();
  const again = await setup(state);
  const after = new PriorityLane({ log: again, logger: pino({ level: 'silent' }), seqs: () => [], jsonPosition: () => json });
  await after.load();
  assert.equal(after.sent({ kind: 'alert', seq: 10 }), true, 'the cursor is durable');
  json = 10;
  assert.equal(after.sent({ kind: 'alert', seq: 11 }), false);
});

test('a failed send is logged, not thrown; the record is not marked sent', async () => {
  const log = await setup();
  await log.append(sampleRecord({ kind: 'alert' }));
  const warnings: string[] = [];
  const logger = { warn: (_o: unknown, m: string) => void warnings.push(m) } as unknown as pino.Logger;
  const lane = new PriorityLane({ log, logger, seqs: () => [1], jsonPosition: () => 0 });
  await lane.load();
  await lane.run(async (_r: StoredRecord) => {
    throw new Error('broker gone');
  });
  assert.match(warnings[0] ?? '', /priority lane: send failed/);
  assert.equal(lane.sent({ kind: 'alert', seq: 1 }), false, 'left to the JSON lane');
});
