import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupCommit } from '../../src/log/group-commit.js';

test('a lone item is written at once; items arriving during a write share the next batch', async () => {
  const batches: number[][] = [];
  let release: () => void = () => {};
  const gc = new GroupCommit<number, number>(async (items) => {
    batches.push(items);
    if (batches.length === 1) await new Promise<void>((ok) => (release = ok));
    return items.map((i) => i * 10);
  }, 100);
  const first = gc.submit(1);
  await new Promise((ok) => setImmediate(ok));
  const rest = [2, 3, 4].map((i) => gc.submit(i));
  release();
  assert.deepEqual(await Promise.all([first, ...rest]), [10, 20, 30, 40]);
  assert.deepEqual(batches, [[1], [2, 3, 4]]);
});

test('batches are capped and a failed batch rejects only its own items', async () => {
  const sizes: number[] = [];
  const gc = new GroupCommit<number, number>(async (items) => {
    sizes.push(items.length);
    if (items.includes(-1)) throw new Error('disk error');
    return items;
  }, 3);
  const results = await Promise.allSettled([1, 2, -1, 4, 5, 6, 7].map((i) => gc.submit(i)));
  assert.deepEqual(sizes, [3, 3, 1]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  await gc.drain();
  assert.equal(gc.pending, 0);
});
