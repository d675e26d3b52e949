// The contract every RecordLog implementation must meet (the pattern of abstract-level's
// and aedes-persistence's suites): append order and seqs, durability across reopen,
// per-consumer cursors, dedupe inside the window, group commit under concurrency.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NewRecord } from '../../src/log/record.js';
import type { RecordLog } from '../../src/log/record-log.js';

export interface LogFactory {
  /** A new, empty log at a fresh location; `reopen` gives a new instance on the same data. */
  create(opts?: { dedupeWindowMs?: number; now?: () => number }): Promise<{ log: RecordLog; reopen: () => RecordLog; cleanup: () => void }>;
}

let n = 0;
export function sampleRecord(over: Partial<NewRecord> = {}): NewRecord {
  n += 1;
  return {
    id: `id-${n}-${Math.random().toString(36).slice(2)}`, kind: 'detection', camera_id: 'c1', checkpoint_id: 'cp',
    timestamp: '2024-12-19T10:00:00Z', time: '2024-12-19T10:00:00.000Z', received_at: new Date().toISOString(),
    source: 'rest', raw: { n }, data: {}, images: [], size: 100, ...over,
  };
}

export function recordLogConformance(name: string, factory: LogFactory): void {
  describe(`RecordLog conformance: ${name}`, () => {
    test('append assigns increasing seqs and the record reads back by seq and id', async () => {
      const { log, cleanup } = await factory.create();
      await log.open();
      const a = await log.append(sampleRecord());
      const b = await log.append(sampleRecord({ kind: 'health' }));
      assert.equal(a.seq, 1);
      assert.equal(b.seq, 2);
      assert.equal(log.lastSeq(), 2);
      assert.equal((await log.get(2))?.kind, 'health');
      assert.equal((await log.getById(a.id))?.seq, 1);
      assert.equal(await log.getById('missing'), undefined);
      await log.close();
      cleanup();
    });

    test('readAfter pages in seq order and filters by kind', async () => {
      const { log, cleanup } = await factory.create();
      await log.open();
      for (let i = 0; i < 25; i++) await log.append(sampleRecord({ kind: i % 5 === 0 ? 'health' : 'detection' }));
      const page = await log.readAfter(10, 7);
      assert.deepEqual(page.map((r) => r.seq), [11, 12, 13, 14, 15, 16, 17]);
      const health = await log.readAfter(0, 100, ['health']);
      assert.deepEqual(health.map((r) => r.seq), [1, 6, 11, 16, 21]);
      assert.deepEqual(await log.readAfter(25, 10), []);
      await log.close();
      cleanup();
    });

    test('concurrent appends share batches, keep distinct seqs, and all resolve', async () => {
      const { log, cleanup } = await factory.create();
      await log.open();
      const results = await Promise.all(Array.from({ length: 500 }, () => log.append(sampleRecord())));
      const seqs = results.map((r) => r.seq).sort((x, y) => x - y);
      assert.deepEqual(seqs, Array.from({ length: 500 }, (_, i) => i + 1));
      assert.equal(log.stats().detections, 500);
      await log.close();
      cleanup();
    });

    test('everything survives close and reopen: records, seqs, cursors, stats', async () => {
      const { log, reopen, cleanup } = await factory.create();
      await log.open();
      const ids = [];
      for (let i = 0; i < 10; i++) ids.push((await log.append(sampleRecord({ camera_id: `c${i % 3}` }))).id);
      await log.setCursor('uplink', 7);
      await log.close();
      const again = reopen();
      await again.open();
      assert.equal(again.lastSeq(), 10);
      assert.equal(await again.getCursor('uplink'), 7);
      assert.equal(await again.getCursor('never-set'), 0);
      for (const id of ids) assert.ok(await again.getById(id), `lost ${id}`);
      assert.equal(again.stats().detections, 10);
      assert.equal(again.stats().cameras.length, 3);
      assert.equal(again.camera('c1')?.detections, 3);
      assert.equal(again.camera('nope'), undefined);
      assert.equal((await again.append(sampleRecord())).seq, 11);
      await again.close();
      cleanup();
    });

    test('dedupe: same key inside the window → original id, stored once; outside → new record', async () => {
      let clock = 1_000_000;
      const { log, cleanup } = await factory.create({ dedupeWindowMs: 60_000, now: () => clock });
      await log.open();
      const first = await log.append(sampleRecord(), { dedupeKey: 'k1' });
      const resend = await log.append(sampleRecord(), { dedupeKey: 'k1' });
      assert.equal(resend.id, first.id);
      assert.equal(resend.duplicate, true);
      assert.equal(log.lastSeq(), 1);
      assert.deepEqual(await log.findDuplicate('k1'), { seq: 1, id: first.id, duplicate: true });
      // Racing resends before the first is durable still store exactly one.
      const racing = await Promise.all([1, 2, 3].map(() => log.append(sampleRecord(), { dedupeKey: 'k2' })));
      assert.equal(new Set(racing.map((r) => r.id)).size, 1);
      assert.equal(log.lastSeq(), 2);
      clock += 61_000;
      const later = await log.append(sampleRecord(), { dedupeKey: 'k1' });
      assert.equal(later.duplicate, false);
      assert.notEqual(later.id, first.id);
      await log.close();
      cleanup();
    });

    test('pruneDedupe forgets entries recorded before a time; later ones still dedupe', async () => {
      let clock = 1_000;
      const { log, cleanup } = await factory.create({ dedupeWindowMs: 1e9, now: () => clock });
      await log.open();
      await log.append(sampleRecord(), { dedupeKey: 'old' });
      clock = 5_000;
      const kept = await log.append(sampleRecord(), { dedupeKey: 'new' });
      assert.equal(await log.pruneDedupe(2_000), 1);
      assert.equal(await log.findDuplicate('old'), undefined);
      assert.equal((await log.findDuplicate('new'))?.id, kept.id);
      await log.close();
      cleanup();
    });

    test('onAppend tells consumers the new last seq after each durable batch', async () => {
      const { log, cleanup } = await factory.create();
      await log.open();
      const seen: number[] = [];
      const off = log.onAppend((seq) => seen.push(seq));
      await log.append(sampleRecord());
      await Promise.all([log.append(sampleRecord()), log.append(sampleRecord())]);
      off();
      await log.append(sampleRecord());
      assert.equal(seen[0], 1);
      assert.equal(seen[seen.length - 1], 3);
      await log.close();
      cleanup();
    });

    test('evict: images dropped then records removed, accounted and counted by reason, across reopen', async () => {
      const { log, reopen, cleanup } = await factory.create();
      await log.open();
      const image = { name: 'original_image', field: 'original_image', content_type: 'image/jpeg', bytes: 1000, sha256: 'a'.repeat(64) };
      for (let i = 0; i < 6; i++) await log.append(sampleRecord({ size: 1100, images: [image] }));
      assert.equal(log.stats().liveBytes, 6600);
      const first = await log.readAfter(0, 3);
      await log.evict({ reason: 'delivered_images', remove: [], stripImages: first });
      assert.equal(log.stats().liveBytes, 3600);
      assert.equal((await log.get(1))?.images[0]?.evicted, true);
      assert.equal((await log.get(1))?.size, 100);
      await log.evict({ reason: 'delivered_records', remove: await log.readAfter(0, 2), stripImages: [] });
      assert.equal(await log.get(1), undefined);
      assert.equal(await log.getById(first[0]!.id), undefined);
      assert.deepEqual((await log.readAfter(0, 10)).map((r) => r.seq), [3, 4, 5, 6]);
      const s = log.stats();
      assert.deepEqual([s.liveRecords, s.liveBytes, s.records, s.firstSeq], [4, 3400, 6, 3]);
      assert.deepEqual(s.evictions, { delivered_images: 3, delivered_records: 2 });
      await Promise.all([log.append(sampleRecord({ size: 10 })), log.evict({ reason: 'undelivered_records', remove: await log.readAfter(2, 1), stripImages: [] })]);
      await log.close();
      const again = reopen();
      await again.open();
      const t = again.stats();
      assert.deepEqual([t.liveRecords, t.liveBytes, t.records, t.evictions.undelivered_records], [4, 3400 - 100 + 10, 7, 1]);
      await again.close();
      cleanup();
    });

    test('close waits for accepted appends; appends after close are refused', async () => {
      const { log, reopen, cleanup } = await factory.create();
      await log.open();
      const pending = Array.from({ length: 50 }, () => log.append(sampleRecord()));
      await log.close();
      const results = await Promise.all(pending);
      await assert.rejects(log.append(sampleRecord()), /not open/);
      const again = reopen();
      await again.open();
      for (const r of results) assert.ok(await again.get(r.seq));
      await again.close();
      cleanup();
    });
  });
}
