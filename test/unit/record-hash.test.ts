// The chain serialises each new record once: the stored JSON must be exactly the record,
// and its hash must be what a verifier recomputes from that stored form.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson } from '../../src/log/canonical-json.js';
import { chain, GENESIS_HASH, prepareHash, recordHash } from '../../src/log/record-hash.js';
import type { StoredRecord } from '../../src/log/record.js';
import { imageRef, sampleRecord } from '../conformance/record-log-suite.js';

test('chain: each stored JSON parses back to the record, and its hash recomputes from it', () => {
  fc.assert(fc.property(
    fc.array(fc.record({ raw: fc.dictionary(fc.string(), fc.jsonValue()), images: fc.nat(3), size: fc.nat() }), { minLength: 1, maxLength: 5 }),
    (specs) => {
      const stored: StoredRecord[] = specs.map((s, i) => ({
        ...sampleRecord({ raw: s.raw as Record<string, unknown>, size: s.size, images: Array.from({ length: s.images }, (_, k) => imageRef(k + 1)) }),
        seq: i + 1,
      }));
      const { head, encoded } = chain(stored, GENESIS_HASH);
      let prev = GENESIS_HASH;
      stored.forEach((r, i) => {
        const back = JSON.parse(encoded[i]!.toString()) as StoredRecord;
        assert.deepEqual(back, JSON.parse(JSON.stringify(r)));
        assert.equal(back.prev_hash, prev);
        assert.equal(recordHash({ ...back, prev_hash: back.prev_hash! }), back.hash);
        // And by docs/EVIDENCE.md's definition, independently of record-hash.ts.
        const { hash: _h, size: _s, ...rest } = back;
        const content = { ...rest, images: back.images.map(({ evicted: _e, ...img }) => img) };
        assert.equal(createHash('sha256').update(canonicalJson(content)).digest('hex'), back.hash);
        prev = back.hash!;
      });
      assert.equal(head, prev);
    },
  ), { numRuns: 200 });
});

/** The hash by docs/EVIDENCE.md's definition, from a record's stored JSON. */
function evidenceHash(back: StoredRecord): string {
  const { hash: _h, size: _s, ...rest } = back;
  const content = { ...rest, images: back.images.map(({ evicted: _e, ...img }) => img) };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

test('hashed text made ahead for many records (as appends do, before the batch), big and odd ones among them', () => {
  const records: StoredRecord[] = Array.from({ length: 300 }, (_, i) => {
    const r: StoredRecord = { ...sampleRecord({ raw: { n: i, note: 'กข'.repeat(i % 7 === 0 ? 12_000 : 40) } }), seq: i + 1 };
    // Members that sort before, between and after the two spliced in (prev_hash, seq), or none.
    if (i % 5 === 1) Object.assign(r, { aa: i, pz: [i], sa: { b: 1, a: 2 }, zz: 'z' });
    if (i % 5 === 2) delete (r as Partial<StoredRecord>).raw;
    return r;
  });
  const prepared = records.map((r) => prepareHash(r)); // all before any is chained
  const { encoded } = chain(records, GENESIS_HASH, prepared);
  let prev = GENESIS_HASH;
  records.forEach((r, i) => {
    const back = JSON.parse(encoded[i]!.toString()) as StoredRecord;
    assert.deepEqual(back, JSON.parse(JSON.stringify(r)), `record ${i}`);
    assert.equal(back.prev_hash, prev);
    assert.equal(evidenceHash(back), back.hash, `record ${i}`);
    prev = back.hash!;
  });
});

test('a record whose image is marked evicted is stored whole and still hashes without the flag', () => {
  const r: StoredRecord = { ...sampleRecord({ images: [{ ...imageRef(7), evicted: true }] }), seq: 1 };
  const { encoded } = chain([r], GENESIS_HASH);
  const back = JSON.parse(encoded[0]!.toString()) as StoredRecord;
  assert.equal(back.images[0]!.evicted, true);
  assert.equal(recordHash({ ...back, prev_hash: GENESIS_HASH, images: [imageRef(7)] }), back.hash);
});
