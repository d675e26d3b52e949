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

/** A log whose reads fail now and then, like LevelDB while the store reopens. */
class FlakyReadLog extends MemoryRecordLog {
  reads = 0;
  failed = 0;

  override async readAfter(...args: Parameters<MemoryRecordLog['readAfter']>) {
    this.reads += 1;
    await sleep(1); // the next page is read while this one is sent
    if (this.reads % 3 === 2) {
      this.failed += 1;
      throw new Error('store reopening');
    }
    return super.readAfter(...args);
  }
}

test('page reads that fail (the page read ahead too) are read again: every record once, in order', async () => {
  const log = new FlakyReadLog();
  await log.open();
  for (let i = 0; i < 300; i++) await log.append(sampleRecord());
  const consumer = new LogConsumer({ log, name: 'c', window: 16, logger: pino({ level: 'silent' }), pageSize: 25 });
  const sent: number[] = [];
  const run = consumer.run(async (r) => {
    sent.push(r.seq);
    await sleep(0);
  });
  await waitUntil(() => consumer.position() === 300, 20_000, 'position 300', 5);
  consumer.stop();
  await run;
  assert.deepEqual(sent, Array.from({ length: 300 }, (_, i) => i + 1));
  assert.ok(log.failed >= 4, `${log.failed} reads failed`);
  await log.close();
});

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

/** A log whose durable writes wait until let go, like a slow fsync. */
class HeldCommitLog extends MemoryRecordLog {
  gate: Promise<void> = Promise.resolve();
  reads = 0;
  onRead: () => void = () => {};

  protected override async _commit(plan: Parameters<MemoryRecordLog['_commit']>[0]): Promise<void> {
    await this.gate;
    return super._commit(plan);
  }

  override readAfter(...args: Parameters<MemoryRecordLog['readAfter']>) {
    this.reads += 1;
    this.onRead();
    return super.readAfter(...args);
  }
}

test('caught up while a batch is being synced: the consumer waits for it, never reads in a loop', async () => {
  const log = new HeldCommitLog();
  await log.open();
  await log.append(sampleRecord());
  const consumer = new LogConsumer({ log, name: 'c', window: 8, logger: pino({ level: 'silent' }) });
  // A spinning loop never yields: stop it from inside, or the test could not even time out.
  log.onRead = () => {
    if (log.reads > 1000) consumer.stop();
  };
  const sent: number[] = [];
  const run = consumer.run(async (r) => {
    sent.push(r.seq);
  });
  await waitUntil(() => consumer.position() === 1, 5000, 'first record');
  let release!: () => void;
  log.gate = new Promise((ok) => (release = ok));
  const appending = log.append(sampleRecord());
  await waitUntil(() => log.lastSeq() === 2, 5000, 'seq 2 reserved');
  const readsWhileHeld = log.reads;
  consumer.setWindow(8); // wakes the loop, as its heartbeat or a finished send would
  // The batch stays unsynced: its seq is counted, its record not readable. The woken loop
  // reads once, finds nothing, and must then wait: counted over 50 turns of the event loop
  // (not a span of time), a loop that reads again on every turn or microtask shows here.
  await waitUntil(() => log.reads > readsWhileHeld, 5000, 'the woken loop to read');
  for (let turn = 0; turn < 50; turn++) await new Promise((ok) => setImmediate(ok));
  assert.ok(log.reads - readsWhileHeld <= 2, `${log.reads - readsWhileHeld} reads while the batch was held`);
  release();
  await appending;
  await waitUntil(() => consumer.position() === 2, 5000, 'record 2 after the sync');
  consumer.stop();
  await run;
  assert.deepEqual(sent, [1, 2]);
  await log.close();
});

test('advanced(): resolves when the cursor moves (not on a timer), or at its bound; stop() wakes waiters', async () => {
  const log = new MemoryRecordLog();
  await log.open();
  await log.append(sampleRecord());
  const consumer = new LogConsumer({ log, name: 'c', window: 4, logger: pino({ level: 'silent' }) });
  let release: (() => void) | undefined;
  const held = new Promise<void>((ok) => (release = ok));
  const run = consumer.run(() => held);
  let moved = false;
  const waiting = consumer.advanced(60_000).then(() => (moved = true));
  await new Promise((ok) => setImmediate(ok));
  assert.equal(moved, false, 'nothing confirmed yet');
  release!();
  await waiting;
  assert.equal(consumer.position(), 1);
  const t0 = Date.now();
  await consumer.advanced(20); // nothing more to move: the bound ends the wait
  assert.ok(Date.now() - t0 < 5000);
  const woken = consumer.advanced(60_000);
  consumer.stop();
  await woken; // would take a minute if stop() did not wake it
  await run;
});
