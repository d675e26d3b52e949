// The hotlist, the alert watch and plate search over a log kept in memory: matching rules,
// expiry, sources side by side, collapse, restart without repeats, index rebuild.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { AlertWatch } from '../../src/hotlist/alert-watch.js';
import { entryFields } from '../../src/hotlist/hotlist-entry.js';
import { Hotlist } from '../../src/hotlist/hotlist.js';
import { emptyMemoryLogState, MemoryRecordLog, type MemoryLogState } from '../../src/log/memory-record-log.js';
import type { AlertData, NewRecord } from '../../src/log/record.js';
import type { TableName } from '../../src/log/record-log.js';
import { PlateIndex } from '../../src/search/plate-index.js';
import { recentDetections, searchPlates } from '../../src/search/plate-search.js';

const logger = pino({ level: 'silent' });
const fields = (over: Record<string, unknown> = {}) => entryFields({ reason: 'stolen', ...over });

async function openLog(state: MemoryLogState = emptyMemoryLogState()) {
  const log = new MemoryRecordLog(state);
  await log.open();
  return log;
}

let n = 0;
function detection(plates: string[], over: Partial<NewRecord> = {}): NewRecord {
  n += 1;
  return {
    id: `det-${n}`, kind: 'detection', camera_id: 'cam1', checkpoint_id: 'cp1', timestamp: 't', time: '2026-11-29T01:00:00.000Z',
    received_at: new Date().toISOString(), source: 'rest', gateway_id: 'gw',
    data: { vehicles_count: 1, plates_count: plates.length, plates, ocr_results: plates, vehicle_detections: [], plate_detections: [], processing_time_ms: null },
    images: [], size: 100, ...over,
  };
}

test('entries: exact by default, one character off only when fuzzy, most severe first', async () => {
  const log = await openLog();
  const h = new Hotlist(log);
  await h.put('local', 'กข 1234', fields({ level: 'critical' }));
  await h.put('local', 'AB 999', fields({ fuzzy: true, level: 'info' }));
  assert.deepEqual(h.match('กข-๑๒๓๔').map((m) => [m.key, m.exact]), [['กข1234', true]]);
  assert.deepEqual(h.match('กข1284'), [], 'not fuzzy: one off does not match');
  assert.deepEqual(h.match('ab 998').map((m) => [m.key, m.exact]), [['AB999', false]]);
  assert.deepEqual(h.match('AB99').map((m) => m.key), ['AB999'], 'a missing character');
  assert.deepEqual(h.match('AB9999').map((m) => m.key), ['AB999'], 'an extra character');
  assert.deepEqual(h.match('AB988'), [], 'two off');
  await h.put('cloud', 'ab999', fields({ level: 'critical' }));
  assert.deepEqual(h.match('AB999').map((m) => [m.source, m.level]), [['cloud', 'critical'], ['local', 'info']]);
  assert.equal(await h.remove('local', 'AB-999'), true);
  assert.equal(await h.remove('local', 'AB-999'), false);
  assert.deepEqual(h.match('AB998'), [], 'the fuzzy entry went with its removal');
  assert.deepEqual(h.match('AB999').map((m) => m.source), ['cloud']);
});

test('expired entries stop matching by themselves; everything survives a reopen', async () => {
  const state = emptyMemoryLogState();
  let now = Date.parse('2026-11-29T00:00:00Z');
  const h = new Hotlist(await openLog(state), () => now);
  await h.put('local', 'XY 1', fields({ expires_at: '2026-11-29T08:00:00+07:00' }));
  assert.equal(h.match('XY1').length, 1);
  now += 3_600_000;
  assert.equal(h.match('XY1').length, 0);
  assert.equal((await h.list())[0]!.expired, true);
  const again = new Hotlist(await openLog(state), () => now);
  await again.load();
  assert.deepEqual((await again.list()).map((e) => [e.key, e.expires_at, e.expired]), [['XY1', '2026-11-29T01:00:00.000Z', true]]);
});

test('bad entries are refused with the field named', () => {
  assert.throws(() => entryFields({ level: 'critical' }), /reason/);
  assert.throws(() => entryFields({ reason: 'x', level: 'urgent' }), /level/);
  assert.throws(() => entryFields({ reason: 'x', expires_at: '2026-12-01T00:00:00' }), /expires_at.*zone/);
  assert.throws(() => entryFields({ reason: 'x', fuzzy: 'maybe' }), /fuzzy/);
  assert.throws(() => entryFields([]), /JSON object/);
});

test('cloud changes arriving together are one write; an unchanged entry is not written again', async () => {
  const log = await openLog();
  let writes = 0;
  const table = log.table.bind(log);
  log.table = ((name: TableName) => {
    const t = table(name);
    return { ...t, write: (ops: Parameters<typeof t.write>[0], o?: { sync?: boolean }) => ((writes += 1), t.write(ops, o)) };
  }) as typeof log.table;
  const h = new Hotlist(log);
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => h.submit({ source: 'fleet', plate: `ZZ ${i}`, fields: fields() })));
  assert.equal(results.filter((r) => r.created).length, 50);
  assert.ok(writes <= 2, `${writes} writes for 50 changes`);
  const before = writes;
  const same = await h.submit({ source: 'fleet', plate: 'ZZ 1', fields: fields() });
  assert.equal(same.changed, false);
  assert.equal(writes, before);
  assert.equal((await h.submit({ source: 'fleet', plate: 'ZZ 1', fields: null })).removed, true);
  assert.equal(h.size, 49);
});

test('alert watch: one alert per entry and camera inside the collapse window, counted; a new one after it', async () => {
  const log = await openLog();
  const hotlist = new Hotlist(log);
  await hotlist.put('local', 'กข 1234', fields({ level: 'critical', note: 'call 191' }));
  const watch = new AlertWatch({ log, hotlist, logger, collapseWindowMs: 5 * 60_000 });
  await watch.start();
  const t0 = Date.parse('2026-11-29T08:00:00Z');
  const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
  await log.append(detection(['กข๑๒๓๔'], { received_at: at(0), images: [{ name: 'cropped_plate_0', field: 'cropped_plates[0]', content_type: 'image/jpeg', bytes: 10, sha256: 'a'.repeat(64) }] }));
  await log.append(detection(['กข 1234'], { received_at: at(3) }));
  await log.append(detection(['กข 1234'], { received_at: at(7) }), {}); // 4 min after the last: still the same alert
  await log.append(detection(['กข 1234'], { received_at: at(7.5), camera_id: 'cam2' }));
  await log.append(detection(['ZZ 1'], { received_at: at(8) }));
  await log.append(detection(['กข 1234'], { received_at: at(13) }));
  await watch.follower.reached(log.lastSeq());
  await watch.follower.reached(log.lastSeq()); // the alerts it appended are read too
  const board = watch.alerts();
  assert.deepEqual(board.map((a) => [a.camera_id, a.count]).reverse(), [['cam1', 3], ['cam2', 1], ['cam1', 1]]);
  const alertRecords = await log.readAfter(0, 100, ['alert']);
  assert.equal(alertRecords.length, 3);
  const first = alertRecords[0]!.data as unknown as AlertData;
  assert.equal(first.entry.level, 'critical');
  assert.equal(first.plate, 'กข๑๒๓๔');
  assert.equal(first.match, 'exact');
  assert.deepEqual(first.images.map((i) => i.name), ['cropped_plate_0']);
  await watch.stop();
});

test('alert watch: a restart repeats no alert, keeps counts and acknowledgements', async () => {
  const state = emptyMemoryLogState();
  const log = await openLog(state);
  const hotlist = new Hotlist(log);
  await hotlist.put('local', 'XY 77', fields());
  const watch = new AlertWatch({ log, hotlist, logger, collapseWindowMs: 60_000 });
  await watch.start();
  await log.append(detection(['XY77']));
  await watch.follower.reached(log.lastSeq());
  const [a] = watch.alerts();
  assert.ok(await watch.acknowledge(a!.alert_id, 'guard 2'));
  await watch.stop();
  // The cursor moved back (a crash before it was saved): the same page is handled again.
  await log.setCursor('hotlist', 0);
  const hotlist2 = new Hotlist(log);
  await hotlist2.load();
  const again = new AlertWatch({ log, hotlist: hotlist2, logger, collapseWindowMs: 60_000 });
  await again.start();
  await again.follower.reached(log.lastSeq());
  assert.equal((await log.readAfter(0, 100, ['alert'])).length, 1, 'no second alert record');
  assert.deepEqual(again.alerts().map((x) => [x.alert_id, x.count, x.acknowledged_by]), [[a!.alert_id, 1, 'guard 2']]);
  await again.stop();
});

test('plate search: exact and fuzzy, newest first, camera and time filters, evicted records skipped, rebuilt by reindex', async () => {
  const log = await openLog();
  const index = new PlateIndex(log, logger);
  await index.start();
  const times = ['2026-11-29T01:00:00.000Z', '2026-11-29T02:00:00.000Z', '2026-11-29T03:00:00.000Z'];
  await log.append(detection(['กข 1234'], { time: times[0]! }));
  await log.append(detection(['กข-๑๒๓๔'], { time: times[1]!, camera_id: 'cam2' }));
  await log.append(detection(['กข 1284', 'AB 1'], { time: times[2]! }));
  await index.follower.reached(log.lastSeq());
  const q = { limit: 10, fuzzy: false };
  const exact = await searchPlates(log, index, { ...q, plate: 'กข1234' });
  assert.deepEqual(exact.hits.map((h) => h.record.seq), [2, 1]);
  const fuzzy = await searchPlates(log, index, { ...q, plate: 'กข1234', fuzzy: true });
  assert.deepEqual(fuzzy.hits.map((h) => [h.record.seq, h.exact]), [[3, false], [2, true], [1, true]]);
  assert.deepEqual((await searchPlates(log, index, { ...q, plate: 'กข1234', camera: 'cam2' })).hits.map((h) => h.record.seq), [2]);
  assert.deepEqual((await searchPlates(log, index, { ...q, plate: 'กข1234', fuzzy: true, from: Date.parse(times[1]!), to: Date.parse(times[1]!) })).hits.map((h) => h.record.seq), [2]);
  assert.deepEqual((await recentDetections(log, { ...q, limit: 2 })).hits.map((h) => h.record.seq), [3, 2]);

  const [gone] = await log.readAfter(0, 1);
  await log.evict({ reason: 'delivered_records', remove: [gone!], stripImages: [] });
  assert.deepEqual((await searchPlates(log, index, { ...q, plate: 'กข1234' })).hits.map((h) => h.record.seq), [2]);

  const plates = log.table('plates');
  await plates.write((await plates.range({})).map(([key]) => ({ key })));
  assert.equal((await searchPlates(log, index, { ...q, plate: 'กข1234' })).hits.length, 0, 'index emptied by hand');
  await index.reindex();
  assert.deepEqual((await searchPlates(log, index, { ...q, plate: 'กข1234', fuzzy: true })).hits.map((h) => h.record.seq), [3, 2]);
  await index.stop();
});

test('property: the compact index matches what a plain scan of the entries would, through puts, removals and reloads', async () => {
  const fc = (await import('fast-check')).default;
  const { withinOneEdit, normalisePlate } = await import('../../src/plates/plate-text.js');
  const plateArb = fc.array(fc.constantFrom('ก', 'ข', '1', '2'), { minLength: 2, maxLength: 4 }).map((c) => c.join(''));
  const op = fc.record({
    source: fc.constantFrom('local' as const, 'cloud' as const, 'fleet' as const),
    plate: plateArb, remove: fc.boolean(), fuzzy: fc.boolean(), level: fc.constantFrom('info', 'warning', 'critical'),
  });
  await fc.assert(fc.asyncProperty(fc.array(op, { maxLength: 25 }), fc.array(plateArb, { minLength: 1, maxLength: 6 }), async (ops, readings) => {
    const state = emptyMemoryLogState();
    const h = new Hotlist(await openLog(state));
    for (const o of ops) await h.submit({ source: o.source, plate: o.plate, fields: o.remove ? null : fields({ fuzzy: o.fuzzy, level: o.level }) });
    const reloaded = new Hotlist(await openLog(state));
    await reloaded.load();
    const entries = await h.list();
    assert.equal(h.size, entries.length);
    assert.equal(reloaded.size, entries.length);
    for (const reading of readings) {
      const key = normalisePlate(reading);
      const want = entries
        .filter((e) => e.key === key || (e.fuzzy && withinOneEdit(key, e.key)))
        .map((e) => `${e.source}/${e.key}/${e.level}/${e.key === key}`).sort();
      for (const list of [h, reloaded]) assert.deepEqual(list.match(reading).map((m) => `${m.source}/${m.key}/${m.level}/${m.exact}`).sort(), want, reading);
    }
  }), { numRuns: 150 });
});
