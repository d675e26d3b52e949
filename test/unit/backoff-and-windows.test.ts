// Reconnect backoff, the uplink's byte window and the per-client rate limit: the small
// mechanisms whose edge cases decide whether a gateway floods, stalls or recovers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../src/errors.js';
import { createClientRateLimit } from '../../src/inbound/client-rate-limit.js';
import { Backoff } from '../../src/outbound/backoff.js';
import { ByteWindow } from '../../src/outbound/byte-window.js';

test('backoff doubles from min to max, jittered in the upper half, and resets', () => {
  const low = new Backoff(500, 3000, () => 0);
  assert.deepEqual([1, 2, 3, 4, 5].map(() => low.next()), [250, 500, 1000, 1500, 1500]);
  const high = new Backoff(500, 3000, () => 0.999999);
  assert.deepEqual([1, 2, 3, 4, 5].map(() => high.next()), [500, 1000, 2000, 3000, 3000]);
  high.reset();
  assert.equal(high.next(), 500);
});

test('byte window: one message of any size may go alone; others wait until bytes are released', async () => {
  const w = new ByteWindow(100);
  await w.acquire(500); // larger than the budget, but alone
  let second = false;
  const waiting = w.acquire(10).then(() => (second = true));
  await Promise.resolve();
  assert.equal(second, false, 'waits while the big one is in flight');
  w.release(500);
  await waiting;
  assert.equal(w.bytes, 10);
  await w.acquire(90); // fits exactly
  assert.equal(w.bytes, 100);
  w.release(1000); // over-release never goes negative
  assert.equal(w.bytes, 0);
});

test('client rate limit: a burst, then RATE_LIMITED with Retry-After; refills with time; per address', () => {
  let now = 0;
  const limit = createClientRateLimit(2, 3, () => now);
  for (let i = 0; i < 3; i++) limit.take('10.0.0.1');
  assert.throws(() => limit.take('10.0.0.1'), (e: unknown) => e instanceof GatewayError && e.code === 'RATE_LIMITED' && e.retryAfter === 1);
  limit.take('10.0.0.2'); // another camera is not affected
  now += 500; // one token back at 2/s
  limit.take('10.0.0.1');
  assert.throws(() => limit.take('10.0.0.1'));
  const off = createClientRateLimit(0, 0, () => now);
  for (let i = 0; i < 1000; i++) off.take('10.0.0.1');
});
