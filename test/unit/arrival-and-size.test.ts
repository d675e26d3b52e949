// Per-connection order (ingest/arrival-order.ts): a turn is ready only when every earlier
// one is done, whatever order they finish in. And the approximate JSON size of a decoded
// Socket.IO payload (ingest/approx-json-bytes.ts), which enforces the size limit: never
// under the real size by more than a little, at most twice it (small numbers count 8),
// and the size of an image-carrying message within a few percent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArrivalOrder } from '../../src/ingest/arrival-order.js';
import { approxJsonBytes } from '../../src/ingest/approx-json-bytes.js';

test('turns are ready in arrival order; ending one twice changes nothing', async () => {
  const order = new ArrivalOrder();
  const ready: number[] = [];
  const turns = [0, 1, 2].map((i) => {
    const t = order.take();
    void t.ready.then(() => ready.push(i));
    return t;
  });
  await new Promise((ok) => setImmediate(ok));
  assert.deepEqual(ready, [0], 'the first is ready at once');
  turns[2]!.done(); // the last finishes first: it waited for nobody to notice
  await new Promise((ok) => setImmediate(ok));
  assert.deepEqual(ready, [0]);
  turns[0]!.done();
  turns[0]!.done();
  await new Promise((ok) => setImmediate(ok));
  assert.deepEqual(ready, [0, 1]);
  turns[1]!.done();
  await new Promise((ok) => setImmediate(ok));
  assert.deepEqual(ready, [0, 1, 2]);
});

test('the approximate size follows the JSON size of typical and odd payloads', () => {
  const payloads: unknown[] = [
    { type: 'detection_result', camera_id: 'cam-1', timestamp: '2024-12-19T10:00:00Z', original_image: 'A'.repeat(200_000), cropped_plates: ['B'.repeat(5000), 'C'.repeat(5000)] },
    { plates: Array.from({ length: 50 }, (_, i) => ({ text: `กข${i}`, confidence: 0.9, box: [1, 2, 3, 4] })) },
    [], {}, 'text', 42, null, true,
  ];
  for (const p of payloads) {
    const real = Buffer.byteLength(JSON.stringify(p));
    const approx = approxJsonBytes(p);
    assert.ok(approx >= real * 0.9 - 16 && approx <= real * 2 + 16, `${approx} for ${real} bytes: ${JSON.stringify(p).slice(0, 40)}`);
  }
  const image = payloads[0]!;
  assert.ok(Math.abs(approxJsonBytes(image) / Buffer.byteLength(JSON.stringify(image)) - 1) < 0.01, 'what the limit is for: big base64 strings');
  assert.equal(approxJsonBytes(Buffer.alloc(1000)), 1000, 'a binary attachment counts its bytes');
  let deep: unknown = 'x';
  for (let i = 0; i < 1000; i++) deep = [deep];
  assert.ok(approxJsonBytes(deep) < 1000, 'nesting past 64 levels is not walked (parse-message refuses it anyway)');
});
