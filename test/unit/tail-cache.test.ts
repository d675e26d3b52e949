// The tail cache (log/tail-cache.ts): answers only for seqs it holds contiguously up to its
// end, drops by count and by age, and empties when traffic stops. A clock the test moves
// decides age; the idle timer is the real one, with a limit of a few ms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredRecord } from '../../src/log/record.js';
import { TailCache } from '../../src/log/tail-cache.js';

const recs = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ seq: from + i }) as StoredRecord);
const seqs = (rs: StoredRecord[] | undefined) => rs?.map((r) => r.seq);

test('answers from the first seq it holds; before that, undefined (read the store)', () => {
  const tail = new TailCache({ records: 100, ms: 60_000 });
  assert.equal(tail.after(0, 10), undefined, 'empty');
  tail.add(recs(5, 4));
  assert.deepEqual(seqs(tail.after(4, 10)), [5, 6, 7, 8]);
  assert.deepEqual(seqs(tail.after(6, 1)), [7]);
  assert.deepEqual(seqs(tail.after(8, 10)), [], 'at the end: nothing newer, and no store read needed');
  assert.equal(tail.after(3, 10), undefined, 'seq 4 is not in it');
  tail.clear();
  assert.equal(tail.after(4, 10), undefined);
});

test('bounded by count and by age', () => {
  let now = 1000;
  const tail = new TailCache({ records: 5, ms: 100 }, () => now);
  tail.add(recs(1, 4));
  tail.add(recs(5, 3));
  assert.deepEqual(seqs(tail.after(2, 10)), [3, 4, 5, 6, 7], 'the oldest two went by count');
  assert.equal(tail.after(1, 10), undefined);
  now += 150;
  tail.add(recs(8, 1));
  assert.deepEqual(seqs(tail.after(7, 10)), [8], 'older than 100 ms went by age');
  assert.equal(tail.after(6, 10), undefined);
  tail.clear();
});

test('an idle tail empties itself', async () => {
  const tail = new TailCache({ records: 10, ms: 5 });
  tail.add(recs(1, 2));
  for (let i = 0; i < 200 && tail.after(0, 10) !== undefined; i++) await new Promise((ok) => setTimeout(ok, 5));
  assert.equal(tail.after(0, 10), undefined);
});
