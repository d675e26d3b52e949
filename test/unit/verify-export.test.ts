// The verifier against exports of a real log (in memory): an untouched export of a store
// with removed runs, a parked record kept back and evicted images verifies; each way of
// tampering found so far fails, with one verdict per bad line and no crash.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import pino from 'pino';
import { signCheckpoint } from '../../src/evidence/checkpoint-signature.js';
import { EvidenceCheckpoints } from '../../src/evidence/evidence-checkpoints.js';
import { fingerprintOf, rawPublicKey, type SigningKey } from '../../src/evidence/signing-key.js';
import { verifyExport, type VerifyResult } from '../../src/evidence/verify-export.js';
import { exportRecords, type ExportFilter } from '../../src/evidence/export-records.js';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { renderRest, sealLine } from '../../src/log/record-line.js';
import { imageRef, sampleRecord } from '../conformance/record-log-suite.js';

function key(): SigningKey {
  const k = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(k.publicKey);
  return { privateKey: k.privateKey, publicKey: raw.toString('base64'), fingerprint: fingerprintOf(raw), publicPem: '' };
}

const KEY = key();

/** A log of 30 records: the first 5 retained away, 8–12 evicted around parked 10, images of 14 evicted. */
async function store() {
  const log = new MemoryRecordLog();
  await log.open();
  const evidence = new EvidenceCheckpoints({ log, key: KEY, gatewayId: 'gw', logger: pino({ level: 'silent' }), publish: async () => {} });
  for (let i = 0; i < 30; i++) {
    await log.append(sampleRecord({ camera_id: i % 2 ? 'a' : 'b', images: i === 13 ? [imageRef(13)] : [] }));
    if (i === 3 || i === 20) await evidence.checkpoint();
  }
  const all = await log.readAfter(0, 30);
  log.holdDelivered((seq) => seq === 10); // parked: outbound's parked list holds it
  await log.evict({ reason: 'retention_delivered', remove: all.slice(0, 5), stripImages: [] });
  await log.evict({ reason: 'delivered_records', remove: all.slice(7, 12), stripImages: [] });
  await log.evict({ reason: 'delivered_images', remove: [], stripImages: [all[13]!] });
  return { log, evidence, all };
}

async function exported(filter: ExportFilter = {}, from?: Awaited<ReturnType<typeof store>>): Promise<string[]> {
  const { log, evidence } = from ?? (await store());
  const lines: string[] = [];
  for await (const l of exportRecords(log, filter, { checkpoint: () => evidence.checkpoint() })) lines.push(l.text.toString());
  return lines;
}

async function verify(lines: string[]): Promise<VerifyResult> {
  return verifyExport((async function* () {
    yield* lines;
  })(), { publicKey: KEY.publicKey });
}

const messages = (r: VerifyResult) => r.problems.map((p) => `${p.seq ?? '-'}: ${p.message}`).join('\n');

test('an untouched export of a store with gaps, a parked record and evicted images verifies', async () => {
  const lines = await exported();
  const types = lines.map((l) => (l.startsWith('{"hash"') ? 'record' : JSON.parse(l).line));
  assert.equal(types[0], 'export');
  assert.deepEqual(lines.filter((l) => l.startsWith('{"line":"gap"')).map((l) => [JSON.parse(l).from_seq, JSON.parse(l).to_seq]), [[1, 5], [8, 9], [11, 12]]);
  assert.equal(types.filter((t) => t === 'images_evicted').length, 1);
  const r = await verify(lines);
  assert.deepEqual(r.problems, []);
  assert.deepEqual([r.records, r.gaps, r.imagesEvicted], [21, 3, 1]);
  assert.ok(r.checkpoints >= 2);
});

test('a record removed without a gap line, or a gap line taken out, breaks the chain', async () => {
  const lines = await exported();
  const i = lines.findIndex((l) => l.includes('"seq":20,'));
  assert.match(messages(await verify(lines.filter((_, k) => k !== i))), /^21: .*does not link to seq 19/m);
  const g = lines.findIndex((l) => l.startsWith('{"line":"gap"') && l.includes('"from_seq":8'));
  assert.match(messages(await verify(lines.filter((_, k) => k !== g))), /^10: .*does not link to seq 7/m);
  const first = lines.findIndex((l) => l.startsWith('{"line":"gap"'));
  assert.match(messages(await verify(lines.filter((_, k) => k !== first))), /^6: the chain starts at .* not the genesis hash/m);
});

test('changed bytes, a duplicate member shadowing a plate, a seq as text, a bare number: each one verdict', async () => {
  const lines = await exported();
  const i = lines.findIndex((l) => l.includes('"seq":16,'));
  const edit = (f: (l: string) => string) => lines.map((l, k) => (k === i ? f(l) : l));
  assert.match(messages(await verify(edit((l) => l.replace('"camera_id":"', '"camera_id":"X')))), /^16: hash does not match the line/m);
  assert.match(messages(await verify(edit((l) => `${l.slice(0, -1)},"plates":["XX9999"]}`))), /^16: hash does not match/m);
  assert.match(messages(await verify(edit((l) => l.replace('"seq":16,', '"seq":"16","x":1,')))), /a record line must begin/);
  const bare = await verify([...lines.slice(0, 3), '42', 'not json', '[1]', '{"line":"wat"}', ...lines.slice(3)]);
  assert.equal(bare.problems.length, 4, messages(bare));
  assert.match(messages(bare), /neither a record/);
  assert.match(messages(bare), /not JSON/);
  assert.match(messages(bare), /unknown line type/);
});

test('records cut from the end are found by the checkpoint; a forged record carrying a checkpoint member is a record', async () => {
  const lines = await exported();
  const lastRecord = lines.map((l, k) => (l.startsWith('{"hash"') ? k : -1)).filter((k) => k >= 0).at(-1)!;
  const cut = lines.filter((_, k) => k !== lastRecord);
  assert.match(messages(await verify(cut)), /checkpoint at seq 30 is beyond the last record or gap \(seq 29\)/);
  // The real final checkpoint replaced by a forged record that carries a copy of it.
  const cpLine = lines.length - 1;
  assert.ok(lines[cpLine]!.startsWith('{"line":"checkpoint"'));
  const cp = JSON.parse(lines[cpLine]!);
  const prev = lines[lastRecord]!.slice(9, 73);
  const forged = sealLine(Buffer.from(`,"kind":"detection","checkpoint":${JSON.stringify({ checkpoint: cp })}}`), 31, prev).line.toString();
  const r = await verify([...lines.slice(0, cpLine), forged]);
  assert.match(messages(r), /end of the export \(seq 31\) is not covered by a signed checkpoint/);
  assert.equal(r.records, 22, 'the forged line is checked as a record');
});

test('checkpoints: another key fails, a statement edited beside the signature changes nothing', async () => {
  const lines = await exported();
  const k = lines.findIndex((l) => l.startsWith('{"line":"checkpoint"'));
  const cp = JSON.parse(lines[k]!);
  const other = signCheckpoint(key(), { gateway_id: 'gw', seq: cp.seq, hash: cp.hash, time: cp.time });
  const swapped = lines.map((l, i) => (i === k ? JSON.stringify({ line: 'checkpoint', ...other }) : l));
  assert.match(messages(await verify(swapped)), /checkpoint signature is not valid for the trusted key/);
  const signedEdit = lines.map((l, i) => (i === k ? JSON.stringify({ ...cp, signed: cp.signed.replace(`"seq":${cp.seq}`, `"seq":${cp.seq + 1}`) }) : l));
  assert.match(messages(await verify(signedEdit)), /checkpoint signature is not valid/);
});

test('a selection says so and verifies record by record; its records are the same bytes', async () => {
  const s = await store();
  const full = await exported({}, s);
  const sel = await exported({ cameraId: 'a' }, s);
  assert.deepEqual(JSON.parse(sel[0]!).selection, { camera_id: 'a', since: null });
  const r = await verify(sel);
  assert.deepEqual(r.problems, [], messages(r));
  assert.ok(r.selection);
  for (const l of sel.filter((x) => x.startsWith('{"hash"'))) assert.ok(full.includes(l), 'a selected record is its stored line');
  const tampered = sel.map((l) => (l.startsWith('{"hash"') && l.includes('"seq":16,') ? l.replace('"camera_id":"a"', '"camera_id":"b"') : l));
  assert.match(messages(await verify(tampered)), /16: hash does not match/);
});

test('render and seal: the line is the record, hash first, and hashes without its hash member', () => {
  const r = sampleRecord({ data: JSON.parse('{"hash":"camera-sent","seq":"x","note":"กข\\u2028","__proto__":{"a":1}}') });
  const { line, hash } = sealLine(renderRest(r), 5, '0'.repeat(64));
  const text = line.toString();
  assert.ok(text.startsWith(`{"hash":"${hash}","seq":5,"prev_hash":"${'0'.repeat(64)}","detection_id":"${r.id}","kind":"detection",`));
  const body = JSON.parse(text);
  assert.equal(body.seq, 5, 'a camera field named seq never shadows the gateway\'s');
  assert.equal(body.hash, hash);
  assert.equal((text.match(/"seq":/g) ?? []).length, 1);
  assert.deepEqual(Object.getOwnPropertyDescriptor(body, '__proto__')?.value, { a: 1 }, '__proto__ stays plain data');
  // Only the record's own id member is the gateway's: an alert keeps the detection_id it points at.
  const alert = sampleRecord({ kind: 'alert', data: { detection_id: 'det-1', alert_id: 'shadow' } });
  const a = JSON.parse(sealLine(renderRest(alert), 6, hash).line.toString());
  assert.deepEqual([a.alert_id, a.detection_id], [alert.id, 'det-1']);
});
