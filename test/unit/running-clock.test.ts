// The running clock (log/running-clock.ts): time counts only while the gateway runs (a
// monotonic clock the test moves), survives a restart through the store, and says which
// seqs are older than an age of running time — never a record appended after a mark.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyMemoryLogState, MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { RunningClock } from '../../src/log/running-clock.js';
import { sampleRecord } from '../conformance/record-log-suite.js';

test('counts running time only, across a restart, and bounds record ages by its marks', async () => {
  const state = emptyMemoryLogState();
  const log = new MemoryRecordLog(state);
  await log.open();
  let mono = 1000;
  const clock = new RunningClock(log, 100, () => mono);
  assert.equal(clock.seqOlderThan(0), 0, 'nothing known before the first tick');
  await log.append(sampleRecord());
  await log.append(sampleRecord());
  assert.equal(await clock.tick(), 0);
  mono += 500;
  await log.append(sampleRecord());
  assert.equal(await clock.tick(), 500);
  assert.equal(clock.seqOlderThan(400), 2, 'seqs 1-2 were there 500 ms of running ago');
  assert.equal(clock.seqOlderThan(600), 0);
  await log.close();

  // Powered off for a long while: a new process, its monotonic clock starts anywhere.
  const again = new MemoryRecordLog(state);
  await again.open();
  mono = 5;
  const restarted = new RunningClock(again, 100, () => mono);
  mono += 200;
  assert.equal(await restarted.tick(), 700, 'the 500 before plus the 200 since the restart; the time off does not count');
  assert.equal(restarted.seqOlderThan(600), 2);
  assert.equal(restarted.seqOlderThan(150), 3);
  mono -= 50;
  assert.equal(await restarted.tick(), 700, 'a clock going back adds nothing');
  await again.close();
});
