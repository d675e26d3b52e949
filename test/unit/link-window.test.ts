// The uplink's JSON window against modelled links: a window of messages in flight comes
// back once per round trip, at most as fast as the link carries bytes. The window must
// open up where round trips are what limits (a LAN, a distant cloud), settle at about
// queueMs of traffic where the link is (a weak line), and stay within [min, max].
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LinkWindow } from '../../src/outbound/link-window.js';

const MESSAGE = 1300;
const RESIZE_MS = 100;
const OPTS = { min: 64, max: 2000, queueMs: 2000 };

interface Link {
  roundTripMs: number;
  bytesPerSecond: number;
}

/** Runs `resizes` resize periods over `link`; returns the window after each. */
function drive(w: LinkWindow, clock: { t: number }, link: Link, resizes: number, demand = Infinity): number[] {
  const out: number[] = [];
  for (let i = 0; i < resizes; i++) {
    const byWindow = (w.window * RESIZE_MS) / link.roundTripMs;
    const byLink = (link.bytesPerSecond * RESIZE_MS) / 1000 / MESSAGE;
    const acked = Math.floor(Math.min(byWindow, byLink, demand));
    for (let k = 0; k < acked; k++) w.acked();
    clock.t += RESIZE_MS;
    out.push(w.resize());
  }
  return out;
}

function fresh(opts = OPTS): { w: LinkWindow; clock: { t: number } } {
  const clock = { t: 0 };
  return { w: new LinkWindow(opts, () => clock.t), clock };
}

test('starts at min; opens to max within a second where round trips limit (LAN, distant cloud)', () => {
  for (const roundTripMs of [2, 50, 150]) {
    const { w, clock } = fresh();
    assert.equal(w.window, 64);
    const sizes = drive(w, clock, { roundTripMs, bytesPerSecond: 100e6 }, 8);
    assert.equal(sizes[3], 2000, `round trip ${roundTripMs} ms: ${sizes.join(' ')}`);
    assert.ok(sizes.slice(3).every((s) => s === 2000), `stays at max: ${sizes.join(' ')}`);
  }
});

test('a weak link: settles near queueMs of traffic, not the max (1 Mbit/s: about 190 messages)', () => {
  const { w, clock } = fresh();
  const link = { roundTripMs: 40, bytesPerSecond: 125_000 };
  const sizes = drive(w, clock, link, 40);
  const fits = Math.floor((link.bytesPerSecond * 2) / MESSAGE); // 192
  for (const s of sizes.slice(10)) assert.ok(s >= fits * 0.75 && s <= fits * 1.25, `window ${s}, expected about ${fits}: ${sizes.join(' ')}`);
});

test('a link that slows down shrinks the window; one that recovers opens it again', () => {
  const { w, clock } = fresh();
  drive(w, clock, { roundTripMs: 50, bytesPerSecond: 100e6 }, 8);
  assert.equal(w.window, 2000);
  const slow = drive(w, clock, { roundTripMs: 50, bytesPerSecond: 62_500 }, 20);
  assert.ok(slow[slow.length - 1]! <= 120, `slowed to 0.5 Mbit/s: ${slow.join(' ')}`);
  const fast = drive(w, clock, { roundTripMs: 50, bytesPerSecond: 100e6 }, 8);
  assert.equal(fast[fast.length - 1], 2000, `recovered: ${fast.join(' ')}`);
});

test('quiet: no acknowledgements bring the window back to min, never below; max caps, min never exceeds it', () => {
  const { w, clock } = fresh();
  drive(w, clock, { roundTripMs: 10, bytesPerSecond: 100e6 }, 6);
  assert.equal(w.window, 2000);
  const quiet = drive(w, clock, { roundTripMs: 10, bytesPerSecond: 100e6 }, 20, 0);
  assert.equal(quiet[quiet.length - 1], 64);
  assert.ok(quiet.every((s) => s >= 64 && s <= 2000));
  const small = fresh({ min: 64, max: 20, queueMs: 2000 });
  assert.equal(small.w.window, 20);
  assert.ok(drive(small.w, small.clock, { roundTripMs: 5, bytesPerSecond: 100e6 }, 10).every((s) => s === 20));
  // A resize with no time passed changes nothing.
  assert.equal(small.w.resize(), 20);
});

test('the delivery rate for PUBACK deadlines: over 30 s with idle time, kept through a quiet spell and (a quarter of it) a reconnect, never a burst read as a fast link', () => {
  const clock = { t: 0 };
  const w = new LinkWindow(OPTS, () => clock.t);
  const tick = (bytes: number) => {
    w.delivered(bytes);
    clock.t += RESIZE_MS;
    w.resize();
  };
  assert.equal(w.bytesPerMs(), undefined, 'nothing measured yet');
  tick(0);
  assert.equal(w.bytesPerMs(), undefined, 'nothing delivered yet');
  for (let i = 0; i < 10; i++) tick(125_000);
  assert.equal(w.bytesPerMs(), (10 * 125_000) / 1100, 'from the start of the connection, the quiet first 100 ms included');
  for (let i = 0; i < 300; i++) tick(125_000);
  assert.equal(w.bytesPerMs(), 1250, '125 kB per 100 ms over the last 30 s: 1,250 bytes/ms');
  for (let i = 0; i < 400; i++) tick(0); // 40 s with nothing to send
  assert.equal(w.bytesPerMs(), 1250, 'a quiet spell keeps the last rate: a fast link is not taken for a slow one');
  w.resetRate();
  assert.equal(w.bytesPerMs(), 1250 / 4, 'a new connection starts from a quarter of the last rate');
  // A weak line from the start of its connection: never read above what it carried.
  const fresh = new LinkWindow(OPTS, () => clock.t);
  for (let t = 1; t <= 80; t++) {
    fresh.delivered(t % 75 === 0 ? 300_000 : 0);
    clock.t += RESIZE_MS;
    fresh.resize();
  }
  assert.ok(fresh.bytesPerMs()! <= 40, `a 300 kB image acknowledged 7.5 s into the connection reads as at most 40 bytes/ms (${fresh.bytesPerMs()})`);
  // A weak line: 40 kB/s, each 300 kB image acknowledged in one go, every 7.5 s.
  const weak = new LinkWindow(OPTS, () => clock.t);
  const tickWeak = (bytes: number) => {
    weak.delivered(bytes);
    clock.t += RESIZE_MS;
    weak.resize();
  };
  for (let t = 1; t <= 600; t++) tickWeak(t % 75 === 0 ? 300_000 : 0);
  const rate = weak.bytesPerMs()!;
  assert.ok(rate <= 2 * 40, `the weak line reads as at most twice its 40 bytes/ms (${rate.toFixed(1)}), not the 3,000 one resize would show`);
  assert.ok(rate >= 20, `nor far below it (${rate.toFixed(1)})`);
});
