// SingleFlight: calls while a run is under way join it; the next call after it ends starts
// a new one; idle() waits for the one under way (and a failed run does not wedge it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SingleFlight } from '../../src/observability/single-flight.js';

test('joined while running, a new run after, idle waits, a failure does not wedge it', async () => {
  let runs = 0;
  let release!: () => void;
  let fail = false;
  const flight = new SingleFlight(() => {
    runs += 1;
    return new Promise<void>((ok, ko) => (release = () => (fail ? ko(new Error('x')) : ok())));
  });
  const a = flight.run();
  const b = flight.run();
  assert.equal(a, b);
  assert.equal(runs, 1);
  let idle = false;
  const waiting = flight.idle().then(() => (idle = true));
  await Promise.resolve();
  assert.equal(idle, false, 'idle waits for the run under way');
  release();
  await Promise.all([a, waiting]);
  assert.equal(idle, true);
  fail = true;
  const c = flight.run();
  assert.equal(runs, 2, 'a new run once the last ended');
  release();
  await assert.rejects(c);
  fail = false;
  const d = flight.run();
  assert.equal(runs, 3, 'a failed run does not wedge it');
  release();
  await d;
  await flight.idle();
});
