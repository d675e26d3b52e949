import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BufferPool } from '../../src/ingest/image-buffers.js';

const pool = () => new BufferPool({ maxBuffers: 2, maxBytes: 10_000, minBytes: 1000, keepMs: 60_000 });

test('a buffer given back is lent again for an image that fits, once', () => {
  const p = pool();
  const a = p.take(3000);
  p.give(a.subarray(0, 2500)); // the image's view, as ingest hands it back
  p.give(a); // twice: ignored
  assert.equal(p.size(), 1);
  const b = p.take(2000);
  assert.equal(b.buffer, a.buffer, 'the same memory');
  assert.ok(b.length >= 2000);
  assert.equal(p.reused, 1);
  assert.equal(p.size(), 0);
  const c = p.take(2000);
  assert.notEqual(c.buffer, a.buffer, 'a lent buffer is never lent twice at once');
  p.clear();
});

test('only what the pool lent comes back; small, far too big and surplus buffers are not kept', () => {
  const p = pool();
  p.give(Buffer.allocUnsafeSlow(4000)); // never lent
  const small = p.take(500); // under minBytes: not tracked
  p.give(small);
  assert.equal(p.size(), 0);
  const big = p.take(8000);
  p.give(big);
  assert.notEqual(p.take(1500).buffer, big.buffer, 'an 8000-byte buffer is not spent on a 1500-byte image');
  p.clear();
  const [x, y, z] = [p.take(3000), p.take(3000), p.take(3000)];
  for (const b of [x, y, z]) p.give(b);
  assert.equal(p.size(), 2, 'at most maxBuffers kept');
  p.clear();
  assert.equal(p.size(), 0);
});
