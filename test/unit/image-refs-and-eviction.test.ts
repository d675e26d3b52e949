// Image reference counts and the accounting of an eviction, shared by both log backends:
// a file leaves the quota only with its last reference; stripped records stay as they are
// (the log marks their images evicted beside them: see the conformance suite).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyTotals } from '../../src/log/camera-stats.js';
import { planEviction } from '../../src/log/eviction-plan.js';
import { ownBytes, planRefs, refDeltas } from '../../src/log/image-refs.js';
import type { StoredRecord } from '../../src/log/record.js';
import { imageRef, sampleRecord } from '../conformance/record-log-suite.js';

// Sizes given outright (the log derives them from the line): the accounting is what is tested.
const rec = (seq: number, images: number[], size = 1500): StoredRecord => ({
  ...sampleRecord({ size, images: images.map((i) => imageRef(i, 1000)) }), seq, hash: '', prev_hash: '', line: Buffer.alloc(0),
});

test('a shared file: counted once when first referenced, freed only with its last reference', () => {
  const a = rec(1, [1, 2], 2500);
  const b = rec(2, [2], 1500);
  const add = planRefs(refDeltas([a, b], 1), [0, 0]);
  assert.deepEqual(add.refs, [[imageRef(1).sha256, 1], [imageRef(2).sha256, 2]]);
  assert.equal(add.addedBytes, 2000, 'two distinct files');
  const dropA = planRefs(refDeltas([a], -1), [1, 2]);
  assert.deepEqual(dropA.freed, [imageRef(1).sha256], 'file 2 still has b');
  assert.equal(dropA.freedBytes, 1000);
  const dropB = planRefs(refDeltas([b], -1), [1]);
  assert.deepEqual(dropB.freed, [imageRef(2).sha256]);
  assert.equal(ownBytes(a), 500);
});

test('evicted images count no more references', () => {
  const r = { ...rec(1, [1, 2]), images: [{ ...imageRef(1, 1000), evicted: true }, imageRef(2, 1000)] };
  assert.deepEqual([...refDeltas([r], -1).keys()], [imageRef(2).sha256]);
});

test('planEviction: removed records leave the live totals, stripped ones stay, counted by reason', () => {
  const totals = { ...emptyTotals(), liveRecords: 3, liveBytes: 500 * 3 + 2000 };
  const removed = rec(1, [1], 1500);
  const stripped = rec(2, [2], 1500);
  const refs = planRefs(refDeltas([removed, stripped], -1), [1, 1]);
  const effect = planEviction('delivered_images', [removed], [stripped], refs, totals);
  assert.equal(effect.totals.liveRecords, 2);
  assert.equal(effect.totals.liveBytes, 1000, 'removed record 500 + both files 2000 left');
  assert.equal(effect.totals.evictions.delivered_images, 2);
  assert.equal(totals.liveRecords, 3, 'the input totals are not changed');
});
