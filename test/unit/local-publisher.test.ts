// Local delivery never stops for good: a failed publish is retried from the cursor, and a
// log read that fails while the store reopens is waited out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { LogConsumer } from '../../src/outbound/log-consumer.js';
import { runLocalDelivery } from '../../src/outbound/local-publisher.js';
import { sampleRecord } from '../conformance/record-log-suite.js';

const quiet = pino({ level: 'silent' });

async function waitUntil(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(5);
  }
}

test('publish errors are retried with backoff from the cursor; every record arrives', async () => {
  const log = new MemoryRecordLog();
  await log.open();
  for (let i = 0; i < 20; i++) await log.append(sampleRecord());
  const consumer = new LogConsumer({ log, name: 'local', window: 4, logger: quiet });
  const delivered: number[] = [];
  let failuresLeft = 3;
  const delivery = runLocalDelivery(consumer, async (r) => {
    if (r.seq === 7 && failuresLeft > 0) {
      failuresLeft -= 1;
      throw new Error('broker refused');
    }
    delivered.push(r.seq);
  }, quiet);
  try {
    await waitUntil(() => consumer.position() === 20, 'all 20 delivered');
    assert.equal(delivery.failures(), 3);
    assert.deepEqual([...new Set(delivered)].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
    // Records in flight behind the failed one are sent again after it (at-least-once),
    // so the last copies are in seq order.
    const lastCopies = [...new Map(delivered.map((seq, i) => [seq, i])).entries()].sort((a, b) => a[1] - b[1]).map(([seq]) => seq);
    assert.deepEqual(lastCopies, Array.from({ length: 20 }, (_, i) => i + 1));
    await log.append(sampleRecord());
    await waitUntil(() => consumer.position() === 21, 'a later record, after the failures');
  } finally {
    await delivery.stop();
  }
});

test('a log read that fails (store reopening) is waited out, not fatal', async () => {
  let failReads = 2;
  class FlakyLog extends MemoryRecordLog {
    override async readAfter(...args: Parameters<MemoryRecordLog['readAfter']>) {
      if (failReads > 0) {
        failReads -= 1;
        throw new Error('store reopening');
      }
      return super.readAfter(...args);
    }
  }
  const log = new FlakyLog();
  await log.open();
  for (let i = 0; i < 5; i++) await log.append(sampleRecord());
  const consumer = new LogConsumer({ log, name: 'local', window: 4, logger: quiet });
  const sent: number[] = [];
  const run = consumer.run(async (r) => void sent.push(r.seq));
  try {
    await waitUntil(() => consumer.position() === 5, 'delivery after the failed reads', 5000);
    assert.deepEqual(sent, [1, 2, 3, 4, 5]);
    assert.equal(failReads, 0);
  } finally {
    consumer.stop();
    await run;
  }
});
