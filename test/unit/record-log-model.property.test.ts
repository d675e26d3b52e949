// Model-based property test: LevelRecordLog (real files) against MemoryRecordLog (the
// model) under random appends with shared images, evictions, retention and reopening.
// After every step both agree, every image not marked evicted has its file, reference
// counts match the records, and seqs strictly increase — across reopen too.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { LevelRecordLog } from '../../src/log/level-record-log.js';
import { emptyMemoryLogState, MemoryRecordLog } from '../../src/log/memory-record-log.js';
import type { RecordLog } from '../../src/log/record-log.js';
import type { StoredRecord } from '../../src/log/record.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { imageRef, sampleRecord } from '../conformance/record-log-suite.js';

type Op =
  | { op: 'append'; images: number[][] }
  | { op: 'strip'; pick: number[] }
  | { op: 'remove'; pick: number[] }
  | { op: 'retention'; upTo: number }
  | { op: 'reopen' };

const POOL = 6; // few distinct images: sharing is the norm
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('append' as const), images: fc.array(fc.array(fc.nat(POOL - 1), { maxLength: 3 }), { minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('strip' as const), pick: fc.array(fc.nat(30), { maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), pick: fc.array(fc.nat(30), { maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('retention' as const), upTo: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'reopen' as const }) },
);

/** Image files as BlobStore would keep them: written at ingest, deleted when released. */
class Files {
  readonly present = new Set<string>();
  removeUnreferenced = async (shas: string[]) => {
    for (const s of shas) this.present.delete(s);
  };
}

async function all(log: RecordLog): Promise<StoredRecord[]> {
  return log.readAfter(0, 10_000);
}

test('LevelRecordLog behaves like the model under appends, shared images, evictions and reopen', async () => {
  await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
    const tmp = makeTempDir();
    const levelFiles = new Files();
    const modelFiles = new Files();
    const state = emptyMemoryLogState();
    const makeLevel = () => new LevelRecordLog({ location: join(tmp.dir, 'log'), dedupeWindowMs: 1e9, maxBatchRecords: 3, files: levelFiles });
    const makeModel = () => new MemoryRecordLog(state, { dedupeWindowMs: 1e9, files: modelFiles });
    let level: RecordLog = makeLevel();
    let model: RecordLog = makeModel();
    await level.open();
    await model.open();
    let highest = 0;
    try {
      for (const step of ops) {
        if (step.op === 'append') {
          const records = step.images.map((imgs) => {
            const images = imgs.map((i) => imageRef(i, 100 + i));
            for (const im of images) {
              levelFiles.present.add(im.sha256);
              modelFiles.present.add(im.sha256);
            }
            return sampleRecord({ size: 50 + images.reduce((n, im) => n + im.bytes, 0), images });
          });
          const [a, b] = await Promise.all([Promise.all(records.map((r) => level.append(r))), Promise.all(records.map((r) => model.append(r)))]);
          assert.deepEqual(a.map((r) => r.seq), b.map((r) => r.seq));
          for (const r of a) {
            assert.ok(r.seq > highest, `seq ${r.seq} not above ${highest}`);
            highest = r.seq;
          }
        } else if (step.op === 'reopen') {
          await level.close();
          await model.close();
          level = makeLevel();
          model = makeModel();
          await level.open();
          await model.open();
          assert.ok(level.lastSeq() >= highest, 'reopen never goes back');
        } else {
          const records = await all(model);
          const chosen = step.op === 'retention'
            ? records.filter((r) => r.seq <= step.upTo)
            : step.pick.map((i) => records[i % Math.max(1, records.length)]).filter((r): r is StoredRecord => r !== undefined);
          const change = step.op === 'strip'
            ? { reason: 'delivered_images' as const, remove: [], stripImages: chosen }
            : { reason: step.op === 'retention' ? 'retention_delivered' as const : 'delivered_records' as const, remove: chosen, stripImages: [] };
          const [a, b] = await Promise.all([level.evict(change), model.evict(change)]);
          assert.deepEqual(a, b);
        }
        const [lr, mr] = await Promise.all([all(level), all(model)]);
        assert.deepEqual(lr, mr, `records differ after ${step.op}`);
        assert.deepEqual(level.stats().liveBytes, model.stats().liveBytes);
        const shas = Array.from({ length: POOL }, (_, i) => imageRef(i).sha256);
        const counts = new Map<string, number>();
        for (const r of mr) for (const im of r.images) if (!im.evicted) counts.set(im.sha256, (counts.get(im.sha256) ?? 0) + 1);
        assert.deepEqual(await level.imageRefs(shas), shas.map((s) => counts.get(s) ?? 0), 'reference counts match the records');
        for (const [sha] of counts) assert.ok(levelFiles.present.has(sha), `an image still referenced lost its file (${sha.slice(-4)})`);
        assert.deepEqual([...levelFiles.present].sort(), [...modelFiles.present].sort());
        const expectedBytes = mr.reduce((n, r) => n + r.size - r.images.filter((i) => !i.evicted).reduce((b, i) => b + i.bytes, 0), 0)
          + [...counts.keys()].reduce((n, sha) => n + 100 + shas.indexOf(sha), 0);
        assert.equal(level.stats().liveBytes, expectedBytes, 'live bytes: records plus each distinct file once');
      }
    } finally {
      await level.close();
      await model.close();
      tmp.remove();
    }
  }), { numRuns: 40 });
});
