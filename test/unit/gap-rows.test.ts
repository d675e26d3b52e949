// Removed runs of the chain as rows (log/gap-rows.ts): runs found by their links, not by
// consecutive seqs; a run next to a row grows it, on either side; a run between two rows
// joins them; any order of removal ends in the same rows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { planGaps } from '../../src/log/gap-rows.js';
import type { GapRow } from '../../src/log/record-log.js';
import type { StoredRecord } from '../../src/log/record.js';

/** A chain of n records (seqs with holes, as failed batches leave them): only seq, hash and prev_hash matter here. */
function chain(n: number): StoredRecord[] {
  const out: StoredRecord[] = [];
  for (let i = 0; i < n; i++) {
    const seq = i * 2 + 1;
    out.push({ seq, hash: `h${seq}`, prev_hash: i === 0 ? 'h0' : out[i - 1]!.hash } as StoredRecord);
  }
  return out;
}

/** Applies a plan to rows. */
const apply = (rows: GapRow[], plan: ReturnType<typeof planGaps>) =>
  [...rows.filter((g) => !plan.del.includes(g.from_seq) && !plan.put.some((p) => p.from_seq === g.from_seq)), ...plan.put].sort((a, b) => a.from_seq - b.from_seq);

test('runs by links: seq holes do not split a run, a kept record does', () => {
  const c = chain(6); // seqs 1,3,5,7,9,11
  const plan = planGaps([], [c[0]!, c[1]!, c[3]!, c[4]!], 'delivered_records');
  assert.deepEqual(plan.put.map((g) => [g.from_seq, g.to_seq, g.records, g.prev_hash, g.last_hash]), [[1, 3, 2, 'h0', 'h3'], [7, 9, 2, 'h5', 'h9']]);
  assert.deepEqual(plan.del, []);
});

test('a run between two rows joins them into one', () => {
  const c = chain(5);
  let rows = apply([], planGaps([], [c[0]!, c[1]!], 'a'));
  rows = apply(rows, planGaps(rows, [c[3]!], 'b'));
  assert.equal(rows.length, 2);
  const plan = planGaps(rows, [c[2]!], 'c');
  rows = apply(rows, plan);
  assert.deepEqual(rows.map((g) => [g.from_seq, g.to_seq, g.records, g.prev_hash, g.last_hash]), [[1, 7, 4, 'h0', 'h7']]);
  assert.deepEqual(rows[0]!.reasons.sort(), ['a', 'b', 'c']);
  assert.deepEqual(plan.del.sort(), [7].sort(), 'the later row was merged away');
});

test('any order of removal ends in the same rows', () => {
  fc.assert(fc.property(fc.array(fc.subarray([...Array(12).keys()], { minLength: 1 }), { minLength: 1, maxLength: 5 }), (batches) => {
    const c = chain(12);
    let rows: GapRow[] = [];
    const removed = new Set<number>();
    for (const b of batches) {
      const fresh = b.filter((i) => !removed.has(i));
      fresh.forEach((i) => removed.add(i));
      rows = apply(rows, planGaps(rows, fresh.map((i) => c[i]!), 'r'));
    }
    // Expected: maximal runs of consecutive removed indexes.
    const runs: [number, number][] = [];
    for (let i = 0; i < 12; i++) {
      if (!removed.has(i)) continue;
      const last = runs.at(-1);
      if (last && last[1] === i - 1) last[1] = i;
      else runs.push([i, i]);
    }
    assert.deepEqual(rows.map((g) => [g.from_seq, g.to_seq, g.records, g.prev_hash, g.last_hash]),
      runs.map(([a, b]) => [c[a]!.seq, c[b]!.seq, b - a + 1, c[a]!.prev_hash, c[b]!.hash]));
  }), { seed: 7, numRuns: 200 });
});
