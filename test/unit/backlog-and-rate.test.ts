// The backlog as data (outbound/backlog-monitor.ts) and the drain's rate cap
// (outbound/rate-limiter.ts). The monitor is sampled at times the test gives; the cap is
// checked by what it lets through at once and what it makes wait, never by how long.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { BacklogMonitor } from '../../src/outbound/backlog-monitor.js';
import { LogConsumer } from '../../src/outbound/log-consumer.js';
import { RateLimiter } from '../../src/outbound/rate-limiter.js';
import { sampleRecord } from '../conformance/record-log-suite.js';

test('records waiting, their bytes, the oldest one\'s age, the drain rate and an ETA; none of the last two while offline', async () => {
  const log = new MemoryRecordLog();
  await log.open();
  const t0 = Date.parse('2026-12-07T10:00:00Z');
  for (let i = 0; i < 10; i++) await log.append(sampleRecord({ received_at: new Date(t0 + i * 1000).toISOString(), size: 200 }));
  const consumer = new LogConsumer({ log, name: 'uplink', window: 4, logger: pino({ level: 'silent' }) });
  await consumer.load();
  let online = true;
  const monitor = new BacklogMonitor(log, consumer, () => online);
  await monitor.sample(t0 + 20_000);
  assert.deepEqual(monitor.snapshot(t0 + 20_000), {
    records: 10, bytes: log.stats().bytes, oldest_received_at: new Date(t0).toISOString(), oldest_age_s: 20, drain_rate_per_s: 0, eta_s: null, cursor: 0, last_seq: 10,
  });
  // Four delivered in the next two seconds: 2/s, so the other six take 3 s.
  const run = consumer.run((r) => (r.seq <= 4 ? Promise.resolve() : new Promise<void>(() => {}))); // 5… never confirmed
  for (let i = 0; i < 1000 && consumer.position() < 4; i++) await new Promise((ok) => setImmediate(ok));
  consumer.stop();
  await run;
  await monitor.sample(t0 + 22_000);
  const s = monitor.snapshot(t0 + 22_000);
  assert.deepEqual([s.records, s.cursor, s.drain_rate_per_s, s.eta_s, s.oldest_received_at], [6, 4, 2, 3, new Date(t0 + 4000).toISOString()]);
  online = false;
  await monitor.sample(t0 + 23_000);
  assert.deepEqual([monitor.snapshot(t0 + 23_000).drain_rate_per_s, monitor.snapshot(t0 + 23_000).eta_s], [0, null], 'offline: no rate, no ETA');
  await log.close();
});

test('the rate cap: none → never waits; N per second → N at once, then the next waits for a token', async () => {
  const free = new RateLimiter(0);
  for (let i = 0; i < 1000; i++) assert.equal(free.take(), undefined);
  const capped = new RateLimiter(5);
  for (let i = 0; i < 5; i++) assert.equal(capped.take(), undefined, `token ${i + 1} of the burst`);
  const wait = capped.take();
  assert.ok(wait instanceof Promise, 'the sixth waits');
  await wait;
});
