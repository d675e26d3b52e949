// The contract every RecordLog implementation must meet (the pattern of abstract-level's
// and aedes-persistence's suites): append order and seqs, durability across reopen,
// per-consumer cursors, dedupe inside the window, group commit under concurrency.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NewRecord, StoredRecord } from '../../src/log/record.js';
import type { BaseLogOptions } from '../../src/log/base-record-log.js';
import type { RecordLog } from '../../src/log/record-log.js';
import { GENESIS_HASH, hashOfLine, lineHead, renderRest, sealLine, storedRecord } from '../../src/log/record-line.js';

export interface LogFactory {
  /** A new, empty log at a fresh location; `reopen` gives a new instance on the same data. */
  create(opts?: Partial<BaseLogOptions>): Promise<{ log: RecordLog; reopen: () => RecordLog; cleanup: () => void }>;
}

let n = 0;
export function sampleRecord(over: Partial<NewRecord> = {}): NewRecord {
  n += 1;
  return {
    id: `id-${n}-${Math.random().toString(36).slice(2)}`, kind: 'detection', camera_id: 'c1', checkpoint_id: 'cp',
    timestamp: '2024-12-19T10:00:00Z', time: '2024-12-19T10:00:00.000Z', received_at: new Date().toISOString(),
    source: 'rest', gateway_id: 'gw', data: { n }, images: [], size: 100, ...over,
  };
}

/** A record as the log would store it at `seq` (sealed: line, hash, prev_hash). */
export function storedSample(over: Partial<NewRecord> = {}, seq = 1, prevHash = GENESIS_HASH): StoredRecord {
  const r = sampleRecord(over);
  return storedRecord(r, seq, prevHash, sealLine(renderRest(r), seq, prevHash));
}

export function imageRef(i: number, bytes = 1000) {
  return { name: 'original_image', field: 'original_image', content_type: 'image/jpeg', bytes, sha256: i.toString(16).padStart(64, '0') };
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

    test('records just appended read back (from memory) as the store gives them after reopen', async () => {
      const { log, reopen, cleanup } = await factory.create();
      await log.open();
      const appended = await Promise.all(Array.from({ length: 30 }, (_, i) => log.append(sampleRecord({
        data: { i, z: 'last', a: ['first', { y: 1, b: null }] }, images: i % 4 === 0 ? [imageRef(i)] : [], kind: i % 2 ? 'health' : 'detection',
      }))));
      const fresh = await log.readAfter(0, 100);
      assert.deepEqual(fresh.map((r) => r.seq), appended.map((a) => a.seq));
      assert.deepEqual((await log.readAfter(10, 5)).map((r) => r.seq), [11, 12, 13, 14, 15]);
      assert.deepEqual((await log.readAfter(25, 100, ['health'])).map((r) => r.seq), [26, 28, 30]);
      assert.deepEqual(await log.readAfter(30, 10), []);
      await log.close();
      const again = reopen();
      await again.open();
      const stored = await again.readAfter(0, 100);
      assert.deepEqual(JSON.parse(JSON.stringify(fresh)), JSON.parse(JSON.stringify(stored)));
      await again.close();
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
      for (let i = 0; i < 6; i++) await log.append(sampleRecord({ images: [imageRef(i)] }));
      // A record's own bytes are its line; each image file counts once.
      const line = (await log.readAfter(0, 6)).map((r) => r.line.length);
      const sum = (a: number[]) => a.reduce((n, x) => n + x, 0);
      assert.equal(log.stats().liveBytes, sum(line) + 6000);
      assert.equal((await log.get(1))?.size, line[0]! + 1000);
      const first = await log.readAfter(0, 3);
      await log.evict({ reason: 'delivered_images', remove: [], stripImages: first });
      assert.equal(log.stats().liveBytes, sum(line) + 3000);
      assert.equal((await log.get(1))?.images[0]?.evicted, true);
      assert.equal((await log.get(1))?.size, line[0]);
      assert.equal((await log.readAfter(0, 1))[0]?.images[0]?.evicted, true, 'readers of new records see the eviction at once');
      await log.evict({ reason: 'delivered_records', remove: await log.readAfter(0, 2), stripImages: [] });
      assert.equal(await log.get(1), undefined);
      assert.equal(await log.getById(first[0]!.id), undefined);
      assert.deepEqual((await log.readAfter(0, 10)).map((r) => r.seq), [3, 4, 5, 6]);
      const s = log.stats();
      assert.deepEqual([s.liveRecords, s.liveBytes, s.records, s.firstSeq], [4, sum(line.slice(2)) + 3000, 6, 3]);
      assert.deepEqual(s.evictions, { delivered_images: 3, delivered_records: 2 });
      const [added] = await Promise.all([log.append(sampleRecord()), log.evict({ reason: 'undelivered_records', remove: await log.readAfter(2, 1), stripImages: [] })]);
      const addedLine = (await log.get(added.seq))!.line.length;
      await log.close();
      const again = reopen();
      await again.open();
      const t = again.stats();
      assert.deepEqual([t.liveRecords, t.liveBytes, t.records, t.evictions.undelivered_records], [4, sum(line.slice(3)) + 3000 + addedLine, 7, 1]);
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

    test('shared image: counted once, its file released only with the last reference', async () => {
      const released: string[] = [];
      const files = { removeUnreferenced: async (shas: string[]) => void released.push(...shas) };
      const { log, reopen, cleanup } = await factory.create({ files });
      await log.open();
      const shared = imageRef(7, 5000);
      await log.append(sampleRecord({ images: [shared] }));
      await log.append(sampleRecord({ images: [shared, imageRef(8, 300)] }));
      const [first, second] = await log.readAfter(0, 2);
      const lines = first!.line.length + second!.line.length;
      assert.equal(log.stats().liveBytes, lines + 5000 + 300, 'each distinct file once');
      assert.deepEqual(await log.imageRefs([shared.sha256, imageRef(8).sha256, imageRef(9).sha256]), [2, 1, 0]);
      const r1 = await log.evict({ reason: 'delivered_images', remove: [], stripImages: [first!] });
      assert.deepEqual([r1.records, r1.freedImages], [1, 0]);
      assert.deepEqual(released, [], 'the second record still references the frame');
      assert.equal((await log.get(2))?.images[0]?.evicted, undefined);
      // A stale copy of an already-stripped record changes nothing (no double release).
      assert.equal((await log.evict({ reason: 'delivered_images', remove: [], stripImages: [first!] })).records, 0);
      await log.close();
      const again = reopen();
      await again.open();
      assert.deepEqual(await again.imageRefs([shared.sha256]), [1]);
      const r2 = await again.evict({ reason: 'delivered_records', remove: [second!], stripImages: [] });
      assert.deepEqual([r2.freedImages, r2.freedBytes], [2, second!.line.length + 5300]);
      assert.deepEqual(released.sort(), [shared.sha256, imageRef(8).sha256].sort());
      assert.equal(again.stats().liveBytes, first!.line.length);
      await again.close();
      cleanup();
    });

    test('seqs only grow: an emptied log and a cursor ahead of it never bring a seq back', async () => {
      const { log, reopen, cleanup } = await factory.create();
      await log.open();
      for (let i = 0; i < 5; i++) await log.append(sampleRecord());
      await log.setCursor('local', 5);
      await log.evict({ reason: 'retention_delivered', remove: await log.readAfter(0, 10), stripImages: [] });
      assert.deepEqual(await log.readAfter(0, 10), []);
      await log.close();
      const again = reopen();
      await again.open();
      assert.equal(again.lastSeq(), 5, 'the high-water mark survives an empty log');
      assert.equal((await again.append(sampleRecord())).seq, 6);
      await again.setCursor('uplink', 40); // e.g. a log restored from an older copy
      await again.close();
      const third = reopen();
      await third.open();
      assert.equal((await third.append(sampleRecord())).seq, 41, 'never at or below a consumer cursor');
      await third.close();
      cleanup();
    });

    test('closed and closing: every method refuses with STORE_UNAVAILABLE', async () => {
      const { log, cleanup } = await factory.create();
      await assert.rejects(log.append(sampleRecord()), { code: 'STORE_UNAVAILABLE' }, 'before open');
      await log.open();
      const r = await log.append(sampleRecord());
      const table = log.table<number>('hotlist');
      // Every public method, with arguments that would succeed on an open log (empty lists
      // and a read at the end of the log included: those once answered without a check).
      const calls: [string, () => Promise<unknown>][] = [
        ['append', () => log.append(sampleRecord())], ['findDuplicate', () => log.findDuplicate('k')],
        ['get', () => log.get(r.seq)], ['getById', () => log.getById(r.id)], ['readAfter', () => log.readAfter(0, 1)],
        ['readAfter at the end', () => log.readAfter(r.seq, 1)], ['readAfter limit 0', () => log.readAfter(0, 0)],
        ['readBefore', () => log.readBefore(10, 1)],
        ['getCursor', () => log.getCursor('x')], ['setCursor', () => log.setCursor('x', 1)], ['getState', () => log.getState('x')],
        ['setState', () => log.setState('x', 1)], ['evict', () => log.evict({ reason: 'delivered_records', remove: [], stripImages: [] })],
        ['imageRefs', () => log.imageRefs(['a'])], ['imageRefs of none', () => log.imageRefs([])],
        ['pruneDedupe', () => log.pruneDedupe(0)], ['compact', () => log.compact()],
        ['table write', () => table.write([{ key: 'a', value: 1 }])], ['table write of none', () => table.write([])],
        ['table range', () => table.range({})], ['table get', () => table.get(['a'])], ['table get of none', () => table.get([])],
        ['a table handed out after close', () => log.table('parked').range({})],
        ['removeUnreferencedImages', () => log.removeUnreferencedImages(['a'.repeat(64)])],
      ];
      // The list is the whole API: the compiler makes API name every method of RecordLog, and
      // each that reads or writes must have its call above.
      const API: Record<keyof RecordLog, 'gated' | 'memory' | 'lifecycle'> = {
        open: 'lifecycle', close: 'lifecycle', table: 'lifecycle', append: 'gated', findDuplicate: 'gated', get: 'gated', getById: 'gated',
        readAfter: 'gated', readBefore: 'gated', getCursor: 'gated', setCursor: 'gated', getState: 'gated', setState: 'gated', evict: 'gated',
        imageRefs: 'gated', pruneDedupe: 'gated', compact: 'gated', removeUnreferencedImages: 'gated', lastSeq: 'memory', onAppend: 'memory',
        onHealth: 'memory', health: 'memory', stats: 'memory', camera: 'memory', chainHead: 'memory', gaps: 'memory', holdDelivered: 'memory',
        writeFailed: 'memory',
      };
      const listed = new Set(calls.map(([name]) => name.split(' ')[0]!));
      assert.deepEqual(Object.keys(API).filter((m) => API[m as keyof RecordLog] === 'gated' && !listed.has(m)), [], 'a gated method without its call here');
      // Closing: an append in flight holds close() open; every call made meanwhile refuses.
      const inFlight = log.append(sampleRecord());
      const closing = log.close();
      assert.equal(log.health().state, 'closing');
      const whileClosing = calls.map(([name, call]) => [name, call()] as const);
      for (const [name, p] of whileClosing) await assert.rejects(p, { code: 'STORE_UNAVAILABLE' }, `${name} while closing`);
      assert.ok((await inFlight).seq > r.seq, 'the append accepted before close() is written');
      await closing;
      assert.equal(log.health().state, 'closed');
      for (const [name, call] of calls) await assert.rejects(call(), { code: 'STORE_UNAVAILABLE' }, `${name} when closed`);
      cleanup();
    });

    test('a write fails: no ack, later writes refused at once, reads still work, then it reopens and accepts', async () => {
      let fault: Error | undefined;
      let faultChecks = 0;
      const writeFault = () => {
        faultChecks += 1;
        return fault;
      };
      const { log, reopen, cleanup } = await factory.create({ writeFault, recoveryDelaysMs: [50] });
      await log.open();
      const before = await Promise.all([1, 2, 3].map(() => log.append(sampleRecord())));
      fault = Object.assign(new Error('IO error: No space left on device'), { code: 'ENOSPC' });
      const health: string[] = [];
      log.onHealth((h) => health.push(h.state));
      await assert.rejects(log.append(sampleRecord()), { code: 'STORE_FULL' });
      assert.equal(log.health().state, 'failed');
      assert.equal(log.health().code, 'STORE_FULL');
      const checks = faultChecks;
      await assert.rejects(log.append(sampleRecord()), { code: 'STORE_FULL' });
      await assert.rejects(log.setCursor('local', 3), { code: 'STORE_FULL' });
      assert.equal(faultChecks, checks, 'nothing is written through a failed handle');
      assert.equal((await log.get(before[2]!.seq))?.id, before[2]!.id, 'reads still work');
      fault = undefined;
      for (let i = 0; i < 200 && log.health().state !== 'open'; i++) await new Promise((ok) => setTimeout(ok, 10));
      assert.equal(log.health().state, 'open');
      assert.deepEqual(health.slice(0, 3), ['failed', 'recovering', 'open']);
      assert.equal(log.health().recoveries, 1);
      const after = await log.append(sampleRecord());
      assert.ok(after.seq > before[2]!.seq);
      await log.close();
      const again = reopen();
      await again.open();
      for (const r of [...before, after]) assert.equal((await again.get(r.seq))?.id, r.id);
      await again.close();
      cleanup();
    });

    test('a held record is never evicted as delivered, only by the undelivered limits; a released hold lets it go', async () => {
      const { log, cleanup } = await factory.create();
      await log.open();
      for (let i = 0; i < 4; i++) await log.append(sampleRecord({ images: [imageRef(40 + i)] }));
      const held = new Set([2, 3]);
      const release = log.holdDelivered((seq) => held.has(seq));
      log.holdDelivered((seq) => seq === 3);
      const all = await log.readAfter(0, 10);
      const stripped = await log.evict({ reason: 'delivered_images', remove: [], stripImages: all });
      assert.deepEqual([stripped.records, stripped.freedImages], [2, 2], 'the images of 1 and 4 only');
      await log.evict({ reason: 'retention_delivered', remove: all, stripImages: [] });
      assert.deepEqual((await log.readAfter(0, 10)).map((r) => [r.seq, r.images[0]?.evicted]), [[2, undefined], [3, undefined]], 'only the held records are left, whole');
      release();
      await log.evict({ reason: 'delivered_records', remove: all, stripImages: [] });
      assert.deepEqual((await log.readAfter(0, 10)).map((r) => r.seq), [3], 'a released hold no longer keeps it; the other hold still does');
      await log.evict({ reason: 'undelivered_records', remove: all, stripImages: [] });
      assert.deepEqual(await log.readAfter(0, 10), [], 'the undelivered limits take held records too');
      await log.close();
      cleanup();
    });

    test('hash chain: each record links to the previous one, across batches, reopen and eviction', async () => {
      const { log, reopen, cleanup } = await factory.create();
      await log.open();
      await log.append(sampleRecord({ images: [imageRef(60)] }));
      await Promise.all([1, 2, 3].map(() => log.append(sampleRecord())));
      await log.close();
      const again = reopen();
      await again.open();
      await again.append(sampleRecord());
      const before = (await again.get(1))!.line.toString();
      await again.evict({ reason: 'delivered_images', remove: [], stripImages: await again.readAfter(0, 1) });
      const all = await again.readAfter(0, 10);
      assert.equal(all[0]!.prev_hash, GENESIS_HASH);
      assert.equal(all[0]!.images[0]!.evicted, true, 'the eviction is reported on reading');
      assert.equal(all[0]!.line.toString(), before, 'the line itself never changes');
      for (let i = 0; i < all.length; i++) {
        const r = all[i]!;
        assert.deepEqual(lineHead(r.line), { hash: r.hash, seq: r.seq, prevHash: r.prev_hash }, 'the line begins with hash, seq, prev_hash');
        assert.equal(hashOfLine(r.line), r.hash, `seq ${r.seq}: the hash is over the line's own bytes`);
        assert.equal(JSON.parse(r.line.toString()).seq, r.seq);
        if (i > 0) assert.equal(r.prev_hash, all[i - 1]!.hash, `seq ${r.seq} links to seq ${all[i - 1]!.seq}`);
      }
      assert.deepEqual(again.chainHead(), { seq: all.at(-1)!.seq, hash: all.at(-1)!.hash });
      await again.close();
      cleanup();
    });

    test('removed runs become gap rows that link through; a parked record splits them; they join when it goes', async () => {
      const { log, reopen, cleanup } = await factory.create();
      await log.open();
      for (let i = 0; i < 10; i++) await log.append(sampleRecord());
      const all = await log.readAfter(0, 10);
      log.holdDelivered((seq) => seq === 4); // as the parked list holds a parked record
      await log.evict({ reason: 'delivered_records', remove: all.slice(0, 3), stripImages: [] });
      await log.evict({ reason: 'delivered_records', remove: all.slice(3, 7), stripImages: [] }); // 4 is held: stays
      const gaps = log.gaps();
      assert.deepEqual(gaps.map((g) => [g.from_seq, g.to_seq, g.records]), [[1, 3, 3], [5, 7, 3]]);
      assert.equal(gaps[0]!.prev_hash, GENESIS_HASH);
      assert.equal(gaps[0]!.last_hash, all[2]!.hash);
      assert.equal(gaps[1]!.prev_hash, all[3]!.hash, 'the second run links to the parked record');
      assert.equal(gaps[1]!.last_hash, all[7]!.prev_hash, 'and the next record links to it');
      await log.close();
      const again = reopen();
      await again.open();
      assert.deepEqual(again.gaps(), gaps, 'gap rows are durable');
      await again.evict({ reason: 'retention_delivered', remove: [all[3]!], stripImages: [] });
      assert.deepEqual(again.gaps().map((g) => [g.from_seq, g.to_seq, g.records, g.prev_hash, g.last_hash]), [[1, 7, 7, GENESIS_HASH, all[6]!.hash]]);
      assert.deepEqual(again.gaps()[0]!.reasons, ['delivered_records', 'retention_delivered']);
      await again.close();
      cleanup();
    });

    test('tables: ordered ranges (gt, gte, lt), reverse, limit, deletes, apart from each other, across reopen', async () => {
      const { log, reopen, cleanup } = await factory.create();
      await log.open();
      const plates = log.table<unknown>('plates');
      await plates.write(['B\u00001', 'A\u00002', 'A\u00001', 'AB\u00001', 'กข\u00001'].map((key, i) => ({ key, value: { i } })), { sync: true });
      await log.table('plate-variants').write([{ key: 'A\u00001', value: 'other table' }]);
      await log.table('parked').write([{ key: 'A\u00001', value: 'parked' }], { sync: true });
      await log.table('checkpoint').write([{ key: 'A\u00001', value: 'checkpoint' }], { sync: true });
      const a = await plates.range({ gte: 'A\u0000', lt: 'A\u0001' });
      assert.deepEqual(a, [['A\u00001', { i: 2 }], ['A\u00002', { i: 1 }]]);
      assert.deepEqual((await plates.range({ gt: 'A\u00001', limit: 2 })).map(([k]) => k), ['A\u00002', 'AB\u00001']);
      assert.deepEqual((await plates.range({ reverse: true, limit: 2 })).map(([k]) => k), ['กข\u00001', 'B\u00001']);
      await plates.write([{ key: 'A\u00001' }, { key: 'C', value: true }]);
      await log.close();
      const again = reopen();
      await again.open();
      assert.deepEqual((await again.table('plates').range({})).map(([k]) => k), ['A\u00002', 'AB\u00001', 'B\u00001', 'C', 'กข\u00001']);
      for (const t of ['plate-variants', 'parked', 'checkpoint'] as const) {
        assert.deepEqual(await again.table(t).range({}), [['A\u00001', t === 'plate-variants' ? 'other table' : t]], `${t} is its own keyspace`);
      }
      assert.deepEqual(await again.table('hotlist').range({}), []);
      assert.deepEqual(await again.table('plates').get(['C', 'missing', 'A\u00002']), [true, undefined, { i: 1 }]);
      await again.close();
      cleanup();
    });

    test('readBefore pages backwards, newest first', async () => {
      const { log, cleanup } = await factory.create();
      await log.open();
      for (let i = 0; i < 12; i++) await log.append(sampleRecord());
      assert.deepEqual((await log.readBefore(13, 5)).map((r) => r.seq), [12, 11, 10, 9, 8]);
      assert.deepEqual((await log.readBefore(3, 5)).map((r) => r.seq), [2, 1]);
      assert.deepEqual(await log.readBefore(1, 5), []);
      await log.close();
      cleanup();
    });
  });
}
