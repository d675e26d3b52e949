// PUBACK deadlines (outbound/puback-tracker.ts), on node:test's mock clock: an unmeasured
// link gets ackTimeout plus its bytes at the slowest rate; a measured one a few seconds plus
// a margin; a lost PUBACK fails at its deadline, a late one after that changes nothing;
// failAll ends every wait; only acknowledged bytes count as delivered.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { DEADLINE_MARGIN, MEASURED_BASE_MS, MIN_LINK_RATE, PubackTracker } from '../../src/outbound/puback-tracker.js';

function tracker(rate?: number) {
  let now = 0;
  const delivered: number[] = [];
  const t = new PubackTracker({ ackTimeoutMs: 10_000, bytesPerMs: () => rate, delivered: (b) => delivered.push(b), now: () => now });
  return { t, delivered, advance: (ms: number) => { now += ms; mock.timers.tick(ms); } };
}

test('deadlines: unmeasured, measured, and the bytes ahead count', () => {
  const slow = tracker();
  assert.equal(slow.t.deadlineMs(4096), 10_000 + 1000, 'ackTimeout + its bytes at MIN_LINK_RATE');
  const fast = tracker(1000); // 1 MB/s
  assert.equal(fast.t.deadlineMs(100_000), MEASURED_BASE_MS + (DEADLINE_MARGIN * 100_000) / 1000);
  const crawl = tracker(0.001);
  assert.equal(crawl.t.deadlineMs(MIN_LINK_RATE), 11_000, 'never longer than the unmeasured deadline');
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    void fast.t.track('a', 50_000, () => {}).catch(() => {});
    assert.equal(fast.t.bytesInFlight, 50_000);
    assert.equal(fast.t.deadlineMs(50_000), MEASURED_BASE_MS + (DEADLINE_MARGIN * 100_000) / 1000, 'behind 50 kB in flight');
    fast.t.failAll(new Error('end'));
  } finally {
    mock.timers.reset();
  }
});

test('a PUBACK in time resolves and counts as delivered; a lost one fails at its deadline, not before', async () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const { t, delivered, advance } = tracker(1000);
    let ack: ((err?: Error) => void) | undefined;
    const ok = t.track('lpr/a', 2000, (done) => (ack = done));
    ack!();
    await ok;
    assert.deepEqual(delivered, [2000]);
    assert.equal(t.bytesInFlight, 0);
    let late: ((err?: Error) => void) | undefined;
    const lost = t.track('lpr/b', 1000, (done) => (late = done));
    let failed: Error | undefined;
    lost.catch((e: Error) => (failed = e));
    const due = MEASURED_BASE_MS + DEADLINE_MARGIN * 1;
    advance(due - 1000);
    await Promise.resolve();
    assert.equal(failed, undefined, 'not before its deadline');
    advance(2000);
    await assert.rejects(lost, /no PUBACK for lpr\/b in \d+ ms/);
    late!(); // a PUBACK after the deadline: already settled
    assert.deepEqual(delivered, [2000], 'a late PUBACK is not counted');
    assert.equal(t.pending, 0);
  } finally {
    mock.timers.reset();
  }
});

test('errors from the client and failAll end the waits; a new connection starts with nothing in flight', async () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const { t } = tracker();
    await assert.rejects(t.track('x', 10, (done) => done(new Error('refused'))), /refused/);
    const a = t.track('y', 10, () => {});
    const b = t.track('z', 10, () => {});
    assert.equal(t.pending, 2);
    t.failAll(new Error('uplink stopped'));
    await assert.rejects(a, /uplink stopped/);
    await assert.rejects(b, /uplink stopped/);
    void t.track('w', 500, () => {}).catch(() => {});
    t.newConnection();
    assert.equal(t.bytesInFlight, 0);
    t.failAll(new Error('end'));
  } finally {
    mock.timers.reset();
  }
});
