import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { LogConsumer } from '../../src/outbound/log-consumer.js';
import { sampleRecord } from '../conformance/record-log-suite.js';
import { seededRandom, waitUntil } from '../helpers/wait-and-seed.js';

/** A log whose cursor writes take a random while, like a busy LevelDB. */
class SlowCursorLog extends MemoryRecordLog {
  constructor(private readonly random: () => number) {
    super();
  }

  override async setCursor(consumer: string, seq: number): Promise<void> {
    await sleep(this.random() * 3);
    return super.setCursor(consumer, seq);
  }
}

for (const window of [1, 2, 7, 50]) {
  test(`window ${window}: every record delivered in order, out-of-order confirmations, slow cursor saves`, async (t) => {
    const { random } = seededRandom(t);
    const log = new SlowCursorLog(random);
    await log.open();
    for (let i = 0; i < 400; i++) await log.append(sampleRecord());
    const consumer = new LogConsumer({ log, name: 'c', window, logger: pino({ level: 'silent' }), pageSize: 37 });
    const sent: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const run = consumer.run(async (r) => {
      sent.push(r.seq);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(random() * 4);
      inFlight -= 1;
    });
    // Records appended while the consumer runs are picked up too.
    for (let i = 0; i < 50; i++) await log.append(sampleRecord());
    await waitUntil(() => consumer.position() === 450, 20_000, 'position 450', 5);
    consumer.stop();
    await run;
    assert.deepEqual(sent, Array.from({ length: 450 }, (_, i) => i + 1));
    assert.ok(maxInFlight <= window, `${maxInFlight} in flight > window ${window}`);
    assert.equal(await log.getCursor('c'), 450);
    await log.close();
  });
}

test('a failed send ends the run; the next run starts again at the cursor', async () => {
  const log = new MemoryRecordLog();
  await log.open();
  for (let i = 0; i < 20; i++) await log.append(sampleRecord());
  const consumer = new LogConsumer({ log, name: 'c', window: 4, logger: pino({ level: 'silent' }) });
  await assert.rejects(consumer.run(async (r) => {
    if (r.seq === 8) throw new Error('connection lost');
  }), /connection lost/);
  const resumedAt = consumer.position();
  assert.ok(resumedAt >= 3 && resumedAt < 8, `cursor ${resumedAt}`);
  const seen: number[] = [];
  const run = consumer.run(async (r) => {
    seen.push(r.seq);
  });
  await waitUntil(() => consumer.position() === 20, 5000, 'second run');
  consumer.stop();
  await run;
  assert.equal(seen[0], resumedAt + 1);
  await log.close();
});
