// The capture verifier (evidence/verify-mqtt-dump.ts) on what a real log's records and a
// signed checkpoint look like on the wire (`topic payload` lines, as mosquitto_sub -v
// prints them): an untouched capture verifies, with QoS 1 repeats and other topics
// tolerated; a changed payload, a hole between seqs, a checkpoint of another key and a
// checkpoint that disagrees with a payload each fail, naming the seq.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { signCheckpoint } from '../../src/evidence/checkpoint-signature.js';
import { fingerprintOf, rawPublicKey, type SigningKey } from '../../src/evidence/signing-key.js';
import { verifyMqttDump } from '../../src/evidence/verify-mqtt-dump.js';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { sampleRecord } from '../conformance/record-log-suite.js';

function key(): SigningKey {
  const k = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(k.publicKey);
  return { privateKey: k.privateKey, publicKey: raw.toString('base64'), fingerprint: fingerprintOf(raw), publicPem: '' };
}

const KEY = key();

async function capture(): Promise<string[]> {
  const log = new MemoryRecordLog();
  await log.open();
  for (let i = 0; i < 6; i++) await log.append(sampleRecord({ camera_id: `cam${i % 2}` }));
  const records = await log.readAfter(0, 10);
  const head = log.chainHead()!;
  const cp = signCheckpoint(KEY, { gateway_id: 'gw', seq: head.seq, hash: head.hash, time: '2026-12-07T10:00:00.000Z' });
  await log.close();
  return [
    ...records.map((r) => `lpr/cp/${r.camera_id}/detection ${r.line.toString()}`),
    `lpr/cp/cam0/detection ${records[0]!.line.toString()}`, // QoS 1 delivered it twice
    'lpr/cp/cam0/image/x/original_image \u00ff\u00d8binary',
    `lpr/gateway/gw/checkpoint ${JSON.stringify(cp)}`,
  ];
}

async function* linesOf(lines: string[]): AsyncGenerator<string> {
  yield* lines;
}

const check = (lines: string[], publicKey?: string) => verifyMqttDump(linesOf(lines), { publicKey });

test('an untouched capture verifies, pinned to its end by the signed checkpoint', async () => {
  const res = await check(await capture(), KEY.publicKey);
  assert.deepEqual(res.problems, []);
  assert.deepEqual(res.gateways, [{ gateway_id: 'gw', records: 6, first: 1, last: 6, pinned: 6 }]);
  assert.equal(res.checkpoints, 1);
  assert.equal(res.skipped, 1, 'the image');
  assert.deepEqual(res.notes, []);
});

test('each kind of tampering fails, naming the seq', async () => {
  const lines = await capture();
  const changed = lines.map((l, i) => (i === 2 ? l.replace('"camera_id":"cam0"', '"camera_id":"camX"') : l));
  assert.deepEqual((await check(changed, KEY.publicKey)).problems.map((p) => p.seq), [3], 'a payload changed after publishing');

  const holed = lines.filter((_, i) => i !== 3);
  const hole = (await check(holed, KEY.publicKey)).problems;
  assert.equal(hole.length, 1);
  assert.equal(hole[0]!.seq, 5);
  assert.match(hole[0]!.message, /does not link to seq 3/);

  const other = key();
  const foreign = await check(lines, other.publicKey);
  assert.match(foreign.problems[0]!.message, /signature is not valid for the trusted key/);
  assert.equal(foreign.gateways[0]!.pinned, 0);

  const cp = JSON.parse(lines.at(-1)!.slice(lines.at(-1)!.indexOf(' ') + 1)) as { seq: number };
  const wrong = signCheckpoint(KEY, { gateway_id: 'gw', seq: cp.seq, hash: 'f'.repeat(64), time: '2026-12-07T10:00:00.000Z' });
  const lying = [...lines.slice(0, -1), `lpr/gateway/gw/checkpoint ${JSON.stringify(wrong)}`];
  assert.match((await check(lying, KEY.publicKey)).problems[0]!.message, /checkpoint's hash differs from seq 6/);

  const twice = [...lines, lines[1]!.replace('"camera_id":"cam1"', '"camera_id":"camY"')];
  assert.ok((await check(twice, KEY.publicKey)).problems.some((p) => p.seq === 2 && /two different payloads/.test(p.message)));
  assert.match((await check(['lpr/x/y/status {"a":1}'])).problems[0]!.message, /no record payloads/);
});
