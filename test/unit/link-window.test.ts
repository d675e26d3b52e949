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

test('the delivery rate for PUBACK deadlines: measured while busy, kept across idle spells, forgotten on reset', () => {
  const clock = { t: 0 };
  const w = new LinkWindow(OPTS, () => clock.t);
  assert.equal(w.bytesPerMs(), undefined, 'nothing measured yet');
  for (let i = 0; i < 5; i++) {
    w.delivered(125_000); // 125 kB per 100 ms: 1,250 bytes/ms
    clock.t += RESIZE_MS;
    w.resize();
  }
  assert.equal(w.bytesPerMs(), 1250);
  for (let i = 0; i < 50; i++) {
    clock.t += RESIZE_MS; // five seconds with nothing to send
    w.resize();
  }
  assert.equal(w.bytesPerMs(), 1250, 'a quiet spell does not make the link look slow');
  w.delivered(1000); // a trickle: one small message in a resize period
  clock.t += RESIZE_MS;
  w.resize();
  assert.ok(w.bytesPerMs()! < 1250, 'a slower period lowers it');
  w.resetRate();
  assert.equal(w.bytesPerMs(), undefined, 'a new connection measures afresh');
});
